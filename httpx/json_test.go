package httpx

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// AppendJSONString writes encoding/json's bytes (without HTML escaping, as
// every answer of the stand), from a string or from bytes: every ASCII
// byte, the runes encoding/json treats apart, invalid UTF-8, and ordinary
// text.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	var cases []string
	for c := range utf8.RuneSelf {
		cases = append(cases, "a"+string(rune(c))+"b")
	}
	cases = append(cases, "", "Первая цель", "\u2028\u2029", "x\xffy", "\xe2\x80", "<br>&amp;", strings.Repeat("ж\"\\", 50), "🎯 цель\t№1",
		"\xd0", "я\xd0", "\xd0a", "\xc0\x80", "\xc1\xbf", "\xc2\x80", "\xdf\xbf", "\xd0\xd0\x96", "\xe0\xa0\x80")
	for _, s := range cases {
		matchesEncodingJSON(t, s)
	}
}

func matchesEncodingJSON(t *testing.T, s string) {
	t.Helper()
	want, err := MarshalJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	if got := AppendJSONString(nil, s); string(got) != string(want) {
		t.Errorf("%q: got %s, want %s", s, got, want)
	}
	if got := AppendJSONString(nil, []byte(s)); string(got) != string(want) {
		t.Errorf("%q as bytes: got %s, want %s", s, got, want)
	}
}

// FuzzAppendJSONString holds AppendJSONString to encoding/json's bytes for
// any input, valid UTF-8 or not.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "Первая цель", "x\xffy", "\xd0", "\xc1\xbf", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(matchesEncodingJSON)
}

// A result's typical text: Cyrillic with ASCII digits and punctuation.
func BenchmarkAppendJSONString(b *testing.B) {
	s := "УПРАВЛЕНИЕ ФЕДЕРАЛЬНОЙ СЛУЖБЫ СУДЕБНЫХ ПРИСТАВОВ ПО Г. МОСКВЕ, 125047, Г. МОСКВА, УЛ. БУТЫРСКИЙ ВАЛ, Д. 5"
	buf := make([]byte, 0, 4*len(s))
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = AppendJSONString(buf[:0], s)
	}
}
