package http

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"stend/httpx"
)

// The hand-written goal answers must be encoding/json's bytes (without
// HTML escaping, as every answer of the stand): every ASCII byte, the
// runes encoding/json treats apart, invalid UTF-8, and ordinary text.
func TestGoalJSONMatchesEncodingJSON(t *testing.T) {
	var cases []string
	for c := range utf8.RuneSelf {
		cases = append(cases, "a"+string(rune(c))+"b")
	}
	cases = append(cases, "", "Первая цель", "\u2028\u2029", "x\xffy", "\xe2\x80", "<br>&amp;", strings.Repeat("ж\"\\", 50), "🎯 цель\t№1")
	for _, s := range cases {
		want, err := httpx.MarshalJSON(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
	ps := []problem{{msgRequired, "keyResults.0.title"}, {`"quoted"`, "a\nb"}}
	want, _ := httpx.MarshalJSON(ps)
	if got := appendProblems(nil, ps); string(got) != string(want) {
		t.Errorf("problems: got %s, want %s", got, want)
	}
	for _, zone := range []string{"Europe/Moscow", "UTC", "America/St_Johns", "Asia/Kathmandu", "Europe/Berlin"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		for _, at := range []time.Time{time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 23, 59, 59, 999, time.UTC),
			time.Date(1999, 3, 28, 1, 30, 7, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 0, 0, 0, 0, loc)} {
			if got, want := string(appendDateTime(nil, at, loc)), at.In(loc).Format(dateTimeLayout); got != want {
				t.Errorf("%s %v: got %s, want %s", zone, at, got, want)
			}
		}
	}
	if got := appendProblems(nil, nil); string(got) != "null" {
		t.Errorf("no problems: %s", got)
	}
}
