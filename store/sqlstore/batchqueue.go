package sqlstore

import (
	"context"
	"sync"
)

// batchQueue hands requests to the goroutines that write them in groups:
// SQLite's committer, and on PostgreSQL the points batcher and the
// statement batchers. A worker takes the first request waiting and every other one
// waiting then, so that alone a request is written at once and under load
// many share one commit.
type batchQueue[T any] struct {
	queue  chan T
	stop   chan struct{}
	exited chan struct{} // closed once every worker has returned
	once   sync.Once
}

// newBatchQueue starts workers running work on the batches taken from a
// queue of size requests. refuse answers a request still queued when the
// store closes.
func newBatchQueue[T any](size, workers int, work func(q *batchQueue[T]), refuse func(T)) *batchQueue[T] {
	q := &batchQueue[T]{queue: make(chan T, size), stop: make(chan struct{}), exited: make(chan struct{})}
	var running sync.WaitGroup
	for range workers {
		running.Go(func() {
			work(q)
			// Whoever queued before the stop is still waiting for an
			// answer.
			for {
				select {
				case r := <-q.queue:
					refuse(r)
				default:
					return
				}
			}
		})
	}
	go func() {
		running.Wait()
		close(q.exited)
	}()
	return q
}

// close stops the workers once their batches are written and waits for
// them.
func (q *batchQueue[T]) close() {
	q.once.Do(func() { close(q.stop) })
	<-q.exited
}

// put queues r, unless ctx ends or the store closes first.
func (q *batchQueue[T]) put(ctx context.Context, r T) error {
	select {
	case q.queue <- r:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-q.stop:
		return errStoreClosed
	}
}

// await waits for a queued request's answer, even if its context ends: its
// changes may commit, and the caller must not report them as not made. A
// request queued after the workers' last look at the queue is never
// answered: errStoreClosed.
func (q *batchQueue[T]) await(answered <-chan struct{}) error {
	select {
	case <-answered:
		return nil
	case <-q.exited:
		select {
		case <-answered:
			return nil
		default:
			return errStoreClosed
		}
	}
}

// next waits for a request and appends it to batch[:0], with those that
// wait behind it while more says the batch may grow; false once the store
// closes.
func (q *batchQueue[T]) next(batch []T, more func(batch []T) bool) ([]T, bool) {
	batch = batch[:0]
	select {
	case r := <-q.queue:
		batch = append(batch, r)
	case <-q.stop:
		return batch, false
	}
	for more(batch) {
		select {
		case r := <-q.queue:
			batch = append(batch, r)
		default:
			return batch, true
		}
	}
	return batch, true
}

// batchCall is what the caller of a statement batcher waits on; each
// batcher's call embeds it beside its own arguments and results.
type batchCall struct {
	ctx      context.Context
	err      error
	done     chan struct{}
	answered bool // by its batcher's worker, which alone reads it
}

func (c *batchCall) call() *batchCall { return c }

// answer lets the caller go with what the call holds now; nothing of the
// call may be written after it.
func (c *batchCall) answer() {
	c.answered = true
	close(c.done)
}

type batchedCall interface{ call() *batchCall }

// statementBatcher merges the calls of one node that wait while its earlier
// ones are being written into one statement and one commit on PostgreSQL
// (the new reports', the ended tasks'). store gets only the calls whose
// clients were still waiting when the batch was taken, so that a client
// that hung up before has nothing stored, and one that hangs up later does
// not undo the others'. store sets each call's results and may answer it
// at once (a call stored alone after a failed batch need not wait for the
// others'); those it did not answer are answered when it returns.
type statementBatcher[T batchedCall] struct {
	q *batchQueue[T]
}

// newStatementBatcher starts workers taking up to size calls a batch, and
// no more once the weights of those taken reach maxWeight.
func newStatementBatcher[T batchedCall](size, workers int, weight func(T) int, maxWeight int,
	groups *writeGroupCounts, store func(live []T)) *statementBatcher[T] {
	work := func(q *batchQueue[T]) {
		batch := make([]T, 0, size)
		live := make([]T, 0, size)
		for {
			total := 0
			var ok bool
			batch, ok = q.next(batch, func(batch []T) bool {
				total += weight(batch[len(batch)-1])
				return len(batch) < size && total < maxWeight
			})
			if !ok {
				return
			}
			live = live[:0]
			for _, c := range batch {
				if cc := c.call(); cc.ctx.Err() != nil {
					cc.err = cc.ctx.Err()
					cc.answer()
				} else {
					live = append(live, c)
				}
			}
			if len(live) == 0 {
				continue
			}
			groups.add(len(live))
			store(live)
			for _, c := range live {
				if cc := c.call(); !cc.answered {
					cc.answer()
				}
			}
		}
	}
	return &statementBatcher[T]{q: newBatchQueue(size, workers, work, func(c T) {
		cc := c.call()
		cc.err = errStoreClosed
		cc.answer()
	})}
}

func (b *statementBatcher[T]) close() { b.q.close() }

// do queues c and waits for its answer, even if ctx ends once c is queued
// (batchQueue.await).
func (b *statementBatcher[T]) do(ctx context.Context, c T) error {
	cc := c.call()
	cc.ctx, cc.done = ctx, make(chan struct{})
	if err := b.q.put(ctx, c); err != nil {
		return err
	}
	if err := b.q.await(cc.done); err != nil {
		return err
	}
	return cc.err
}
