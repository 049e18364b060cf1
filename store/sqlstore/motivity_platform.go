package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"stend"
	"stend/motivity"
)

var _ motivity.Store = (*Motivity)(nil)

// platformTTL is how long a node trusts the platform settings it read
// (recentReads). The public API needs them on every request (token,
// languages, licence), and reading them each time was half the database
// work of a points change on PostgreSQL.
const platformTTL = time.Second

func (db *Motivity) Platform(ctx context.Context) (motivity.Platform, error) {
	p, err := db.platform.get(struct{}{}, func() (motivity.Platform, error) { return db.motivityPlatform(ctx, db.read) })
	return p, db.dbErr("sqlstore.Platform", err)
}

func (db *Motivity) motivityPlatform(ctx context.Context, on any) (motivity.Platform, error) {
	var p motivity.Platform
	var locales string
	var until nullTime
	err := db.row(ctx, on, "MotivityPlatform").Scan(&p.DefaultLocale, &locales, &p.IdentifierKind, &p.PublicTokenHash, &until, timeValue{&p.UpdatedAt},
		&p.GoalLimit, &p.TimeZone)
	if locales != "" {
		p.Locales = strings.Split(locales, ",")
	}
	p.PrizeCatalogUntil = timePtr(until)
	return p, err
}

func (db *Motivity) UpdatePlatform(ctx context.Context, p motivity.Platform) (motivity.Platform, error) {
	const op = "sqlstore.UpdatePlatform"
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
			p.PublicTokenHash, until, db.dialect.TimeArg(p.UpdatedAt), p.GoalLimit, p.TimeZone)
		return err
	})
	if err != nil {
		return motivity.Platform{}, db.dbErr(op, err)
	}
	p, err = db.motivityPlatform(ctx, db.write)
	if err != nil {
		return motivity.Platform{}, db.dbErr(op, err)
	}
	db.platform.put(struct{}{}, p)
	return p, nil
}
