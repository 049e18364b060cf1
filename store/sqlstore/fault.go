package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"stend"
	"stend/fault"
)

var _ fault.Store = (*DB)(nil)

func scanFault(r scanner) (fault.Rule, error) {
	var f fault.Rule
	var seed int64
	err := r.Scan(&f.ID, &f.Name, &f.API, &f.Method, &f.Path, &f.Field, &f.Value, &f.LatencyMS, &f.Cut, &f.Status, &f.Message,
		&f.RetryAfterS, &f.Times, &f.Probability, &seed, &f.Matched, &f.Injected, timeValue{&f.CreatedAt}, &f.Credential, &f.Job)
	f.Seed = uint64(seed)
	return f, err
}

func (db *DB) PutFault(ctx context.Context, f fault.Rule) (fault.Rule, error) {
	const op = "sqlstore.PutFault"
	at, err := stamp(op, f.CreatedAt)
	if err != nil {
		return fault.Rule{}, err
	}
	var out fault.Rule
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var err error
		out, err = scanFault(db.row(ctx, tx, "PutFault", f.Name, f.API, f.Method, f.Path, f.Field, f.Value, f.LatencyMS, f.Cut, f.Status,
			f.Message, f.RetryAfterS, f.Times, f.Probability, int64(f.Seed), db.dialect.TimeArg(at), f.Credential, f.Job))
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, "BumpFaultsVersion")
		return err
	})
	return out, db.dbErr(op, err)
}

func (db *DB) Faults(ctx context.Context) ([]fault.Rule, error) {
	return collect(db, ctx, "sqlstore.Faults", "Faults", scanFault)
}

func (db *DB) DeleteFault(ctx context.Context, id int64) error {
	const op = "sqlstore.DeleteFault"
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, "DeleteFault", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return stend.Errorf(stend.NotFound, op, "no fault %d", id)
		}
		_, err = db.exec(ctx, tx, "BumpFaultsVersion")
		return err
	})
	return db.dbErr(op, err)
}

func (db *DB) ClearFaults(ctx context.Context) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, "ClearFaults")
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = db.exec(ctx, tx, "BumpFaultsVersion")
		return err
	})
	return n, db.dbErr("sqlstore.ClearFaults", err)
}

func (db *DB) MatchFault(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.row(ctx, tx, "MatchFault", id).Scan(&n)
	})
	if errors.Is(err, sql.ErrNoRows) {
		// Deleted meanwhile: no match.
		return 0, stend.Errorf(stend.NotFound, "sqlstore.MatchFault", "no fault %d", id)
	}
	return n, db.dbErr("sqlstore.MatchFault", err)
}

func (db *DB) InjectedFault(ctx context.Context, id int64) error {
	return db.dbErr("sqlstore.InjectedFault", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "InjectedFault", id)
		return err
	}))
}

func (db *DB) FaultsVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.row(ctx, db.read, "FaultsVersion").Scan(&v)
	return v, db.dbErr("sqlstore.FaultsVersion", err)
}
