package http

import (
	"testing"
	"time"

	"stend/httpx"
	"stend/reestro"
)

// The hand-written listing answer is byte for byte what encoding/json
// writes for checksAnswer, for every kind of text a client may have sent.
func TestListingAnswerIsWhatEncodingJSONWrites(t *testing.T) {
	at := time.Date(2011, 1, 1, 15, 3, 1, 12345000, time.FixedZone("MSK", 3*3600))
	texts := []string{"", "fc88aa01-c2f2-4498", `quote"back\slash`, "группа_1", "tab\there", "line\u2028sep\u2029",
		"bad\xffutf8", "<br>&amp;", "ctl\x01\x1f"}
	for n := range 4 {
		var checks []reestro.Check
		for i := range n * 3 {
			c := reestro.Check{
				ID: "7720902d-b025-4d9b-92a1-288a61e0000" + string(rune('0'+i%10)), CorrelationID: texts[i%len(texts)],
				ExternalID: texts[(i+3)%len(texts)], Type: reestro.CheckFssp, State: reestro.CheckState(1 + i%3),
				CreatedAt: at.Add(time.Duration(i) * time.Hour), SubjectID: "3f813a2f-958b-499b-90c7-a038d98955c0",
				Regions: []string{"54", "77"}[:i%3%2+1],
			}
			if i == 4 {
				c.Regions = nil
			}
			checks = append(checks, c)
		}
		want := checksAnswer{Items: []checkItem{}}
		for _, c := range checks {
			want.Items = append(want.Items, itemOf(c, false))
		}
		if len(checks) > 0 {
			want.LastCheckID = checks[len(checks)-1].ID
		}
		wantJSON, err := httpx.MarshalJSON(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendChecksAnswer(nil, checks); string(got) != string(wantJSON) {
			t.Fatalf("%d checks:\n got %s\nwant %s", len(checks), got, wantJSON)
		}
	}
}
