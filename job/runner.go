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
	"math/rand/v2"
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
	Workers int           // jobs run at once (default 16)
	Lease   time.Duration // how long a claim lasts without renewal (30 s)
	Poll    time.Duration // safety-net poll for missed wakeups and due retries (1 s)
	// Retention keeps finished jobs this long for operators (24 h).
	Retention time.Duration
	// Backoff is the wait before attempt n+1 after attempt n failed.
	Backoff func(attempt int) time.Duration
	// WorkerID names this runner in claims (default: random).
	WorkerID string
	// Recorded, when set, is called after a job's outcome is written, with
	// the state it was left in: a test signal, so tests wait for events
	// instead of sleeping.
	Recorded func(job stend.Job, state stend.JobState)
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
	if cfg.Retention <= 0 {
		cfg.Retention = 24 * time.Hour
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.WorkerID == "" {
		cfg.WorkerID = "worker-" + stend.RandomIDs{}.NewGUID()
	}
	return &Runner{queue: queue, clock: clock, logger: logger, cfg: cfg, handlers: map[string]Handler{}}
}

// Handle registers the handler of a kind.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

// Run claims and runs jobs until ctx ends, then waits for the jobs it is
// running to finish (their context is cancelled; a job cut short is retried
// by whoever claims it next).
func (r *Runner) Run(ctx context.Context) error {
	wake := r.queue.JobWakeups(ctx)
	slots := make(chan struct{}, r.cfg.Workers)
	done := make(chan struct{}, 1)
	var running sync.WaitGroup
	defer running.Wait()

	maintenance := time.NewTicker(r.cfg.Lease / 3)
	defer maintenance.Stop()
	poll := time.NewTimer(0)
	defer poll.Stop()
	r.maintain(ctx)

	for {
		free := r.cfg.Workers - len(slots)
		claimed := 0
		if free > 0 {
			now := r.clock.Now()
			jobs, err := r.queue.ClaimJobs(ctx, r.cfg.WorkerID, free, now, now.Add(r.cfg.Lease))
			if err != nil && ctx.Err() == nil {
				r.logger.Error("job: claim", "err", err)
			}
			claimed = len(jobs)
			for _, j := range jobs {
				slots <- struct{}{}
				running.Add(1)
				go func() {
					defer running.Done()
					r.run(ctx, j)
					<-slots
					select { // a wakeup, not a count: merging is fine
					case done <- struct{}{}:
					default:
					}
				}()
			}
		}
		if claimed == free && free > 0 {
			// There may be more waiting: claim again at once.
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-done:
		case <-poll.C:
			poll.Reset(r.cfg.Poll)
		case <-maintenance.C:
			r.maintain(ctx)
		}
	}
}

// maintain renews this runner's leases, returns expired claims of dead
// workers to the queue and prunes old finished jobs.
func (r *Runner) maintain(ctx context.Context) {
	now := r.clock.Now()
	if err := r.queue.ExtendJobLeases(ctx, r.cfg.WorkerID, now.Add(r.cfg.Lease)); err != nil && ctx.Err() == nil {
		r.logger.Error("job: extend leases", "err", err)
	}
	if n, err := r.queue.ReclaimExpiredJobs(ctx, now); err != nil && ctx.Err() == nil {
		r.logger.Error("job: reclaim", "err", err)
	} else if n > 0 {
		r.logger.Warn("job: reclaimed jobs of a worker that stopped renewing its lease", "count", n)
	}
	if _, err := r.queue.PruneJobs(ctx, now.Add(-r.cfg.Retention)); err != nil && ctx.Err() == nil {
		r.logger.Error("job: prune", "err", err)
	}
}

func (r *Runner) run(ctx context.Context, j stend.Job) {
	err := r.call(ctx, j)
	// Recording the outcome must not be skipped because the runner is
	// stopping: a finished job would run again.
	bg := context.WithoutCancel(ctx)
	now := r.clock.Now()
	var finish error
	var state stend.JobState
	switch {
	case err == nil:
		state = stend.JobCompleted
		finish = r.queue.CompleteJob(bg, j.ID, r.cfg.WorkerID, now)
	case j.Attempt >= j.MaxAttempts:
		state = stend.JobDiscarded
		r.logger.Error("job: discarded after its last attempt", "id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err)
		finish = r.queue.DiscardJob(bg, j.ID, r.cfg.WorkerID, now, err.Error())
	default:
		state = stend.JobAvailable
		r.logger.Warn("job: failed, will retry", "id", j.ID, "kind", j.Kind, "attempt", j.Attempt, "err", err)
		finish = r.queue.RetryJob(bg, j.ID, r.cfg.WorkerID, now.Add(r.cfg.Backoff(j.Attempt)), err.Error())
	}
	if errors.Is(finish, stend.ErrJobLost) {
		r.logger.Warn("job: lease lost before the outcome was recorded", "id", j.ID, "kind", j.Kind)
		return
	} else if finish != nil {
		r.logger.Error("job: record outcome", "id", j.ID, "kind", j.Kind, "err", finish)
		return
	}
	if r.cfg.Recorded != nil {
		r.cfg.Recorded(j, state)
	}
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
