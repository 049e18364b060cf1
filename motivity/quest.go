package motivity

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"stend"
)

// TaskStatus is where a task stands for one student.
type TaskStatus string

const (
	TaskInProgress TaskStatus = "in_progress" // not worked on yet, or reassigned
	TaskChecking   TaskStatus = "checking"    // sent to the mentor
	TaskRedo       TaskStatus = "redo"        // sent back by the mentor
	TaskComplete   TaskStatus = "complete"
	TaskFail       TaskStatus = "fail"
)

// TaskStatuses lists every status in the document's order.
var TaskStatuses = []TaskStatus{TaskInProgress, TaskChecking, TaskRedo, TaskComplete, TaskFail}

// Valid reports whether s names a status.
func (s TaskStatus) Valid() bool { return slices.Contains(TaskStatuses, s) }

// Reviewable reports whether a mentor may set s: the document's redo,
// complete and fail.
func (s TaskStatus) Reviewable() bool { return s == TaskRedo || s == TaskComplete || s == TaskFail }

// DeadlineType says how a quest's deadline is set.
type DeadlineType string

const (
	DeadlineDate  DeadlineType = "date"  // before DeadlineDate
	DeadlineDelay DeadlineType = "delay" // DeadlineDelay days after the student's assignment
	DeadlineNone  DeadlineType = "none"
)

// QuestText is a quest's wording in one language.
type QuestText struct {
	Title          string
	TextForMentor  string
	TextForStudent *string
}

// Quest is a quest as operators provision it. The nullable numbers are the
// document's: nil answers null.
type Quest struct {
	ID            int64
	Texts         map[string]QuestText // by locale
	URLForMentor  *string
	PreviewFileID int64 // 0: none
	// MentorIDs are the users responsible for the quest; Mentors their
	// identifiers, in the same order (by id), filled on reads.
	MentorIDs     []int64
	Mentors       []string
	Open, Close   *time.Time
	DeadlineType  DeadlineType
	DeadlineDelay *int64 // days, for delay
	DeadlineDate  *time.Time
	// Threshold is a percentage of the quest's active tasks.
	Threshold            *int64
	ScoreThreshold       *int64
	Score                *int64
	Certificate          *int64
	CertificateCompleted *int64
	MentorScore          *int64
	ScoreInTime          *int64
	CertificateDeadline  *int64
	QuizID               *int64
	Active               bool
	Deleted              bool
	CreatedAt, UpdatedAt time.Time
}

// Visible reports whether the public API shows the quest at now: active,
// not deleted, and now within open–close, each bound optional.
func (q Quest) Visible(now time.Time) bool {
	return q.Active && !q.Deleted && (q.Open == nil || !now.Before(*q.Open)) && (q.Close == nil || !now.After(*q.Close))
}

// Deadline is when the student assigned at assigned must have completed
// the quest to be in time; false when the quest has none. deadlineDate is
// an instant (the document's DATETIME); a delay counts calendar days in the
// platform's time zone (loc), so that a day across a clock change is still
// one day.
func (q Quest) Deadline(assigned time.Time, loc *time.Location) (time.Time, bool) {
	switch {
	case q.DeadlineType == DeadlineDate && q.DeadlineDate != nil:
		return *q.DeadlineDate, true
	case q.DeadlineType == DeadlineDelay && q.DeadlineDelay != nil:
		return assigned.In(loc).AddDate(0, 0, int(*q.DeadlineDelay)), true
	}
	return time.Time{}, false
}

// TaskText is a task's wording in one language.
type TaskText struct {
	Title     string
	Summary   *string
	Text      string
	MentorTip *string
}

// QuestTask is a task of one quest. Task ids are the platform's, not the
// quest's: an id of another quest's task is "not part of the quest".
type QuestTask struct {
	ID            int64
	QuestID       int64
	Texts         map[string]TaskText
	Score         *int64
	PreviewFileID int64
	QuizID        *int64
	Active        bool
	Deleted       bool
	// Position orders tasks in a quest for people (the console, the
	// seed); the API lists by id, as the document says.
	Position             int
	CreatedAt, UpdatedAt time.Time
}

// Listed reports whether the public API shows the task.
func (t QuestTask) Listed() bool { return t.Active && !t.Deleted }

// QuestStudent is a user assigned to a quest: every task of the quest is
// theirs from then on, in_progress until they answer.
type QuestStudent struct {
	QuestID    int64
	UserID     int64
	Identifier string
	// AssignedAt is what a delay deadline counts from.
	AssignedAt time.Time
	// MentorIDs are the student's own mentors in the quest (besides the
	// quest's responsible mentors, who may review everyone's tasks);
	// Mentors their identifiers, filled on reads.
	MentorIDs []int64
	Mentors   []string
}

// QuestAssignment is one task of one student.
type QuestAssignment struct {
	QuestID    int64
	TaskID     int64
	UserID     int64
	Identifier string
	Status     TaskStatus
	UpdatedAt  time.Time
}

// QuestMessage is one message of a task's thread: a student's answer
// (status checking) or a mentor's review (the status it set).
type QuestMessage struct {
	ID        int64
	QuestID   int64
	TaskID    int64
	StudentID int64
	AuthorID  int64
	Author    string // identifier, filled on reads
	Text      string
	Status    TaskStatus
	At        time.Time
	FileIDs   []int64
	// Files are the attached files not deleted since, filled on reads.
	Files []File
}

// Award kinds: what a review can earn, each once per student and quest
// (task awards once per task).
const (
	AwardTask      = "task"      // the task's score
	AwardThreshold = "threshold" // the quest's threshold reached
	AwardCompleted = "completed" // the quest completed (100%)
	AwardInTime    = "in_time"   // completed before the deadline
	AwardMentor    = "mentor"    // to the reviewing mentor, at 100%
)

// QuestAward is one award paid: points (through the ledger) and, for the
// quest-level kinds, a certificate.
type QuestAward struct {
	QuestID     int64
	StudentID   int64
	TaskID      int64 // 0 for quest-level awards
	Kind        string
	RecipientID int64
	Score       int64
	Certificate *int64
	At          time.Time
}

// QuestCounts is, per task, how many live students (active, not deleted)
// hold it in each status.
type QuestCounts map[int64]map[TaskStatus]int64

// TaskTotal is how many items of the quest's list a task holds.
type TaskTotal struct {
	TaskID int64
	Items  int64
}

// QuestDefinition is what a quest's pages show of it besides its students:
// the quest with its mentors, its tasks (deleted ones too) by id, and the
// files of their preview images that are not deleted, by id.
type QuestDefinition struct {
	Quest    Quest
	Tasks    map[int64]QuestTask
	Previews map[int64]File
}

// QuestStore keeps quests, their tasks, students and threads.
type QuestStore interface {
	// PutQuest creates (ID 0: the next free id) or rewrites a quest, its
	// responsible mentors included.
	PutQuest(ctx context.Context, q Quest) (Quest, error)
	// Quest reads a quest, deleted or not; NotFound when there is none.
	Quest(ctx context.Context, id int64) (Quest, error)
	// Quests lists quests, deleted ones too, by id.
	Quests(ctx context.Context, afterID int64, limit int) ([]Quest, error)
	// PutQuestTask creates or rewrites a task; a new one is assigned, in
	// progress, to every student of its quest. A task cannot move to
	// another quest (Conflict).
	PutQuestTask(ctx context.Context, t QuestTask) (QuestTask, error)
	// QuestTask reads a task, deleted or not.
	QuestTask(ctx context.Context, id int64) (QuestTask, error)
	// QuestTasks lists a quest's tasks, deleted ones too, by id.
	QuestTasks(ctx context.Context, questID int64) ([]QuestTask, error)
	// QuestDefinition reads a quest (NotFound when there is none) with its
	// tasks and their preview images as this node last read them: exact
	// after a change made through this store, at most a second old after
	// one made on another node. For the list, which shows them on every
	// request; changes read Quest and QuestTask. The answer is shared:
	// callers do not modify it.
	QuestDefinition(ctx context.Context, id int64) (QuestDefinition, error)
	// PutQuestStudent assigns a user to a quest (every task in progress)
	// or, when assigned already, rewrites the assignment time and mentors.
	PutQuestStudent(ctx context.Context, s QuestStudent) (QuestStudent, error)
	// RemoveQuestStudent takes a user off a quest, with their tasks,
	// threads and awards (paid points stay in the ledger).
	RemoveQuestStudent(ctx context.Context, questID, userID int64) error
	// QuestStudent reads an assignment to a quest; NotFound when the user
	// is not a student of it.
	QuestStudent(ctx context.Context, questID, userID int64) (QuestStudent, error)
	// QuestStudents lists a quest's students by user id.
	QuestStudents(ctx context.Context, questID, afterUserID int64, limit int) ([]QuestStudent, error)
	// QuestCounts counts a quest's assignments of live students, by task
	// and status.
	QuestCounts(ctx context.Context, questID int64) (QuestCounts, error)
	// QuestTaskTotals lists the quest's listed tasks (active, not
	// deleted) by id, each with how many live students hold it in one of
	// statuses (none: any), from the counts.
	QuestTaskTotals(ctx context.Context, questID int64, statuses []TaskStatus) ([]TaskTotal, error)
	// TaskAssignments lists the assignments of a task held by live
	// students in one of statuses (none: any), by identifier, from offset.
	TaskAssignments(ctx context.Context, taskID int64, statuses []TaskStatus, offset, limit int) ([]QuestAssignment, error)
	// TaskAssignmentsFromEnd is TaskAssignments counted from the end: the
	// limit items before the last fromEnd ones, in the same order.
	TaskAssignmentsFromEnd(ctx context.Context, taskID int64, statuses []TaskStatus, fromEnd, limit int) ([]QuestAssignment, error)
	// StudentAssignments lists a student's tasks of a quest by task id.
	StudentAssignments(ctx context.Context, questID, userID int64) ([]QuestAssignment, error)
	// QuestStudentTasks answers whether the user is a student of the
	// quest and their tasks by task id, with their statuses only (no
	// identifier, no time): the list's student filter, in one read.
	QuestStudentTasks(ctx context.Context, questID, userID int64) ([]QuestAssignment, bool, error)
	// QuestAssignment reads one task of one student.
	QuestAssignment(ctx context.Context, taskID, userID int64) (QuestAssignment, error)
	// QuestThread lists the messages of one task of one student, oldest
	// first, with their files.
	QuestThread(ctx context.Context, taskID, userID int64) ([]QuestMessage, error)
	// QuestAwards lists what a student of a quest was awarded, in order.
	QuestAwards(ctx context.Context, questID, userID int64) ([]QuestAward, error)
}

// QuestTx holds the steps of a change of a student's tasks, run in one
// transaction by Service.ReviewTask, AnswerTask and ReassignTask.
type QuestTx interface {
	// LockQuestStudent locks the student's place in the quest, so that
	// changes of one student's tasks of one quest, on any node, run one
	// after another; NotFound when the user is not a student of it.
	LockQuestStudent(ctx context.Context, questID, userID int64) (QuestStudent, error)
	QuestAssignmentTx(ctx context.Context, taskID, userID int64) (QuestAssignment, error)
	// SetTaskStatus moves an assignment to status (the counts follow).
	SetTaskStatus(ctx context.Context, a QuestAssignment, status TaskStatus, at time.Time) error
	InsertQuestMessage(ctx context.Context, m QuestMessage) (QuestMessage, error)
	// QuestProgress counts the quest's listed tasks and those of them the
	// student has complete.
	QuestProgress(ctx context.Context, questID, userID int64) (complete, listed int, err error)
	// ClaimQuestAward records an award unless one of its kind is recorded
	// for the same student, quest and task: false then, and nothing paid.
	ClaimQuestAward(ctx context.Context, a QuestAward) (bool, error)
	// CreditScore adds points to score balances through the ledger, as a
	// points change does (positive amounts only).
	CreditScore(ctx context.Context, credits []ScoreCredit, actor, requestID string, at time.Time) error
}

// ScoreCredit is points given to a user's score balance, with the
// ledger's message saying why.
type ScoreCredit struct {
	Identifier string
	Amount     int64
	Message    string
}

// Validate checks a quest as operators provision it.
func (q Quest) Validate() error {
	const op = "motivity.Quest"
	switch {
	case q.ID < 0:
		return stend.Errorf(stend.Invalid, op, "id must be positive (0: the next free id)")
	case len(q.Texts) == 0:
		return stend.Errorf(stend.Invalid, op, "texts: at least one language is required")
	case q.URLForMentor != nil && (len(*q.URLForMentor) > 2000 || hasNUL(*q.URLForMentor)):
		return stend.Errorf(stend.Invalid, op, "urlForMentor: at most 2000 bytes, no U+0000")
	case q.Open != nil && q.Close != nil && q.Close.Before(*q.Open):
		return stend.Errorf(stend.Invalid, op, "close is before open")
	case q.DeadlineType == DeadlineDate && q.DeadlineDate == nil:
		return stend.Errorf(stend.Invalid, op, "deadlineType date needs deadlineDate")
	case q.DeadlineType == DeadlineDelay && (q.DeadlineDelay == nil || *q.DeadlineDelay < 1 || *q.DeadlineDelay > 36500):
		return stend.Errorf(stend.Invalid, op, "deadlineType delay needs deadlineDelay, 1 to 36500 days")
	case q.DeadlineType == DeadlineNone && (q.DeadlineDate != nil || q.DeadlineDelay != nil),
		q.DeadlineType == DeadlineDate && q.DeadlineDelay != nil,
		q.DeadlineType == DeadlineDelay && q.DeadlineDate != nil:
		return stend.Errorf(stend.Invalid, op, "deadlineDelay is for delay, deadlineDate for date (the other is null)")
	case q.DeadlineType != DeadlineDate && q.DeadlineType != DeadlineDelay && q.DeadlineType != DeadlineNone:
		return stend.Errorf(stend.Invalid, op, "deadlineType must be date, delay or none")
	case q.Threshold != nil && (*q.Threshold < 1 || *q.Threshold > 100):
		return stend.Errorf(stend.Invalid, op, "threshold is a percentage, 1 to 100")
	}
	for _, n := range []*int64{q.ScoreThreshold, q.Score, q.MentorScore, q.ScoreInTime} {
		if n != nil && (*n < 0 || *n > maxAwardScore) {
			return stend.Errorf(stend.Invalid, op, "scores are 0 to %d", maxAwardScore)
		}
	}
	for _, n := range []*int64{q.Certificate, q.CertificateCompleted, q.CertificateDeadline, q.QuizID} {
		if n != nil && *n < 1 {
			return stend.Errorf(stend.Invalid, op, "certificate and quiz ids are positive")
		}
	}
	for _, l := range slices.Sorted(maps.Keys(q.Texts)) {
		t := q.Texts[l]
		if !ValidLocale(l) || strings.TrimSpace(t.Title) == "" || len(t.Title) > 500 || len(t.TextForMentor) > 20000 ||
			t.TextForStudent != nil && len(*t.TextForStudent) > 20000 || hasNUL(t.Title, t.TextForMentor, deref(t.TextForStudent)) {
			return stend.Errorf(stend.Invalid, op, "texts.%s: a language code and a title are required; title at most 500 bytes, texts 20000, no U+0000", l)
		}
	}
	return nil
}

// maxAwardScore bounds one award, so that no sum of awards can overflow a
// balance.
const maxAwardScore = 1_000_000_000

// MaxQuestTasks bounds the tasks of one quest: a student's tasks are read
// whole.
const MaxQuestTasks = 1000

// Validate checks a task as operators provision it.
func (t QuestTask) Validate() error {
	const op = "motivity.QuestTask"
	switch {
	case t.ID < 0 || t.QuestID < 1:
		return stend.Errorf(stend.Invalid, op, "a task needs its quest; its id is positive (0: the next free id)")
	case len(t.Texts) == 0:
		return stend.Errorf(stend.Invalid, op, "texts: at least one language is required")
	case t.Score != nil && (*t.Score < 0 || *t.Score > maxAwardScore):
		return stend.Errorf(stend.Invalid, op, "score is 0 to %d", maxAwardScore)
	case t.QuizID != nil && *t.QuizID < 1:
		return stend.Errorf(stend.Invalid, op, "quizId is positive")
	}
	for _, l := range slices.Sorted(maps.Keys(t.Texts)) {
		x := t.Texts[l]
		if !ValidLocale(l) || strings.TrimSpace(x.Title) == "" || len(x.Title) > 500 || len(x.Text) > 20000 ||
			len(deref(x.Summary)) > 2000 || len(deref(x.MentorTip)) > 20000 || hasNUL(x.Title, x.Text, deref(x.Summary), deref(x.MentorTip)) {
			return stend.Errorf(stend.Invalid, op, "texts.%s: a language code and a title are required; title at most 500 bytes, summary 2000, texts 20000, no U+0000", l)
		}
	}
	return nil
}

func deref[T any](v *T) T {
	if v == nil {
		var zero T
		return zero
	}
	return *v
}
