package http_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"stend/store/sqlstore"
)

// TestClockMovedPastTheRetentionPurgesTasks: an operator moves the stand's
// clock 25 hours; when the call answers, the task is gone from the store,
// with no sleep and no wait for the sweeper's next tick.
func TestClockMovedPastTheRetentionPurgesTasks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		task := s.submit("search/ip", "token", alpha, "number", "6860/12/61/66")
		s.wait(task)
		stored := func() int {
			var n int
			if err := s.store.ReadDB().QueryRowContext(context.Background(), `SELECT count(*) FROM fssp_tasks`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := stored(); n != 1 {
			t.Fatalf("%d tasks stored before the move, want 1", n)
		}
		a := s.operator("POST", "/operator/v1/clock/advance", "application/json", `{"by":"25h"}`)
		if a.status != http.StatusOK {
			t.Fatalf("advance: %d %s", a.status, a.body)
		}
		var c struct{ Offset string }
		decodeInto(t, a, &c)
		if c.Offset != "25h0m0s" {
			t.Fatalf("offset after the move: %q", c.Offset)
		}
		if n := stored(); n != 0 {
			t.Fatalf("%d tasks stored after the clock moved 25 h, want 0", n)
		}
		expect(t, s.get("result", "token", alpha, "task", task), http.StatusNotFound, taskNotFound)
		// The clock only moves forward, and is read back as every node sees it.
		if a := s.operatorMalformed("POST", "/operator/v1/clock/advance", "application/json", `{"by":"-1h"}`); a.status != http.StatusBadRequest {
			t.Fatalf("moving back: %d %s", a.status, a.body)
		}
		if a := s.operator("GET", "/operator/v1/clock", "", ""); a.status != http.StatusOK || !strings.Contains(a.body, `"offset":"25h0m0s"`) {
			t.Fatalf("read: %d %s", a.status, a.body)
		}
	})
}

// TestClockMovedPastATokensYear: a token is valid for a year from its
// issue on the stand's clock; moved past it, the token is refused.
func TestClockMovedPastATokensYear(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		s.wait(s.submit("search/ip", "token", alpha, "number", "6860/12/61/66"))
		expires := s.tokens[alpha].ExpiresAt
		by := expires.Sub(s.stand.Clock.Now()) + time.Second
		if a := s.operator("POST", "/operator/v1/clock/advance", "application/json", `{"by":"`+by.String()+`"}`); a.status != http.StatusOK {
			t.Fatalf("advance: %d %s", a.status, a.body)
		}
		expect(t, s.get("search/ip", "token", alpha, "number", "6860/12/61/66"), http.StatusUnauthorized, invalidToken)
	})
}
