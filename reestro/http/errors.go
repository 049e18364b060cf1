package http

import (
	"errors"
	"net/http"

	"stend"
	"stend/httpx"
	"stend/reestro"
)

// apiError is the document's Error object. The document shows it for 400
// only; the other statuses answer in the same shape (docs/reestro.md), so
// that a client that reads Error on every failure never meets another.
type apiError struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Target  string       `json:"target"`
	Errors  []fieldError `json:"errors,omitempty"`
}

// fieldError is one item of errors: the document's WrongFieldValue, with
// the field named in the message.
type fieldError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Target  string `json:"target"`
}

const (
	contentType     = "application/json"
	codeWrongField  = "WrongFieldValue"
	targetAPI       = "api"
	targetAssessAPI = "AssessmentApi"
)

// validationError collects the wrong fields of one request.
type validationError struct{ fields []fieldError }

func (e *validationError) Error() string         { return "reestro: " + e.fields[0].Message }
func (e *validationError) ErrorKind() stend.Kind { return stend.Invalid }

func (e *validationError) add(message string) {
	e.fields = append(e.fields, fieldError{Code: codeWrongField, Message: message, Target: targetAssessAPI})
}

// err is the collected error, or nil when every field was right.
func (e *validationError) err() error {
	if len(e.fields) == 0 {
		return nil
	}
	return e
}

func wrongField(message string) error {
	v := &validationError{}
	v.add(message)
	return v
}

// Answers of the statuses the document names without a body, and of the
// transport failures every API has.
var (
	errUnauthorized  = apiError{Code: "unauthorized", Message: "Authorization is required", Target: targetAPI}
	errForbidden     = apiError{Code: "forbidden", Message: "Access to the organization is denied", Target: targetAPI}
	errNotFound      = apiError{Code: "notFound", Message: "Resource not found", Target: targetAPI}
	errCheckNotFound = apiError{Code: "notFound", Message: "Check not found", Target: targetAPI}
	errMethod        = apiError{Code: "methodNotAllowed", Message: "Method not allowed", Target: targetAPI}
	errTooLarge      = apiError{Code: "payloadTooLarge", Message: "Request body is too large", Target: targetAPI}
	errMediaType     = apiError{Code: "unsupportedMediaType", Message: "Request body must be application/json", Target: targetAPI}
	errInternal      = apiError{Code: "internal", Message: "Internal server error", Target: targetAPI}
	errUnavailable   = apiError{Code: "unavailable", Message: "Service is temporarily unavailable", Target: targetAPI}
	errTooMany       = apiError{Code: "tooManyRequests", Message: "Too many failed authorization attempts, retry later", Target: targetAPI}
)

func writeError(w http.ResponseWriter, status int, e apiError) {
	httpx.WriteJSON(w, status, contentType, e)
}

func writeInternal(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusInternalServerError, errInternal)
}

// fail maps an error's kind to the API's status and body.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrFaulted) {
		return // a fault rule on the key answered already
	}
	var v *validationError
	if !errors.As(err, &v) && stend.KindOf(err) == stend.Invalid && !errors.Is(err, errMediaTypeKind) {
		// Input the validation let through and the store refused (text it
		// cannot hold): still the client's, never a 500.
		v = &validationError{}
		v.add("request should hold only UTF-8 text without U+0000")
	}
	switch {
	case v != nil:
		writeError(w, http.StatusBadRequest, apiError{Code: "validation", Message: "Failed to validate request", Target: targetAPI, Errors: v.fields})
	case errors.Is(err, errMediaTypeKind):
		writeError(w, http.StatusUnsupportedMediaType, errMediaType)
	case errors.Is(err, reestro.ErrCheckNotFound):
		writeError(w, http.StatusNotFound, errCheckNotFound)
	default:
		switch stend.KindOf(err) {
		case stend.Unauthenticated:
			writeError(w, http.StatusUnauthorized, errUnauthorized)
		case stend.PermissionDenied:
			writeError(w, http.StatusForbidden, errForbidden)
		case stend.NotFound:
			writeError(w, http.StatusNotFound, errNotFound)
		case stend.TooLarge:
			writeError(w, http.StatusRequestEntityTooLarge, errTooLarge)
		case stend.Unavailable:
			writeError(w, http.StatusServiceUnavailable, errUnavailable)
		case stend.RateLimited:
			httpx.SetRetryAfter(w.Header(), err)
			writeError(w, http.StatusTooManyRequests, errTooMany)
		default:
			if r.Context().Err() != nil {
				return // the client went away; nothing to answer
			}
			h.logger.ErrorContext(r.Context(), "reestro: request failed", "request_id", httpx.RequestID(r.Context()), "err", err)
			writeInternal(w, r)
		}
	}
}

// faultCodes are the Error codes the API gives each status.
var faultCodes = map[int]string{
	http.StatusBadRequest: codeWrongField, http.StatusUnauthorized: errUnauthorized.Code, http.StatusForbidden: errForbidden.Code,
	http.StatusNotFound: errNotFound.Code, http.StatusTooManyRequests: errTooMany.Code,
	http.StatusInternalServerError: errInternal.Code, http.StatusServiceUnavailable: errUnavailable.Code,
}

// WriteFault answers an injected fault (package fault) in the document's
// Error object.
func WriteFault(w http.ResponseWriter, status int, message string) {
	if message == "" {
		message = http.StatusText(status)
	}
	code, ok := faultCodes[status]
	if !ok {
		code = "error"
	}
	writeError(w, status, apiError{Code: code, Message: message, Target: targetAPI})
}
