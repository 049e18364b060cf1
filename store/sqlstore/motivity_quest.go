package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"stend"
	"stend/motivity"
)

// Quests. A student's tasks are rows of motivity_quest_assignments, made
// when the student is assigned or the task added; motivity_quest_counts
// keeps how many live students hold each task in each status, changed in
// the same transaction as what it counts, so that the public list answers
// its totals and finds its page's start from a few rows however many
// students a quest has. Every change of one student's tasks in a quest
// takes LockQuestStudent first (a row lock on PostgreSQL, the single writer
// on SQLite).

type questTextJSON struct {
	Title          string  `json:"title"`
	TextForMentor  string  `json:"textForMentor"`
	TextForStudent *string `json:"textForStudent"`
}

type taskTextJSON struct {
	Title     string  `json:"title"`
	Summary   *string `json:"summary"`
	Text      string  `json:"text"`
	MentorTip *string `json:"mentorTip"`
}

// nullInt scans a nullable integer into a *int64 (nil for NULL).
type nullInt struct{ p **int64 }

func (n nullInt) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*n.p = nil
	if v.Valid {
		*n.p = &v.Int64
	}
	return nil
}

func (db *Motivity) timeArgOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return db.dialect.TimeArg(t.UTC())
}

func scanQuest(r scanner) (motivity.Quest, error) {
	var q motivity.Quest
	var texts string
	var open, close, deadline nullTime
	err := r.Scan(&q.ID, &texts, &q.URLForMentor, &q.PreviewFileID, &open, &close, &q.DeadlineType, nullInt{&q.DeadlineDelay}, &deadline,
		nullInt{&q.Threshold}, nullInt{&q.ScoreThreshold}, nullInt{&q.Score}, nullInt{&q.Certificate}, nullInt{&q.CertificateCompleted},
		nullInt{&q.MentorScore}, nullInt{&q.ScoreInTime}, nullInt{&q.CertificateDeadline}, nullInt{&q.QuizID}, &q.Active, &q.Deleted,
		timeValue{&q.CreatedAt}, timeValue{&q.UpdatedAt})
	if err != nil {
		return q, err
	}
	q.Open, q.Close, q.DeadlineDate = timePtr(open), timePtr(close), timePtr(deadline)
	var stored map[string]questTextJSON
	if err := json.Unmarshal([]byte(texts), &stored); err != nil {
		return q, fmt.Errorf("quest %d texts: %w", q.ID, err)
	}
	q.Texts = make(map[string]motivity.QuestText, len(stored))
	for l, t := range stored {
		q.Texts[l] = motivity.QuestText(t)
	}
	return q, nil
}

func scanQuestTask(r scanner) (motivity.QuestTask, error) {
	var t motivity.QuestTask
	var texts string
	err := r.Scan(&t.ID, &t.QuestID, &texts, nullInt{&t.Score}, &t.PreviewFileID, nullInt{&t.QuizID}, &t.Active, &t.Deleted, &t.Position,
		timeValue{&t.CreatedAt}, timeValue{&t.UpdatedAt})
	if err != nil {
		return t, err
	}
	var stored map[string]taskTextJSON
	if err := json.Unmarshal([]byte(texts), &stored); err != nil {
		return t, fmt.Errorf("task %d texts: %w", t.ID, err)
	}
	t.Texts = make(map[string]motivity.TaskText, len(stored))
	for l, x := range stored {
		t.Texts[l] = motivity.TaskText(x)
	}
	return t, nil
}

func (db *Motivity) PutQuest(ctx context.Context, q motivity.Quest) (motivity.Quest, error) {
	const op = "sqlstore.PutQuest"
	updated, err := stamp(op, q.UpdatedAt)
	if err != nil {
		return motivity.Quest{}, err
	}
	texts := make(map[string]questTextJSON, len(q.Texts))
	for l, t := range q.Texts {
		texts[l] = questTextJSON(t)
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if q.ID == 0 {
			if _, err := db.exec(ctx, tx, "LockNextQuestID"); err != nil {
				return err
			}
			if err := db.row(ctx, tx, "NextQuestID").Scan(&q.ID); err != nil {
				return err
			}
		}
		_, err := scanQuest(db.row(ctx, tx, "QuestByID", q.ID))
		name := "UpdateQuest"
		if errors.Is(err, sql.ErrNoRows) {
			name = "InsertQuest"
		} else if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, name, q.ID, jsonArg(texts), q.URLForMentor, nullID(q.PreviewFileID), db.timeArgOrNil(q.Open),
			db.timeArgOrNil(q.Close), string(q.DeadlineType), q.DeadlineDelay, db.timeArgOrNil(q.DeadlineDate), q.Threshold,
			q.ScoreThreshold, q.Score, q.Certificate, q.CertificateCompleted, q.MentorScore, q.ScoreInTime, q.CertificateDeadline,
			q.QuizID, q.Active, q.Deleted, db.dialect.TimeArg(updated))
		if err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "DeleteQuestMentors", q.ID); err != nil {
			return err
		}
		if len(q.MentorIDs) == 0 {
			return nil
		}
		_, err = db.exec(ctx, tx, "InsertQuestMentors", q.ID, jsonArg(q.MentorIDs))
		return err
	})
	if err != nil {
		return motivity.Quest{}, db.dbErr(op, err)
	}
	db.questDefinitions.forget()
	return db.Quest(ctx, q.ID)
}

func (db *Motivity) Quest(ctx context.Context, id int64) (motivity.Quest, error) {
	const op = "sqlstore.Quest"
	q, err := scanQuest(db.row(ctx, db.read, "QuestByID", id))
	if err != nil {
		return motivity.Quest{}, db.dbErr(op, err)
	}
	err = eachRow(ctx, db.DB, db.read, "QuestMentors", func(r scanner) error {
		var id int64
		var ident string
		err := r.Scan(&id, &ident)
		q.MentorIDs, q.Mentors = append(q.MentorIDs, id), append(q.Mentors, ident)
		return err
	}, id)
	return q, db.dbErr(op, err)
}

func (db *Motivity) Quests(ctx context.Context, afterID int64, limit int) ([]motivity.Quest, error) {
	const op = "sqlstore.Quests"
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	qs, err := collect(db.DB, ctx, op, "Quests", scanQuest, afterID, limit)
	if err != nil {
		return nil, err
	}
	for i := range qs {
		if qs[i], err = db.Quest(ctx, qs[i].ID); err != nil {
			return nil, err
		}
	}
	return qs, nil
}

func (db *Motivity) PutQuestTask(ctx context.Context, t motivity.QuestTask) (motivity.QuestTask, error) {
	const op = "sqlstore.PutQuestTask"
	updated, err := stamp(op, t.UpdatedAt)
	if err != nil {
		return motivity.QuestTask{}, err
	}
	texts := make(map[string]taskTextJSON, len(t.Texts))
	for l, x := range t.Texts {
		texts[l] = taskTextJSON(x)
	}
	at := db.dialect.TimeArg(updated)
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var quest int64
		if err := db.row(ctx, tx, "LockQuestForTasks", t.QuestID).Scan(&quest); err != nil {
			return err
		}
		if t.ID == 0 {
			if _, err := db.exec(ctx, tx, "LockNextQuestTaskID"); err != nil {
				return err
			}
			if err := db.row(ctx, tx, "NextQuestTaskID").Scan(&t.ID); err != nil {
				return err
			}
		}
		old, err := scanQuestTask(db.row(ctx, tx, "QuestTaskByID", t.ID))
		args := []any{t.ID, t.QuestID, jsonArg(texts), t.Score, nullID(t.PreviewFileID), t.QuizID, t.Active, t.Position, t.Deleted, at}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			var tasks int
			if err := db.row(ctx, tx, "CountQuestTasks", t.QuestID).Scan(&tasks); err != nil {
				return err
			}
			if tasks >= motivity.MaxQuestTasks {
				return stend.Errorf(stend.Invalid, op, "a quest holds at most %d tasks", motivity.MaxQuestTasks)
			}
			if _, err := db.exec(ctx, tx, "InsertQuestTask", args...); err != nil {
				return err
			}
			// The students' liveness is copied: held until the commit.
			if _, err := db.exec(ctx, tx, "LockQuestStudentUsers", t.QuestID); err != nil {
				return err
			}
			if _, err := db.exec(ctx, tx, "AssignTaskToStudents", t.ID, t.QuestID, at); err != nil {
				return err
			}
			_, err = db.exec(ctx, tx, "CountNewTask", t.ID)
			return err
		case err != nil:
			return err
		case old.QuestID != t.QuestID:
			return stend.Errorf(stend.Conflict, op, "task %d is quest %d's: a task cannot move to another quest", t.ID, old.QuestID)
		}
		_, err = db.exec(ctx, tx, "UpdateQuestTask", args...)
		return err
	})
	if err != nil {
		return motivity.QuestTask{}, db.dbErr(op, err)
	}
	db.questDefinitions.forget()
	return db.QuestTask(ctx, t.ID)
}

func (db *Motivity) QuestTask(ctx context.Context, id int64) (motivity.QuestTask, error) {
	t, err := scanQuestTask(db.row(ctx, db.read, "QuestTaskByID", id))
	return t, db.dbErr("sqlstore.QuestTask", err)
}

func (db *Motivity) QuestTasks(ctx context.Context, questID int64) ([]motivity.QuestTask, error) {
	return collect(db.DB, ctx, "sqlstore.QuestTasks", "QuestTasksOf", scanQuestTask, questID)
}

func scanQuestStudent(r scanner) (motivity.QuestStudent, error) {
	var s motivity.QuestStudent
	err := r.Scan(&s.QuestID, &s.UserID, &s.Identifier, timeValue{&s.AssignedAt})
	return s, err
}

// withStudentMentors fills the students' mentors.
func (db *Motivity) withStudentMentors(ctx context.Context, on any, questID int64, students []motivity.QuestStudent) error {
	if len(students) == 0 {
		return nil
	}
	index := make(map[int64]int, len(students))
	ids := make([]int64, len(students))
	for i, s := range students {
		index[s.UserID], ids[i] = i, s.UserID
	}
	return eachRow(ctx, db.DB, on, "QuestStudentMentors", func(r scanner) error {
		var student, mentor int64
		var ident string
		if err := r.Scan(&student, &mentor, &ident); err != nil {
			return err
		}
		s := &students[index[student]]
		s.MentorIDs, s.Mentors = append(s.MentorIDs, mentor), append(s.Mentors, ident)
		return nil
	}, questID, jsonArg(ids))
}

func (db *Motivity) PutQuestStudent(ctx context.Context, s motivity.QuestStudent) (motivity.QuestStudent, error) {
	const op = "sqlstore.PutQuestStudent"
	assigned, err := stamp(op, s.AssignedAt)
	if err != nil {
		return motivity.QuestStudent{}, err
	}
	at := db.dialect.TimeArg(assigned)
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := scanQuestStudent(db.row(ctx, tx, "LockQuestStudent", s.QuestID, s.UserID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			var id int64
			if err := db.row(ctx, tx, "LockQuestForStudents", s.QuestID).Scan(&id); err != nil {
				return err
			}
			if err := db.row(ctx, tx, "LockStudentUser", s.UserID).Scan(&id); err != nil {
				return err
			}
			if _, err := db.exec(ctx, tx, "InsertQuestStudent", s.QuestID, s.UserID, at); err != nil {
				return err
			}
			if _, err := db.exec(ctx, tx, "AssignStudentTasks", s.QuestID, s.UserID, at); err != nil {
				return err
			}
			if _, err := db.exec(ctx, tx, "CountUserAssignments", s.UserID, s.QuestID); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if _, err := db.exec(ctx, tx, "UpdateQuestStudent", s.QuestID, s.UserID, at); err != nil {
				return err
			}
		}
		if _, err := db.exec(ctx, tx, "DeleteQuestStudentMentors", s.QuestID, s.UserID); err != nil {
			return err
		}
		if len(s.MentorIDs) == 0 {
			return nil
		}
		_, err = db.exec(ctx, tx, "InsertQuestStudentMentors", s.QuestID, s.UserID, jsonArg(s.MentorIDs))
		return err
	})
	if err != nil {
		return motivity.QuestStudent{}, db.dbErr(op, err)
	}
	return db.QuestStudent(ctx, s.QuestID, s.UserID)
}

func (db *Motivity) RemoveQuestStudent(ctx context.Context, questID, userID int64) error {
	const op = "sqlstore.RemoveQuestStudent"
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := scanQuestStudent(db.row(ctx, tx, "LockQuestStudent", questID, userID)); err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "UncountUserAssignments", userID, questID); err != nil {
			return err
		}
		// Awards stay: a student assigned again is not paid again.
		for _, name := range []string{"DeleteStudentMessageFiles", "DeleteStudentMessages",
			"DeleteStudentAssignments", "DeleteQuestStudentMentors", "DeleteQuestStudent"} {
			if _, err := db.exec(ctx, tx, name, questID, userID); err != nil {
				return err
			}
		}
		return nil
	})
	return db.dbErr(op, err)
}

func (db *Motivity) QuestStudent(ctx context.Context, questID, userID int64) (motivity.QuestStudent, error) {
	const op = "sqlstore.QuestStudent"
	s, err := scanQuestStudent(db.row(ctx, db.read, "QuestStudentByKey", questID, userID))
	if err != nil {
		return motivity.QuestStudent{}, db.dbErr(op, err)
	}
	students := []motivity.QuestStudent{s}
	err = db.withStudentMentors(ctx, db.read, questID, students)
	return students[0], db.dbErr(op, err)
}

func (db *Motivity) QuestStudents(ctx context.Context, questID, afterUserID int64, limit int) ([]motivity.QuestStudent, error) {
	const op = "sqlstore.QuestStudents"
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	ss, err := collect(db.DB, ctx, op, "QuestStudentsPage", scanQuestStudent, questID, afterUserID, limit)
	if err == nil {
		err = db.dbErr(op, db.withStudentMentors(ctx, db.read, questID, ss))
	}
	return ss, err
}

func (db *Motivity) QuestCounts(ctx context.Context, questID int64) (motivity.QuestCounts, error) {
	counts := motivity.QuestCounts{}
	err := eachRow(ctx, db.DB, db.read, "QuestCounts", func(r scanner) error {
		var task, n int64
		var status motivity.TaskStatus
		if err := r.Scan(&task, &status, &n); err != nil {
			return err
		}
		if counts[task] == nil {
			counts[task] = map[motivity.TaskStatus]int64{}
		}
		counts[task][status] = n
		return nil
	}, questID)
	return counts, db.dbErr("sqlstore.QuestCounts", err)
}

func (db *Motivity) QuestTaskTotals(ctx context.Context, questID int64, statuses []motivity.TaskStatus) ([]motivity.TaskTotal, error) {
	return collect(db.DB, ctx, "sqlstore.QuestTaskTotals", "QuestTaskTotals", func(r scanner) (motivity.TaskTotal, error) {
		var t motivity.TaskTotal
		err := r.Scan(&t.TaskID, &t.Items)
		return t, err
	}, questID, statusesArg(statuses))
}

func statusesArg(statuses []motivity.TaskStatus) string {
	if len(statuses) == 0 {
		return "[]"
	}
	return jsonArg(statuses)
}

func (db *Motivity) TaskAssignments(ctx context.Context, taskID int64, statuses []motivity.TaskStatus, offset, limit int) ([]motivity.QuestAssignment, error) {
	return db.taskAssignments(ctx, "TaskAssignments", taskID, statuses, offset, limit)
}

func (db *Motivity) TaskAssignmentsFromEnd(ctx context.Context, taskID int64, statuses []motivity.TaskStatus, fromEnd, limit int) ([]motivity.QuestAssignment, error) {
	out, err := db.taskAssignments(ctx, "TaskAssignmentsFromEnd", taskID, statuses, fromEnd, limit)
	slices.Reverse(out)
	return out, err
}

// taskAssignments runs query, or its InStatus form when one status is
// asked: that reads its own index range, where the other form skips the
// other statuses' entries.
func (db *Motivity) taskAssignments(ctx context.Context, query string, taskID int64, statuses []motivity.TaskStatus, offset, limit int) ([]motivity.QuestAssignment, error) {
	op := "sqlstore." + query
	var status any = statusesArg(statuses)
	if len(statuses) == 1 {
		query, status = strings.Replace(query, "TaskAssignments", "TaskAssignmentsInStatus", 1), string(statuses[0])
	}
	out := make([]motivity.QuestAssignment, 0, limit)
	err := eachRow(ctx, db.DB, db.read, query, func(r scanner) error {
		var a motivity.QuestAssignment
		err := r.Scan(&a.TaskID, &a.UserID, &a.Identifier, &a.Status)
		out = append(out, a)
		return err
	}, taskID, status, limit, offset)
	return out, db.dbErr(op, err)
}

func (db *Motivity) StudentAssignments(ctx context.Context, questID, userID int64) ([]motivity.QuestAssignment, error) {
	return collect(db.DB, ctx, "sqlstore.StudentAssignments", "StudentAssignments", func(r scanner) (motivity.QuestAssignment, error) {
		a := motivity.QuestAssignment{QuestID: questID}
		err := r.Scan(&a.TaskID, &a.UserID, &a.Identifier, &a.Status, timeValue{&a.UpdatedAt})
		return a, err
	}, questID, userID)
}

func (db *Motivity) QuestStudentTasks(ctx context.Context, questID, userID int64) ([]motivity.QuestAssignment, bool, error) {
	var tasks []motivity.QuestAssignment
	student := false
	err := eachRow(ctx, db.DB, db.read, "QuestStudentTasks", func(r scanner) error {
		var task sql.NullInt64
		var status sql.NullString
		if err := r.Scan(&task, &status); err != nil {
			return err
		}
		student = true
		if task.Valid {
			tasks = append(tasks, motivity.QuestAssignment{QuestID: questID, TaskID: task.Int64, UserID: userID, Status: motivity.TaskStatus(status.String)})
		}
		return nil
	}, questID, userID)
	return tasks, student, db.dbErr("sqlstore.QuestStudentTasks", err)
}

// questAssignment reads one assignment (query: QuestAssignmentByKey, or
// LockQuestAssignment in a change) and whether its student is live.
func (db *Motivity) questAssignment(ctx context.Context, on any, query string, taskID, userID int64) (motivity.QuestAssignment, bool, error) {
	var a motivity.QuestAssignment
	var live bool
	err := db.row(ctx, on, query, taskID, userID).Scan(&a.QuestID, &a.TaskID, &a.UserID, &a.Identifier, &live, &a.Status,
		timeValue{&a.UpdatedAt})
	return a, live, err
}

func (db *Motivity) QuestAssignment(ctx context.Context, taskID, userID int64) (motivity.QuestAssignment, error) {
	a, _, err := db.questAssignment(ctx, db.read, "QuestAssignmentByKey", taskID, userID)
	return a, db.dbErr("sqlstore.QuestAssignment", err)
}

func (db *Motivity) QuestThread(ctx context.Context, taskID, userID int64) ([]motivity.QuestMessage, error) {
	const op = "sqlstore.QuestThread"
	var msgs []motivity.QuestMessage
	index := map[int64]int{}
	err := eachRow(ctx, db.DB, db.read, "ThreadMessages", func(r scanner) error {
		m := motivity.QuestMessage{TaskID: taskID, StudentID: userID}
		if err := r.Scan(&m.ID, &m.QuestID, &m.AuthorID, &m.Author, &m.Text, &m.Status, timeValue{&m.At}); err != nil {
			return err
		}
		index[m.ID] = len(msgs)
		msgs = append(msgs, m)
		return nil
	}, taskID, userID)
	if err != nil || len(msgs) == 0 {
		return msgs, db.dbErr(op, err)
	}
	err = eachRow(ctx, db.DB, db.read, "ThreadFiles", func(r scanner) error {
		var message int64
		var f motivity.File
		if err := r.Scan(&message, &f.ID, &f.Name, &f.Size); err != nil {
			return err
		}
		m := &msgs[index[message]]
		m.Files, m.FileIDs = append(m.Files, f), append(m.FileIDs, f.ID)
		return nil
	}, taskID, userID)
	return msgs, db.dbErr(op, err)
}

func (db *Motivity) QuestAwards(ctx context.Context, questID, userID int64) ([]motivity.QuestAward, error) {
	return collect(db.DB, ctx, "sqlstore.QuestAwards", "QuestAwards", func(r scanner) (motivity.QuestAward, error) {
		var a motivity.QuestAward
		err := r.Scan(&a.QuestID, &a.StudentID, &a.Kind, &a.TaskID, &a.RecipientID, &a.Score, nullInt{&a.Certificate}, timeValue{&a.At})
		return a, err
	}, questID, userID)
}

// The steps of a change of a student's tasks (motivity.QuestTx).

func (t motivityTx) LockQuestStudent(ctx context.Context, questID, userID int64) (motivity.QuestStudent, error) {
	s, err := scanQuestStudent(t.db.row(ctx, t.sql, "LockQuestStudent", questID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return s, stend.Errorf(stend.NotFound, "sqlstore.LockQuestStudent", "user %d is not a student of quest %d", userID, questID)
	}
	if err != nil {
		return s, err
	}
	students := []motivity.QuestStudent{s}
	err = t.db.withStudentMentors(ctx, t.sql, questID, students)
	return students[0], err
}

func (t motivityTx) QuestAssignmentTx(ctx context.Context, taskID, userID int64) (motivity.QuestAssignment, error) {
	a, _, err := t.db.questAssignment(ctx, t.sql, "LockQuestAssignment", taskID, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return a, stend.Errorf(stend.NotFound, "sqlstore.QuestAssignmentTx", "user %d has no task %d", userID, taskID)
	}
	return a, err
}

func (t motivityTx) SetTaskStatus(ctx context.Context, a motivity.QuestAssignment, status motivity.TaskStatus, at time.Time) error {
	db := t.db
	// Read under the assignment's lock (which a user's change also takes
	// first): whether the student is live decides whether the counts hold
	// them.
	cur, live, err := db.questAssignment(ctx, t.sql, "LockQuestAssignment", a.TaskID, a.UserID)
	if err != nil {
		return err
	}
	if _, err := db.exec(ctx, t.sql, "SetQuestAssignmentStatus", a.TaskID, a.UserID, string(status), db.dialect.TimeArg(at)); err != nil {
		return err
	}
	if !live || cur.Status == status {
		return nil
	}
	// The two counts in (task, status) order, as every change of counts
	// takes them: two changes of one task in opposite directions (a redo
	// and an answer) wait for each other instead of deadlocking.
	steps := [2]struct {
		query  string
		status motivity.TaskStatus
	}{{"SubtractQuestCount", cur.Status}, {"AddQuestCount", status}}
	if status < cur.Status {
		steps[0], steps[1] = steps[1], steps[0]
	}
	for _, st := range steps {
		if _, err := db.exec(ctx, t.sql, st.query, a.TaskID, string(st.status)); err != nil {
			return err
		}
	}
	return nil
}

func (t motivityTx) InsertQuestMessage(ctx context.Context, m motivity.QuestMessage) (motivity.QuestMessage, error) {
	db := t.db
	err := db.row(ctx, t.sql, "InsertQuestMessage", m.QuestID, m.TaskID, m.StudentID, m.AuthorID, m.Text, string(m.Status),
		db.dialect.TimeArg(m.At)).Scan(&m.ID)
	if err != nil || len(m.FileIDs) == 0 {
		return m, err
	}
	_, err = db.exec(ctx, t.sql, "InsertQuestMessageFiles", m.ID, jsonArg(m.FileIDs))
	return m, err
}

func (t motivityTx) QuestProgress(ctx context.Context, questID, userID int64) (int, int, error) {
	var complete, listed int
	err := t.db.row(ctx, t.sql, "QuestProgress", questID, userID).Scan(&complete, &listed)
	return complete, listed, err
}

func (t motivityTx) ClaimQuestAward(ctx context.Context, a motivity.QuestAward) (bool, error) {
	res, err := t.db.exec(ctx, t.sql, "ClaimQuestAward", a.QuestID, a.StudentID, a.Kind, a.TaskID, a.RecipientID, a.Score, a.Certificate,
		t.db.dialect.TimeArg(a.At))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CreditScore goes through the points' own step (applyPointsGroup): the
// same locks in the same order, the same ledger, the same balances.
func (t motivityTx) CreditScore(ctx context.Context, credits []motivity.ScoreCredit, actor, requestID string, at time.Time) error {
	items := make([]motivity.PointsItem, len(credits))
	for i, c := range credits {
		if c.Amount <= 0 {
			return stend.Errorf(stend.Internal, "sqlstore.CreditScore", "a credit of %d points", c.Amount)
		}
		items[i] = motivity.PointsItem{Identifier: c.Identifier, Balance: motivity.BalanceScore, Amount: c.Amount, Message: c.Message}
	}
	call := &pointsCall{batch: &motivity.PointsBatch{Items: items, Actor: actor, RequestID: requestID, At: at}}
	if err := t.db.applyPointsGroup(ctx, t.sql, []*pointsCall{call}); err != nil {
		return err
	}
	for i, o := range call.out {
		if !o.Applied {
			return stend.Errorf(stend.Internal, "sqlstore.CreditScore", "the credit to %q was not applied", credits[i].Identifier)
		}
	}
	return nil
}

// questLiveness keeps a user's assignments, and the counts, in step with
// the user: called in the transaction that changes a user, with the row
// as it was and as it is.
func (db *Motivity) questLiveness(ctx context.Context, tx *sql.Tx, old, now motivity.User) error {
	wasLive, isLive := old.Active && !old.Deleted, now.Active && !now.Deleted
	if wasLive == isLive && old.Identifier == now.Identifier {
		return nil
	}
	for _, lock := range []string{"LockUserAssignments", "LockUserCounts"} {
		if _, err := db.exec(ctx, tx, lock, now.ID); err != nil {
			return err
		}
	}
	if _, err := db.exec(ctx, tx, "UncountUserAssignments", now.ID, 0); err != nil {
		return err
	}
	if _, err := db.exec(ctx, tx, "SetUserAssignments", now.ID, isLive, now.Identifier); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, "CountUserAssignments", now.ID, 0)
	return err
}
