package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"stend"
	"stend/motivity"
)

// Goals. Every change of a user's goals locks the user first (LockGoalOwner,
// LockGoalOwnerOf: a row lock on PostgreSQL, the single writer on SQLite),
// so that what the rules read (the count of active goals, a goal's state)
// stays true until the change commits, on any number of nodes.

func scanGoal(row scanner) (motivity.Goal, error) {
	var g motivity.Goal
	var approved, completed, deleted nullTime
	err := row.Scan(&g.ID, &g.UserID, &g.ParentID, &g.Title, &g.Value, &g.Progress, &g.ValueUnit, &g.Priority,
		dateValue{d: &g.Deadline}, timeValue{&g.CreatedAt}, &approved, &g.ApprovedBy, &g.ApprovedByIdentifier,
		&completed, &g.CompletedBy, &g.CompletedByIdentifier, &deleted)
	g.ApprovedAt, g.CompletedAt, g.DeletedAt = timePtr(approved), timePtr(completed), timePtr(deleted)
	return g, err
}

// nestGoals puts each key result under its goal; rows come by id, so a
// goal precedes its key results.
func nestGoals(rows []motivity.Goal) []motivity.Goal {
	var goals []motivity.Goal
	index := map[int64]int{}
	for _, g := range rows {
		if g.ParentID == 0 {
			index[g.ID] = len(goals)
			goals = append(goals, g)
			continue
		}
		if i, ok := index[g.ParentID]; ok {
			goals[i].KeyResults = append(goals[i].KeyResults, g)
		}
	}
	return goals
}

func (db *Motivity) liveUserGoals(ctx context.Context, on any, userID int64) ([]motivity.Goal, error) {
	var rows []motivity.Goal
	err := eachRow(ctx, db.DB, on, "UserGoals", func(r scanner) error {
		g, err := scanGoal(r)
		rows = append(rows, g)
		return err
	}, userID, false)
	return nestGoals(rows), err
}

func (db *Motivity) UserGoals(ctx context.Context, userID int64, f motivity.GoalFilter) ([]motivity.Goal, error) {
	goals, err := db.liveUserGoals(ctx, db.read, userID)
	if err != nil {
		return nil, db.dbErr("sqlstore.UserGoals", err)
	}
	if f == motivity.GoalsAll || f == "" {
		return goals, nil
	}
	kept := goals[:0]
	for _, g := range goals {
		if (g.CompletedAt != nil) == (f == motivity.GoalsCompleted) {
			kept = append(kept, g)
		}
	}
	return kept, nil
}

func (db *Motivity) GoalRecord(ctx context.Context, userID int64) ([]motivity.Goal, []motivity.GoalEvent, error) {
	const op = "sqlstore.GoalRecord"
	goals, err := collect(db.DB, ctx, op, "UserGoals", scanGoal, userID, true)
	if err != nil {
		return nil, nil, err
	}
	events, err := collect(db.DB, ctx, op, "UserGoalEvents", func(r scanner) (motivity.GoalEvent, error) {
		var e motivity.GoalEvent
		var changes string
		err := r.Scan(&e.ID, &e.GoalID, &e.UserID, &e.Action, &e.AuthorID, &e.Actor, &e.RequestID, timeValue{&e.At}, &changes)
		e.Changes = []byte(changes)
		return e, err
	}, userID)
	return goals, events, err
}

func (t motivityTx) GoalUser(ctx context.Context, identifier string) (motivity.User, error) {
	return t.goalUser(ctx, "GoalUser", identifier)
}

func (t motivityTx) LockGoalOwner(ctx context.Context, identifier string) (motivity.User, error) {
	return t.goalUser(ctx, "LockGoalOwner", identifier)
}

func (t motivityTx) LockGoalOwnerByID(ctx context.Context, id int64) (motivity.User, error) {
	return t.goalUser(ctx, "LockGoalOwnerByID", id)
}

func (t motivityTx) goalUser(ctx context.Context, query string, arg any) (motivity.User, error) {
	if s, ok := arg.(string); ok && !stend.StorableText(s) {
		// No user has it, and PostgreSQL would refuse to compare it.
		return motivity.User{}, stend.Errorf(stend.NotFound, "sqlstore."+query, "no such user")
	}
	u, err := scanMotivityUser(t.db.row(ctx, t.sql, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, stend.Errorf(stend.NotFound, "sqlstore."+query, "no such user")
	}
	return u, err
}

func (t motivityTx) LockGoal(ctx context.Context, id int64) (goal, parent motivity.Goal, owner motivity.User, err error) {
	db := t.db
	if owner, err = t.goalUser(ctx, "LockGoalOwnerOf", id); err != nil {
		return
	}
	if goal, err = scanGoal(db.row(ctx, t.sql, "GoalByID", id)); err != nil {
		return
	}
	root := &goal
	if goal.ParentID != 0 {
		if parent, err = scanGoal(db.row(ctx, t.sql, "GoalByID", goal.ParentID)); err != nil {
			return
		}
		root = &parent
	}
	err = eachRow(ctx, db.DB, t.sql, "LiveKeyResults", func(r scanner) error {
		kr, err := scanGoal(r)
		root.KeyResults = append(root.KeyResults, kr)
		return err
	}, root.ID)
	return
}

func (t motivityTx) TxUserGoals(ctx context.Context, userID int64) ([]motivity.Goal, error) {
	return t.db.liveUserGoals(ctx, t.sql, userID)
}

func (t motivityTx) InsertGoal(ctx context.Context, g motivity.Goal) (int64, error) {
	db := t.db
	var id int64
	err := db.row(ctx, t.sql, "InsertGoal", g.UserID, nullID(g.ParentID), g.Title, g.Value, g.Progress, g.ValueUnit, g.Priority,
		g.Deadline.String(), db.dialect.TimeArg(g.CreatedAt.UTC().Truncate(time.Microsecond)),
		db.nullTimeArg(g.ApprovedAt), nullID(g.ApprovedBy), db.nullTimeArg(g.CompletedAt), nullID(g.CompletedBy),
		db.nullTimeArg(g.DeletedAt)).Scan(&id)
	return id, err
}

func (t motivityTx) UpdateGoal(ctx context.Context, g motivity.Goal) error {
	db := t.db
	_, err := db.exec(ctx, t.sql, "UpdateGoal", g.ID, g.Title, g.Value, g.Progress, g.ValueUnit, g.Priority, g.Deadline.String(),
		db.nullTimeArg(g.ApprovedAt), nullID(g.ApprovedBy), db.nullTimeArg(g.CompletedAt), nullID(g.CompletedBy),
		db.nullTimeArg(g.DeletedAt))
	return err
}

func (t motivityTx) InsertGoalEvents(ctx context.Context, events []motivity.GoalEvent) error {
	db := t.db
	for _, e := range events {
		_, err := db.exec(ctx, t.sql, "InsertGoalEvent", e.GoalID, e.UserID, e.Action, nullID(e.AuthorID), e.Actor, e.RequestID,
			db.dialect.TimeArg(e.At.UTC().Truncate(time.Microsecond)), string(e.Changes))
		if err != nil {
			return err
		}
	}
	return nil
}

// nullTimeArg is an optional instant as the dialect stores it.
func (db *DB) nullTimeArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.dialect.TimeArg(t.UTC().Truncate(time.Microsecond))
}
