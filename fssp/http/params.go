package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"stend"
)

// params are a request's parameters from wherever the client put them.
// Clients in the wild send them in the query string, in a form body and as
// a JSON body even on a GET; a body value wins over the query string, as in
// PHP, which the real service runs on.
type params struct {
	values map[string]string
	// raw keeps the JSON body's values that are not scalars (the group's
	// "request" array).
	raw map[string]json.RawMessage
}

func (p params) get(key string) string { return p.values[key] }

var errTooLarge = stend.Errorf(stend.TooLarge, "fssp", "request body too large")

func readParams(r *http.Request, maxBody int64) (params, error) {
	p := params{values: map[string]string{}, raw: map[string]json.RawMessage{}}
	for k, vs := range r.URL.Query() {
		if len(vs) > 0 {
			p.values[k] = vs[len(vs)-1]
		}
	}
	if r.Body == nil || r.Body == http.NoBody {
		return p, nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return p, stend.Errorf(stend.Invalid, "fssp", "read body: %v", err)
	}
	if int64(len(body)) > maxBody {
		return p, errTooLarge
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return p, nil
	}
	media, mparams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case media == "application/json" || trimmed[0] == '{':
		return p, p.addJSON(trimmed)
	case media == "multipart/form-data":
		return p, p.addMultipart(body, mparams["boundary"])
	default:
		form, err := url.ParseQuery(string(trimmed))
		if err != nil {
			return p, stend.Errorf(stend.Invalid, "fssp", "form body: %v", err)
		}
		for k, vs := range form {
			if len(vs) > 0 {
				p.values[k] = vs[len(vs)-1]
			}
		}
	}
	return p, nil
}

func (p params) addJSON(body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return stend.Errorf(stend.Invalid, "fssp", "JSON body: %v", err)
	}
	for k, v := range obj {
		s, ok, err := scalar(v)
		if err != nil {
			return err
		}
		if ok {
			p.values[k] = s
		} else {
			p.raw[k] = v
		}
	}
	return nil
}

// scalar turns a JSON string or number into the text a query string would
// have carried; ok is false for arrays and objects.
func scalar(v json.RawMessage) (string, bool, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false, stend.Errorf(stend.Invalid, "fssp", "empty JSON value")
	}
	switch v[0] {
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false, stend.Errorf(stend.Invalid, "fssp", "JSON string: %v", err)
		}
		return s, true, nil
	case '[', '{':
		return "", false, nil
	case 'n':
		// null is "not passed".
		return "", false, nil
	case 't', 'f':
		return "", false, stend.Errorf(stend.Invalid, "fssp", "a boolean is not a parameter value")
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return "", false, stend.Errorf(stend.Invalid, "fssp", "JSON value: %v", err)
	}
	return n.String(), true, nil
}

// paramsOf reads a group sub-request's params object.
func paramsOf(raw json.RawMessage) (map[string]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return nil, stend.Errorf(stend.Invalid, "fssp", "params must be an object")
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		s, ok, err := scalar(v)
		if err != nil {
			return nil, err
		}
		if ok {
			out[k] = s
		} else if !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return nil, stend.Errorf(stend.Invalid, "fssp", "param %s must be a string or a number", k)
		}
	}
	return out, nil
}

// groupRequests finds the group's sub-requests: the JSON body's "request"
// array, or the same array sent as a JSON string in a form field.
func (p params) groupRequests() ([]json.RawMessage, error) {
	raw, ok := p.raw["request"]
	if !ok {
		s := strings.TrimSpace(p.values["request"])
		if s == "" {
			return nil, stend.Errorf(stend.Invalid, "fssp", "no request array")
		}
		raw = json.RawMessage(s)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, stend.Errorf(stend.Invalid, "fssp", "request must be an array: %v", err)
	}
	return items, nil
}

// addMultipart reads the fields of a multipart form (curl -F, PHP clients);
// files are not parameters and are skipped. The body is already bounded.
func (p params) addMultipart(body []byte, boundary string) error {
	if boundary == "" {
		return stend.Errorf(stend.Invalid, "fssp", "multipart body without a boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return stend.Errorf(stend.Invalid, "fssp", "multipart body: %v", err)
		}
		if part.FileName() != "" || part.FormName() == "" {
			continue
		}
		v, err := io.ReadAll(part)
		if err != nil {
			return stend.Errorf(stend.Invalid, "fssp", "multipart body: %v", err)
		}
		p.values[part.FormName()] = string(v)
	}
}
