package stand_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"stend/fault"
	"stend/fssp"
	"stend/operator"
	"stend/stand"
)

// A test as an integrator writes it: a stand started in the test, its FSSP
// API called over HTTP, a fault asked for, the journal asserted on, a
// snapshot taken, the clock moved past the 24 hours a task is kept, the
// snapshot restored, and the stand reset to its seed; on SQLite, and on
// PostgreSQL when STEND_TEST_DATABASE_URL names one.
func TestStand(t *testing.T) {
	t.Parallel()
	for name, dsn := range map[string]string{"sqlite": "", "postgres": os.Getenv("STEND_TEST_DATABASE_URL")} {
		if name == "postgres" && dsn == "" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var seed operator.Seed
			seed.FSSP.Tokens = []operator.NewFSSPToken{{Name: "it", Token: "it-token", Limits: &fssp.Limits{}}}
			s := stand.Start(t, stand.Options{Seed: &seed, DatabaseURL: dsn})
			get := func(path string, q url.Values) (int, string) {
				t.Helper()
				q.Set("token", "it-token")
				resp, err := http.Get(s.URL + path + "?" + q.Encode())
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			_, body := get("/api/v1.0/search/physical", url.Values{"region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}})
			var submitted struct{ Response struct{ Task string } }
			if json.Unmarshal([]byte(body), &submitted) != nil || submitted.Response.Task == "" {
				t.Fatalf("search: %s", body)
			}
			task := url.Values{"task": {submitted.Response.Task}}
			s.Faults().Add(t, fault.Rule{Name: "busy", API: "fssp", Path: "/api/v1.0/status", Status: 429, RetryAfterS: 1, Times: 1})
			if code, _ := get("/api/v1.0/status", task); code != 429 {
				t.Fatalf("the fault: %d", code)
			}
			// As a client waits: asking for the status until the task is done.
			for i := 0; ; i++ {
				_, body := get("/api/v1.0/status", task)
				if strings.Contains(body, `"status":0`) {
					break
				}
				if i == 1000 {
					t.Fatalf("the task never finished: %s", body)
				}
				time.Sleep(10 * time.Millisecond)
			}
			if n := s.Journal().Count(t, operator.JournalQuery{API: "fssp", Status: 429}); n != 1 {
				t.Fatalf("journalled 429s: %d", n)
			}
			// A snapshot keeps the finished task; the clock moved past its
			// 24 hours purges it; given real time again and restored, the
			// stand holds it again.
			s.Snapshot(t, "one search")
			s.Clock().Advance(t, 25*time.Hour)
			if code, body := get("/api/v1.0/result", task); code != 404 {
				t.Fatalf("a task past its 24 hours: %d %s", code, body)
			}
			s.Clock().Release(t)
			s.Restore(t, "one search")
			if code, body := get("/api/v1.0/result", task); code != 200 || !strings.Contains(body, `"status":"success"`) {
				t.Fatalf("the task after the restore: %d %s", code, body)
			}
			// A reset, as a suite does before each test: the seed's state
			// (its token, no task), an empty journal, no fault rule.
			s.Faults().Add(t, fault.Rule{Name: "down", API: "fssp", Path: "/api/v1.0/result", Status: 503})
			s.Reset(t)
			if code, body := get("/api/v1.0/result", task); code != 404 {
				t.Fatalf("the task after the reset: %d %s", code, body)
			}
			if code, body := get("/api/v1.0/search/physical", url.Values{"region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}); code != 200 {
				t.Fatalf("the seed's token after the reset: %d %s", code, body)
			}
			if n := s.Journal().Count(t, operator.JournalQuery{API: "fssp", Status: 429}); n != 0 {
				t.Fatalf("the journal after the reset: %d", n)
			}
			s.Journal().Clear(t)
			if n := s.Journal().Count(t, operator.JournalQuery{}); n != 0 {
				t.Fatalf("journal after clearing: %d", n)
			}
		})
	}
}
