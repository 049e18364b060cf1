// Package job runs the durable jobs of stend.JobQueue: FSSP searches, Reestro
// checks, report generation. It is our own rather than riverqueue/river:
// benchmarks/riverlatency measured River's SQLite driver (the newest the
// module proxy has is v0.31.0, which pins River itself to v0.31–v0.34) as
// poll-only, so a job committed in a transaction waits for the next poll:
// p99 13–23 ms at River's 1 ms minimum poll, costing 17% of a core while
// idle, and about 1 s at its defaults. Here the store wakes the runner as
// soon as a job commits (in-process on SQLite, LISTEN/NOTIFY across nodes
// on PostgreSQL) and the poll is only a safety net.
package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"stend"
)

// Handler does the work of one job. An error makes the job run again later
// (until its attempts are used up); handlers must be idempotent, because a
// job whose worker dies mid-way runs again.
type Handler func(ctx context.Context, job stend.Job) error

// Config tunes a runner; zero values take the defaults.
type Config struct {
	// Workers is how many jobs of one kind run at once, for the kinds that
	// Kinds does not name (default 16). Each kind has its own workers, so
	// that a burst of one kind never starves another: a Reestro check
	// needs its FSSP search to run.
	Workers int
	Kinds   map[string]int
	Lease   time.Duration // how long a claim lasts without renewal (30 s)
	Poll    time.Duration // safety-net poll for missed wakeups and due retries (1 s)
	// Retention keeps finished jobs this long for operators (24 h).
	Retention time.Duration
	// Backoff is the wait before attempt n+1 after attempt n failed.
	Backoff func(attempt int) time.Duration
	// WorkerID names this runner in claims (default: random).
	WorkerID string
	// Drain bounds how long a stopping runner waits for its jobs (15 s).
	Drain time.Duration
	// Recorded, when set, is called after a job's outcome is written, with
	// the state it was left in: a test signal, so tests wait for events
	// instead of sleeping.
	Recorded func(job stend.Job, state stend.JobState)
	// Observe, when set, is told of each run once its outcome is written:
	// the kind, the outcome (completed, retried, snoozed, discarded,
	// released), how long the job waited past its due time, and how long
	// it ran. The node turns it into metrics.
	Observe func(kind, outcome string, waited, ran time.Duration)
}

// DefaultBackoff grows quadratically with jitter: 1 s, 4 s, 9 s, … capped
// at 10 minutes.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Duration(attempt*attempt) * time.Second
	d = min(d, 10*time.Minute)
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// Runner claims jobs from the queue and runs their handlers.
type Runner struct {
	queue    stend.JobQueue
	clock    stend.Clock
	logger   *slog.Logger
	cfg      Config
	handlers map[string]Handler
	moved    chan struct{}

	mu       sync.Mutex
	runs     int                    // calls of Run under way
	paused   int                    // Pauses not yet resumed: claim nothing while any
	inflight map[int64]*inflightRun // jobs running here, by id
	renewed  time.Time              // last successful lease renewal
	// due holds, in order, when the jobs this runner snoozed or retried
	// come due, so that it claims them then rather than at its next poll.
	due []time.Time
}

// New makes a runner; register handlers before Run.
func New(queue stend.JobQueue, clock stend.Clock, logger *slog.Logger, cfg Config) *Runner {
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 30 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Drain <= 0 {
		cfg.Drain = 15 * time.Second
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.WorkerID == "" {
		cfg.WorkerID = "worker-" + stend.RandomIDs{}.NewGUID()
	}
	return &Runner{queue: queue, clock: clock, logger: logger, cfg: cfg, handlers: map[string]Handler{}, moved: make(chan struct{}, 1)}
}

// ClockMoved tells the runner that the stand's clock moved forward: it
// claims the jobs the move made due without waiting for its next poll, and
// renews its leases on the moved clock (the move shifted them already, in
// the database, so none lapsed).
func (r *Runner) ClockMoved() {
	select {
	case r.moved <- struct{}{}:
	default:
	}
}

// errPaused is the cause with which Pause stops the running jobs: they go
// back to the queue as they were, their attempt not used.
var errPaused = errors.New("job: runner paused")

// Pause stops claiming jobs and stops the ones running here (they return
// to the queue as they were, to run again after Resume, here or
// elsewhere): a snapshot's restore must not land in the middle of a job.
// It does not wait for them; their leases show when they are back. Pauses
// nest: each is ended by its own Resume.
func (r *Runner) Pause() {
	r.mu.Lock()
	r.paused++
	for _, run := range r.inflight {
		run.cancel(errPaused)
	}
	r.mu.Unlock()
}

// Resume claims jobs again after Pause.
func (r *Runner) Resume() {
	r.mu.Lock()
	r.paused = max(r.paused-1, 0)
	r.mu.Unlock()
	r.ClockMoved() // a wakeup: what came due meanwhile is claimed at once
}

// isPaused tells whether Pause holds.
func (r *Runner) isPaused() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.paused > 0
}

// Taking says whether the runner would run a job of kind now: it is
// running, not paused, and has the kind's handler. Work that a node may do
// at once in a request instead of queueing it (a quick FSSP search) asks
// first, so that a node that runs no jobs, or a paused one, leaves it queued
// as before.
func (r *Runner) Taking(kind string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.handlers[kind]
	return ok && r.runs > 0 && r.paused == 0
}

// Workers is how many jobs of kind run at once here.
func (r *Runner) Workers(kind string) int { return r.workers(kind) }

// Handle registers the handler of a kind; the runner claims only the kinds
// it has handlers for.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Kinds are the kinds the runner has handlers for, in no order.
func (r *Runner) Kinds() []string { return slices.Collect(maps.Keys(r.handlers)) }

// workers is the capacity of a kind.
func (r *Runner) workers(kind string) int {
	if n, ok := r.cfg.Kinds[kind]; ok && n > 0 {
		return n
	}
	return r.cfg.Workers
}

// Run claims and runs jobs until ctx ends. Then it cancels the context of
// the jobs it is running and waits for them, renewing their leases
// meanwhile, for at most Config.Drain: a job cut short goes back to the
// queue without using up an attempt.
func (r *Runner) Run(ctx context.Context) error {
	r.mu.Lock()
	r.runs++
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.runs--
		r.mu.Unlock()
	}()
	wake := r.queue.JobWakeups(ctx)
	// Handlers run under their own context, so that stopping is a decision
	// of this runner and the outcome of a stopped job can still be written.
	jobsCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()
	r.inflight = map[int64]*inflightRun{}
	r.renewed = r.clock.Now()
	pools := make(map[string]chan struct{}, len(r.handlers))
	for kind := range r.handlers {
		pools[kind] = make(chan struct{}, r.workers(kind))
	}
	done := make(chan struct{}, 1)
	var running sync.WaitGroup

	maintenance := time.NewTicker(r.cfg.Lease / 3)
	defer maintenance.Stop()
	poll := time.NewTimer(r.cfg.Poll)
	defer poll.Stop()
	r.maintain(ctx)

	var pollFor time.Time // the due time poll was last set for, if any
	fired := false
	for ctx.Err() == nil {
		want := make(map[string]int, len(pools))
		paused := r.isPaused() // a restore's pause: claim nothing
		for kind, slots := range pools {
			if free := cap(slots) - len(slots); free > 0 && !paused {
				want[kind] = free
			}
		}
		more := false
		now := r.clock.Now()
		if len(want) > 0 {
			jobs, err := r.queue.ClaimJobs(ctx, r.cfg.WorkerID, want, now, now.Add(r.cfg.Lease))
			if err != nil && ctx.Err() == nil {
				r.logger.Error("job: claim", "err", err)
			}
			got := make(map[string]int, len(want))
			for _, j := range jobs {
				slots := pools[j.Kind]
				slots <- struct{}{} // never blocks: at most the free slots were claimed
				got[j.Kind]++
				running.Add(1)
				jobCtx, tracked := r.track(jobsCtx, j.ID)
				go func() {
					defer running.Done()
					r.run(ctx, jobCtx, tracked, j)
					<-slots
					select { // a wakeup, not a count: merging is fine
					case done <- struct{}{}:
					default:
					}
				}()
			}
			// A kind that got all it asked for may have more waiting.
			for kind, n := range want {
				more = more || got[kind] == n
			}
			// What was due at the claim has been claimed; what the poll
			// was set for is dropped once it fired even if the clock did
			// not reach it (a test's frozen clock), or it would spin.
			passed := now
			if fired && pollFor.After(passed) {
				passed = pollFor
			}
			r.dropDue(passed)
		}
		if more {
			continue
		}
		wait := r.cfg.Poll
		pollFor = time.Time{}
		// A due time matters only with a worker free to claim it: with
		// every pool full, a job already due would wake the loop at once,
		// again and again, until a worker is done (which wakes it anyway).
		if next, ok := r.nextDue(); ok && len(want) > 0 && next.Sub(now) < wait {
			wait, pollFor = max(next.Sub(r.clock.Now()), 0), next
		}
		poll.Reset(wait)
		fired = false
		select {
		case <-ctx.Done():
		case <-wake:
		case <-done:
		case <-poll.C:
			fired = true
		case <-maintenance.C:
			r.maintain(ctx)
		case <-r.moved:
			r.maintain(ctx)
		}
	}

	cancelJobs()
	drained := make(chan struct{})
	go func() { running.Wait(); close(drained) }()
	deadline := time.NewTimer(r.cfg.Drain)
	defer deadline.Stop()
	bg := context.WithoutCancel(ctx)
	for {
		select {
		case <-drained:
			return nil
		case <-maintenance.C:
			r.renew(bg)
		case <-deadline.C:
			r.logger.Error("job: jobs still running after the drain timeout; their leases will expire and another runner will retry them",
				"count", r.inflightCount())
			return nil
		}
	}
}

// comesDue notes that a job this runner released comes due at t.
func (r *Runner) comesDue(t time.Time) {
	r.mu.Lock()
	i, _ := slices.BinarySearchFunc(r.due, t, time.Time.Compare)
	r.due = slices.Insert(r.due, i, t)
	r.mu.Unlock()
}

// dropDue forgets the due times up to t.
func (r *Runner) dropDue(t time.Time) {
	r.mu.Lock()
	i, found := slices.BinarySearchFunc(r.due, t, time.Time.Compare)
	for found && i < len(r.due) && r.due[i].Equal(t) {
		i++
	}
	r.due = slices.Delete(r.due, 0, i)
	r.mu.Unlock()
}

// nextDue is the earliest due time noted.
func (r *Runner) nextDue() (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.due) == 0 {
		return time.Time{}, false
	}
	return r.due[0], true
}

// inflightRun is one run of a job here. A job that a run gives back to the
// queue (snoozed, retried, released) can be claimed here again while that
// run is still finishing, under the same id: the runs are told apart by
// their registrations, not by the id.
type inflightRun struct{ cancel context.CancelCauseFunc }

// track registers a claimed job as running here and returns its context
// and its registration, for untrack.
func (r *Runner) track(parent context.Context, id int64) (context.Context, *inflightRun) {
	ctx, cancel := context.WithCancelCause(parent)
	run := &inflightRun{cancel: cancel}
	r.mu.Lock()
	r.inflight[id] = run
	if r.paused > 0 {
		// Claimed as Pause came: stopped like those it found running.
		cancel(errPaused)
	}
	r.mu.Unlock()
	return ctx, run
}

// untrack ends run: its context is cancelled, and the id is forgotten only
// while run is the one registered under it. The job's next run may be
// registered already (the outcome run wrote made the job due, and this
// runner claimed it before run returned), and its context must live on:
// cancelling it by id failed that run's attempt with "context canceled"
// (TestChecksRunAcrossNodes in CI's race pass; TestUntrackLeavesTheNextRunOfAJob).
func (r *Runner) untrack(id int64, run *inflightRun) {
	run.cancel(nil)
	r.mu.Lock()
	if r.inflight[id] == run {
		delete(r.inflight, id)
	}
	r.mu.Unlock()
}

func (r *Runner) inflightCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.inflight)
}

// maintain renews this runner's leases, returns expired claims of dead
// workers to the queue and prunes old finished jobs.
func (r *Runner) maintain(ctx context.Context) {
	r.renew(ctx)
	now := r.clock.Now()
	if n, err := r.queue.ReclaimExpiredJobs(ctx, now); err != nil && ctx.Err() == nil {
		r.logger.Error("job: reclaim", "err", err)
	} else if n > 0 {
		r.logger.Warn("job: reclaimed jobs of a worker that stopped renewing its lease", "count", n)
	}
	if _, err := r.queue.PruneJobs(ctx, now.Add(-r.cfg.Retention)); err != nil && ctx.Err() == nil {
		r.logger.Error("job: prune", "err", err)
	}
}

// renew extends the leases of the jobs running here, and only those: a job
// whose outcome could not be written is not renewed for ever. When renewal
// has failed for two thirds of a lease, the running handlers are cancelled,
// because another runner may soon reclaim their jobs.
func (r *Runner) renew(ctx context.Context) {
	r.mu.Lock()
	running := maps.Clone(r.inflight)
	r.mu.Unlock()
	ids := slices.Collect(maps.Keys(running))
	now := r.clock.Now()
	if len(ids) == 0 {
		r.renewed = now
		return
	}
	err := r.queue.ExtendJobLeases(ctx, r.cfg.WorkerID, ids, now.Add(r.cfg.Lease))
	if err == nil {
		r.renewed = now
		return
	}
	if ctx.Err() == nil {
		r.logger.Error("job: extend leases", "err", err)
	}
	if now.Sub(r.renewed) > r.cfg.Lease*2/3 {
		r.logger.Error("job: leases not renewed for too long; cancelling running jobs", "count", len(ids))
		for id, run := range running {
			r.untrack(id, run)
		}
	}
}

// outcomeAttempts bounds the retries of writing a job's outcome; the job's
// lease is renewed meanwhile, and if every try fails the lease lapses and
// the job runs again elsewhere.
const outcomeAttempts = 5

func (r *Runner) run(runCtx, jobCtx context.Context, tracked *inflightRun, j stend.Job) {
	defer r.untrack(j.ID, tracked)
	started, startedReal := r.clock.Now(), time.Now()
	err := r.call(jobCtx, j)
	// How long it ran in real time: the stand's clock may jump meanwhile.
	ran := time.Since(startedReal)
	// Recording the outcome must not be skipped because the runner is
	// stopping: a finished job would run again.
	bg := context.WithoutCancel(runCtx)
	var (
		state stend.JobState
		runAt time.Time // when a job returned to the queue comes due
	)
	var snooze *SnoozeError
	// The outcome, decided once: recorded, logged and observed alike.
	var outcome string
	switch {
	case err == nil:
		outcome = "completed"
	case runCtx.Err() != nil, errors.Is(context.Cause(jobCtx), errPaused):
		// Stopped by us, not failed: back to the queue as it was.
		outcome = "released"
		r.logger.Info("job: stopped with the runner, released", "id", j.ID, "kind", j.Kind)
	case errors.As(err, &snooze):
		outcome = "snoozed"
	case j.Attempt >= j.MaxAttempts:
		outcome = "discarded"
		r.logger.Error("job: discarded after its last attempt", "id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err)
	default:
		outcome = "retried"
		r.logger.Warn("job: failed, will retry", "id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err)
	}
	record := func() error {
		now := r.clock.Now()
		switch outcome {
		case "completed":
			state = stend.JobCompleted
			return r.queue.CompleteJob(bg, j.ID, r.cfg.WorkerID, now)
		case "released":
			state, runAt = stend.JobAvailable, now
			return r.queue.ReleaseJob(bg, j.ID, r.cfg.WorkerID, runAt)
		case "snoozed":
			state, runAt = stend.JobAvailable, now.Add(snooze.After)
			return r.queue.ReleaseJob(bg, j.ID, r.cfg.WorkerID, runAt)
		case "discarded":
			state = stend.JobDiscarded
			return r.queue.DiscardJob(bg, j.ID, r.cfg.WorkerID, now, err.Error())
		default:
			state, runAt = stend.JobAvailable, now.Add(r.delay(j.Attempt, err))
			return r.queue.RetryJob(bg, j.ID, r.cfg.WorkerID, runAt, err.Error())
		}
	}
	var finish error
	for try := range outcomeAttempts {
		if finish = record(); finish == nil || errors.Is(finish, stend.ErrJobLost) {
			break
		}
		time.Sleep(time.Duration(try+1) * 100 * time.Millisecond)
	}
	if errors.Is(finish, stend.ErrJobLost) {
		r.logger.Warn("job: lease lost before the outcome was recorded", "id", j.ID, "kind", j.Kind)
		return
	} else if finish != nil {
		r.logger.Error("job: could not record the outcome; the job will run again when its lease lapses", "id", j.ID, "kind", j.Kind, "err", finish)
		return
	}
	if !runAt.IsZero() {
		r.comesDue(runAt)
	}
	if r.cfg.Observe != nil {
		r.cfg.Observe(j.Kind, outcome, max(started.Sub(j.RunAt), 0), ran)
	}
	if r.cfg.Recorded != nil {
		r.cfg.Recorded(j, state)
	}
}

// SnoozeError asks that a job run again after After without using up an
// attempt: a job waiting for work outside it (a Reestro check for its FSSP
// search) gives its worker back instead of holding it while it waits.
type SnoozeError struct{ After time.Duration }

func (e *SnoozeError) Error() string { return fmt.Sprintf("snoozed for %v", e.After) }

// Snooze is what a handler returns to run again after d.
func Snooze(d time.Duration) error { return &SnoozeError{After: max(d, 0)} }

// RetryAfterError asks that a failed job run again no sooner than After:
// a service that answered "429, Retry-After: 60" must not be asked again
// in a second.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// RetryAfter wraps a handler's error with the least wait before its retry.
func RetryAfter(err error, after time.Duration) error {
	return &RetryAfterError{Err: err, After: after}
}

// delay is the wait before the next attempt: the backoff, or longer when
// the handler asked for it.
func (r *Runner) delay(attempt int, err error) time.Duration {
	d := r.cfg.Backoff(attempt)
	var ra *RetryAfterError
	if errors.As(err, &ra) && ra.After > d {
		d = ra.After
	}
	return d
}

// call runs the handler, turning a missing handler or a panic into an error
// so that the job is retried rather than lost.
func (r *Runner) call(ctx context.Context, j stend.Job) (err error) {
	h, ok := r.handlers[j.Kind]
	if !ok {
		return fmt.Errorf("no handler for job kind %q", j.Kind)
	}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	return h(ctx, j)
}
