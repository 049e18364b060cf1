package job

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"stend"
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

// leaselessQueue fails every lease renewal; nothing else of the queue is
// used by renew.
type leaselessQueue struct{ stend.JobQueue }

func (leaselessQueue) ExtendJobLeases(context.Context, string, []int64, time.Time) error {
	return errors.New("the database is away")
}

type fixedClock struct{ now time.Time }

func (c *fixedClock) Now() time.Time { return c.now }

// Renewals failing for two thirds of a lease cancel the jobs running here
// and forget them, since another runner may reclaim them soon; before
// that, they run on.
func TestUnrenewedLeasesCancelTheRunningJobs(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := &fixedClock{now: start}
	r := New(leaselessQueue{}, clock, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Lease: 30 * time.Second})
	r.inflight, r.renewed = map[int64]*inflightRun{}, start
	first, _ := r.track(context.Background(), 1)
	second, _ := r.track(context.Background(), 2)
	clock.now = start.Add(20 * time.Second)
	r.renew(context.Background())
	if first.Err() != nil || second.Err() != nil || r.inflightCount() != 2 {
		t.Fatalf("cancelled within two thirds of the lease: %v %v, %d running", first.Err(), second.Err(), r.inflightCount())
	}
	clock.now = start.Add(21 * time.Second)
	r.renew(context.Background())
	if first.Err() == nil || second.Err() == nil || r.inflightCount() != 0 {
		t.Fatalf("running on past two thirds of the lease unrenewed: %v %v, %d running", first.Err(), second.Err(), r.inflightCount())
	}
}
