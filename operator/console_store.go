package operator

import (
	"context"
	"time"

	"stend/journal"
	"stend/migrantexam"
	"stend/motivity"
)

// SearchStore holds the reads that search and page what the stand holds
// across its domains, for people looking through it (the web console
// among them): the newest journal entries first, organizations and users
// by a part of their names, a badge's holders.
type SearchStore interface {
	// NewestJournal lists entries newest first, before beforeID (0: from
	// the newest), selected by f as JournalEntries selects them.
	NewestJournal(ctx context.Context, f journal.Filter, beforeID int64) ([]journal.Entry, error)
	// SearchMigrantExamOrganizations pages organizations whose name or
	// username contains q (as written: case matters), by id.
	SearchMigrantExamOrganizations(ctx context.Context, q string, afterID int64, limit int) ([]migrantexam.Organization, error)
	// SearchMotivityUsers pages users whose identifier, name or e-mail
	// contains q (as written), deleted users too, by id.
	SearchMotivityUsers(ctx context.Context, q string, afterID int64, limit int) ([]motivity.User, error)
	// BadgeHolders pages the users holding the badge or one of its grades,
	// by user id.
	BadgeHolders(ctx context.Context, badgeID, afterUserID int64, limit int) ([]motivity.BadgeHolder, error)
}

// BadgeHolder is a user holding a badge (BadgeID: the badge or the grade
// held) since a time, as operators see it.
type BadgeHolder struct {
	UserID     int64     `json:"userId"`
	Identifier string    `json:"identifier"`
	Name       string    `json:"name"`
	BadgeID    int64     `json:"badgeId"`
	Since      time.Time `json:"since"`
}
