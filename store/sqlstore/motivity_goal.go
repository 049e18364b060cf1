package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"sync"
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

// nestGoals puts each key result under its goal, in place: rows come by
// id, so a goal precedes its key results, and the goals are moved down over
// the rows already read.
func nestGoals(rows []motivity.Goal) []motivity.Goal {
	n := 0
	var index map[int64]int
	for _, g := range rows {
		if g.ParentID == 0 {
			if index != nil {
				index[g.ID] = n
			}
			rows[n] = g
			n++
			continue
		}
		if index == nil {
			// Made at the first key result: most goals have none.
			index = make(map[int64]int, n)
			for i, x := range rows[:n] {
				index[x.ID] = i
			}
		}
		if i, ok := index[g.ParentID]; ok {
			rows[i].KeyResults = append(rows[i].KeyResults, g)
		}
	}
	return rows[:n]
}

func (db *Motivity) liveUserGoals(ctx context.Context, on any, userID int64) ([]motivity.Goal, error) {
	rows, err := db.userGoalRows(ctx, on, userID, false)
	return nestGoals(rows), err
}

// userGoalRows reads the user's goals and key results by id, the deleted
// ones too when asked, with their approvers' and completers' identifiers.
func (db *Motivity) userGoalRows(ctx context.Context, on any, userID int64, deleted bool) ([]motivity.Goal, error) {
	// Room for a hundred and more: a user's list is read whole, and
	// growing it was a third of what a list allocated.
	rows := make([]motivity.Goal, 0, 128)
	err := eachRow(ctx, db.DB, on, "UserGoals", func(r scanner) error {
		g := motivity.Goal{UserID: userID}
		var approved, completed, deleted nullTime
		err := r.Scan(&g.ID, &g.ParentID, &g.Title, &g.Value, &g.Progress, &g.ValueUnit, &g.Priority, dateValue{d: &g.Deadline},
			timeValue{&g.CreatedAt}, &approved, &g.ApprovedBy, &completed, &g.CompletedBy, &deleted)
		g.ApprovedAt, g.CompletedAt, g.DeletedAt = timePtr(approved), timePtr(completed), timePtr(deleted)
		rows = append(rows, g)
		return err
	}, userID, deleted)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, g := range rows {
		ids = append(ids, g.ApprovedBy, g.CompletedBy)
	}
	names, err := db.identifiers(ctx, on, ids)
	for i := range rows {
		rows[i].ApprovedByIdentifier, rows[i].CompletedByIdentifier = names[rows[i].ApprovedBy], names[rows[i].CompletedBy]
	}
	return rows, err
}

// identifierCache maps user ids to identifiers, which never change for an
// id (an operator matches users by identifier, so a new identifier is a new
// user). Bounded: cleared when full.
type identifierCache struct {
	mu    sync.Mutex
	names map[int64]string
}

const maxCachedIdentifiers = 100_000

// identifiers answers the identifiers of ids (0 is none), from the cache
// or the database.
func (db *Motivity) identifiers(ctx context.Context, on any, ids []int64) (map[int64]string, error) {
	c := &db.identifierCache
	out := make(map[int64]string, 2)
	var missing []int64
	c.mu.Lock()
	for _, id := range ids {
		if _, done := out[id]; done || id == 0 {
			continue
		}
		if name, ok := c.names[id]; ok {
			out[id] = name
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	found := map[int64]string{}
	err := eachRow(ctx, db.DB, on, "UserIdentifiers", func(r scanner) error {
		var id int64
		var name string
		err := r.Scan(&id, &name)
		found[id] = name
		return err
	}, jsonArg(missing))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.names == nil || len(c.names)+len(found) > maxCachedIdentifiers {
		c.names = make(map[int64]string, len(found))
	}
	maps.Copy(c.names, found)
	c.mu.Unlock()
	maps.Copy(out, found)
	return out, nil
}

func (db *Motivity) UserGoals(ctx context.Context, userID int64) ([]motivity.Goal, error) {
	goals, err := db.liveUserGoals(ctx, db.read, userID)
	return goals, db.dbErr("sqlstore.UserGoals", err)
}

func (db *Motivity) GoalsVersion(ctx context.Context, userID int64) (motivity.GoalsVersion, error) {
	var v motivity.GoalsVersion
	err := db.row(ctx, db.read, "GoalsVersion", userID).Scan(&v.LastGoal, &v.LastEvent)
	return v, db.dbErr("sqlstore.GoalsVersion", err)
}

func (t motivityTx) TxGoalsVersion(ctx context.Context, userID int64) (motivity.GoalsVersion, error) {
	var v motivity.GoalsVersion
	err := t.db.row(ctx, t.sql, "GoalsVersion", userID).Scan(&v.LastGoal, &v.LastEvent)
	return v, err
}

func (db *Motivity) GoalRecord(ctx context.Context, userID int64) ([]motivity.Goal, []motivity.GoalEvent, error) {
	const op = "sqlstore.GoalRecord"
	goals, err := db.userGoalRows(ctx, db.read, userID, true)
	if err != nil {
		return nil, nil, db.dbErr(op, err)
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
	var u motivity.User
	err := t.db.row(ctx, t.sql, query, arg).Scan(&u.ID, &u.Identifier, &u.Active, &u.Deleted, &u.ManagerID, &u.ManagesGoals)
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

// ImportGoals adds generated goals (no key results, no history) in one
// transaction, many rows a statement.
func (db *Motivity) ImportGoals(ctx context.Context, goals []motivity.Goal) error {
	const op = "sqlstore.ImportGoals"
	return db.dbErr(op, db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.insertBatched(ctx, tx, "ImportGoal", len(goals), func(i int, dst []any) []any {
			g := &goals[i]
			return append(dst, g.UserID, g.Title, g.Value, g.Progress, g.ValueUnit, g.Priority, g.Deadline.String(),
				db.dialect.TimeArg(g.CreatedAt), db.nullTimeArg(g.ApprovedAt), nullID(g.ApprovedBy), db.nullTimeArg(g.CompletedAt),
				nullID(g.CompletedBy))
		})
	}))
}

// RefreshGoalStatistics analyzes the goals after a bulk load on PostgreSQL,
// so that its first plans do not guess at an empty table.
func (db *Motivity) RefreshGoalStatistics(ctx context.Context) error {
	if db.dialect.Analyze == nil {
		return nil
	}
	_, err := db.write.ExecContext(ctx, db.dialect.Analyze("motivity_goals"))
	return db.dbErr("sqlstore.RefreshGoalStatistics", err)
}
