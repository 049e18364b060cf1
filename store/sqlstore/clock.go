package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"stend"
)

var _ stend.ClockStore = (*DB)(nil)

// ClockOffset reads the stand clock's offset; it is shared by every domain,
// so it belongs to the store itself.
func (db *DB) ClockOffset(ctx context.Context) (time.Duration, error) {
	var us int64
	if err := db.row(ctx, db.read, "ClockOffset").Scan(&us); err != nil {
		return 0, db.dbErr("sqlstore.ClockOffset", err)
	}
	return time.Duration(us) * time.Microsecond, nil
}

// AdvanceClock adds by in one statement on the writer, so that concurrent
// moves add up, and moves the running jobs' leases with the clock.
func (db *DB) AdvanceClock(ctx context.Context, by time.Duration) (time.Duration, error) {
	const op = "sqlstore.AdvanceClock"
	var us int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.row(ctx, tx, "AdvanceClock", by.Microseconds()).Scan(&us); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, "ShiftJobLeases", by.Microseconds())
		return err
	})
	if err != nil {
		return 0, db.dbErr(op, err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
