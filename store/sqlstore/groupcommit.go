package sqlstore

import (
	"context"
	"database/sql"
	"errors"
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
	fn   func(*sql.Tx) error
	done chan error
}

type committer struct {
	db      *DB
	queue   chan groupTx
	stop    chan struct{}
	once    sync.Once
	stopped sync.WaitGroup
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db, queue: make(chan groupTx, maxGroup), stop: make(chan struct{})}
	c.stopped.Go(c.loop)
	return c
}

func (c *committer) close() {
	c.once.Do(func() { close(c.stop) })
	c.stopped.Wait()
}

// run hands fn to the committer and waits for its outcome.
func (c *committer) run(ctx context.Context, fn func(*sql.Tx) error) error {
	g := groupTx{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case c.queue <- g:
	case <-ctx.Done():
		return ctx.Err()
	case <-c.stop:
		return errStoreClosed
	}
	// Once queued, the outcome is awaited even if ctx ends: the caller must
	// not report failure for a transaction that may still commit.
	return <-g.done
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
			return
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

// commit runs a group in one transaction. Each member's statements run with
// its own values but not its cancellation: a client that hangs up after
// sending a whole request still gets it stored, as with a lone transaction
// that had reached its commit.
func (c *committer) commit(group []groupTx) {
	ctx := context.Background()
	if len(group) == 1 {
		group[0].done <- c.db.plainTx(ctx, group[0].fn)
		return
	}
	errs := make([]error, len(group))
	err := c.db.plainTx(ctx, func(tx *sql.Tx) error {
		for i, g := range group {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT member"); err != nil {
				return err
			}
			errs[i] = g.fn(tx)
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
		if err != nil {
			g.done <- err
		} else {
			g.done <- errs[i]
		}
	}
}
