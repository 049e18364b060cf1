package migrantexam

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Sentinels to test an error with errors.Is. An *APIError matches the ones
// its answer stands for.
var (
	// ErrModel: 400 in ASP.NET's validation-problem shape, the document's
	// "некорректная модель данных JSON": a required field missing (a zero
	// Date, an empty document hash) or of the wrong type. APIError.Errors
	// lists every problem by the field's PascalCase path.
	ErrModel = errors.New("migrantexam: the report does not bind to the model")
	// ErrRule: 400 {"error": "…"}, the document's second shape: a value
	// broke a rule (a period not Monday to Sunday, a level's date missing
	// or forbidden, requests against noExamInSelectedPeriod, a document
	// number that is no SHA-256, an exam outside the week, …).
	// APIError.Message is the server's text, in Russian.
	ErrRule = errors.New("migrantexam: the report breaks a rule")
	// ErrAreaNotGranted: a rule error, the area is not the organization's
	// (or does not exist).
	ErrAreaNotGranted = errors.New("migrantexam: examination area not granted to the organization")
	// ErrReportNotFound: a rule error, the ReportID to replace names no
	// report of the organization.
	ErrReportNotFound = errors.New("migrantexam: report to replace not found")
	// ErrDuplicateReport: a rule error, the area's week has a report
	// already; APIError.ReportID is its id, to send as Report.ReportID to
	// replace it.
	ErrDuplicateReport = errors.New("migrantexam: the week's report exists")
	// ErrUnauthorized: 401, the three credentials are not one
	// organization's (one missing, unknown or wrong).
	ErrUnauthorized = errors.New("migrantexam: unauthorized")
	// ErrNotFound: 404, no such method at this address: the base URL is
	// most likely wrong.
	ErrNotFound = errors.New("migrantexam: no such API method")
	// ErrTooLarge: 413, the body is over the server's limit (16 MiB on
	// stend).
	ErrTooLarge = errors.New("migrantexam: request too large")
	// ErrRateLimited: 429, the address kept failing to authenticate, or
	// the server checks too many passwords at once; APIError.RetryAfter
	// says when to try again.
	ErrRateLimited = errors.New("migrantexam: rate limited")
	// ErrUnavailable: any 5xx. A 503 (database unavailable) asks for a
	// retry; the report was not stored.
	ErrUnavailable = errors.New("migrantexam: service unavailable")
	// ErrMalformed: the answer does not follow the protocol: not JSON, a
	// field missing, unknown or of the wrong type.
	ErrMalformed = errors.New("migrantexam: malformed answer")
)

// shape is which of the API's error bodies an answer had.
type shape int

const (
	shapeOther      shape = iota // not the API's: a proxy's page
	shapeProblem                 // ProblemDetails: 401, 404, 413, 429, 5xx…
	shapeValidation              // ValidationProblemDetails: ErrModel
	shapeRule                    // {"error": …}: ErrRule
)

// APIError is an error answer of the API.
type APIError struct {
	// HTTPStatus is the answer's status.
	HTTPStatus int
	// Message is a rule error's text, a problem's detail (or its title
	// when it has none), or the start of a body that was neither.
	Message string
	// Errors are a model error's problems: for each field's PascalCase
	// path ("NoExamInSelectedPeriod", "Requests[1].ExamDate", "$" for the
	// body), its messages.
	Errors map[string][]string
	// ReportID is the existing report a duplicate names (ErrDuplicateReport).
	ReportID int64
	// RetryAfter is the Retry-After of a 429 or a 503, zero when none.
	RetryAfter time.Duration
	shape      shape
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "migrantexam: HTTP %d", e.HTTPStatus)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	keys := make([]string, 0, len(e.Errors))
	for k := range e.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", k, strings.Join(e.Errors[k], ", "))
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// The rule texts that decide ErrAreaNotGranted, ErrReportNotFound and
// ErrDuplicateReport: stend's (migrantexam/http/handler.go); the document
// gives the shape {"error"} and no texts.
const (
	areaPrefix      = "Площадка с examinationAreaId = "
	areaSuffix      = " не предоставлена организации"
	reportPrefix    = "Отчет с reportId = "
	reportSuffix    = " не найден"
	duplicateMarker = " уже принят, reportId = "
)

// Is maps the answer to the sentinels above.
func (e *APIError) Is(target error) bool {
	s := e.HTTPStatus
	rule := s == http.StatusBadRequest && e.shape == shapeRule
	switch target {
	case ErrModel:
		return s == http.StatusBadRequest && e.shape == shapeValidation
	case ErrRule:
		return rule
	case ErrAreaNotGranted:
		return rule && strings.HasPrefix(e.Message, areaPrefix) && strings.HasSuffix(e.Message, areaSuffix)
	case ErrReportNotFound:
		return rule && strings.HasPrefix(e.Message, reportPrefix) && strings.HasSuffix(e.Message, reportSuffix)
	case ErrDuplicateReport:
		return rule && e.ReportID != 0
	case ErrUnauthorized:
		return s == http.StatusUnauthorized || s == http.StatusForbidden
	case ErrNotFound:
		return s == http.StatusNotFound
	case ErrTooLarge:
		return s == http.StatusRequestEntityTooLarge
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrUnavailable:
		return s >= 500 && s <= 599
	}
	return false
}

// duplicateOf is the report id a duplicate's text names, 0 for any other
// text: "… уже принят, reportId = 123. Чтобы заменить его, передайте reportId".
func duplicateOf(msg string) int64 {
	_, rest, ok := strings.Cut(msg, duplicateMarker)
	if !ok {
		return 0
	}
	digits, _, _ := strings.Cut(rest, ".")
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
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
