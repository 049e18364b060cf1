package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	err  error
	done chan struct{}
}

type committer struct {
	db *DB
	q  *batchQueue[*groupTx]
}

func newCommitter(db *DB) *committer {
	c := &committer{db: db}
	c.q = newBatchQueue(maxGroup, 1, c.loop, func(g *groupTx) {
		g.err = errStoreClosed
		close(g.done)
	})
	return c
}

func (c *committer) close() { c.q.close() }

// run hands fn to the committer and waits for its outcome.
func (c *committer) run(ctx context.Context, fn txFunc) error {
	g := &groupTx{ctx: ctx, fn: fn, done: make(chan struct{})}
	if err := c.q.put(ctx, g); err != nil {
		return err
	}
	if err := c.q.await(g.done); err != nil {
		return err
	}
	return g.err
}

var errStoreClosed = errors.New("sqlstore: store closed")

func (c *committer) loop(q *batchQueue[*groupTx]) {
	group := make([]*groupTx, 0, maxGroup)
	for {
		var ok bool
		if group, ok = q.next(group, func(g []*groupTx) bool { return len(g) < maxGroup }); !ok {
			return
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
func (c *committer) commit(group []*groupTx) {
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
		g.err = errs[i]
		if err != nil && errs[i] == nil {
			g.err = err
		}
		close(g.done)
	}
}

// member runs one member's function, turning a panic into its error: the
// committer goroutine serves every writer and must not die with one.
func member(g *groupTx, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("sqlstore: panic in a transaction: %v", v)
		}
	}()
	return g.fn(context.WithoutCancel(g.ctx), tx)
}
