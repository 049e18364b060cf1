package job

import (
	"context"
	"testing"
)

// A job given back to the queue by a run can be claimed here again before
// that run returns: the run's end cancels its own context, not the next
// run's, which registered under the same id meanwhile (the next run failed
// its attempt with "context canceled" in CI's race pass, where the outcome's
// write and the run's return were far apart).
func TestUntrackLeavesTheNextRunOfAJob(t *testing.T) {
	r := &Runner{inflight: map[int64]*inflightRun{}}
	endingCtx, ending := r.track(context.Background(), 7)
	nextCtx, next := r.track(context.Background(), 7)
	r.untrack(7, ending)
	if endingCtx.Err() == nil {
		t.Fatal("the run that ended kept its context")
	}
	if err := nextCtx.Err(); err != nil {
		t.Fatalf("the job's next run was cancelled with the one before it: %v", err)
	}
	if n := r.inflightCount(); n != 1 {
		t.Fatalf("%d runs registered, want the next one (its lease is renewed while it runs)", n)
	}
	r.untrack(7, next)
	if nextCtx.Err() == nil {
		t.Fatal("the next run kept its context after it ended")
	}
	if n := r.inflightCount(); n != 0 {
		t.Fatalf("%d runs registered after both ended", n)
	}
}
