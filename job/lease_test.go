package job_test

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/job"
	"stend/stendtest"
	"stend/store/storetest"
)

// TestStoppedJobIsReleasedNotCounted: stopping the runner cancels a running
// job, which goes back to the queue without using up its only attempt.
func TestStoppedJobIsReleasedNotCounted(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		started := make(chan struct{})
		released := make(chan stend.JobState, 1)
		r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 1,
			Recorded: func(j stend.Job, s stend.JobState) { released <- s }})
		r.Handle("slow", func(ctx context.Context, j stend.Job) error {
			close(started)
			<-ctx.Done()
			return ctx.Err()
		})
		id, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "slow", MaxAttempts: 1})
		stop := runFor(t, r)
		<-started
		stop()
		if s := <-released; s != stend.JobAvailable {
			t.Fatalf("recorded %s", s)
		}
		j := hasState(t, db, id, stend.JobAvailable)
		if j.Attempt != 0 || j.LockedBy != "" {
			t.Fatalf("released job: %+v", j)
		}
	})
}

// TestLongJobKeepsItsLease: a job running for several lease periods is
// renewed, so a second runner never takes it over.
func TestLongJobKeepsItsLease(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		a, reopen := storetest.Reopenable(t, name)
		b := reopen()
		var runs atomic.Int32
		finished := make(chan stend.JobState, 2)
		// Renewal every third of a lease leaves two thirds of slack for a
		// slow, loaded CI machine.
		cfg := job.Config{Workers: 1, Lease: time.Second, Poll: 20 * time.Millisecond,
			Recorded: func(j stend.Job, s stend.JobState) { finished <- s }}
		handler := func(ctx context.Context, j stend.Job) error {
			runs.Add(1)
			select {
			case <-time.After(3 * time.Second): // three leases
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		ra, rb := job.New(a, stend.SystemClock{}, quiet, cfg), job.New(b, stend.SystemClock{}, quiet, cfg)
		ra.Handle("long", handler)
		rb.Handle("long", handler)
		id, _ := a.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "long"})
		runFor(t, ra)
		runFor(t, rb)
		if s := <-finished; s != stend.JobCompleted {
			t.Fatalf("outcome %s", s)
		}
		hasState(t, a, id, stend.JobCompleted)
		if n := runs.Load(); n != 1 {
			t.Fatalf("the long job ran %d times", n)
		}
	})
}

// failingCompletions is a queue whose completions always fail, as when the
// database is unreachable at that moment. It claims twice at most: enough
// to lose a job's outcome again after its lease lapsed once, while a runner
// that could claim the job at every poll would race the other for it for
// as long as the dice say.
type failingCompletions struct {
	stend.JobQueue
	claims *atomic.Int32
}

func (failingCompletions) CompleteJob(context.Context, int64, string, time.Time) error {
	return errors.New("connection reset")
}

func (f failingCompletions) ClaimJobs(ctx context.Context, worker string, want map[string]int, now, lockedUntil time.Time) ([]stend.Job, error) {
	if f.claims.Load() >= 2 {
		return nil, nil
	}
	jobs, err := f.JobQueue.ClaimJobs(ctx, worker, want, now, lockedUntil)
	if len(jobs) > 0 {
		f.claims.Add(1)
	}
	return jobs, err
}

// TestUnrecordedOutcomeLapses: a job whose completion cannot be written is
// not renewed for ever; its lease lapses and another runner runs it.
func TestUnrecordedOutcomeLapses(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		a, reopen := storetest.Reopenable(t, name)
		b := reopen()
		completed := make(chan int64, 1)
		cfg := job.Config{Workers: 1, Lease: 300 * time.Millisecond, Poll: 20 * time.Millisecond}
		ra := job.New(failingCompletions{a, new(atomic.Int32)}, stend.SystemClock{}, quiet, cfg)
		ra.Handle("x", func(context.Context, stend.Job) error { return nil })
		cfg.Recorded = func(j stend.Job, s stend.JobState) {
			if s == stend.JobCompleted {
				completed <- j.ID
			}
		}
		rb := job.New(b, stend.SystemClock{}, quiet, cfg)
		rb.Handle("x", func(context.Context, stend.Job) error { return nil })
		id, _ := a.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "x"})
		runFor(t, ra)
		// Only once A has claimed the job does B start looking.
		for {
			j, _ := a.Job(context.Background(), id)
			if j.State == stend.JobRunning {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		runFor(t, rb)
		select {
		case got := <-completed:
			if got != id {
				t.Fatalf("completed %d", got)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the job stayed stuck with the runner that could not record it")
		}
		// A may claim it again and fail again before B gets it: at least
		// one attempt more than the one whose outcome was lost.
		j := hasState(t, b, id, stend.JobCompleted)
		if j.Attempt < 2 {
			t.Fatalf("attempt %d, want at least 2", j.Attempt)
		}
	})
}

// TestReclaimDiscardsALastAttempt: a job whose worker died on its last
// attempt is discarded, not retried, so a job that crashes its process
// cannot crash every process after it.
func TestReclaimDiscardsALastAttempt(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		clock := stendtest.NewManualClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		db, _ := storetest.Reopenable(t, name)
		last, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: clock.Now(), Kind: "x", MaxAttempts: 1})
		more, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: clock.Now(), Kind: "x", MaxAttempts: 2})
		if jobs, err := db.ClaimJobs(context.Background(), "dead", map[string]int{"x": 2}, clock.Now(), clock.Now().Add(time.Second)); err != nil || len(jobs) != 2 {
			t.Fatalf("claim: %d %v", len(jobs), err)
		}
		if n, err := db.ReclaimExpiredJobs(context.Background(), clock.Now().Add(2*time.Second)); err != nil || n != 2 {
			t.Fatalf("reclaimed %d %v", n, err)
		}
		j := hasState(t, db, last, stend.JobDiscarded)
		if j.LastError != "the worker stopped during the last attempt" {
			t.Fatalf("last error %q", j.LastError)
		}
		hasState(t, db, more, stend.JobAvailable)
	})
}

// TestOtherNodesAreWokenOnCommit (PostgreSQL): a job enqueued through one
// node is picked up by a runner on another node at once, through LISTEN,
// although that runner's poll is an hour away.
func TestOtherNodesAreWokenOnCommit(t *testing.T) {
	t.Parallel()
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Log("PostgreSQL only: set " + storetest.PostgresEnv)
		return
	}
	a, reopen := storetest.Reopenable(t, "postgres")
	b := reopen()
	done := make(chan int64, 1)
	r := job.New(b, stend.SystemClock{}, quiet, job.Config{Workers: 1, Poll: time.Hour,
		Recorded: func(j stend.Job, s stend.JobState) { done <- j.ID }})
	r.Handle("x", func(context.Context, stend.Job) error { return nil })
	runFor(t, r)
	// The runner's first claim (at start) finds nothing; from then on only a
	// notification can wake it before the hour is up.
	time.Sleep(200 * time.Millisecond)
	id, err := a.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "x"})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		if got != id {
			t.Fatalf("ran %d, want %d", got, id)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the other node's runner was not woken")
	}
}
