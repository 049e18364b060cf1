package httpx

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// AppendJSONString writes encoding/json's bytes (without HTML escaping, as
// every answer of the stand): every ASCII byte, the runes encoding/json
// treats apart, invalid UTF-8, and ordinary text.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	var cases []string
	for c := range utf8.RuneSelf {
		cases = append(cases, "a"+string(rune(c))+"b")
	}
	cases = append(cases, "", "Первая цель", "\u2028\u2029", "x\xffy", "\xe2\x80", "<br>&amp;", strings.Repeat("ж\"\\", 50), "🎯 цель\t№1")
	for _, s := range cases {
		want, err := MarshalJSON(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}
