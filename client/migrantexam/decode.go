package migrantexam

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Decoding is strict: an answer with a field the protocol does not have,
// without one it requires, or with one of another type is ErrMalformed,
// never a zero value passed on as an answer.

// strict decodes exactly one JSON value of data into v, refusing unknown
// fields.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// isJSON reports whether a Content-Type is JSON (application/json,
// application/problem+json, …).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

func decodeReportID(contentType string, data []byte) (int64, error) {
	if !isJSON(contentType) {
		return 0, malformed("200 with Content-Type %q", contentType)
	}
	var r struct {
		ReportID *int64 `json:"reportId"`
	}
	if err := strict(data, &r); err != nil {
		return 0, malformed("200: %v", err)
	}
	if r.ReportID == nil || *r.ReportID <= 0 {
		return 0, malformed("200 without a positive reportId: %s", data)
	}
	return *r.ReportID, nil
}

// problemJSON is ASP.NET's ProblemDetails; validation problems add errors.
type problemJSON struct {
	Type   *string             `json:"type"`
	Title  *string             `json:"title"`
	Status *int                `json:"status"`
	Detail *string             `json:"detail"`
	Errors map[string][]string `json:"errors"`
}

func (p problemJSON) complete() bool { return p.Type != nil && p.Title != nil && p.Status != nil }

// answerError turns an answer other than 200 into an *APIError, or an
// ErrMalformed for a 400 in neither of the document's shapes.
func answerError(resp *http.Response, data []byte, now time.Time) error {
	e := &APIError{HTTPStatus: resp.StatusCode, RetryAfter: retryAfter(resp.Header, now)}
	jsonBody := isJSON(resp.Header.Get("Content-Type"))
	var p problemJSON
	isProblem := jsonBody && strict(data, &p) == nil && p.complete()
	if resp.StatusCode == http.StatusBadRequest {
		var rule struct {
			Error *string `json:"error"`
		}
		switch {
		case isProblem && p.Errors != nil && p.Detail == nil:
			e.shape, e.Errors = shapeValidation, p.Errors
		case jsonBody && strict(data, &rule) == nil && rule.Error != nil:
			e.shape, e.Message, e.ReportID = shapeRule, *rule.Error, duplicateOf(*rule.Error)
		default:
			return malformed("400 in neither of the document's shapes: %s", snippet(data))
		}
		return e
	}
	switch {
	case isProblem && p.Errors == nil:
		e.shape, e.Message = shapeProblem, *p.Title
		if p.Detail != nil {
			e.Message = *p.Detail
		}
	default:
		// Something in front of the API answered (a proxy's 502 page).
		e.Message = snippet(data)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
	}
	return e
}

// snippet is the start of a body, for a message.
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}
