package reestro

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
// fields at every depth.
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

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// nullable is a field that must be present and may be null.
type nullable struct {
	present bool
	v       *string
}

func (n *nullable) UnmarshalJSON(b []byte) error {
	n.present = true
	return json.Unmarshal(b, &n.v)
}

func (n nullable) string() string {
	if n.v == nil {
		return ""
	}
	return *n.v
}

// checkJSON is the document's Check. The document's sample spells
// corelationId, which is required; stend sends correlationId too, which
// must then agree.
type checkJSON struct {
	CheckID       *string  `json:"checkId"`
	CorelationID  nullable `json:"corelationId"`
	CorrelationID nullable `json:"correlationId"`
	ExternalID    nullable `json:"externalId"`
	CreationDate  *string  `json:"creationDate"`
	CheckType     *string  `json:"checkType"`
	CheckState    *string  `json:"checkState"`
	Fssp          *struct {
		SubjectID *string   `json:"subjectId"`
		Regions   *[]string `json:"regions"`
		Results   []struct {
			Region *string     `json:"region"`
			Items  *[]itemJSON `json:"items"`
		} `json:"results"`
	} `json:"fssp"`
	Error *struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
	} `json:"error"`
}

type itemJSON struct {
	Name          *string `json:"name"`
	ExeProduction *string `json:"exe_production"`
	Details       *string `json:"details"`
	Subject       *string `json:"subject"`
	Department    *string `json:"department"`
	Bailiff       *string `json:"bailiff"`
	IPEnd         *string `json:"ip_end"`
}

func (it itemJSON) item() (Item, bool) {
	for _, f := range []*string{it.Name, it.ExeProduction, it.Details, it.Subject, it.Department, it.Bailiff, it.IPEnd} {
		if f == nil {
			return Item{}, false
		}
	}
	return Item{*it.Name, *it.ExeProduction, *it.Details, *it.Subject, *it.Department, *it.Bailiff, *it.IPEnd}, true
}

// check turns a decoded Check into the client's, or says what is wrong.
func (j checkJSON) check() (Check, string) {
	switch {
	case j.CheckID == nil || *j.CheckID == "":
		return Check{}, "no checkId"
	case !j.CorelationID.present || !j.ExternalID.present:
		return Check{}, "no corelationId or externalId"
	case j.CorrelationID.present && j.CorrelationID.string() != j.CorelationID.string():
		return Check{}, "correlationId and corelationId differ"
	case j.CreationDate == nil || j.CheckType == nil || j.CheckState == nil:
		return Check{}, "no creationDate, checkType or checkState"
	}
	c := Check{ID: *j.CheckID, CorrelationID: j.CorelationID.string(), ExternalID: j.ExternalID.string(),
		Type: CheckType(*j.CheckType), State: CheckState(*j.CheckState)}
	var err error
	if c.CreatedAt, err = time.Parse(time.RFC3339Nano, *j.CreationDate); err != nil {
		return Check{}, "creationDate: " + err.Error()
	}
	if !c.State.known() {
		return Check{}, "unknown checkState " + string(c.State)
	}
	if c.Type != CheckFssp {
		return Check{}, "unknown checkType " + string(c.Type)
	}
	if j.Fssp == nil || j.Fssp.SubjectID == nil || j.Fssp.Regions == nil {
		return Check{}, "an Fssp check without fssp.subjectId and fssp.regions"
	}
	c.Fssp = &FsspCheck{SubjectID: *j.Fssp.SubjectID, Regions: *j.Fssp.Regions}
	for _, r := range j.Fssp.Results {
		if r.Region == nil || r.Items == nil {
			return Check{}, "a result without region or items"
		}
		res := RegionResult{Region: *r.Region, Items: make([]Item, len(*r.Items))}
		for i, it := range *r.Items {
			var ok bool
			if res.Items[i], ok = it.item(); !ok {
				return Check{}, "region " + *r.Region + ": an item without a field"
			}
		}
		c.Fssp.Results = append(c.Fssp.Results, res)
	}
	if e := j.Error; e != nil {
		if e.Code == nil || e.Message == nil {
			return Check{}, "an error without code or message"
		}
		c.Failure = &CheckFailure{Code: *e.Code, Message: *e.Message}
	}
	return c, ""
}

func decodeCheck(data []byte) (*Check, error) {
	const op = "GET checks/{checkId}"
	var j checkJSON
	if err := strict(data, &j); err != nil {
		return nil, malformed(op, "%v", err)
	}
	c, problem := j.check()
	if problem != "" {
		return nil, malformed(op, "%s", problem)
	}
	return &c, nil
}

func decodePage(data []byte) (*Page, error) {
	const op = "GET checks"
	var j struct {
		Items       *[]checkJSON `json:"items"`
		LastCheckID *string      `json:"lastCheckId"`
	}
	if err := strict(data, &j); err != nil {
		return nil, malformed(op, "%v", err)
	}
	if j.Items == nil {
		return nil, malformed(op, "no items")
	}
	p := &Page{Checks: make([]Check, len(*j.Items))}
	for i, it := range *j.Items {
		c, problem := it.check()
		if problem != "" {
			return nil, malformed(op, "item %d: %s", i, problem)
		}
		p.Checks[i] = c
	}
	// lastCheckId is the last item's id, absent when there is none.
	switch n := len(p.Checks); {
	case n == 0 && j.LastCheckID != nil:
		return nil, malformed(op, "lastCheckId without items")
	case n > 0 && (j.LastCheckID == nil || *j.LastCheckID != p.Checks[n-1].ID):
		return nil, malformed(op, "lastCheckId is not the last item's id")
	case n > 0:
		p.LastCheckID = *j.LastCheckID
	}
	return p, nil
}

// decodeID reads {"<field>": "<id>"}.
func decodeID(op string, data []byte, field string) (string, error) {
	var m map[string]*string
	if err := strict(data, &m); err != nil {
		return "", malformed("POST "+op, "%v", err)
	}
	id := m[field]
	if len(m) != 1 || id == nil || *id == "" {
		return "", malformed("POST "+op, "want exactly %s: %s", field, snippet(data))
	}
	return *id, nil
}

// errorJSON is the document's Error.
type errorJSON struct {
	Code    *string `json:"code"`
	Message *string `json:"message"`
	Target  *string `json:"target"`
	Errors  []struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
		Target  *string `json:"target"`
	} `json:"errors"`
}

func (j errorJSON) complete() bool {
	if j.Code == nil || j.Message == nil || j.Target == nil {
		return false
	}
	for _, f := range j.Errors {
		if f.Code == nil || f.Message == nil || f.Target == nil {
			return false
		}
	}
	return true
}

func answerError(op string, resp *http.Response, data []byte, now time.Time) error {
	e := &APIError{HTTPStatus: resp.StatusCode, Op: op, RetryAfter: retryAfter(resp.Header, now)}
	var j errorJSON
	if isJSON(resp.Header.Get("Content-Type")) && strict(data, &j) == nil && j.complete() {
		e.Code, e.Message, e.Target = *j.Code, *j.Message, *j.Target
		for _, f := range j.Errors {
			e.Fields = append(e.Fields, FieldError{*f.Code, *f.Message, *f.Target})
		}
		return e
	}
	if resp.StatusCode == http.StatusBadRequest {
		// The document gives the Error object for 400: anything else is
		// off the protocol.
		return malformed(op, "400 without the Error object: %s", snippet(data))
	}
	// Something in front of the API answered (a proxy's 502 page).
	e.Message = snippet(data)
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
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
