package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"stend"
	"stend/motivity"
)

func scanMotivityUser(row scanner) (motivity.User, error) {
	var u motivity.User
	err := row.Scan(&u.ID, &u.Identifier, &u.Email, &u.Name, &u.Active, &u.Deleted, &u.ManagerID, &u.ManagesGoals,
		timeValue{&u.CreatedAt}, timeValue{&u.UpdatedAt})
	return u, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (db *Motivity) CreateUser(ctx context.Context, u motivity.User) (motivity.User, error) {
	const op = "sqlstore.CreateUser"
	var err error
	if u.CreatedAt, err = stamp(op, u.CreatedAt); err != nil {
		return motivity.User{}, err
	}
	u.UpdatedAt = u.CreatedAt
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := db.row(ctx, tx, "InsertMotivityUser", u.Identifier, u.Email, u.Name, u.Active, u.Deleted, nullID(u.ManagerID),
			u.ManagesGoals, db.dialect.TimeArg(u.CreatedAt)).Scan(&u.ID)
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, "InsertMotivityBalances", u.ID)
		return err
	})
	if err != nil {
		return motivity.User{}, db.dbErr(op, err)
	}
	return u, nil
}

func (db *Motivity) UpdateUser(ctx context.Context, u motivity.User) (motivity.User, error) {
	const op = "sqlstore.UpdateUser"
	updated, err := stamp(op, u.UpdatedAt)
	if err != nil {
		return motivity.User{}, err
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		old, err := scanMotivityUser(db.row(ctx, tx, "LockMotivityUserByID", u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return stend.Errorf(stend.NotFound, op, "user %d", u.ID)
		}
		if err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "UpdateMotivityUser", u.ID, u.Identifier, u.Email, u.Name, u.Active, u.Deleted,
			nullID(u.ManagerID), u.ManagesGoals, db.dialect.TimeArg(updated)); err != nil {
			return err
		}
		// A user's quests list them only while they are live.
		return db.questLiveness(ctx, tx, old, u)
	})
	if err != nil {
		return motivity.User{}, db.dbErr(op, err)
	}
	// Operators never change an identifier (it is how they name a user),
	// but the store allows it: forget the cached one.
	db.identifierCache.mu.Lock()
	delete(db.identifierCache.names, u.ID)
	db.identifierCache.mu.Unlock()
	// A mentor's identifier or liveness may be part of a quest's definition.
	db.questDefinitions.forget()
	return db.UserByID(ctx, u.ID)
}

func (db *Motivity) UserByID(ctx context.Context, id int64) (motivity.User, error) {
	u, err := scanMotivityUser(db.row(ctx, db.read, "MotivityUserByID", id))
	return u, db.dbErr("sqlstore.UserByID", err)
}

func (db *Motivity) UserByIdentifier(ctx context.Context, identifier string) (motivity.User, error) {
	u, err := scanMotivityUser(db.row(ctx, db.read, "MotivityUserByIdentifier", identifier))
	return u, db.dbErr("sqlstore.UserByIdentifier", err)
}

func (db *Motivity) UserByIdentifierAny(ctx context.Context, identifier string) (motivity.User, error) {
	u, err := scanMotivityUser(db.row(ctx, db.read, "MotivityUserByIdentifierAny", identifier))
	return u, db.dbErr("sqlstore.UserByIdentifierAny", err)
}

func (db *Motivity) Users(ctx context.Context, afterID int64, limit int) ([]motivity.User, error) {
	const op = "sqlstore.Users"
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return collect(db.DB, ctx, op, "MotivityUsers", scanMotivityUser, afterID, limit)
}

// lockUsers finds the users of a change that exist and are not deleted,
// locking them where other nodes could change their badges meanwhile.
func (db *Motivity) lockUsers(ctx context.Context, tx *sql.Tx, identifiers []string) (map[string]int64, []int64, error) {
	ids := map[string]int64{}
	var list []int64
	if len(identifiers) == 0 {
		return ids, nil, nil
	}
	err := eachRow(ctx, db.DB, tx, "LockMotivityUsers", func(r scanner) error {
		var id int64
		var ident string
		err := r.Scan(&id, &ident)
		ids[ident] = id
		list = append(list, id)
		return err
	}, jsonArg(identifiers))
	return ids, list, err
}
