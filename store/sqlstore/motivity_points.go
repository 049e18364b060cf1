package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"stend"
	"stend/motivity"
)

// Points. A group of batches is applied in one write transaction: the
// balances of every user named are read and locked (LockBalances: row
// locks on PostgreSQL, the single writer on SQLite), the changes are worked
// out in order on the values read, then written with one UPDATE and one
// INSERT of ledger entries. Under the locks the values cannot change, so
// computing in Go is as safe as a conditional UPDATE, and a group costs
// five round trips and one commit however many changes it carries.
//
// Concurrent requests of one node are grouped (pointsBatcher): with many
// clients changing the same few balances, what bounds throughput is how
// long a balance stays locked, and a group holds its locks for one commit
// instead of one commit per request. Nodes sharing a PostgreSQL database
// lock balances in the same (user, balance type) order, so their groups
// wait for each other instead of deadlocking. The ledger's foreign key takes
// FOR KEY SHARE on each user in request order; badge changes lock users
// with FOR NO KEY UPDATE, which does not conflict with it (see
// LockMotivityUsers), so points and badges on the same users cannot form a
// lock cycle either.

// Bounds of one group: enough to absorb a burst from many clients, small
// enough that the transaction, and the wait of its first member, stay
// short.
const (
	maxPointsGroupBatches = 128
	maxPointsGroupItems   = 2048
)

// pointsLockTimeout bounds the wait of a group for its balance locks on
// PostgreSQL (lock_timeout, SQLSTATE 55P03). A lock held by a session that
// does not end (a stuck node, an operator's psql) would otherwise stall
// every points request of the node for ever, since a queued request waits
// for its group. Past it the group fails as Unavailable (503 in the API)
// and changes nothing. Points groups of other nodes hold these locks for
// one commit, far below it.
var pointsLockTimeout = 5 * time.Second

// errLockTimeout reports whether err is PostgreSQL's lock_not_available.
func errLockTimeout(err error) bool {
	var state interface{ SQLState() string }
	return errors.As(err, &state) && state.SQLState() == "55P03"
}

type pointsCall struct {
	batch *motivity.PointsBatch
	out   []motivity.PointsOutcome
	err   error
	done  chan struct{}
}

type pointsBatcher struct {
	db *Motivity
	q  *batchQueue[*pointsCall]
}

func newPointsBatcher(db *Motivity) *pointsBatcher {
	p := &pointsBatcher{db: db}
	p.q = newBatchQueue(maxPointsGroupBatches, 1, p.loop, func(c *pointsCall) {
		c.err = errStoreClosed
		close(c.done)
	})
	return p
}

func (p *pointsBatcher) close() { p.q.close() }

func (db *Motivity) ApplyPoints(ctx context.Context, b motivity.PointsBatch) ([]motivity.PointsOutcome, error) {
	const op = "sqlstore.ApplyPoints"
	if len(b.Items) == 0 {
		return nil, nil
	}
	c := &pointsCall{batch: &b, done: make(chan struct{})}
	if db.group != nil {
		// Group commit groups requests already; a batcher in front would
		// only add a hand-over.
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			return db.applyPointsGroup(ctx, tx, []*pointsCall{c})
		})
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		return c.out, nil
	}
	q := db.points.q
	if err := q.put(ctx, c); err != nil {
		if errors.Is(err, errStoreClosed) {
			return nil, db.dbErr(op, err)
		}
		return nil, err
	}
	if err := q.await(c.done); err != nil {
		return nil, db.dbErr(op, err)
	}
	if c.err != nil {
		return nil, db.dbErr(op, c.err)
	}
	return c.out, nil
}

func (p *pointsBatcher) loop(q *batchQueue[*pointsCall]) {
	group := make([]*pointsCall, 0, maxPointsGroupBatches)
	for {
		items := 0
		var ok bool
		group, ok = q.next(group, func(g []*pointsCall) bool {
			items += len(g[len(g)-1].batch.Items)
			return len(g) < maxPointsGroupBatches && items < maxPointsGroupItems
		})
		if !ok {
			return
		}
		// Not the callers' contexts: one client hanging up must not undo
		// the others' changes.
		err := p.db.inTx(context.Background(), func(ctx context.Context, tx *sql.Tx) error {
			if _, err := p.db.exec(ctx, tx, "PointsLockTimeout", fmt.Sprintf("%dms", pointsLockTimeout.Milliseconds())); err != nil {
				return err
			}
			return p.db.applyPointsGroup(ctx, tx, group)
		})
		if errLockTimeout(err) {
			err = &stend.Error{Kind: stend.Unavailable, Op: "sqlstore.ApplyPoints", Err: err}
		}
		for _, c := range group {
			if err != nil {
				c.out, c.err = nil, err
			}
			close(c.done)
		}
	}
}

type balanceKey struct {
	identifier string
	balance    motivity.BalanceType
}

type balanceRow struct {
	userID int64
	amount int64
}

func (db *Motivity) applyPointsGroup(ctx context.Context, tx *sql.Tx, group []*pointsCall) error {
	var idents []string
	seen := map[string]bool{}
	for _, c := range group {
		for _, it := range c.batch.Items {
			if !seen[it.Identifier] {
				seen[it.Identifier] = true
				idents = append(idents, it.Identifier)
			}
		}
	}
	users := map[string]int64{}
	balances := map[balanceKey]*balanceRow{}
	err := eachRow(ctx, db.DB, tx, "LockBalances", func(r scanner) error {
		var ident string
		var row balanceRow
		var t string
		if err := r.Scan(&ident, &row.userID, &t, &row.amount); err != nil {
			return err
		}
		users[ident] = row.userID
		balances[balanceKey{ident, motivity.BalanceType(t)}] = &row
		return nil
	}, jsonArg(idents))
	if err != nil {
		return err
	}
	var entries [][8]any
	changed := map[balanceKey]bool{}
	for _, c := range group {
		c.out = make([]motivity.PointsOutcome, len(c.batch.Items))
		at := c.batch.At.UnixMicro()
		for i, it := range c.batch.Items {
			o := &c.out[i]
			_, o.UserFound = users[it.Identifier]
			if !o.UserFound || it.Balance == "" {
				continue
			}
			key := balanceKey{it.Identifier, it.Balance}
			row := balances[key]
			if row == nil {
				return fmt.Errorf("user %q has no %s balance", it.Identifier, it.Balance)
			}
			switch {
			case it.Rejected:
			case row.amount+it.Amount < 0:
				o.Insufficient = true
			default:
				row.amount += it.Amount
				o.Applied = true
				changed[key] = true
				entries = append(entries, [8]any{row.userID, it.Balance, it.Amount, row.amount, it.Message, c.batch.Actor, c.batch.RequestID, at})
			}
			o.Balance = row.amount
		}
	}
	if len(entries) == 0 {
		return nil
	}
	set := make([][3]any, 0, len(changed))
	for key := range changed {
		row := balances[key]
		set = append(set, [3]any{row.userID, key.balance, row.amount})
	}
	if _, err := db.exec(ctx, tx, "SetBalances", jsonArg(set)); err != nil {
		return err
	}
	_, err = db.exec(ctx, tx, "InsertLedgerEntries", jsonArg(entries))
	return err
}

func (db *Motivity) Balances(ctx context.Context, userID int64) ([]motivity.Balance, error) {
	const op = "sqlstore.Balances"
	got, err := collect(db.DB, ctx, op, "Balances", func(r scanner) (motivity.Balance, error) {
		var b motivity.Balance
		err := r.Scan(&b.Type, &b.Amount)
		return b, err
	}, userID)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		if _, err := db.UserByID(ctx, userID); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	slices.SortFunc(got, func(a, b motivity.Balance) int {
		return cmp.Compare(slices.Index(motivity.BalanceTypes, a.Type), slices.Index(motivity.BalanceTypes, b.Type))
	})
	return got, nil
}

func (db *Motivity) Ledger(ctx context.Context, f motivity.LedgerFilter) ([]motivity.LedgerEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	return collect(db.DB, ctx, "sqlstore.Ledger", "Ledger", func(r scanner) (motivity.LedgerEntry, error) {
		var e motivity.LedgerEntry
		err := r.Scan(&e.ID, &e.UserID, &e.Balance, &e.Amount, &e.BalanceAfter, &e.Message, &e.Actor, &e.RequestID, timeValue{&e.At})
		return e, err
	}, f.UserID, string(f.Balance), f.AfterID, f.Limit)
}
