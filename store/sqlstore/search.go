package sqlstore

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strings"

	"stend/journal"
	"stend/migrantexam"
	"stend/motivity"
)

// addNewestJournal derives NewestJournalEntries from JournalEntries (a
// query file has no includes, and the filters are the same): the entries
// before ?12 (always bound: an "?12 = 0 OR" would not bound the walk of the
// id index, and a page deep in the journal would be read down from the
// newest), newest first, so that the id index serves it backwards.
func addNewestJournal(q map[string]string) error {
	list, ok := q["JournalEntries"]
	if !ok {
		return nil
	}
	after := regexp.MustCompile(`(?m)^WHERE id > ([?$])1\n`)
	m := after.FindStringSubmatch(list)
	if m == nil || strings.Count(list, "ORDER BY id\nLIMIT ") != 1 {
		return fmt.Errorf("query JournalEntries: NewestJournalEntries needs its \"WHERE id > ?1\" line and \"ORDER BY id\" before LIMIT")
	}
	before := m[1] + "12"
	if m[1] == "$" {
		before += "::bigint"
	}
	newest := after.ReplaceAllLiteralString(list, m[0]+"  AND id < "+before+"\n")
	q["NewestJournalEntries"] = strings.Replace(newest, "ORDER BY id\nLIMIT ", "ORDER BY id DESC\nLIMIT ", 1)
	return nil
}

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
