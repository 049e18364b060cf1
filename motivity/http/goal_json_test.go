package http

import (
	"testing"
	"time"

	"stend/httpx"
)

// The hand-written goal answers must be encoding/json's bytes (without
// HTML escaping, as every answer of the stand): the errors, and instants in
// zones with odd offsets (strings: httpx's TestAppendJSONStringMatchesEncodingJSON).
func TestGoalJSONMatchesEncodingJSON(t *testing.T) {
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
