package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"

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
	if b.ID < 0 || b.ParentID < 0 || b.ParentID != 0 && b.ParentID == b.ID {
		return motivity.Badge{}, stend.Errorf(stend.Invalid, op, "bad badge or parent id")
	}
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

// badgeTx loads the badge of a change inside the transaction and says why
// it cannot be used, if it cannot.
func (db *Motivity) badgeTx(ctx context.Context, tx *sql.Tx, c motivity.BadgeChange) (badgeRow, error) {
	b, err := scanBadge(db.row(ctx, tx, "BadgeByID", c.BadgeID))
	if errors.Is(err, sql.ErrNoRows) {
		return b, &motivity.BadgeRefusal{NotFound: true}
	}
	if err != nil {
		return b, err
	}
	if !b.Deleted && b.ParentID != 0 {
		// A grade of a deleted badge is deleted with it: Badges leaves it
		// out, so it is not found here either. The parent's active and
		// system flags are its own; the grade's decide.
		parent, err := scanBadge(db.row(ctx, tx, "BadgeByID", b.ParentID))
		if err != nil {
			return b, err
		}
		b.Deleted = parent.Deleted
	}
	if b.Deleted {
		return b, &motivity.BadgeRefusal{NotFound: true}
	}
	r := motivity.BadgeRefusal{Inactive: !b.Active && !c.AllowInactive, System: b.System, Parent: b.grades > 0}
	if r != (motivity.BadgeRefusal{}) {
		return b, &r
	}
	return b, nil
}

type heldBadge struct {
	user, badge int64
	grade       int
	deleted     bool
}

func (db *Motivity) heldBadges(ctx context.Context, tx *sql.Tx, users []int64, badgeID, parentID int64) ([]heldBadge, error) {
	var out []heldBadge
	err := eachRow(ctx, db.DB, tx, "HeldBadges", func(r scanner) error {
		var h heldBadge
		err := r.Scan(&h.user, &h.badge, &h.grade, &h.deleted)
		out = append(out, h)
		return err
	}, jsonArg(users), badgeID, parentID)
	return out, err
}

// changeBadge runs a badge change in one transaction: the badge checked,
// the users found and locked, then fn with the live users; fn answers the
// users it refused for holding a higher grade.
func (db *Motivity) changeBadge(ctx context.Context, op string, c motivity.BadgeChange,
	fn func(ctx context.Context, tx *sql.Tx, badge badgeRow, users []int64) (map[int64]bool, error)) ([]motivity.BadgeOutcome, error) {
	out := make([]motivity.BadgeOutcome, len(c.Identifiers))
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		badge, err := db.badgeTx(ctx, tx, c)
		if err != nil {
			return err
		}
		ids, users, err := db.lockUsers(ctx, tx, c.Identifiers)
		var higher map[int64]bool
		if err == nil && len(users) > 0 {
			higher, err = fn(ctx, tx, badge, users)
		}
		for i, ident := range c.Identifiers {
			id, ok := ids[ident]
			out[i] = motivity.BadgeOutcome{Identifier: ident, Found: ok, HigherGrade: ok && higher[id]}
		}
		return err
	})
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	return out, nil
}

func (db *Motivity) AssignBadge(ctx context.Context, c motivity.BadgeChange) ([]motivity.BadgeOutcome, error) {
	return db.changeBadge(ctx, "sqlstore.AssignBadge", c, func(ctx context.Context, tx *sql.Tx, badge badgeRow, users []int64) (map[int64]bool, error) {
		held, err := db.heldBadges(ctx, tx, users, badge.ID, badge.ParentID)
		if err != nil {
			return nil, err
		}
		has := map[int64]bool{}
		higher := map[int64]bool{}
		others := map[int64][]int64{}
		for _, h := range held {
			switch {
			case h.badge == badge.ID:
				has[h.user] = true
			case !h.deleted && h.grade > badge.Grade:
				higher[h.user] = true
			default:
				// A lower grade, or one whose badge was deleted: it goes,
				// one grade per user.
				others[h.user] = append(others[h.user], h.badge)
			}
		}
		var assign []int64
		var replaced [][2]int64
		var events [][3]any
		for _, u := range users {
			if higher[u] {
				continue
			}
			for _, old := range others[u] {
				replaced = append(replaced, [2]int64{u, old})
				events = append(events, [3]any{u, old, "replaced"})
			}
			if !has[u] {
				assign = append(assign, u)
				events = append(events, [3]any{u, badge.ID, "assigned"})
			}
		}
		at := db.dialect.TimeArg(c.At)
		if len(replaced) > 0 {
			if _, err := db.exec(ctx, tx, "DeleteUserBadges", jsonArg(replaced)); err != nil {
				return nil, err
			}
		}
		if len(assign) > 0 {
			if _, err := db.exec(ctx, tx, "InsertUserBadges", jsonArg(assign), badge.ID, at); err != nil {
				return nil, err
			}
		}
		if len(events) > 0 {
			if _, err := db.exec(ctx, tx, "InsertBadgeEvents", jsonArg(events), c.Actor, at); err != nil {
				return nil, err
			}
		}
		return higher, nil
	})
}

func (db *Motivity) RemoveBadge(ctx context.Context, c motivity.BadgeChange) ([]motivity.BadgeOutcome, error) {
	return db.changeBadge(ctx, "sqlstore.RemoveBadge", c, func(ctx context.Context, tx *sql.Tx, badge badgeRow, users []int64) (map[int64]bool, error) {
		held, err := db.heldBadges(ctx, tx, users, badge.ID, 0)
		if err != nil || len(held) == 0 {
			return nil, err
		}
		pairs := make([][2]int64, len(held))
		events := make([][3]any, len(held))
		for i, h := range held {
			pairs[i] = [2]int64{h.user, h.badge}
			events[i] = [3]any{h.user, h.badge, "removed"}
		}
		if _, err := db.exec(ctx, tx, "DeleteUserBadges", jsonArg(pairs)); err != nil {
			return nil, err
		}
		_, err = db.exec(ctx, tx, "InsertBadgeEvents", jsonArg(events), c.Actor, db.dialect.TimeArg(c.At))
		return nil, err
	})
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
