package sqlstore

import (
	"context"
	"math"

	"stend/journal"
	"stend/migrantexam"
	"stend/motivity"
)

// NewestJournal lists the entries f selects newest first, before beforeID
// (0: from the newest).
func (db *DB) NewestJournal(ctx context.Context, f journal.Filter, beforeID int64) ([]journal.Entry, error) {
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	return collect(db, ctx, "sqlstore.NewestJournal", "NewestJournalEntries", scanJournalEntry,
		append(db.journalArgs(f), pageLimit(f.Limit), beforeID)...)
}

func (db *DB) SearchMigrantExamOrganizations(ctx context.Context, q string, afterID int64, limit int) ([]migrantexam.Organization, error) {
	return collect(db, ctx, "sqlstore.SearchMigrantExamOrganizations", "SearchMigrantExamOrganizations", scanOrganization,
		q, afterID, pageLimit(limit))
}

func (db *DB) SearchMotivityUsers(ctx context.Context, q string, afterID int64, limit int) ([]motivity.User, error) {
	return collect(db, ctx, "sqlstore.SearchMotivityUsers", "SearchMotivityUsers", scanMotivityUser, q, afterID, pageLimit(limit))
}

func (db *DB) BadgeHolders(ctx context.Context, badgeID, afterUserID int64, limit int) ([]motivity.BadgeHolder, error) {
	return collect(db, ctx, "sqlstore.BadgeHolders", "BadgeHolders", func(r scanner) (motivity.BadgeHolder, error) {
		var h motivity.BadgeHolder
		err := r.Scan(&h.UserID, &h.Identifier, &h.Name, &h.BadgeID, timeValue{&h.Since})
		return h, err
	}, badgeID, afterUserID, pageLimit(limit))
}

// pageLimit is a page's size: 1000 at most, and when none is asked.
func pageLimit(limit int) int {
	if limit <= 0 || limit > 1000 {
		return 1000
	}
	return limit
}
