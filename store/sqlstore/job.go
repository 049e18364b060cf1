package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"stend"
)

var _ stend.JobQueue = (*DB)(nil)

// enqueueJob adds a job inside tx, the transaction that creates the data the
// job works on: the job exists exactly when that data does. Callers signal
// wakeups after commit.
func (db *DB) enqueueJob(ctx context.Context, tx *sql.Tx, spec stend.JobSpec) (int64, error) {
	if spec.Kind == "" || spec.At.IsZero() {
		return 0, stend.Errorf(stend.Invalid, "sqlstore.enqueueJob", "a job needs a kind and the time it is asked for")
	}
	now := spec.At.UTC()
	if spec.RunAt.IsZero() {
		spec.RunAt = now
	}
	if spec.MaxAttempts <= 0 {
		spec.MaxAttempts = stend.DefaultJobAttempts
	}
	if spec.Args == nil {
		spec.Args = []byte("{}")
	}
	var id int64
	err := db.row(ctx, tx, "EnqueueJob", spec.Kind, spec.Args, spec.MaxAttempts, db.dialect.TimeArg(spec.RunAt), db.dialect.TimeArg(now)).Scan(&id)
	if err != nil {
		return 0, err
	}
	if db.q["NotifyJobs"] != "" && db.notifyDue() {
		if _, err := db.exec(ctx, tx, "NotifyJobs"); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// tx is one write transaction that a domain service composes of its
// store's steps (each domain wraps it in its own Tx type) and the jobs it
// enqueues.
type tx struct {
	db       *DB
	sql      *sql.Tx
	enqueued bool
}

func (t *tx) InsertJob(ctx context.Context, spec stend.JobSpec) (int64, error) {
	id, err := t.db.enqueueJob(ctx, t.sql, spec)
	if err == nil {
		t.enqueued = true
	}
	return id, err
}

// update runs fn in one write transaction (a member of a group commit on
// SQLite) and wakes this node's runner after the commit if fn enqueued a
// job. fn's errors keep their kinds; database errors are classified as op's.
func (db *DB) update(ctx context.Context, op string, fn func(ctx context.Context, t *tx) error) error {
	t := &tx{db: db}
	err := db.inTx(ctx, func(ctx context.Context, sqlTx *sql.Tx) error {
		t.sql, t.enqueued = sqlTx, false
		return fn(ctx, t)
	})
	if err != nil {
		return db.dbErr(op, err)
	}
	if t.enqueued {
		db.signalJobs()
	}
	return nil
}

// notifyEvery spaces a node's notifications to the other nodes. A
// PostgreSQL NOTIFY serializes the commits of every transaction that sends
// one (a global lock at commit), which held FSSP searches on PostgreSQL to a
// few hundred a second; this node's own runner is woken at once anyway, and
// the others hear of a job skipped here with the next notification or at
// their poll.
const notifyEvery = 5 * time.Millisecond

func (db *DB) notifyDue() bool {
	now := time.Now().UnixNano()
	last := db.lastNotify.Load()
	return now-last >= int64(notifyEvery) && db.lastNotify.CompareAndSwap(last, now)
}

// signalJobs wakes this process's runner; it never blocks, and signals sent
// while one is pending merge.
func (db *DB) signalJobs() {
	select {
	case db.jobWake <- struct{}{}:
	default:
	}
}

func (db *DB) EnqueueJob(ctx context.Context, spec stend.JobSpec) (int64, error) {
	var id int64
	err := db.update(ctx, "sqlstore.EnqueueJob", func(ctx context.Context, t *tx) error {
		var err error
		id, err = t.InsertJob(ctx, spec)
		return err
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

func (db *DB) JobWakeups(ctx context.Context) <-chan struct{} {
	db.listenOnce.Do(func() {
		if db.dialect.Listen == nil {
			return
		}
		// The listener lives as long as the store: a runner restarted in
		// the same process keeps hearing other nodes.
		go db.dialect.Listen(db.listenCtx, db.write, db.signalJobs)
	})
	return db.jobWake
}

func scanJob(row scanner) (stend.Job, error) {
	var j stend.Job
	var state string
	var finalized nullTime
	var lockedBy, lastError sql.NullString
	err := row.Scan(&j.ID, &j.Kind, &j.Args, &state, &j.Attempt, &j.MaxAttempts, timeValue{&j.RunAt}, timeValue{&j.CreatedAt},
		&finalized, &lockedBy, &lastError)
	j.State, j.FinalizedAt, j.LockedBy, j.LastError = stend.JobState(state), finalized.t, lockedBy.String, lastError.String
	return j, err
}

// nullTime scans a nullable instant.
type nullTime struct{ t time.Time }

func (n *nullTime) Scan(src any) error {
	if src == nil {
		n.t = time.Time{}
		return nil
	}
	return timeValue{&n.t}.Scan(src)
}

// ptr is the instant, or nil for NULL.
func (n nullTime) ptr() *time.Time {
	if n.t.IsZero() {
		return nil
	}
	return &n.t
}

func (db *DB) ClaimJobs(ctx context.Context, worker string, want map[string]int, now, lockedUntil time.Time) ([]stend.Job, error) {
	const op = "sqlstore.ClaimJobs"
	var jobs []stend.Job
	// One transaction for every kind: on SQLite each is a turn of the single
	// writer, and a runner claims for all its kinds at each wakeup.
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		jobs = jobs[:0]
		// A restore under way holds every node's jobs (see RestoreSnapshot).
		if quiesced, err := db.quiescedForClaim(ctx, tx, now); err != nil || quiesced {
			return err
		}
		for kind, limit := range want {
			// Claimed in prepared sizes (3 = 2 + 1) until the limit is met
			// or the kind has no more.
			for remaining := limit; remaining > 0; {
				name, k := claimVariant(remaining)
				n, err := db.claimInto(ctx, tx, name, &jobs, worker, kind, now, lockedUntil)
				if err != nil {
					return err
				}
				remaining -= n
				if n < k {
					break
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	return jobs, nil
}

func (db *DB) claimInto(ctx context.Context, tx *sql.Tx, name string, jobs *[]stend.Job, worker, kind string, now, lockedUntil time.Time) (int, error) {
	// The fifth parameter, the LIMIT, is a literal in each prepared size.
	rows, err := db.rows(ctx, tx, name, worker, db.dialect.TimeArg(lockedUntil), db.dialect.TimeArg(now), kind)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return n, err
		}
		*jobs = append(*jobs, j)
		n++
	}
	return n, rows.Err()
}

// finishJob runs one of the updates that end a worker's hold on a job; no
// row changed means the lease was lost.
func (db *DB) finishJob(ctx context.Context, op, query string, args ...any) error {
	res, err := db.exec(ctx, db.write, query, args...)
	if err != nil {
		return db.dbErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", op, stend.ErrJobLost)
	}
	return nil
}

func (db *DB) CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error {
	return db.finishJob(ctx, "sqlstore.CompleteJob", "CompleteJob", id, worker, db.dialect.TimeArg(now))
}

func (db *DB) RetryJob(ctx context.Context, id int64, worker string, runAt time.Time, lastError string) error {
	return db.finishJob(ctx, "sqlstore.RetryJob", "RetryJob", id, worker, db.dialect.TimeArg(runAt), lastError)
}

func (db *DB) DiscardJob(ctx context.Context, id int64, worker string, now time.Time, lastError string) error {
	return db.finishJob(ctx, "sqlstore.DiscardJob", "DiscardJob", id, worker, db.dialect.TimeArg(now), lastError)
}

func (db *DB) ReleaseJob(ctx context.Context, id int64, worker string, runAt time.Time) error {
	return db.finishJob(ctx, "sqlstore.ReleaseJob", "ReleaseJob", id, worker, db.dialect.TimeArg(runAt))
}

func (db *DB) ExtendJobLeases(ctx context.Context, worker string, ids []int64, lockedUntil time.Time) error {
	list := make([]byte, 0, 8*len(ids)+2)
	list = append(list, '[')
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	list = append(list, ']')
	_, err := db.exec(ctx, db.write, "ExtendJobLeases", worker, db.dialect.TimeArg(lockedUntil), string(list))
	return db.dbErr("sqlstore.ExtendJobLeases", err)
}

func (db *DB) ReclaimExpiredJobs(ctx context.Context, now time.Time) (int, error) {
	res, err := db.exec(ctx, db.write, "ReclaimExpiredJobs", db.dialect.TimeArg(now))
	if err != nil {
		return 0, db.dbErr("sqlstore.ReclaimExpiredJobs", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		db.signalJobs()
	}
	return int(n), nil
}

func (db *DB) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	res, err := db.exec(ctx, db.write, "PruneJobs", db.dialect.TimeArg(before))
	if err != nil {
		return 0, db.dbErr("sqlstore.PruneJobs", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

func (db *DB) Job(ctx context.Context, id int64) (stend.Job, error) {
	j, err := scanJob(db.row(ctx, db.read, "JobByID", id))
	return j, db.dbErr("sqlstore.Job", err)
}

// claimLimits are the claim sizes prepared with their LIMIT as a literal:
// SQLite prepares a statement again whenever a bound LIMIT changes value.
var claimLimits = []int{1, 2, 4, 8, 16, 32, 64, 128}

// claimVariant names the prepared claim of the largest size within limit.
func claimVariant(limit int) (string, int) {
	k := 1
	for _, l := range claimLimits {
		if l <= limit {
			k = l
		}
	}
	return "ClaimJobs/" + strconv.Itoa(k), k
}

// addClaimVariants derives "ClaimJobs/k" from ClaimJobs, whose LIMIT is its
// fifth and last parameter (PostgreSQL refuses a gap in the numbering).
func addClaimVariants(q map[string]string) error {
	claim, ok := q["ClaimJobs"]
	if !ok {
		return nil
	}
	limit := regexp.MustCompile(`LIMIT [?$]5\b`)
	if !limit.MatchString(claim) {
		return fmt.Errorf("query ClaimJobs: its LIMIT must be the fifth parameter")
	}
	for _, k := range claimLimits {
		q["ClaimJobs/"+strconv.Itoa(k)] = limit.ReplaceAllString(claim, "LIMIT "+strconv.Itoa(k))
	}
	delete(q, "ClaimJobs")
	return nil
}

// QueuedJob is how many jobs of a kind are in a state.
type QueuedJob struct {
	Kind  string
	State stend.JobState
	Count int64
}

// QueuedJobs counts the jobs waiting and running, by kind (for metrics).
func (db *DB) QueuedJobs(ctx context.Context) ([]QueuedJob, error) {
	return collect(db, ctx, "sqlstore.QueuedJobs", "QueuedJobs", func(r scanner) (QueuedJob, error) {
		var q QueuedJob
		var state string
		err := r.Scan(&q.Kind, &state, &q.Count)
		q.State = stend.JobState(state)
		return q, err
	})
}
