package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"stend/motivity"
	"strings"
	"sync"
	"time"

	"stend"
)

var _ motivity.Store = (*Motivity)(nil)

// platformTTL is how long a node trusts the platform settings it read. The
// public API needs them on every request (token, languages, licence), and
// reading them each time was half the database work of a points change on
// PostgreSQL. A change made through this store handle applies at once; one
// made on another node, or by a command on the same SQLite file, within
// this time.
const platformTTL = time.Second

type platformCache struct {
	mu   sync.Mutex
	p    motivity.Platform
	read time.Time // zero: nothing cached
}

func (db *Motivity) MotivityPlatform(ctx context.Context) (motivity.Platform, error) {
	c := &db.platform
	c.mu.Lock()
	if !c.read.IsZero() && time.Since(c.read) < platformTTL {
		p := c.p
		c.mu.Unlock()
		return p, nil
	}
	c.mu.Unlock()
	started := time.Now()
	p, err := db.motivityPlatform(ctx, db.read)
	if err != nil {
		return p, db.dbErr("sqlstore.MotivityPlatform", err)
	}
	c.mu.Lock()
	// An update that landed while this read was in flight wins.
	if c.read.IsZero() || started.After(c.read) {
		c.p, c.read = p, started
	}
	c.mu.Unlock()
	return p, nil
}

func (db *Motivity) motivityPlatform(ctx context.Context, on any) (motivity.Platform, error) {
	var p motivity.Platform
	var locales string
	var until nullTime
	err := db.row(ctx, on, "MotivityPlatform").Scan(&p.DefaultLocale, &locales, &p.IdentifierKind, &p.PublicTokenHash, &until, timeValue{&p.UpdatedAt})
	if locales != "" {
		p.Locales = strings.Split(locales, ",")
	}
	p.PrizeCatalogUntil = timePtr(until)
	return p, err
}

func (db *Motivity) UpdateMotivityPlatform(ctx context.Context, p motivity.Platform) (motivity.Platform, error) {
	const op = "sqlstore.UpdateMotivityPlatform"
	for _, l := range p.Locales {
		if l == "" || strings.Contains(l, ",") {
			return motivity.Platform{}, stend.Errorf(stend.Invalid, op, "bad locale %q", l)
		}
	}
	var err error
	if p.UpdatedAt, err = stamp(op, p.UpdatedAt); err != nil {
		return motivity.Platform{}, err
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		old, err := db.motivityPlatform(ctx, tx)
		if err != nil {
			return err
		}
		if old.IdentifierKind != p.IdentifierKind {
			var users int64
			if err := db.row(ctx, tx, "CountMotivityUsers").Scan(&users); err != nil {
				return err
			}
			if users > 0 {
				return stend.Errorf(stend.Conflict, op, "the identifier kind cannot change once users exist")
			}
		}
		var until any
		if p.PrizeCatalogUntil != nil {
			until = db.dialect.TimeArg(p.PrizeCatalogUntil.UTC())
		}
		_, err = db.exec(ctx, tx, "UpdateMotivityPlatform", p.DefaultLocale, strings.Join(p.Locales, ","), p.IdentifierKind,
			p.PublicTokenHash, until, db.dialect.TimeArg(p.UpdatedAt))
		return err
	})
	if err != nil {
		return motivity.Platform{}, db.dbErr(op, err)
	}
	p, err = db.motivityPlatform(ctx, db.write)
	if err != nil {
		return motivity.Platform{}, db.dbErr(op, err)
	}
	db.platform.mu.Lock()
	db.platform.p, db.platform.read = p, time.Now()
	db.platform.mu.Unlock()
	return p, nil
}

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

func (db *Motivity) CreateMotivityUser(ctx context.Context, u motivity.User) (motivity.User, error) {
	const op = "sqlstore.CreateMotivityUser"
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

func (db *Motivity) UpdateMotivityUser(ctx context.Context, u motivity.User) (motivity.User, error) {
	const op = "sqlstore.UpdateMotivityUser"
	if u.ManagerID == u.ID && u.ID != 0 {
		return motivity.User{}, stend.Errorf(stend.Invalid, op, "a user cannot be their own manager")
	}
	updated, err := stamp(op, u.UpdatedAt)
	if err != nil {
		return motivity.User{}, err
	}
	res, err := db.exec(ctx, db.write, "UpdateMotivityUser", u.ID, u.Identifier, u.Email, u.Name, u.Active, u.Deleted,
		nullID(u.ManagerID), u.ManagesGoals, db.dialect.TimeArg(updated))
	if err != nil {
		return motivity.User{}, db.dbErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return motivity.User{}, stend.Errorf(stend.NotFound, op, "user %d", u.ID)
	}
	return db.MotivityUserByID(ctx, u.ID)
}

func (db *Motivity) MotivityUserByID(ctx context.Context, id int64) (motivity.User, error) {
	u, err := scanMotivityUser(db.row(ctx, db.read, "MotivityUserByID", id))
	return u, db.dbErr("sqlstore.MotivityUserByID", err)
}

func (db *Motivity) MotivityUserByIdentifier(ctx context.Context, identifier string) (motivity.User, error) {
	u, err := scanMotivityUser(db.row(ctx, db.read, "MotivityUserByIdentifier", identifier))
	return u, db.dbErr("sqlstore.MotivityUserByIdentifier", err)
}

func (db *Motivity) MotivityUsers(ctx context.Context, afterID int64, limit int) ([]motivity.User, error) {
	const op = "sqlstore.MotivityUsers"
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return collect(db.DB, ctx, op, "MotivityUsers", scanMotivityUser, afterID, limit)
}

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

func eachRow(ctx context.Context, db *DB, on any, name string, fn func(scanner) error, args ...any) error {
	rows, err := db.rows(ctx, on, name, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func jsonArg(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
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

func (db *Motivity) Balances(ctx context.Context, userID int64) ([]motivity.Balance, error) {
	const op = "sqlstore.Balances"
	got, err := collect(db.DB, ctx, op, "Balances", func(r scanner) (motivity.Balance, error) {
		var b motivity.Balance
		err := r.Scan(&b.Type, &b.Amount)
		return b, err
	}, userID)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		if _, err := db.MotivityUserByID(ctx, userID); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	slices.SortFunc(got, func(a, b motivity.Balance) int {
		return cmp.Compare(slices.Index(motivity.BalanceTypes, a.Type), slices.Index(motivity.BalanceTypes, b.Type))
	})
	return got, nil
}

func (db *Motivity) Ledger(ctx context.Context, f motivity.LedgerFilter) ([]motivity.LedgerEntry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	return collect(db.DB, ctx, "sqlstore.Ledger", "Ledger", func(r scanner) (motivity.LedgerEntry, error) {
		var e motivity.LedgerEntry
		err := r.Scan(&e.ID, &e.UserID, &e.Balance, &e.Amount, &e.BalanceAfter, &e.Message, &e.Actor, &e.RequestID, timeValue{&e.At})
		return e, err
	}, f.UserID, string(f.Balance), f.AfterID, f.Limit)
}

// timePtr is a nullTime as an optional instant.
func timePtr(n nullTime) *time.Time {
	if n.t.IsZero() {
		return nil
	}
	t := n.t
	return &t
}
