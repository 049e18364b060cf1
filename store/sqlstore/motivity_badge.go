package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"time"

	"stend"
	"stend/motivity"
)

// badgeRow is a badge as stored, with the count of its live grades.
type badgeRow struct {
	motivity.Badge
	grades int
}

func scanBadge(row scanner) (badgeRow, error) {
	var b badgeRow
	var color sql.NullString
	err := row.Scan(&b.ID, &b.ParentID, &b.Grade, &b.Image, &color, &b.Active, &b.System, &b.Deleted,
		timeValue{&b.CreatedAt}, timeValue{&b.UpdatedAt}, &b.grades)
	if color.Valid {
		b.Color = &color.String
	}
	return b, err
}

type badgeText struct {
	badgeID int64
	locale  string
	motivity.BadgeText
}

func scanBadgeText(row scanner) (badgeText, error) {
	var t badgeText
	var desc sql.NullString
	err := row.Scan(&t.badgeID, &t.locale, &t.Title, &desc, &t.PopupDescription)
	if desc.Valid {
		t.Description = &desc.String
	}
	return t, err
}

func (db *Motivity) PutBadge(ctx context.Context, b motivity.Badge) (motivity.Badge, error) {
	const op = "sqlstore.PutBadge"
	updated, err := stamp(op, b.UpdatedAt)
	if err != nil {
		return motivity.Badge{}, err
	}
	at := db.dialect.TimeArg(updated)
	// Two nodes creating a badge with the same id at once on PostgreSQL
	// both find it free and one insert fails as a unique violation; it is
	// tried again, and then updates. (Without an id, LockNextBadgeID makes
	// them take turns.)
	var id int64
	for try := 0; try < 5; try++ {
		id, err = db.putBadgeTx(ctx, op, b, at)
		if !db.dialect.IsUniqueViolation(err) {
			break
		}
	}
	if err != nil {
		return motivity.Badge{}, db.dbErr(op, err)
	}
	return db.Badge(ctx, id)
}

// putBadgeTx writes b in one transaction and returns its id.
func (db *Motivity) putBadgeTx(ctx context.Context, op string, b motivity.Badge, at any) (int64, error) {
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if b.ParentID != 0 {
			// Grades nest one level deep, as in the document's sample.
			parent, err := scanBadge(db.row(ctx, tx, "BadgeByID", b.ParentID))
			if errors.Is(err, sql.ErrNoRows) {
				return stend.Errorf(stend.NotFound, op, "parent badge %d", b.ParentID)
			}
			if err != nil {
				return err
			}
			if parent.ParentID != 0 {
				return stend.Errorf(stend.Invalid, op, "badge %d is itself a grade; grades nest one level deep", b.ParentID)
			}
		}
		if b.ID == 0 {
			if _, err := db.exec(ctx, tx, "LockNextBadgeID"); err != nil {
				return err
			}
			if err := db.row(ctx, tx, "NextBadgeID").Scan(&b.ID); err != nil {
				return err
			}
		}
		existing, err := scanBadge(db.row(ctx, tx, "BadgeByID", b.ID))
		args := []any{b.ID, nullID(b.ParentID), b.Grade, b.Image, b.Color, b.Active, b.System, b.Deleted, at}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = db.exec(ctx, tx, "InsertBadge", args...)
		case err != nil:
		case b.ParentID != 0 && existing.grades > 0:
			err = stend.Errorf(stend.Invalid, op, "badge %d has grades and cannot become one", b.ID)
		default:
			_, err = db.exec(ctx, tx, "UpdateBadge", args...)
		}
		if err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "DeleteBadgeTexts", b.ID); err != nil {
			return err
		}
		for _, loc := range slices.Sorted(maps.Keys(b.Texts)) {
			t := b.Texts[loc]
			if _, err := db.exec(ctx, tx, "InsertBadgeText", b.ID, loc, t.Title, t.Description, t.PopupDescription); err != nil {
				return err
			}
		}
		return nil
	})
	return b.ID, err
}

func (db *Motivity) Badge(ctx context.Context, id int64) (motivity.Badge, error) {
	const op = "sqlstore.Badge"
	b, err := scanBadge(db.row(ctx, db.read, "BadgeByID", id))
	if err != nil {
		return motivity.Badge{}, db.dbErr(op, err)
	}
	texts, err := collect(db.DB, ctx, op, "BadgeTexts", scanBadgeText, id)
	if err != nil {
		return motivity.Badge{}, err
	}
	b.Texts = map[string]motivity.BadgeText{}
	for _, t := range texts {
		b.Texts[t.locale] = t.BadgeText
	}
	return b.Badge, nil
}

func (db *Motivity) Badges(ctx context.Context) ([]motivity.Badge, error) {
	const op = "sqlstore.Badges"
	// One read transaction so that texts match badges: on SQLite it reads
	// one snapshot; PostgreSQL needs REPEATABLE READ for that (at READ
	// COMMITTED each statement has its own, and a badge deleted between
	// the two would be listed without texts).
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect.Name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	rtx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer rtx.Rollback()
	tx := readTx{rtx}
	var rows []badgeRow
	texts := map[int64]map[string]motivity.BadgeText{}
	err = eachRow(ctx, db.DB, tx, "LiveBadges", func(r scanner) error {
		b, err := scanBadge(r)
		rows = append(rows, b)
		return err
	})
	if err == nil {
		err = eachRow(ctx, db.DB, tx, "LiveBadgeTexts", func(r scanner) error {
			t, err := scanBadgeText(r)
			if texts[t.badgeID] == nil {
				texts[t.badgeID] = map[string]motivity.BadgeText{}
			}
			texts[t.badgeID][t.locale] = t.BadgeText
			return err
		})
	}
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	var out []motivity.Badge
	index := map[int64]int{}
	for _, r := range rows {
		if r.ParentID == 0 {
			r.Texts = texts[r.ID]
			index[r.ID] = len(out)
			out = append(out, r.Badge)
		}
	}
	for _, r := range rows {
		if i, ok := index[r.ParentID]; ok && r.ParentID != 0 {
			r.Texts = texts[r.ID]
			out[i].Children = append(out[i].Children, r.Badge)
		}
	}
	for i := range out {
		slices.SortStableFunc(out[i].Children, func(a, b motivity.Badge) int { return cmp.Compare(a.Grade, b.Grade) })
	}
	return out, nil
}

// InTx runs fn in one write transaction of the Motivity store.
func (db *Motivity) InTx(ctx context.Context, fn func(ctx context.Context, tx motivity.Tx) error) error {
	return db.update(ctx, "sqlstore.Motivity.InTx", func(ctx context.Context, t *tx) error {
		return fn(ctx, motivityTx{t, db})
	})
}

type motivityTx struct {
	*tx
	db *Motivity
}

func (t motivityTx) ChangedBadge(ctx context.Context, id int64) (motivity.Badge, int, error) {
	db := t.db
	b, err := scanBadge(db.row(ctx, t.sql, "BadgeByID", id))
	if errors.Is(err, sql.ErrNoRows) {
		return motivity.Badge{}, 0, stend.Errorf(stend.NotFound, "sqlstore.ChangedBadge", "no badge %d", id)
	}
	if err != nil {
		return motivity.Badge{}, 0, err
	}
	if !b.Deleted && b.ParentID != 0 {
		// A grade of a deleted badge is deleted with it: Badges leaves it
		// out, so a change does not find it either. The parent's active
		// and system flags are its own; the grade's decide.
		parent, err := scanBadge(db.row(ctx, t.sql, "BadgeByID", b.ParentID))
		if err != nil {
			return motivity.Badge{}, 0, err
		}
		b.Deleted = parent.Deleted
	}
	return b.Badge, b.grades, nil
}

func (t motivityTx) LockUsers(ctx context.Context, identifiers []string) (map[string]int64, []int64, error) {
	return t.db.lockUsers(ctx, t.sql, identifiers)
}

func (t motivityTx) HeldBadges(ctx context.Context, users []int64, badgeID, parentID int64) ([]motivity.HeldBadge, error) {
	var out []motivity.HeldBadge
	err := eachRow(ctx, t.db.DB, t.sql, "HeldBadges", func(r scanner) error {
		var h motivity.HeldBadge
		err := r.Scan(&h.UserID, &h.BadgeID, &h.Grade, &h.Deleted)
		out = append(out, h)
		return err
	}, jsonArg(users), badgeID, parentID)
	return out, err
}

func (t motivityTx) DeleteHoldings(ctx context.Context, holdings []motivity.Holding) error {
	pairs := make([][2]int64, len(holdings))
	for i, h := range holdings {
		pairs[i] = [2]int64{h.UserID, h.BadgeID}
	}
	_, err := t.db.exec(ctx, t.sql, "DeleteUserBadges", jsonArg(pairs))
	return err
}

func (t motivityTx) InsertHoldings(ctx context.Context, users []int64, badgeID int64, at time.Time) error {
	_, err := t.db.exec(ctx, t.sql, "InsertUserBadges", jsonArg(users), badgeID, t.db.dialect.TimeArg(at))
	return err
}

func (t motivityTx) InsertBadgeEvents(ctx context.Context, events []motivity.BadgeEvent, actor string, at time.Time) error {
	rows := make([][3]any, len(events))
	for i, e := range events {
		rows[i] = [3]any{e.UserID, e.BadgeID, e.Action}
	}
	_, err := t.db.exec(ctx, t.sql, "InsertBadgeEvents", jsonArg(rows), actor, t.db.dialect.TimeArg(at))
	return err
}

func (db *Motivity) UserBadges(ctx context.Context, userID int64) ([]motivity.UserBadge, error) {
	return collect(db.DB, ctx, "sqlstore.UserBadges", "UserBadges", func(r scanner) (motivity.UserBadge, error) {
		var b motivity.UserBadge
		err := r.Scan(&b.BadgeID, timeValue{&b.AssignedAt})
		return b, err
	}, userID)
}

func (db *Motivity) BadgeEvents(ctx context.Context, userID int64) ([]motivity.BadgeEvent, error) {
	return collect(db.DB, ctx, "sqlstore.BadgeEvents", "BadgeEvents", func(r scanner) (motivity.BadgeEvent, error) {
		var e motivity.BadgeEvent
		err := r.Scan(&e.ID, &e.UserID, &e.BadgeID, &e.Action, &e.Actor, timeValue{&e.At})
		return e, err
	}, userID)
}
