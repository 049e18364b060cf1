package sqlstore

import (
	"context"
	"time"

	"stend/fssp"
)

// Searches answered in their requests are stored together on PostgreSQL:
// the ended tasks that one node's requests store while its earlier ones
// are being written go to the database in one
// InsertEndedFSSPTasksWithResults statement and one commit, as the new
// reports' batcher does for reports. Alone, each paid a statement's start,
// a commit and a round trip on top of its two rows. A task the batch could
// not store (the batch failing) is stored alone, so each request gets the
// answer it would get alone. SQLite's committer groups them already.

// Bounds of one statement: its tasks, and the bytes of their results
// (a common name's result is up to about 100 kB; a batch stops growing
// once it holds maxEndedTaskBatchBytes).
const (
	maxEndedTaskBatch      = 64
	maxEndedTaskBatchBytes = 1 << 20
)

// endedTaskBatchWorkers: as reportBatchWorkers, so that alone a task is
// written at once, and a batch never waits for the previous one's commit.
const endedTaskBatchWorkers = 2

type endedTaskCall struct {
	batchCall
	task     fssp.Task
	requests []byte // task.Requests encoded
	result   fssp.SubResult
}

type endedTaskBatcher = statementBatcher[*endedTaskCall]

func newEndedTaskBatcher(db *FSSP) *endedTaskBatcher {
	return newStatementBatcher(maxEndedTaskBatch, endedTaskBatchWorkers,
		func(c *endedTaskCall) int { return len(c.result.Body) }, maxEndedTaskBatchBytes,
		&db.writeGroups, db.storeEndedTasks)
}

// storeEndedTasks writes one batch. Alone, a task goes through the single
// statement: no arrays to unpack. After a failed batch each is stored
// alone, for the answer it would get alone.
func (db *FSSP) storeEndedTasks(live []*endedTaskCall) {
	if len(live) > 1 && db.insertEndedTasks(live) == nil {
		return
	}
	for _, c := range live {
		c.err = db.insertEndedTask(context.WithoutCancel(c.ctx), c.task, c.requests, c.result)
		c.answer()
	}
}

// insertEndedTasks runs InsertEndedFSSPTasksWithResults: all of the tasks
// stored, or none.
func (db *FSSP) insertEndedTasks(batch []*endedTaskCall) error {
	n := len(batch)
	var (
		ids                           = make([]string, n)
		tokens                        = make([]int64, n)
		classes, states, done, failed = make([]int32, n), make([]int32, n), make([]int32, n), make([]int32, n)
		requests, bodies              = make([][]byte, n), make([][]byte, n)
		created, started, finished    = make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
		indexes                       = make([]int32, n)
		resultFailed                  = make([]bool, n)
	)
	for i, c := range batch {
		t := &c.task
		ids[i], tokens[i], classes[i], requests[i] = t.ID, t.TokenID, int32(t.Class), c.requests
		states[i], done[i], failed[i] = int32(t.State), int32(t.Done), int32(t.Failed)
		created[i], started[i], finished[i] = t.CreatedAt, *t.StartedAt, *t.FinishedAt
		indexes[i], resultFailed[i], bodies[i] = int32(c.result.Index), c.result.Failed, c.result.Body
	}
	_, err := db.exec(context.Background(), db.write, "InsertEndedFSSPTasksWithResults",
		ids, tokens, classes, requests, states, done, failed, created, started, finished, indexes, resultFailed, bodies)
	return err
}
