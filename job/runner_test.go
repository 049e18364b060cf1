package job_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/job"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// runFor runs r until the test ends and waits for it to stop.
func runFor(t *testing.T, r *job.Runner) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// counter records how often each job ran; ran receives a signal when a
// job's completion is recorded.
type counter struct {
	mu   sync.Mutex
	runs map[int64]int
	ran  chan int64
}

func newCounter(buffer int) *counter {
	return &counter{runs: map[int64]int{}, ran: make(chan int64, buffer)}
}

func (c *counter) handler(ctx context.Context, j stend.Job) error {
	c.mu.Lock()
	c.runs[j.ID]++
	c.mu.Unlock()
	return nil
}

func (c *counter) recorded(j stend.Job, state stend.JobState) {
	if state == stend.JobCompleted {
		c.ran <- j.ID
	}
}

func (c *counter) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for range n {
		select {
		case <-c.ran:
		case <-deadline:
			t.Fatalf("not all %d jobs ran", n)
		}
	}
}

func (c *counter) assertOnce(t *testing.T, ids []int64) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if c.runs[id] != 1 {
			t.Fatalf("job %d ran %d times", id, c.runs[id])
		}
	}
	if len(c.runs) != len(ids) {
		t.Fatalf("%d distinct jobs ran, want %d", len(c.runs), len(ids))
	}
}

func enqueue(t testing.TB, q stend.JobQueue, kind string, n int, at time.Time) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		id, err := q.EnqueueJob(context.Background(), stend.JobSpec{Kind: kind, Args: []byte(fmt.Sprintf(`{"n":%d}`, i)), At: at})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	return ids
}

func forEachStore(t *testing.T, fn func(t *testing.T, name string)) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, o.Name)
		})
	}
}

func TestCommittedJobsRunOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		c := newCounter(100)
		r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 4, Recorded: c.recorded})
		r.Handle("count", c.handler)
		runFor(t, r)
		ids := enqueue(t, db, "count", 50, time.Now())
		c.waitFor(t, 50)
		stopAndCheckCompleted(t, db, ids)
		c.assertOnce(t, ids)
	})
}

func stopAndCheckCompleted(t *testing.T, db stend.JobQueue, ids []int64) {
	t.Helper()
	for _, id := range ids {
		j, err := db.Job(context.Background(), id)
		if err != nil || j.State != stend.JobCompleted {
			t.Fatalf("job %d: %s %v", id, j.State, err)
		}
	}
}

func TestJobsSurviveRestartAndCrashedWorkers(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		clock := stendtest.NewManualClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		first, reopen := storetest.Reopenable(t, name)
		ids := enqueue(t, first, "count", 10, clock.Now())
		// A worker of the first process claimed three jobs and died with
		// them: no completion, no renewal.
		claimed, err := first.ClaimJobs(context.Background(), "dead-worker", map[string]int{"count": 3}, clock.Now(), clock.Now().Add(30*time.Second))
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim: %d %v", len(claimed), err)
		}
		first.Close()

		second := reopen()
		clock.Set(clock.Now().Add(31 * time.Second)) // the dead worker's lease is over
		c := newCounter(20)
		r := job.New(second, clock, quiet, job.Config{Workers: 4, Lease: 30 * time.Second, Recorded: c.recorded})
		r.Handle("count", c.handler)
		runFor(t, r)
		c.waitFor(t, 10)
		stopAndCheckCompleted(t, second, ids)
		c.assertOnce(t, ids)
		j, _ := second.Job(context.Background(), claimed[0].ID)
		if j.Attempt != 2 {
			t.Fatalf("reclaimed job attempt %d, want 2", j.Attempt)
		}
	})
}

func TestTwoRunnersNeverRunAJobTwice(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		a, reopen := storetest.Reopenable(t, name)
		b := reopen()
		const n = 400
		ids := enqueue(t, a, "count", n, time.Now())
		c := newCounter(n)
		for _, db := range []*sqlstore.DB{a, b} {
			r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 8, Recorded: c.recorded})
			r.Handle("count", c.handler)
			runFor(t, r)
		}
		c.waitFor(t, n)
		stopAndCheckCompleted(t, a, ids)
		c.assertOnce(t, ids)
	})
}

func TestFailedJobsRetryThenDiscard(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		var mu sync.Mutex
		attempts := map[string][]int{}
		final := make(chan int64, 16)
		handler := func(ctx context.Context, j stend.Job) error {
			mu.Lock()
			attempts[j.Kind] = append(attempts[j.Kind], j.Attempt)
			mu.Unlock()
			switch {
			case j.Kind == "flaky" && j.Attempt < 3:
				return errors.New("not yet")
			case j.Kind == "broken":
				panic("always")
			}
			return nil
		}
		r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 2, Backoff: func(int) time.Duration { return 0 },
			Recorded: func(j stend.Job, state stend.JobState) {
				if state != stend.JobAvailable {
					final <- j.ID
				}
			}})
		r.Handle("flaky", handler)
		r.Handle("broken", handler)
		flaky, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "flaky"})
		broken, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "broken", MaxAttempts: 2})
		orphan, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "nobody-handles-this", MaxAttempts: 1})
		runFor(t, r)
		for range 2 {
			select {
			case <-final:
			case <-time.After(30 * time.Second):
				t.Fatal("jobs did not finish")
			}
		}
		hasState(t, db, flaky, stend.JobCompleted)
		hasState(t, db, broken, stend.JobDiscarded)
		// A kind this runner has no handler for waits for a runner that
		// has one (a node of a newer version), its attempts untouched.
		if j := hasState(t, db, orphan, stend.JobAvailable); j.Attempt != 0 {
			t.Fatalf("orphan %+v", j)
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(attempts["flaky"], []int{1, 2, 3}) || !slices.Equal(attempts["broken"], []int{1, 2}) {
			t.Fatalf("attempts %v", attempts)
		}
		bj, _ := db.Job(context.Background(), broken)
		if bj.LastError != "panic: always" {
			t.Fatalf("broken error %q", bj.LastError)
		}
	})
}

func hasState(t *testing.T, db stend.JobQueue, id int64, want stend.JobState) stend.Job {
	t.Helper()
	j, err := db.Job(context.Background(), id)
	if err != nil || j.State != want {
		t.Fatalf("job %d is %s (%v), want %s", id, j.State, err, want)
	}
	return j
}

func TestFinishedJobsArePruned(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		clock := stendtest.NewManualClock(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
		db, _ := storetest.Reopenable(t, name)
		ids := enqueue(t, db, "x", 2, clock.Now())
		jobs, _ := db.ClaimJobs(context.Background(), "w", map[string]int{"x": 2}, clock.Now(), clock.Now().Add(time.Minute))
		if len(jobs) != 2 {
			t.Fatalf("claimed %d", len(jobs))
		}
		if err := db.CompleteJob(context.Background(), ids[0], "w", clock.Now()); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteJob(context.Background(), ids[1], "other", clock.Now()); !errors.Is(err, stend.ErrJobLost) {
			t.Fatalf("completing another worker's job: %v", err)
		}
		if n, err := db.PruneJobs(context.Background(), clock.Now().Add(time.Second)); err != nil || n != 1 {
			t.Fatalf("pruned %d %v", n, err)
		}
		if _, err := db.Job(context.Background(), ids[0]); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("pruned job: %v", err)
		}
		if j, err := db.Job(context.Background(), ids[1]); err != nil || j.State != stend.JobRunning {
			t.Fatalf("running job pruned: %+v %v", j, err)
		}
	})
}

// A handler that asks for a later retry gets it, even when the backoff
// would retry sooner; a shorter ask does not shorten the backoff.
func TestRetryAfterDelaysTheNextAttempt(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		clock := stendtest.NewManualClock(start)
		recorded := make(chan stend.Job, 4)
		r := job.New(db, clock, quiet, job.Config{Workers: 1, Backoff: func(int) time.Duration { return 5 * time.Second },
			Recorded: func(j stend.Job, _ stend.JobState) { recorded <- j }})
		r.Handle("limited", func(ctx context.Context, j stend.Job) error {
			return job.RetryAfter(errors.New("429"), time.Minute)
		})
		r.Handle("eager", func(ctx context.Context, j stend.Job) error {
			return job.RetryAfter(errors.New("429"), time.Millisecond)
		})
		limited, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: clock.Now(), Kind: "limited", RunAt: start})
		eager, _ := db.EnqueueJob(context.Background(), stend.JobSpec{At: clock.Now(), Kind: "eager", RunAt: start})
		runFor(t, r)
		for range 2 {
			select {
			case <-recorded:
			case <-time.After(30 * time.Second):
				t.Fatal("jobs did not run")
			}
		}
		if j := hasState(t, db, limited, stend.JobAvailable); !j.RunAt.Equal(start.Add(time.Minute)) || j.LastError != "429" {
			t.Fatalf("limited job runs again at %v (%q), want a minute later", j.RunAt, j.LastError)
		}
		if j := hasState(t, db, eager, stend.JobAvailable); !j.RunAt.Equal(start.Add(5 * time.Second)) {
			t.Fatalf("eager job runs again at %v, want after the backoff", j.RunAt)
		}
	})
}

// A kind whose workers are all busy does not hold back another kind: the
// Reestro check jobs of a burst once waited for FSSP search jobs queued
// behind them in one shared pool.
func TestEachKindHasItsOwnWorkers(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		release := make(chan struct{})
		started := make(chan struct{}, 8)
		quick := make(chan int64, 1)
		finished := make(chan int64, 6)
		r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 4, Kinds: map[string]int{"waits": 2},
			Recorded: func(j stend.Job, state stend.JobState) {
				switch {
				case state != stend.JobCompleted:
				case j.Kind == "quick":
					quick <- j.ID
				default:
					finished <- j.ID
				}
			}})
		r.Handle("waits", func(ctx context.Context, j stend.Job) error {
			started <- struct{}{}
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		r.Handle("quick", func(context.Context, stend.Job) error { return nil })
		waiting := enqueue(t, db, "waits", 6, time.Now())
		runFor(t, r)
		for range 2 {
			select {
			case <-started:
			case <-time.After(30 * time.Second):
				t.Fatal("the waiting jobs did not start")
			}
		}
		id := enqueue(t, db, "quick", 1, time.Now())[0]
		select {
		case got := <-quick:
			if got != id {
				t.Fatalf("completed %d, want %d", got, id)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("a quick job waited behind another kind's busy workers")
		}
		// The waiting kind kept to its two workers.
		select {
		case <-started:
			t.Fatal("a third job of a kind with two workers started")
		default:
		}
		close(release)
		for range waiting {
			select {
			case <-finished:
			case <-time.After(30 * time.Second):
				t.Fatal("the other waiting jobs did not run")
			}
		}
		stopAndCheckCompleted(t, db, waiting)
	})
}

// A snoozed job goes back to the queue due after the pause it asked for,
// the attempt not counted, and runs again then, not at the runner's next
// poll.
func TestSnoozedJobsRunAgainWhenDueWithoutUsingAttempts(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		var mu sync.Mutex
		var attempts []int
		var runs []time.Time
		done := make(chan struct{})
		r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 1, Poll: time.Hour,
			Recorded: func(j stend.Job, state stend.JobState) {
				if state == stend.JobCompleted {
					close(done)
				}
			}})
		r.Handle("patient", func(ctx context.Context, j stend.Job) error {
			mu.Lock()
			defer mu.Unlock()
			attempts = append(attempts, j.Attempt)
			runs = append(runs, time.Now())
			if len(runs) < 3 {
				return job.Snooze(50 * time.Millisecond)
			}
			return nil
		})
		id, err := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "patient", MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		runFor(t, r)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("the snoozed job did not run again before the runner's hourly poll")
		}
		mu.Lock()
		defer mu.Unlock()
		if !slices.Equal(attempts, []int{1, 1, 1}) {
			t.Fatalf("attempts %v: a snooze used one up", attempts)
		}
		for i := 1; i < len(runs); i++ {
			if gap := runs[i].Sub(runs[i-1]); gap < 50*time.Millisecond {
				t.Fatalf("run %d came %v after the one before, sooner than its snooze", i, gap)
			}
		}
		if j := hasState(t, db, id, stend.JobCompleted); j.LastError != "" {
			t.Fatalf("a snooze is not an error: %q", j.LastError)
		}
	})
}

// countingClock counts how often the runner reads the time: a loop that
// spins reads it without end.
type countingClock struct{ reads atomic.Int64 }

func (c *countingClock) Now() time.Time { c.reads.Add(1); return time.Now() }

// While every worker is busy, a job that is already due does not make the
// runner spin: it waits for a worker to be done.
func TestAFullPoolWaitsWithoutSpinning(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, name string) {
		db, _ := storetest.Reopenable(t, name)
		clock := &countingClock{}
		release := make(chan struct{})
		holding := make(chan struct{}, 1)
		r := job.New(db, clock, quiet, job.Config{Workers: 1})
		var snoozed atomic.Bool
		r.Handle("x", func(ctx context.Context, j stend.Job) error {
			if j.Args[1] == 's' && !snoozed.Swap(true) {
				return job.Snooze(50 * time.Millisecond) // due while the holder runs
			}
			if j.Args[1] == 'h' {
				holding <- struct{}{}
				<-release
			}
			return nil
		})
		if _, err := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "x", Args: []byte(`"s"`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "x", Args: []byte(`"h"`)}); err != nil {
			t.Fatal(err)
		}
		runFor(t, r)
		select {
		case <-holding:
		case <-time.After(30 * time.Second):
			t.Fatal("the holding job did not start")
		}
		before := clock.reads.Load()
		time.Sleep(200 * time.Millisecond) // what a spinning loop would do meanwhile
		spun := clock.reads.Load() - before
		close(release)
		if spun > 100 {
			t.Fatalf("the runner read the clock %d times in 200 ms with its only worker busy", spun)
		}
	})
}
