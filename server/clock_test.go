package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"stend"
	"stend/stendtest"
	"stend/store/storetest"
)

// TestClockMovesOnEveryNode: a move made through one node reaches another
// node on the same database by its own reading of the offset, and runs
// that node's hooks (its purges, deadlines and job runner) there too.
func TestClockMovesOnEveryNode(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		a := stendtest.On(t, first, stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		b := stendtest.On(t, reopen(), stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		moved := make(chan struct{}, 1)
		b.Clock.OnMove(func(context.Context) {
			select {
			case moved <- struct{}{}:
			default:
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Clock.Follow(ctx, func(err error) { t.Error(err) })
		if ans := a.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"25h"}`); ans.Status != http.StatusOK {
			t.Fatalf("advance: %d %s", ans.Status, ans.Body)
		}
		if got := a.Clock.Now(); !got.Equal(stendtest.Now.Add(25 * time.Hour)) {
			t.Fatalf("the moving node's time: %v", got)
		}
		select {
		case <-moved:
		case <-time.After(10 * stend.FollowEvery):
			t.Fatal("the other node never learned of the move")
		}
		if got := b.Clock.Now(); !got.Equal(stendtest.Now.Add(25 * time.Hour)) {
			t.Fatalf("the other node's time: %v", got)
		}
	})
}

// TestClockMoveKeepsRunningJobsLeased: leases move with the clock, so a
// node that moves it (or any other node, on the moved clock) does not take
// over jobs that are running elsewhere; a lease still ends when its time
// runs out on the moved clock.
func TestClockMoveKeepsRunningJobsLeased(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		ctx := context.Background()
		now := s.Clock.Now()
		id, err := s.Store.EnqueueJob(ctx, stend.JobSpec{Kind: "elsewhere", At: now})
		if err != nil {
			t.Fatal(err)
		}
		if jobs, err := s.Store.ClaimJobs(ctx, "another-node", map[string]int{"elsewhere": 1}, now, now.Add(30*time.Second)); err != nil || len(jobs) != 1 {
			t.Fatalf("claim: %v %v", jobs, err)
		}
		if _, err := s.Clock.Advance(ctx, 25*time.Hour); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Store.ReclaimExpiredJobs(ctx, s.Clock.Now()); err != nil || n != 0 {
			t.Fatalf("right after the move %d jobs reclaimed (%v), want 0", n, err)
		}
		if n, err := s.Store.ReclaimExpiredJobs(ctx, s.Clock.Now().Add(31*time.Second)); err != nil || n != 1 {
			t.Fatalf("once the lease ran out on the moved clock %d jobs reclaimed (%v), want 1", n, err)
		}
		if j, err := s.Store.Job(ctx, id); err != nil || j.State != stend.JobAvailable {
			t.Fatalf("job after the lease ran out: %+v %v", j, err)
		}
	})
}

// TestClockSetBackAndReleasedOnEveryNode: an operator sets the clock back
// through one node, then releases it to real time; the other node follows
// both, although the offset goes down, and a malformed instant changes
// nothing.
func TestClockSetBackAndReleasedOnEveryNode(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		a := stendtest.On(t, first, stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		b := stendtest.On(t, reopen(), stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		ctx := context.Background()
		if ans := a.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"48h"}`); ans.Status != http.StatusOK {
			t.Fatalf("advance: %d %s", ans.Status, ans.Body)
		}
		back := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)
		if ans := a.Operator(http.MethodPost, "/operator/v1/clock/set", "application/json", `{"at":"2024-02-29T15:00:00+03:00"}`); ans.Status != http.StatusOK {
			t.Fatalf("set: %d %s", ans.Status, ans.Body)
		}
		if err := b.Clock.Refresh(ctx); err != nil || !a.Clock.Now().Equal(back) || !b.Clock.Now().Equal(back) {
			t.Fatalf("set back: %v and %v, %v", a.Clock.Now(), b.Clock.Now(), err)
		}
		if ans := operatorMalformed(a, http.MethodPost, "/operator/v1/clock/set", "application/json", `{"at":"yesterday"}`); ans.Status != http.StatusBadRequest {
			t.Fatalf("a malformed instant: %d %s", ans.Status, ans.Body)
		}
		if ans := a.Operator(http.MethodPost, "/operator/v1/clock/release", "", ""); ans.Status != http.StatusOK {
			t.Fatalf("release: %d %s", ans.Status, ans.Body)
		}
		if err := b.Clock.Refresh(ctx); err != nil || !a.Clock.Now().Equal(stendtest.Now) || !b.Clock.Now().Equal(stendtest.Now) || b.Clock.Offset() != 0 {
			t.Fatalf("released: %v and %v, %v", a.Clock.Now(), b.Clock.Now(), err)
		}
	})
}
