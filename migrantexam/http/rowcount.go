package http

import (
	"bytes"
	"encoding/json"
)

// countRows returns the number of elements of the body's top-level
// "requests" array (the largest, if the key repeats; keys match
// case-insensitively), without decoding anything. Decoding first would
// allocate for every element before the row limit could be checked: a
// 16 MiB body of "[{},{},…]" costs gigabytes. On malformed JSON the count is
// meaningless; callers confirm with json.Valid before acting on it.
func countRows(b []byte) int {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0
	}
	i++
	most := 0
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return most
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] != '"' {
			return most
		}
		end := skipString(b, i)
		if end < 0 {
			return most
		}
		key := b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			if json.Unmarshal(b[i:end], &k) == nil {
				key = []byte(k)
			}
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return most
		}
		i = skipSpace(b, i+1)
		if bytes.EqualFold(key, []byte("requests")) && i < len(b) && b[i] == '[' {
			n, next := countElements(b, i)
			most = max(most, n)
			i = next
		} else {
			i = skipValue(b, i)
		}
		if i < 0 {
			return most
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"',
// or -1 when it does not end.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		_, next := countElements(b, i)
		return next
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}

// countElements counts the members of the array or object starting at b[i]
// and returns the index after it (-1 when it does not end).
func countElements(b []byte, i int) (int, int) {
	depth, commas, empty := 0, 0, true
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			next := skipString(b, i)
			if next < 0 {
				return commas + 1, -1
			}
			i = next - 1
			if depth == 1 {
				empty = false
			}
		case '{', '[':
			if depth == 1 {
				empty = false
			}
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				if empty {
					return 0, i + 1
				}
				return commas + 1, i + 1
			}
		case ',':
			if depth == 1 {
				commas++
			}
		case ' ', '\t', '\n', '\r':
		default:
			if depth == 1 {
				empty = false
			}
		}
	}
	return commas + 1, -1
}
