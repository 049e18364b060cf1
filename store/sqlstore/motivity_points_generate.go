package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"stend/motivity"
)

// Generated points (motivity.PointsGenerator): the batches of one import
// are one group of the points path (applyPointsGroup), so that the
// generator locks, checks and writes exactly as requests do, with a few
// statements for tens of thousands of changes.

func (db *Motivity) ImportPoints(ctx context.Context, batches []motivity.PointsBatch) ([][]motivity.PointsOutcome, error) {
	calls := make([]*pointsCall, len(batches))
	for i := range batches {
		calls[i] = &pointsCall{batch: &batches[i]}
	}
	err := db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.applyPointsGroup(ctx, tx, calls)
	})
	if err != nil {
		return nil, db.dbErr("sqlstore.ImportPoints", err)
	}
	out := make([][]motivity.PointsOutcome, len(calls))
	for i, c := range calls {
		out[i] = c.out
	}
	return out, nil
}

func (db *Motivity) RefreshPointsStatistics(ctx context.Context) error {
	// The users and balances statements are the quest generator's: the
	// same tables, loaded the same way.
	for _, name := range []string{"RefreshLedgerStatistics", "RefreshQuestUserStatistics", "RefreshQuestBalanceStatistics"} {
		if _, err := db.write.ExecContext(ctx, db.query(name)); err != nil {
			return db.dbErr("sqlstore.RefreshPointsStatistics", fmt.Errorf("%s: %w", name, err))
		}
	}
	return nil
}
