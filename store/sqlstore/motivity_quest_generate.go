package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"stend"
	"stend/motivity"
)

// Generated quests (motivity.QuestGenerator): rows arrive as one JSON array
// a statement, so that a million assignments are a few hundred statements
// rather than a million round trips.

func (db *Motivity) EnsureUsers(ctx context.Context, identifiers, names []string, at time.Time) ([]int64, error) {
	const op = "sqlstore.EnsureUsers"
	if len(names) != len(identifiers) {
		return nil, stend.Errorf(stend.Internal, op, "%d identifiers, %d names", len(identifiers), len(names))
	}
	at, err := stamp(op, at)
	if err != nil {
		return nil, err
	}
	rows := make([][2]string, len(identifiers))
	for i := range identifiers {
		rows[i] = [2]string{identifiers[i], names[i]}
	}
	users := jsonArg(rows)
	ids := make([]int64, len(identifiers))
	index := make(map[string]int, len(identifiers))
	for i, ident := range identifiers {
		index[ident] = i
	}
	err = db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.exec(ctx, tx, "ImportMissingUsers", users, db.dialect.TimeArg(at)); err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "ImportMissingBalances", users); err != nil {
			return err
		}
		return eachRow(ctx, db.DB, tx, "ImportedUserIDs", func(r scanner) error {
			var id int64
			var ident string
			if err := r.Scan(&id, &ident); err != nil {
				return err
			}
			ids[index[ident]] = id
			return nil
		}, users)
	})
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	for i, id := range ids {
		if id == 0 {
			return nil, stend.Errorf(stend.Internal, op, "user %q was neither found nor created", identifiers[i])
		}
	}
	return ids, nil
}

func (db *Motivity) ImportQuestStudents(ctx context.Context, questID int64, taskIDs []int64, students []motivity.GeneratedStudent, at time.Time) error {
	const op = "sqlstore.ImportQuestStudents"
	at, err := stamp(op, at)
	if err != nil {
		return err
	}
	placed := make([][2]any, len(students))
	userIDs := make([]int64, len(students))
	mentors := [][2]int64{}
	for i, s := range students {
		if len(s.Statuses) != len(taskIDs) {
			return stend.Errorf(stend.Internal, op, "student %d has %d statuses for %d tasks", s.UserID, len(s.Statuses), len(taskIDs))
		}
		placed[i] = [2]any{s.UserID, db.dialect.TimeArg(s.AssignedAt.UTC().Truncate(time.Microsecond))}
		userIDs[i] = s.UserID
		for _, m := range s.MentorIDs {
			mentors = append(mentors, [2]int64{s.UserID, m})
		}
	}
	// By task, then student: the rows go to the key's end of each task's
	// range rather than all over it.
	assignments := make([][3]any, 0, len(students)*len(taskIDs))
	for k, task := range taskIDs {
		for _, s := range students {
			if !s.Statuses[k].Valid() {
				return stend.Errorf(stend.Internal, op, "student %d: status %q", s.UserID, s.Statuses[k])
			}
			assignments = append(assignments, [3]any{task, s.UserID, string(s.Statuses[k])})
		}
	}
	err = db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		steps := []struct {
			name string
			args []any
		}{
			{"ImportQuestStudents", []any{questID, jsonArg(placed)}},
			{"ImportQuestStudentMentors", []any{questID, jsonArg(mentors)}},
			{"ImportQuestAssignments", []any{questID, jsonArg(assignments), db.dialect.TimeArg(at)}},
			{"CountImportedAssignments", []any{questID, jsonArg(userIDs)}},
			{"CompleteQuestCounts", []any{questID}},
		}
		for _, st := range steps {
			if _, err := db.exec(ctx, tx, st.name, st.args...); err != nil {
				return fmt.Errorf("%s: %w", st.name, err)
			}
		}
		return nil
	})
	return db.dbErr(op, err)
}

func (db *Motivity) RefreshQuestStatistics(ctx context.Context) error {
	// Statement by statement outside a transaction: PostgreSQL's VACUUM
	// refuses to run inside one.
	for _, name := range []string{"RefreshQuestAssignmentStatistics", "RefreshQuestCountStatistics", "RefreshQuestStudentStatistics",
		"RefreshQuestUserStatistics", "RefreshQuestBalanceStatistics", "RefreshQuestMentorStatistics"} {
		if _, err := db.write.ExecContext(ctx, db.query(name)); err != nil {
			return db.dbErr("sqlstore.RefreshQuestStatistics", fmt.Errorf("%s: %w", name, err))
		}
	}
	return nil
}
