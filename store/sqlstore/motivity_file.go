package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"stend/motivity"
)

var _ motivity.FileStore = (*Motivity)(nil)

func (db *Motivity) InsertFile(ctx context.Context, f motivity.File) (motivity.File, error) {
	const op = "sqlstore.InsertFile"
	if err := motivity.CheckFile(f); err != nil {
		return motivity.File{}, err
	}
	var err error
	if f.CreatedAt, err = stamp(op, f.CreatedAt); err != nil {
		return motivity.File{}, err
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.row(ctx, tx, "InsertMotivityFile", f.Name, f.Size, f.DeclaredType, f.SHA256, f.BlobKey, f.Origin,
			db.dialect.TimeArg(f.CreatedAt)).Scan(&f.ID)
	})
	if err != nil {
		return motivity.File{}, db.dbErr(op, err)
	}
	return f, nil
}

func scanFile(row scanner) (motivity.File, error) {
	var f motivity.File
	var deleted nullTime
	err := row.Scan(&f.ID, &f.Name, &f.Size, &f.DeclaredType, &f.SHA256, &f.BlobKey, &f.Origin, timeValue{&f.CreatedAt}, &deleted)
	f.DeletedAt = timePtr(deleted)
	return f, err
}

func (db *Motivity) File(ctx context.Context, id int64) (motivity.File, error) {
	f, err := scanFile(db.row(ctx, db.read, "MotivityFile", id))
	if err != nil {
		return motivity.File{}, db.dbErr("sqlstore.File", err)
	}
	return f, nil
}

func (db *Motivity) Files(ctx context.Context, afterID int64, limit int) ([]motivity.File, error) {
	return collect(db.DB, ctx, "sqlstore.Files", "MotivityFiles", scanFile, afterID, limit)
}

func (db *Motivity) DeleteFile(ctx context.Context, id int64, at time.Time) (motivity.File, error) {
	const op = "sqlstore.DeleteFile"
	at, err := stamp(op, at)
	if err != nil {
		return motivity.File{}, err
	}
	var f motivity.File
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		f, err = scanFile(db.row(ctx, tx, "DeleteMotivityFile", id, db.dialect.TimeArg(at)))
		return err
	})
	// The file may be a quest's or a task's preview image.
	db.questDefinitions.forget()
	if err != nil {
		return motivity.File{}, db.dbErr(op, err)
	}
	return f, nil
}

func (db *Motivity) FileKeysHeld(ctx context.Context, keys []string) (map[string]bool, error) {
	return db.keysHeld(ctx, "sqlstore.FileKeysHeld", "MotivityFileKeysHeld", keys)
}

// keysHeld runs query, which lists which of keys are still wanted (by a
// record, or by a snapshot), after waiting for any snapshot being copied.
func (db *Motivity) keysHeld(ctx context.Context, op, query string, keys []string) (map[string]bool, error) {
	held := map[string]bool{}
	if len(keys) == 0 {
		return held, nil
	}
	// Without a guard (SQLite: one writer at a time) one statement on the
	// readers; with one, a transaction, whose statements the readers' pool
	// could not run on SQLite.
	if db.query("GuardSnapshotCopies") == "" {
		found, err := collect(db.DB, ctx, op, query, func(row scanner) (k string, err error) {
			return k, row.Scan(&k)
		}, jsonArg(keys))
		for _, k := range found {
			held[k] = true
		}
		return held, err
	}
	// First wait for any snapshot being copied, whose blob references the
	// statement after the guard then reads (see GuardSnapshotCopies).
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer tx.Rollback()
	if err := db.execIfAny(ctx, tx, "GuardSnapshotCopies"); err != nil {
		return nil, db.dbErr(op, err)
	}
	err = eachRow(ctx, db.DB, tx, query, func(row scanner) error {
		var k string
		if err := row.Scan(&k); err != nil {
			return err
		}
		held[k] = true
		return nil
	}, jsonArg(keys))
	return held, db.dbErr(op, err)
}
