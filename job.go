package stend

import (
	"context"
	"time"
)

// JobState is where a job is in its life.
type JobState string

const (
	JobAvailable JobState = "available" // waiting for run_at and a free worker
	JobRunning   JobState = "running"   // claimed by a worker that holds its lease
	JobCompleted JobState = "completed"
	JobDiscarded JobState = "discarded" // failed every attempt
)

// JobSpec asks for a job. Args are opaque to the queue (JSON by convention).
type JobSpec struct {
	Kind string
	Args []byte
	// At is when the job is asked for: the caller's "now", decided at the
	// edge like every other, since the queue reads no clock.
	At          time.Time
	RunAt       time.Time // zero: At
	MaxAttempts int       // zero: DefaultJobAttempts
}

// JobInserter enqueues a job inside a transaction that its caller
// controls, as River's InsertTx does: the job exists exactly when the data
// it works on does, and the runner is woken once the transaction commits.
// Domain services get one in their store's transaction.
type JobInserter interface {
	InsertJob(ctx context.Context, spec JobSpec) (int64, error)
}

// DefaultJobAttempts bounds retries of a job that keeps failing.
const DefaultJobAttempts = 10

// Job is a queued unit of asynchronous work.
type Job struct {
	ID          int64
	Kind        string
	Args        []byte
	State       JobState
	Attempt     int // 1 on the first run
	MaxAttempts int
	RunAt       time.Time
	CreatedAt   time.Time
	FinalizedAt time.Time
	LockedBy    string
	LastError   string
}

// ErrJobLost says a worker no longer holds a job's lease (it expired and
// another worker may have the job); the worker must drop its result.
var ErrJobLost = &Error{Kind: Conflict, Op: "stend", Message: "job lease lost"}

// JobQueue is the durable queue, kept in the same database as the data so
// that a job is enqueued in the transaction that creates what it works on.
// Claims are exclusive across processes; a job whose worker stops renewing
// its lease is reclaimed, so every job runs at least once and, while leases
// are renewed, exactly once.
type JobQueue interface {
	EnqueueJob(ctx context.Context, spec JobSpec) (int64, error)
	// ClaimJobs takes, for each kind in want, up to want[kind] available
	// jobs of that kind due at now for worker, leased until lockedUntil,
	// oldest first. Kinds are claimed apart so that each has its own
	// capacity: jobs of one kind never wait behind those of another.
	ClaimJobs(ctx context.Context, worker string, want map[string]int, now, lockedUntil time.Time) ([]Job, error)
	CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error
	// RetryJob releases a failed job to run again at runAt.
	RetryJob(ctx context.Context, id int64, worker string, runAt time.Time, lastError string) error
	DiscardJob(ctx context.Context, id int64, worker string, now time.Time, lastError string) error
	// ReleaseJob returns a job that was stopped or snoozed, not failed, to
	// the queue as it was before the claim, due at runAt, the attempt not
	// counted.
	ReleaseJob(ctx context.Context, id int64, worker string, runAt time.Time) error
	// ExtendJobLeases renews the leases of the given jobs worker holds.
	ExtendJobLeases(ctx context.Context, worker string, ids []int64, lockedUntil time.Time) error
	// ReclaimExpiredJobs makes jobs whose lease ended before now available
	// again, or discarded when that was their last attempt: a job that
	// kills its process must not crash every process after it.
	ReclaimExpiredJobs(ctx context.Context, now time.Time) (int, error)
	// PruneJobs deletes completed and discarded jobs finalized before t.
	PruneJobs(ctx context.Context, before time.Time) (int, error)
	Job(ctx context.Context, id int64) (Job, error)
	// JobWakeups delivers a signal soon after jobs are enqueued: by this
	// process at once, and by other nodes where the database can tell
	// (PostgreSQL's LISTEN). Signals may be merged or spurious.
	JobWakeups(ctx context.Context) <-chan struct{}
}
