package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Group commit, for databases with a single writer (SQLite): write
// transactions that arrive while another commits are run together in one
// transaction, each inside its own savepoint, so that a failing one is
// rolled back alone and the rest share one commit. A commit costs the same
// page writes and lock calls whether it carries one report or thirty, so
// under concurrent load this multiplies throughput and cuts the queueing
// that made the tail latency; alone, a transaction runs as before.

// maxGroup bounds one group so that a burst cannot make one commit, and the
// wait of its first member, arbitrarily long.
const maxGroup = 64

type groupTx struct {
	ctx  context.Context
	fn   txFunc
	done chan error
}

type committer struct {
	db      *DB
	queue   chan groupTx
	stop    chan struct{}
	exited  chan struct{} // closed when loop has returned
	once    sync.Once
	stopped sync.WaitGroup
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, queue: make(chan groupTx, maxGroup), stop: make(chan struct{}), exited: make(chan struct{})}
	c.stopped.Go(func() {
		defer close(c.exited)
		c.loop()
	})
	return c
}

func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	c.stopped.Wait()
}

// run hands fn to the committer and waits for its outcome.
func (c *committer) run(ctx context.Context, fn txFunc) error {
	g := groupTx{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case c.queue <- g:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errStoreClosed
	}
	// Once queued, the outcome is awaited even if ctx ends: the caller must
	// not report failure for a transaction that may still commit. A member
	// queued after the loop's last look at the queue is never run.
	select {
	case err := <-g.done:
		return err
	case <-c.exited:
		select {
		case err := <-g.done:
			return err
		default:
			return errStoreClosed
		}
	}
}

var errStoreClosed = errors.New("sqlstore: store closed")

func (c *committer) loop() {
	group := make([]groupTx, 0, maxGroup)
	for {
		group = group[:0]
		select {
		case g := <-c.queue:
			group = append(group, g)
		case <-c.stop:
			// Whoever queued before the stop is still waiting for an
			// answer.
			for {
				select {
				case g := <-c.queue:
					g.done <- errStoreClosed
				default:
					return
				}
			}
		}
	fill:
		for len(group) < maxGroup {
			select {
			case g := <-c.queue:
				group = append(group, g)
			default:
				break fill
			}
		}
		c.commit(group)
	}
}

// commit runs a group in one transaction. Members run their statements
// with their own context's values but without its cancellation: SQLite
// answers an interrupted statement by rolling back the whole transaction,
// which would fail every other member; a member whose client has gone is
// skipped before it starts instead. A lone transaction is treated the same
// way, so a request that reached the store is stored or not regardless of
// the client hanging up.
func (c *committer) commit(group []groupTx) {
	c.db.writeGroups.add(len(group))
	ctx := context.Background()
	errs := make([]error, len(group))
	err := c.db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for i, g := range group {
			if errs[i] = g.ctx.Err(); errs[i] != nil {
				continue
			}
			if len(group) == 1 {
				errs[i] = member(g, tx)
				return errs[i]
			}
			if _, err := tx.ExecContext(ctx, "SAVEPOINT member"); err != nil {
				return err
			}
			errs[i] = member(g, tx)
			release := "RELEASE member"
			if errs[i] != nil {
				release = "ROLLBACK TO member; RELEASE member"
			}
			if _, err := tx.ExecContext(ctx, release); err != nil {
				return err
			}
		}
		return nil
	})
	for i, g := range group {
		if err != nil && errs[i] == nil {
			g.done <- err
		} else {
			g.done <- errs[i]
		}
	}
}

// member runs one member's function, turning a panic into its error: the
// committer goroutine serves every writer and must not die with one.
func member(g groupTx, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sqlstore: panic in a transaction: %v", v)
		}
	}()
	return g.fn(context.WithoutCancel(g.ctx), tx)
}
