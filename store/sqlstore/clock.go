package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"stend"
)

var _ stend.ClockStore = (*DB)(nil)

// ClockState reads the stand clock's offset and version; it is shared by
// every domain, so it belongs to the store itself.
func (db *DB) ClockState(ctx context.Context) (stend.ClockState, error) {
	var us, version int64
	if err := db.row(ctx, db.read, "ClockState").Scan(&us, &version); err != nil {
		return stend.ClockState{}, db.dbErr("sqlstore.ClockState", err)
	}
	return stend.ClockState{Offset: time.Duration(us) * time.Microsecond, Version: version}, nil
}

// AdvanceClock adds by in one statement on the writer, so that concurrent
// moves add up, and moves the running jobs' leases with the clock.
func (db *DB) AdvanceClock(ctx context.Context, by time.Duration) (stend.ClockState, error) {
	const op = "sqlstore.AdvanceClock"
	var us, version int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.row(ctx, tx, "AdvanceClock", by.Microseconds()).Scan(&us, &version); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, "ShiftJobLeases", by.Microseconds())
		return err
	})
	if err != nil {
		return stend.ClockState{}, db.dbErr(op, err)
	}
	return stend.ClockState{Offset: time.Duration(us) * time.Microsecond, Version: version}, nil
}

// SetClockOffset sets the offset and moves the running jobs' leases by the
// difference, in one transaction.
func (db *DB) SetClockOffset(ctx context.Context, off time.Duration) (stend.ClockState, error) {
	const op = "sqlstore.SetClockOffset"
	var us, version, before int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// The offset before, read in the transaction that replaces it: the
		// leases move by the difference.
		if err := db.row(ctx, tx, "LockClockState").Scan(&before, &version); err != nil {
			return err
		}
		if err := db.row(ctx, tx, "SetClockOffset", off.Microseconds()).Scan(&us, &version); err != nil {
			return err
		}
		_, err := db.exec(ctx, tx, "ShiftJobLeases", us-before)
		return err
	})
	if err != nil {
		return stend.ClockState{}, db.dbErr(op, err)
	}
	return stend.ClockState{Offset: time.Duration(us) * time.Microsecond, Version: version}, nil
}
