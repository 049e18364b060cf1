// Package motivity is the Motivity corporate-motivation platform: one per
// deployment. Its public API (motivity-public.ru.md, served by
// motivity/http) acts on users, badges and points balances that an operator
// provisions; goals, files, quests and reports of the same document build on
// the users defined here (manager, goals permission). Each section of the
// document has its file here, in motivity/http, in store/sqlstore and in the
// SQL files, under the same name.
package motivity

import (
	"context"
	"strings"

	"stend"
)

// Store is every section's store: what an implementation provides. Callers
// depend on the section they use (PointsStore, BadgeStore, …), so that a
// new section adds an interface here without growing the others.
type Store interface {
	PlatformStore
	UserStore
	BadgeStore
	PointsStore
	GoalStore
	FileStore
	QuestStore
	QuestGenerator
	PointsGenerator
	ReportStore
	Transactor
}

// Transactor runs fn in one write transaction of the platform's store: a
// service composes its steps (Tx) into one change that commits or not as a
// whole.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
}

// Tx is a write transaction of the platform's store, with the steps of
// every section that composes changes.
type Tx interface {
	stend.JobInserter
	BadgeTx
	GoalTx
	QuestTx
}

// hasNUL reports whether any of ss holds U+0000, which PostgreSQL cannot
// store: refused on both stores alike.
func hasNUL(ss ...string) bool {
	for _, s := range ss {
		if strings.ContainsRune(s, 0) {
			return true
		}
	}
	return false
}
