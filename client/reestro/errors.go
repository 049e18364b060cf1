package reestro

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinels to test an error with errors.Is. An *APIError matches the ones
// its answer stands for.
var (
	// ErrValidation: 400 "validation", the document's WrongFieldValue
	// errors: APIError.Fields names every wrong field (a parameter of the
	// listing, a field of a subject or a check, a check id that is no
	// GUID).
	ErrValidation = errors.New("reestro: request failed validation")
	// ErrSubjectNotFound: a validation error, the check's subject is not
	// the organization's (or does not exist).
	ErrSubjectNotFound = errors.New("reestro: subject not found")
	// ErrUnauthorized: 401, no valid key (unknown, revoked, or the header
	// unreadable).
	ErrUnauthorized = errors.New("reestro: unauthorized")
	// ErrForbidden: 403, the key may not act for the organization.
	ErrForbidden = errors.New("reestro: access to the organization denied")
	// ErrCheckNotFound: 404 "Check not found": no such check of the
	// organization.
	ErrCheckNotFound = errors.New("reestro: check not found")
	// ErrNotFound: any other 404, no such method at this address: the
	// base URL is most likely wrong.
	ErrNotFound = errors.New("reestro: no such API method")
	// ErrTooLarge: 413, the body is over the server's limit (64 KiB on
	// stend).
	ErrTooLarge = errors.New("reestro: request too large")
	// ErrRateLimited: 429, the address kept failing to authenticate;
	// APIError.RetryAfter says when to try again.
	ErrRateLimited = errors.New("reestro: rate limited")
	// ErrUnavailable: any 5xx. A 503 (database unavailable) asks for a
	// retry; Wait waits it out.
	ErrUnavailable = errors.New("reestro: service unavailable")
	// ErrMalformed: the answer does not follow the protocol: not JSON, a
	// field missing, unknown or of the wrong type, an unknown state.
	ErrMalformed = errors.New("reestro: malformed answer")
)

// Texts that decide a mapping (stend's, reestro/http/errors.go).
const (
	msgCheckNotFound   = "Check not found"
	msgSubjectNotFound = "fssp.subjectId should be the id of a subject of the organization"
)

// APIError is an error answer: the document's Error object
// {"code","message","target","errors"}, or a bare HTTP error from
// something in front of the API.
type APIError struct {
	// HTTPStatus is the answer's status.
	HTTPStatus int
	// Code is the Error's code ("validation", "unauthorized", "forbidden",
	// "notFound", …); "" when the answer was no Error object.
	Code string
	// Message is the Error's message, or the start of a body that was
	// none.
	Message string
	// Target is the Error's target ("api").
	Target string
	// Fields are a validation error's wrong fields, in the document's
	// order.
	Fields []FieldError
	// RetryAfter is the Retry-After of a 429 or a 503, zero when none.
	RetryAfter time.Duration
	// Op is the call: "GET checks", "POST subjects", …
	Op string
}

// FieldError is one item of a validation error (code WrongFieldValue).
type FieldError struct {
	Code, Message, Target string
}

// Field is the field the message names: its first word ("subjectId",
// "fssp.regions", "person.identityDocument.series", "body").
func (f FieldError) Field() string {
	name, _, _ := strings.Cut(f.Message, " ")
	return name
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "reestro: %s: HTTP %d", e.Op, e.HTTPStatus)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is maps the answer to the sentinels above.
func (e *APIError) Is(target error) bool {
	s := e.HTTPStatus
	switch target {
	case ErrValidation:
		return s == http.StatusBadRequest
	case ErrSubjectNotFound:
		for _, f := range e.Fields {
			if s == http.StatusBadRequest && f.Message == msgSubjectNotFound {
				return true
			}
		}
		return false
	case ErrUnauthorized:
		return s == http.StatusUnauthorized
	case ErrForbidden:
		return s == http.StatusForbidden
	case ErrCheckNotFound:
		return s == http.StatusNotFound && e.Message == msgCheckNotFound
	case ErrNotFound:
		return s == http.StatusNotFound && e.Message != msgCheckNotFound
	case ErrTooLarge:
		return s == http.StatusRequestEntityTooLarge
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrUnavailable:
		return s >= 500 && s <= 599
	}
	return false
}

func malformed(op, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, op, fmt.Sprintf(format, args...))
}

// retryAfter reads Retry-After in either form HTTP allows: seconds or a
// date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		// Bounded so that an absurd value cannot overflow.
		return time.Duration(min(max(n, 0), int64(365*24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
