package operator

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"stend"
)

// storable refuses what an operator asks for when any text in it cannot be
// stored (not UTF-8, or with NUL): PostgreSQL refuses such text where SQLite
// keeps it, so the three operator surfaces (commands, HTTP API, seed)
// refuse it on every store alike, naming the field. in is an input value:
// a struct (fields named as in JSON), a map of named values, a string.
// Texts that are only hashed (passwords, keys, tokens) are refused too: no
// client could send them back (HTTP headers hold no NUL).
func storable(op string, in any) error {
	if path, bad := unstorable(reflect.ValueOf(in), ""); bad {
		if path == "" {
			return stend.Errorf(stend.Invalid, op, "text must be UTF-8 without U+0000")
		}
		return stend.Errorf(stend.Invalid, op, "%s: text must be UTF-8 without U+0000", path)
	}
	return nil
}

// unstorable finds the first text in v that cannot be stored, and its path
// under path.
func unstorable(v reflect.Value, path string) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return path, !stend.StorableText(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return unstorable(v.Elem(), path)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if p, bad := unstorable(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); bad {
				return p, true
			}
		}
	case reflect.Map:
		// In key order, so that the same input names the same field.
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		for _, k := range keys {
			if _, bad := unstorable(k, path); bad {
				return field(path, "(a key)"), true
			}
			name := field(path, fmt.Sprint(k))
			if p, bad := unstorable(v.MapIndex(k), name); bad {
				return p, true
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := path
			if !f.Anonymous {
				name = field(path, jsonName(f))
			}
			if p, bad := unstorable(v.Field(i), name); bad {
				return p, true
			}
		}
	}
	return "", false
}

func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonName is the name a struct field has in JSON, where operators write it.
func jsonName(f reflect.StructField) string {
	if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
		return name
	}
	return f.Name
}
