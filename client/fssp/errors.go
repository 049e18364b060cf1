package fssp

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinels to test an error with errors.Is. An *APIError matches the one
// its HTTP status (or, on an error envelope answered with 200, its code)
// stands for; errors the client finds itself before sending anything wrap
// ErrInvalid.
var (
	// ErrInvalid: 400 "invalid request params", the document's
	// format-logical control (a missing or malformed parameter, more than
	// one query in a Request, an empty group).
	ErrInvalid = errors.New("fssp: invalid request params")
	// ErrUnauthorized: 401 "invalid token": missing, unknown, revoked or
	// expired (a token lasts a year).
	ErrUnauthorized = errors.New("fssp: invalid token")
	// ErrTaskNotFound: 404 "task not found": the task never existed,
	// belongs to another token, or is older than the 24 hours results
	// are kept.
	ErrTaskNotFound = errors.New("fssp: task not found")
	// ErrNotFound: any other 404, i.e. no such method at this address:
	// the base URL is most likely wrong.
	ErrNotFound = errors.New("fssp: no such API method")
	// ErrRateLimited: 429, the token is over one of its limits;
	// APIError.RetryAfter says when a place frees.
	ErrRateLimited = errors.New("fssp: rate limited")
	// ErrTooLarge: 413, the request body is over the server's limit
	// (1 MiB on stend), before the token is even looked at.
	ErrTooLarge = errors.New("fssp: request too large")
	// ErrUnavailable: any 5xx. A 503 (database unavailable) carries
	// APIError.RetryAfter; Wait keeps polling through it.
	ErrUnavailable = errors.New("fssp: service unavailable")
	// ErrMalformed: the answer does not follow the protocol (not JSON, a
	// field missing or of the wrong type, an unknown status). Decoding
	// never yields zero values in place of missing fields.
	ErrMalformed = errors.New("fssp: malformed answer")
)

// Exception texts the server sends that decide a mapping: a 404 is a task
// the caller may no longer read only when the server says so, otherwise
// the address itself is wrong.
const exceptionTaskNotFound = "task not found"

// APIError is an error answer of the API: the document's envelope
// {"status":"error","code":…,"exception":…} or a bare HTTP error from
// something in front of it (a proxy's 502).
type APIError struct {
	// HTTPStatus is the answer's HTTP status; the server answers errors
	// with the same status as Code.
	HTTPStatus int
	// Code is the envelope's code; 0 when the answer had no envelope.
	Code int
	// Message is the envelope's exception ("invalid token", "invalid
	// request params", "task not found", "too many requests", …), or the
	// start of a body that was no envelope.
	Message string
	// RetryAfter is the Retry-After header of a 429 or a 503: how long
	// until a retry may succeed. Zero when the server sent none.
	RetryAfter time.Duration
	// Method is the API method called ("search/physical", "status", …).
	Method string
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("fssp: ")
	b.WriteString(e.Method)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(e.HTTPStatus))
	if e.Code != 0 && e.Code != e.HTTPStatus {
		fmt.Fprintf(&b, " (code %d)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// status is what decides the sentinel: the HTTP status, unless an error
// envelope came with a 2xx, when only its code tells what went wrong.
func (e *APIError) status() int {
	if e.HTTPStatus >= 200 && e.HTTPStatus < 300 && e.Code != 0 {
		return e.Code
	}
	return e.HTTPStatus
}

// Is maps the answer to the sentinels above.
func (e *APIError) Is(target error) bool {
	s := e.status()
	switch target {
	case ErrInvalid:
		return s == http.StatusBadRequest
	case ErrUnauthorized:
		return s == http.StatusUnauthorized || s == http.StatusForbidden
	case ErrTaskNotFound:
		return s == http.StatusNotFound && e.Message == exceptionTaskNotFound
	case ErrNotFound:
		return s == http.StatusNotFound && e.Message != exceptionTaskNotFound
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrTooLarge:
		return s == http.StatusRequestEntityTooLarge
	case ErrUnavailable:
		return s >= 500 && s <= 599
	}
	return false
}

// SubError is a sub-request that failed on the server (sub-result status
// 3): its search broke or timed out. The other sub-requests of the task
// still have their items.
type SubError struct {
	Code    int
	Message string
}

func (e *SubError) Error() string {
	return "fssp: sub-request failed: " + e.Message
}

func malformed(method, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, method, fmt.Sprintf(format, args...))
}

// retryAfter reads Retry-After in either form HTTP allows: seconds or a
// date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		// Bounded so that an absurd value cannot overflow into a negative
		// duration.
		return time.Duration(min(max(n, 0), int64(365*24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
