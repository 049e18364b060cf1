package http

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/fssp"
	"stend/httpx"
)

// The exception texts. The first two are the document's; the others are
// ours, in the same style, for the statuses the real service is known to
// answer (see docs/fssp.md).
const (
	msgInvalidToken  = "invalid token"
	msgInvalidParams = "invalid request params"
	msgTaskNotFound  = "task not found"
	msgTooMany       = "too many requests"
	msgNotFound      = "not found"
	msgMethod        = "method not allowed"
	msgTooLarge      = "request entity too large"
	msgInternal      = "internal error"
	msgUnavailable   = "service unavailable"
	contentTypeJSON  = "application/json; charset=utf-8"
	statusSuccess    = "success"
	statusError      = "error"
)

// envelope is the document's answer shape. On errors the HTTP status equals
// code, as the real service answers.
type envelope struct {
	Status    string `json:"status"`
	Code      int    `json:"code"`
	Exception string `json:"exception"`
	Response  any    `json:"response"`
}

func writeSuccess(w http.ResponseWriter, response any) {
	httpx.WriteJSON(w, http.StatusOK, contentTypeJSON, envelope{Status: statusSuccess, Code: 0, Exception: "", Response: response})
}

func writeFailure(w http.ResponseWriter, code int, exception string) {
	httpx.WriteJSON(w, code, contentTypeJSON, envelope{Status: statusError, Code: code, Exception: exception, Response: []any{}})
}

// writeError answers an error of the core by its kind.
func writeError(w http.ResponseWriter, err error) {
	switch stend.KindOf(err) {
	case stend.Unauthenticated, stend.PermissionDenied:
		writeFailure(w, http.StatusUnauthorized, msgInvalidToken)
	case stend.Invalid:
		writeFailure(w, http.StatusBadRequest, msgInvalidParams)
	case stend.NotFound:
		writeFailure(w, http.StatusNotFound, msgTaskNotFound)
	case stend.TooLarge:
		writeFailure(w, http.StatusRequestEntityTooLarge, msgTooLarge)
	case stend.RateLimited:
		httpx.SetRetryAfter(w.Header(), err)
		writeFailure(w, http.StatusTooManyRequests, msgTooMany)
	case stend.Unavailable:
		w.Header().Set("Retry-After", "1")
		writeFailure(w, http.StatusServiceUnavailable, msgUnavailable)
	default:
		writeFailure(w, http.StatusInternalServerError, msgInternal)
	}
}

// writeLimited refuses a submission over a limit, saying when to retry.
func writeLimited(w http.ResponseWriter, limited *fssp.RateLimitError, now time.Time) {
	setRateHeaders(w.Header(), limited.Usage, now)
	w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(limited.RetryAfter.Seconds())), 10))
	writeFailure(w, http.StatusTooManyRequests, msgTooMany)
}

// setRateHeaders reports the window closest to its limit in the IETF
// RateLimit header fields, and every window in RateLimit-Policy.
func setRateHeaders(h http.Header, usage []fssp.RateUsage, now time.Time) {
	if len(usage) == 0 {
		return
	}
	tightest := usage[0]
	policy := make([]string, 0, len(usage))
	for _, u := range usage {
		// The window with the fewest places left; among exhausted ones the
		// one that frees last, so that Reset agrees with Retry-After.
		left, tightLeft := max(u.Window.Limit-u.Used, 0), max(tightest.Window.Limit-tightest.Used, 0)
		if left < tightLeft || left == tightLeft && left == 0 && u.Reset.After(tightest.Reset) {
			tightest = u
		}
		policy = append(policy, fmt.Sprintf("%d;w=%d", u.Window.Limit, int(u.Window.Span.Seconds())))
	}
	remaining := max(tightest.Window.Limit-tightest.Used, 0)
	h.Set("RateLimit-Limit", strconv.Itoa(tightest.Window.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(int64(math.Ceil(tightest.Reset.Sub(now).Seconds())), 10))
	h.Set("RateLimit-Policy", strings.Join(policy, ", "))
}

// WriteFault answers an injected fault (package fault) in the envelope:
// {"status":"error","code":status,"exception":message}.
func WriteFault(w http.ResponseWriter, status int, message string) {
	if message == "" {
		message = http.StatusText(status)
	}
	writeFailure(w, status, message)
}
