package motivity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// strictUnmarshal decodes an answer into v, refusing what encoding/json
// lets pass: a field the type does not have (unless lenient), a field the
// type has but the answer lacks (every field is required unless its tag
// says omitempty), and null where the type holds no null (a non-pointer
// field; a slice unless tagged `null:"ok"`). The API's answers are closed
// objects with every field always sent, so any of these means the server
// and the documents disagree, and a zero value passed on as an answer
// would hide it.
func strictUnmarshal(data []byte, v any, lenient bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if !lenient {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the answer")
	}
	return checkPresent(data, reflect.TypeOf(v).Elem(), "answer")
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func checkPresent(raw json.RawMessage, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		if isNull(raw) {
			return nil
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) && t != reflect.TypeFor[json.RawMessage]() {
		return nil // checks itself
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			return fmt.Errorf("%s: not an object", path)
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && name == "" {
				// Embedded: its fields are the object's own, as
				// encoding/json reads them.
				if err := checkPresent(raw, f.Type, path); err != nil {
					return err
				}
				continue
			}
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			v, ok := obj[name]
			if !ok {
				if strings.Contains(opts, "omitempty") {
					continue
				}
				return fmt.Errorf("%s: no %q", path, name)
			}
			if isNull(v) {
				switch f.Type.Kind() {
				case reflect.Pointer, reflect.Interface:
					continue
				case reflect.Slice, reflect.Map:
					if f.Tag.Get("null") == "ok" || f.Type == reflect.TypeFor[json.RawMessage]() {
						continue
					}
				}
				return fmt.Errorf("%s: %q is null", path, name)
			}
			if err := checkPresent(v, f.Type, path+"."+name); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 || isNull(raw) {
			return nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return fmt.Errorf("%s: not an array", path)
		}
		for i, it := range items {
			if isNull(it) && t.Elem().Kind() != reflect.Pointer {
				return fmt.Errorf("%s[%d] is null", path, i)
			}
			if err := checkPresent(it, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("%s: not an object", path)
		}
		for k, v := range m {
			if isNull(v) && t.Elem().Kind() != reflect.Pointer {
				return fmt.Errorf("%s.%s is null", path, k)
			}
			if err := checkPresent(v, t.Elem(), path+"."+k); err != nil {
				return err
			}
		}
	}
	return nil
}

// flag is the badges' "1"/"0": the document's sample quotes them, its text
// says boolean; a JSON boolean or a bare 0/1 is taken too.
type flag bool

func (f *flag) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case `"1"`, `1`, `true`:
		*f = true
	case `"0"`, `0`, `false`:
		*f = false
	default:
		return fmt.Errorf("want \"0\" or \"1\", got %s", b)
	}
	return nil
}

// quotedInt is an integer the API sends as a string ("1"), or as a number.
type quotedInt int64

func (q *quotedInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %s", b)
	}
	*q = quotedInt(n)
	return nil
}
