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

// ReestroProcessingChecks counts the Reestro checks in Processing, on the
// index that holds only them (for metrics, at every scrape).
func (db *DB) ReestroProcessingChecks(ctx context.Context) ([]StateCount, error) {
	return collect(db, ctx, "sqlstore.ReestroProcessingChecks", "ReestroProcessingChecks", scanStateCount)
}

// ReestroFinishedChecks counts the finished Reestro checks, by state: all
// of them, read whole (for metrics, seldom).
func (db *DB) ReestroFinishedChecks(ctx context.Context) ([]StateCount, error) {
	return collect(db, ctx, "sqlstore.ReestroFinishedChecks", "ReestroFinishedChecks", scanStateCount)
}

func scanStateCount(r scanner) (StateCount, error) {
	var c StateCount
	return c, r.Scan(&c.State, &c.Count, timeValue{&c.Oldest})
}
