package fssp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Every decoder below reads into pointers or raw values and checks that
// each field the protocol requires is there with its type: a field that is
// missing or null is an ErrMalformed, never a zero value passed on as an
// answer. Fields the client does not know are ignored, so that the server
// may add some.

// envelope is the document's answer shape.
type envelope struct {
	Status    *string         `json:"status"`
	Code      *int            `json:"code"`
	Exception *string         `json:"exception"`
	Response  json.RawMessage `json:"response"`
}

// answer turns an HTTP answer into the envelope's response, or an
// *APIError, or an ErrMalformed.
func answer(method string, resp *http.Response, body []byte, now time.Time) (json.RawMessage, error) {
	var env envelope
	envErr := json.Unmarshal(body, &env)
	isEnvelope := envErr == nil && env.Status != nil && env.Code != nil
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && isEnvelope && *env.Status == "success" {
		if *env.Code != 0 {
			return nil, malformed(method, "success with code %d", *env.Code)
		}
		if isNull(env.Response) {
			return nil, malformed(method, "success without a response")
		}
		return env.Response, nil
	}
	if ok && !isEnvelope {
		if envErr != nil {
			return nil, malformed(method, "not the API's JSON envelope: %v", envErr)
		}
		return nil, malformed(method, "envelope without status or code")
	}
	if ok && *env.Status != "error" {
		return nil, malformed(method, "envelope status %q", *env.Status)
	}
	e := &APIError{HTTPStatus: resp.StatusCode, Method: method, RetryAfter: retryAfter(resp.Header, now)}
	if isEnvelope {
		e.Code = *env.Code
		if env.Exception != nil {
			e.Message = *env.Exception
		}
	} else {
		// Something in front of the API answered (a proxy, a router's
		// plain 404): keep a little of it for the message.
		e.Message = snippet(body)
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
	}
	if ok && e.Code == 0 {
		return nil, malformed(method, "error envelope with code 0: %q", e.Message)
	}
	return nil, e
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

func snippet(body []byte) string {
	const limit = 200
	s := strings.TrimSpace(string(body))
	if len(s) > limit {
		s = s[:limit]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

func decodeTask(method string, raw json.RawMessage) (string, error) {
	var r struct {
		Task *string `json:"task"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", malformed(method, "response: %v", err)
	}
	if r.Task == nil || strings.TrimSpace(*r.Task) == "" {
		return "", malformed(method, "no task id in the response")
	}
	return *r.Task, nil
}

func decodeStatus(raw json.RawMessage) (Status, error) {
	const method = "status"
	var r struct {
		Status   *int    `json:"status"`
		Progress *string `json:"progress"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return Status{}, malformed(method, "response: %v", err)
	}
	if r.Status == nil || !TaskState(*r.Status).valid() {
		return Status{}, malformed(method, "status missing or unknown: %s", raw)
	}
	if r.Progress == nil {
		return Status{}, malformed(method, "no progress")
	}
	done, total, ok := parseProgress(*r.Progress)
	if !ok {
		return Status{}, malformed(method, "progress %q is not \"k of n\"", *r.Progress)
	}
	return Status{State: TaskState(*r.Status), Progress: *r.Progress, Done: done, Total: total}, nil
}

func decodeResult(raw json.RawMessage, loc *time.Location) (*Result, error) {
	const method = "result"
	var r struct {
		Status    *int               `json:"status"`
		TaskStart *string            `json:"task_start"`
		TaskEnd   *string            `json:"task_end"`
		Result    *[]json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, malformed(method, "response: %v", err)
	}
	if r.Status == nil || !TaskState(*r.Status).valid() {
		return nil, malformed(method, "status missing or unknown")
	}
	if r.Result == nil {
		return nil, malformed(method, "no result list")
	}
	out := &Result{State: TaskState(*r.Status), Results: make([]SubResult, 0, len(*r.Result))}
	var err error
	if out.TaskStart, err = stamp(r.TaskStart, loc); err != nil {
		return nil, malformed(method, "task_start: %v", err)
	}
	if out.TaskEnd, err = stamp(r.TaskEnd, loc); err != nil {
		return nil, malformed(method, "task_end: %v", err)
	}
	for i, sub := range *r.Result {
		s, err := decodeSubResult(sub)
		if err != nil {
			return nil, malformed(method, "result[%d]: %v", i, err)
		}
		out.Results = append(out.Results, s)
	}
	return out, nil
}

// stamp reads "YYYY-MM-DD HH:MM:SS"; null or absent is unknown (the
// document's sample has no task_end).
func stamp(s *string, loc *time.Location) (*time.Time, error) {
	if s == nil {
		return nil, nil
	}
	t, err := time.ParseInLocation(time.DateTime, *s, loc)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

type subResultJSON struct {
	Status *int            `json:"status"`
	Query  json.RawMessage `json:"query"`
	Result json.RawMessage `json:"result"`
}

func decodeSubResult(raw json.RawMessage) (SubResult, error) {
	var r subResultJSON
	if err := json.Unmarshal(raw, &r); err != nil {
		return SubResult{}, err
	}
	if r.Status == nil || !TaskState(*r.Status).valid() {
		return SubResult{}, errorf("status missing or unknown")
	}
	s := SubResult{State: TaskState(*r.Status)}
	if !isNull(r.Query) {
		q, err := decodeQuery(r.Query)
		if err != nil {
			return SubResult{}, errorf("query: %v", err)
		}
		s.Query = q
	}
	// The shape tells which it is: a list of proceedings, or the object
	// {"code","message"} of a failed search.
	body := bytes.TrimSpace(r.Result)
	switch {
	case len(body) > 0 && body[0] == '[':
		var items []itemJSON
		if err := json.Unmarshal(body, &items); err != nil {
			return SubResult{}, errorf("items: %v", err)
		}
		s.Items = make([]Item, len(items))
		for i, it := range items {
			if err := it.check(); err != nil {
				return SubResult{}, errorf("item %d: %v", i, err)
			}
			s.Items[i] = it.item()
		}
	case len(body) > 0 && body[0] == '{':
		var f struct {
			Code    *int    `json:"code"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(body, &f); err != nil {
			return SubResult{}, errorf("failure: %v", err)
		}
		if f.Message == nil {
			return SubResult{}, errorf("failure without a message")
		}
		s.Failure = &SubError{Message: *f.Message}
		if f.Code != nil {
			s.Failure.Code = *f.Code
		}
	default:
		return SubResult{}, errorf("result is neither a list nor an error object")
	}
	return s, nil
}

func decodeQuery(raw json.RawMessage) (*Query, error) {
	var q struct {
		Type *flexString `json:"type"`
		// A parameter that was not sent is echoed as null: the pointer
		// takes it, and anything but a string or a number is refused.
		Params map[string]*flexString `json:"params"`
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, err
	}
	if q.Type == nil {
		return nil, errorf("no type")
	}
	typ := 0
	switch string(*q.Type) {
	case "1":
		typ = TypePhysical
	case "2":
		typ = TypeLegal
	case "3":
		typ = TypeIP
	default:
		return nil, errorf("unknown type %q", *q.Type)
	}
	out := &Query{Type: typ, Params: make(map[string]string, len(q.Params))}
	for k, v := range q.Params {
		if v != nil {
			out.Params[k] = string(*v)
		}
	}
	return out, nil
}

// itemJSON is an item as sent: every documented field must be there.
type itemJSON struct {
	Name          *string     `json:"name"`
	ExeProduction *string     `json:"exe_production"`
	Details       *string     `json:"details"`
	Subject       *string     `json:"subject"`
	Department    *flexString `json:"department"`
	Bailiff       *string     `json:"bailiff"`
	IPEnd         *string     `json:"ip_end"`
}

func (it itemJSON) check() error {
	for _, f := range [...]struct {
		name    string
		present bool
	}{
		{"name", it.Name != nil}, {"exe_production", it.ExeProduction != nil}, {"details", it.Details != nil},
		{"subject", it.Subject != nil}, {"department", it.Department != nil}, {"bailiff", it.Bailiff != nil},
		{"ip_end", it.IPEnd != nil},
	} {
		if !f.present {
			return errorf("no %s", f.name)
		}
	}
	return nil
}

func (it itemJSON) item() Item {
	return Item{
		Name: *it.Name, ExeProduction: *it.ExeProduction, Details: *it.Details, Subject: *it.Subject,
		Department: string(*it.Department), Bailiff: *it.Bailiff, IPEnd: *it.IPEnd,
	}
}

// flexString is a JSON string, or a number kept as its text: the document
// shows numbers where stend sends strings (department, region, type).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if bytes.Equal(b, []byte("null")) || json.Unmarshal(b, &n) != nil {
		return errorf("want a string or a number, got %s", b)
	}
	*f = flexString(n.String())
	return nil
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
