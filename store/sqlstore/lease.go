package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"stend"
)

var _ stend.LeaseStore = (*DB)(nil)

func (db *DB) TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	var got string
	err := db.row(ctx, db.write, "TakeLease", name, owner, db.dialect.TimeArg(now), db.dialect.TimeArg(until)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // held by another, whose lease has not ended
	}
	if err != nil {
		return false, db.dbErr("sqlstore.TakeLease", err)
	}
	return got == owner, nil
}

func scanLease(row scanner) (stend.Lease, error) {
	var l stend.Lease
	err := row.Scan(&l.Name, &l.Owner, timeValue{&l.Until}, &l.Wanted)
	return l, err
}

func (db *DB) RenewLease(ctx context.Context, name, owner string, until time.Time) (stend.Lease, error) {
	l, err := scanLease(db.row(ctx, db.write, "RenewLease", name, owner, db.dialect.TimeArg(until)))
	if err != nil {
		return stend.Lease{}, db.dbErr("sqlstore.RenewLease", err)
	}
	return l, nil
}

func (db *DB) Lease(ctx context.Context, name string) (stend.Lease, error) {
	l, err := scanLease(db.row(ctx, db.read, "Lease", name))
	if err != nil {
		return stend.Lease{}, db.dbErr("sqlstore.Lease", err)
	}
	return l, nil
}

func (db *DB) WantLease(ctx context.Context, name string) error {
	_, err := db.exec(ctx, db.write, "WantLease", name)
	return db.dbErr("sqlstore.WantLease", err)
}

func (db *DB) ReleaseLease(ctx context.Context, name, owner string) error {
	_, err := db.exec(ctx, db.write, "ReleaseLease", name, owner)
	return db.dbErr("sqlstore.ReleaseLease", err)
}
