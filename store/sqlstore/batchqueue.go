package sqlstore

import (
	"context"
	"sync"
)

// batchQueue hands requests to the goroutines that write them in groups:
// SQLite's committer, and on PostgreSQL the points and new reports'
// batchers. A worker takes the first request waiting and every other one
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
