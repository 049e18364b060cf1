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
	ctx      context.Context
	task     fssp.Task
	requests []byte // task.Requests encoded
	result   fssp.SubResult
	err      error
	done     chan struct{}
}

type endedTaskBatcher struct {
	db *FSSP
	q  *batchQueue[*endedTaskCall]
}

func newEndedTaskBatcher(db *FSSP) *endedTaskBatcher {
	b := &endedTaskBatcher{db: db}
	b.q = newBatchQueue(maxEndedTaskBatch, endedTaskBatchWorkers, b.loop, func(c *endedTaskCall) {
		c.err = errStoreClosed
		close(c.done)
	})
	return b
}

func (b *endedTaskBatcher) close() { b.q.close() }

// insert stores an ended task and its result through a batch, and answers
// what the single statement would have.
func (b *endedTaskBatcher) insert(ctx context.Context, task fssp.Task, requests []byte, result fssp.SubResult) error {
	c := &endedTaskCall{ctx: ctx, task: task, requests: requests, result: result, done: make(chan struct{})}
	if err := b.q.put(ctx, c); err != nil {
		return err
	}
	if err := b.q.await(c.done); err != nil {
		return err
	}
	return c.err
}

func (b *endedTaskBatcher) loop(q *batchQueue[*endedTaskCall]) {
	batch := make([]*endedTaskCall, 0, maxEndedTaskBatch)
	for {
		size := 0
		var ok bool
		batch, ok = q.next(batch, func(batch []*endedTaskCall) bool {
			size += len(batch[len(batch)-1].result.Body)
			return len(batch) < maxEndedTaskBatch && size < maxEndedTaskBatchBytes
		})
		if !ok {
			return
		}
		b.store(batch)
	}
}

// store writes one batch and answers each of its tasks.
func (b *endedTaskBatcher) store(batch []*endedTaskCall) {
	// A client that hung up before its task was taken has nothing stored;
	// one that hangs up later does not undo the others' tasks.
	live := batch[:0:0]
	for _, c := range batch {
		if c.err = c.ctx.Err(); c.err != nil {
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	b.db.writeGroups.add(len(live))
	if len(live) > 1 {
		err := b.db.insertEndedTasks(live)
		for _, c := range live {
			if err != nil {
				c.err = b.db.insertEndedTask(context.WithoutCancel(c.ctx), c.task, c.requests, c.result)
			}
			close(c.done)
		}
		return
	}
	// Alone, the single statement: no arrays to unpack.
	c := live[0]
	c.err = b.db.insertEndedTask(context.WithoutCancel(c.ctx), c.task, c.requests, c.result)
	close(c.done)
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
