package sqlstore

import (
	"context"
	"time"
)

// StateCount is how many tasks or checks are in a state, and when the
// oldest of them was created.
type StateCount struct {
	State  int
	Count  int64
	Oldest time.Time
}

// FSSPTaskStates counts the FSSP tasks kept, by state (for metrics).
func (db *DB) FSSPTaskStates(ctx context.Context) ([]StateCount, error) {
	return collect(db, ctx, "sqlstore.FSSPTaskStates", "FSSPTaskStates", scanStateCount)
}

// ReestroCheckStates counts the Reestro checks, by state (for metrics).
func (db *DB) ReestroCheckStates(ctx context.Context) ([]StateCount, error) {
	return collect(db, ctx, "sqlstore.ReestroCheckStates", "ReestroCheckStates", scanStateCount)
}

func scanStateCount(r scanner) (StateCount, error) {
	var c StateCount
	return c, r.Scan(&c.State, &c.Count, timeValue{&c.Oldest})
}
