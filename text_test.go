package stend

import "testing"

func TestStorableText(t *testing.T) {
	for s, want := range map[string]bool{
		"":              true,
		"Иванов":        true,
		"a b\tc\n":      true,
		"\x00":          false,
		"a\x00b":        false,
		"\xff":          false,
		"Ив\xd0":        false,
		"\xed\xa0\x80":  false, // a surrogate half, which UTF-8 may not encode
		"\U0001F600 ok": true,
	} {
		if got := StorableText(s); got != want {
			t.Errorf("StorableText(%q) = %v, want %v", s, got, want)
		}
	}
}
