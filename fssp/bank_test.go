package fssp

import "testing"

func TestNormalizeName(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Иванов":             "ИВАНОВ",
		"  ёлкин  пётр ":     "ЕЛКИН ПЕТР",
		"ЁЛКИН":              "ЕЛКИН",
		"Римский - Корсаков": "РИМСКИЙ-КОРСАКОВ",
		"римский–корсаков":   "РИМСКИЙ-КОРСАКОВ",
		"ООО «Ромашка»":      `ООО "РОМАШКА"`,
		`ООО "РОМАШКА"`:      `ООО "РОМАШКА"`,
		"ИВАНОВ":             "ИВАНОВ",
		"ИВАНОВ  ИВАН":       "ИВАНОВ ИВАН",
		"ИВАНОВ ":            "ИВАНОВ",
		"ИВАНОВ -ПЕТРОВ":     "ИВАНОВ-ПЕТРОВ",
		"ИВАНОВ- ПЕТРОВ":     "ИВАНОВ-ПЕТРОВ",
		"Smith":              "SMITH",
		"620000, РОССИЯ, Г. ЕКАТЕРИНБУРГ": "620000, РОССИЯ, Г. ЕКАТЕРИНБУРГ",
		"": "",
	}
	for in, want := range cases {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
		if got := NormalizeName(want); got != want {
			t.Errorf("NormalizeName(%q) is not idempotent: %q", want, got)
		}
	}
}

func TestKeysIgnoreSpelling(t *testing.T) {
	t.Parallel()
	if PersonKey(66, "Ёлкин", "пётр") != PersonKey(66, "ЕЛКИН", "ПЕТР") {
		t.Error("person key depends on case or ё")
	}
	if PersonKey(66, "ЕЛКИН", "ПЕТР") == PersonKey(77, "ЕЛКИН", "ПЕТР") {
		t.Error("person key ignores the region")
	}
	if NumberKey(6860, 12, 66, 61) == NumberKey(6860, 12, 66, 62) {
		t.Error("number key ignores the department")
	}
}

// FuzzNormalizeFastPath: whatever isNormal lets through unchanged, the full
// normalization would have left unchanged too.
func FuzzNormalizeFastPath(f *testing.F) {
	for _, s := range []string{"ИВАНОВ", "ИВАНОВ ИВАН", `ООО "РОМАШКА"`, "РИМСКИЙ-КОРСАКОВ", " А", "А ", "А  Б", "А -Б", "Ёлка", "abc", "1, 2", "\tА", "А\u00a0Б"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isNormal(s) && normalizeSlow(s) != s {
			t.Fatalf("isNormal(%q) but it normalizes to %q", s, normalizeSlow(s))
		}
		n := NormalizeName(s)
		if NormalizeName(n) != n {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, NormalizeName(n))
		}
	})
}
