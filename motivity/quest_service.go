package motivity

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"stend"
)

// QuestProblem is one reason a quest method refuses a request. The API
// words each as its method's list of errors does; the values follow the
// review's list, in the document's order.
type QuestProblem int

const (
	QuestNotFound        QuestProblem = iota + 1 // not found, inactive, deleted or out of its dates
	QuestStudentNotFound                         // the student: no such user, inactive or deleted
	QuestMentorNotFound                          // the mentor: no such user, inactive or deleted
	QuestNotStudent                              // the user is not a student of the quest
	QuestTaskNotFound                            // no such task, inactive or deleted
	QuestTaskNotInQuest                          // the task is another quest's
	QuestBadStatus                               // a review's status is not redo, complete or fail
	QuestTextTooLong                             // a review's text over MaxReviewText
	QuestNotChecking                             // the task is not in checking (Status says where)
	QuestNotMentor                               // the mentor is neither the student's nor responsible
	QuestFieldsRequired                          // mentorId or status missing
	QuestUndecodable                             // the body is not the documented JSON
	QuestFileNotFound                            // files[Index] names no file
)

var questProblemNames = map[QuestProblem]string{
	QuestNotFound: "quest not found, inactive, deleted or out of its dates", QuestStudentNotFound: "student not found or inactive",
	QuestMentorNotFound: "mentor not found or inactive", QuestNotStudent: "the user is not a student of the quest",
	QuestTaskNotFound: "task not found, inactive or deleted", QuestTaskNotInQuest: "the task is another quest's",
	QuestBadStatus: "status must be redo, complete or fail", QuestTextTooLong: "text over 6000 characters",
	QuestNotChecking: "the task is not in checking", QuestNotMentor: "the mentor is neither the student's nor responsible for the quest",
	QuestFieldsRequired: "mentor and status are required", QuestUndecodable: "the body is not the documented JSON",
	QuestFileNotFound: "no such file",
}

// String says what the problem is, for operators (the API words it as the
// document does).
func (i QuestIssue) String() string {
	switch i.Problem {
	case QuestNotChecking:
		return questProblemNames[i.Problem] + " (it is " + string(i.Status) + ")"
	case QuestFileNotFound:
		return fmt.Sprintf("files[%d]: %s", i.Index, questProblemNames[i.Problem])
	}
	return questProblemNames[i.Problem]
}

// QuestIssue is one refusal, with what its wording needs.
type QuestIssue struct {
	Problem QuestProblem
	Index   int        // QuestFileNotFound: the position in files
	Status  TaskStatus // QuestNotChecking: the task's status
}

// MaxReviewText is the document's "до 6000 символов", in characters.
const MaxReviewText = 6000

// MaxMessageFiles bounds the files of one message.
const MaxMessageFiles = 100

// visibleQuest reads the quest the public API may show at now.
func (s *Service) visibleQuest(ctx context.Context, id int64, now time.Time) (Quest, bool, error) {
	if id < 1 {
		return Quest{}, false, nil
	}
	q, err := s.Store.Quest(ctx, id)
	if stend.IsKind(err, stend.NotFound) {
		return Quest{}, false, nil
	}
	if err != nil {
		return Quest{}, false, err
	}
	return q, q.Visible(now), nil
}

// questStudent finds a live user by identifier and their place in the
// quest; the issue says why not.
// visibleDefinition is visibleQuest from the node's copy of the quest's
// definition (Store.QuestDefinition).
func (s *Service) visibleDefinition(ctx context.Context, id int64, now time.Time) (QuestDefinition, bool, error) {
	if id < 1 {
		return QuestDefinition{}, false, nil
	}
	def, err := s.Store.QuestDefinition(ctx, id)
	if stend.IsKind(err, stend.NotFound) {
		return QuestDefinition{}, false, nil
	}
	if err != nil {
		return QuestDefinition{}, false, err
	}
	return def, def.Quest.Visible(now), nil
}

// definedTask is questTask from the quest's definition; a task it does not
// hold (another quest's, or one made since on another node) is read.
func (s *Service) definedTask(ctx context.Context, def QuestDefinition, taskID int64) (QuestTask, *QuestIssue, error) {
	t, ok := def.Tasks[taskID]
	switch {
	case !ok:
		return s.questTask(ctx, def.Quest.ID, taskID)
	case !t.Listed():
		return QuestTask{}, &QuestIssue{Problem: QuestTaskNotFound}, nil
	}
	return t, nil, nil
}

func (s *Service) questStudent(ctx context.Context, questID int64, identifier string, notFound QuestProblem) (User, QuestStudent, *QuestIssue, error) {
	u, err := s.Store.UserByIdentifier(ctx, identifier)
	if stend.IsKind(err, stend.NotFound) || err == nil && !u.Active {
		return User{}, QuestStudent{}, &QuestIssue{Problem: notFound}, nil
	}
	if err != nil {
		return User{}, QuestStudent{}, nil, err
	}
	st, err := s.Store.QuestStudent(ctx, questID, u.ID)
	if stend.IsKind(err, stend.NotFound) {
		return u, QuestStudent{}, &QuestIssue{Problem: QuestNotStudent}, nil
	}
	return u, st, nil, err
}

// questTask finds a listed task of the quest; the issue says why not.
func (s *Service) questTask(ctx context.Context, questID, taskID int64) (QuestTask, *QuestIssue, error) {
	if taskID < 1 {
		return QuestTask{}, &QuestIssue{Problem: QuestTaskNotFound}, nil
	}
	t, err := s.Store.QuestTask(ctx, taskID)
	switch {
	case stend.IsKind(err, stend.NotFound) || err == nil && !t.Listed():
		return QuestTask{}, &QuestIssue{Problem: QuestTaskNotFound}, nil
	case err != nil:
		return QuestTask{}, nil, err
	case t.QuestID != questID:
		return QuestTask{}, &QuestIssue{Problem: QuestTaskNotInQuest}, nil
	}
	return t, nil, nil
}

// TaskListQuery is GET /quest/{questId}/task: its filters as the API read
// them. TaskGiven with TaskID 0 is a task id that is not one;
// StudentGiven with Student "" an identifier no user can have.
type TaskListQuery struct {
	QuestID      int64
	TaskGiven    bool
	TaskID       int64
	StudentGiven bool
	Student      string
	Statuses     []TaskStatus
	// Page is from 1; PageSize 1–100.
	Page, PageSize int
	// CheckOnly: the API found other errors, so only the issues are
	// wanted.
	CheckOnly bool
	Now       time.Time
}

// TaskListPage is a page of a quest's assignments.
type TaskListPage struct {
	Quest Quest
	// Tasks holds the task of every item.
	Tasks map[int64]QuestTask
	// Previews holds the preview images of the quest's definition that
	// are not deleted; others are read.
	Previews map[int64]File
	Items    []QuestAssignment
	Total    int64
}

// ListQuestTasks pages the assignments of a quest's listed tasks to its
// live students, by task id then student identifier. Issues come in the
// method's order: quest (alone), task, student.
func (s *Service) ListQuestTasks(ctx context.Context, q TaskListQuery) (TaskListPage, []QuestIssue, error) {
	def, ok, err := s.visibleDefinition(ctx, q.QuestID, q.Now)
	if err != nil || !ok {
		return TaskListPage{}, []QuestIssue{{Problem: QuestNotFound}}, err
	}
	quest := def.Quest
	var issues []QuestIssue
	var only *QuestTask
	if q.TaskGiven {
		t, issue, err := s.definedTask(ctx, def, q.TaskID)
		if err != nil {
			return TaskListPage{}, nil, err
		}
		if issue != nil {
			// The list's errors have no "not part of the quest": another
			// quest's task is not found in this one.
			issues = append(issues, QuestIssue{Problem: QuestTaskNotFound})
		}
		only = &t
	}
	var student User
	var studentTasks []QuestAssignment
	if q.StudentGiven {
		u, err := s.Store.UserByIdentifier(ctx, q.Student)
		isStudent := false
		switch {
		case stend.IsKind(err, stend.NotFound) || err == nil && !u.Active:
			issues = append(issues, QuestIssue{Problem: QuestStudentNotFound})
		case err != nil:
			return TaskListPage{}, nil, err
		default:
			if studentTasks, isStudent, err = s.Store.QuestStudentTasks(ctx, quest.ID, u.ID); err != nil {
				return TaskListPage{}, nil, err
			}
			if !isStudent {
				issues = append(issues, QuestIssue{Problem: QuestNotStudent})
			}
		}
		student = u
	}
	if len(issues) > 0 || q.CheckOnly {
		return TaskListPage{}, issues, nil
	}
	page := TaskListPage{Quest: quest, Tasks: map[int64]QuestTask{}, Previews: def.Previews}
	offset := int64(q.Page-1) * int64(q.PageSize)
	if q.StudentGiven {
		return studentTaskPage(q, page, def, only, student, studentTasks, offset), nil, nil
	}
	// The counts say how many items each task holds, so the page's first
	// task and the offset within it are found without reading the items
	// before them; only the tasks on the page are read.
	totals, err := s.Store.QuestTaskTotals(ctx, quest.ID, q.Statuses)
	if err != nil {
		return TaskListPage{}, nil, err
	}
	if only != nil {
		totals = slices.DeleteFunc(totals, func(t TaskTotal) bool { return t.TaskID != only.ID })
	}
	for _, t := range totals {
		page.Total += t.Items
	}
	skip, room := offset, int64(q.PageSize)
	for _, t := range totals {
		if room == 0 {
			break
		}
		if skip >= t.Items {
			skip -= t.Items
			continue
		}
		task, defined := def.Tasks[t.TaskID]
		if !defined {
			// Made on another node since this one read the definition.
			if task, err = s.Store.QuestTask(ctx, t.TaskID); err != nil {
				return TaskListPage{}, nil, err
			}
		}
		page.Tasks[task.ID] = task
		// An index range is skipped entry by entry: a page past the middle
		// of a task's items is read from the range's end, so that the last
		// page of 20,000 costs what the first does.
		n := min(room, t.Items-skip)
		var got []QuestAssignment
		if skip > t.Items/2 {
			got, err = s.Store.TaskAssignmentsFromEnd(ctx, t.TaskID, q.Statuses, int(t.Items-skip-n), int(n))
		} else {
			got, err = s.Store.TaskAssignments(ctx, t.TaskID, q.Statuses, int(skip), int(n))
		}
		if err != nil {
			return TaskListPage{}, nil, err
		}
		page.Items = append(page.Items, got...)
		room -= int64(len(got))
		skip = 0
	}
	return page, nil, nil
}

// studentTaskPage pages one student's tasks of the quest: few
// (MaxQuestTasks at most), read whole and paged here.
func studentTaskPage(q TaskListQuery, page TaskListPage, def QuestDefinition, only *QuestTask, student User, tasks []QuestAssignment, offset int64) TaskListPage {
	for _, t := range def.Tasks {
		if t.Listed() && (only == nil || t.ID == only.ID) {
			page.Tasks[t.ID] = t
		}
	}
	if only != nil {
		// Found outside the definition when newer than it.
		page.Tasks[only.ID] = *only
	}
	var match []QuestAssignment
	for _, a := range tasks {
		if _, ok := page.Tasks[a.TaskID]; ok && (len(q.Statuses) == 0 || slices.Contains(q.Statuses, a.Status)) {
			a.Identifier = student.Identifier
			match = append(match, a)
		}
	}
	page.Total = int64(len(match))
	if offset < page.Total {
		page.Items = match[offset:min(page.Total, offset+int64(q.PageSize))]
	}
	return page
}

// Thread is one task of one student with its messages.
type Thread struct {
	Quest      Quest
	Task       QuestTask
	Assignment QuestAssignment
	Messages   []QuestMessage
}

// QuestThread reads one task of one student. Issues come in the method's
// order: quest (alone), student, task.
func (s *Service) QuestThread(ctx context.Context, questID, taskID int64, student string, now time.Time) (Thread, []QuestIssue, error) {
	quest, ok, err := s.visibleQuest(ctx, questID, now)
	if err != nil || !ok {
		return Thread{}, []QuestIssue{{Problem: QuestNotFound}}, err
	}
	var issues []QuestIssue
	u, _, issue, err := s.questStudent(ctx, quest.ID, student, QuestStudentNotFound)
	if err != nil {
		return Thread{}, nil, err
	}
	if issue != nil {
		issues = append(issues, *issue)
	}
	task, issue, err := s.questTask(ctx, quest.ID, taskID)
	if err != nil {
		return Thread{}, nil, err
	}
	if issue != nil {
		issues = append(issues, *issue)
	}
	if len(issues) > 0 {
		return Thread{}, issues, nil
	}
	return s.thread(ctx, quest, task, u.ID)
}

func (s *Service) thread(ctx context.Context, quest Quest, task QuestTask, userID int64) (Thread, []QuestIssue, error) {
	a, err := s.Store.QuestAssignment(ctx, task.ID, userID)
	if err != nil {
		return Thread{}, nil, err
	}
	msgs, err := s.Store.QuestThread(ctx, task.ID, userID)
	if err != nil {
		return Thread{}, nil, err
	}
	return Thread{Quest: quest, Task: task, Assignment: a, Messages: msgs}, nil, nil
}

// Review is a mentor's answer to a student's task, as the API decoded it.
type Review struct {
	QuestID, TaskID int64
	Student         string
	// Undecodable: the body was not the documented JSON; the other body
	// fields are then empty.
	Undecodable bool
	Mentor      string
	Status      string
	Text        string
	FileIDs     []int64
	Actor       string
	RequestID   string
	At          time.Time
}

// errReviewRaced carries a refusal found under the lock, after the checks
// before it passed (another review moved the task meanwhile).
type errReviewRaced struct{ issue QuestIssue }

func (e errReviewRaced) Error() string { return "the task changed under the review" }

// ReviewTask records a mentor's review: the message, the task's new
// status and what it earns, in one transaction; a refused review changes
// nothing. Issues come in the document's order (QuestProblem's), a quest
// not found alone.
func (s *Service) ReviewTask(ctx context.Context, rv Review) (Thread, []QuestIssue, error) {
	quest, ok, err := s.visibleQuest(ctx, rv.QuestID, rv.At)
	if err != nil || !ok {
		return Thread{}, []QuestIssue{{Problem: QuestNotFound}}, err
	}
	var issues []QuestIssue
	add := func(p QuestProblem) { issues = append(issues, QuestIssue{Problem: p}) }
	studentUser, student, issue, err := s.questStudent(ctx, quest.ID, rv.Student, QuestStudentNotFound)
	if err != nil {
		return Thread{}, nil, err
	}
	var mentor User
	mentorFound := false
	if rv.Mentor != "" {
		mentor, err = s.Store.UserByIdentifier(ctx, rv.Mentor)
		mentorFound = err == nil && mentor.Active
		if err != nil && !stend.IsKind(err, stend.NotFound) {
			return Thread{}, nil, err
		}
	}
	if issue != nil && issue.Problem == QuestStudentNotFound {
		issues = append(issues, *issue)
	}
	if rv.Mentor != "" && !mentorFound {
		add(QuestMentorNotFound)
	}
	if issue != nil && issue.Problem == QuestNotStudent {
		issues = append(issues, *issue)
	}
	task, taskIssue, err := s.questTask(ctx, quest.ID, rv.TaskID)
	if err != nil {
		return Thread{}, nil, err
	}
	if taskIssue != nil {
		issues = append(issues, *taskIssue)
	}
	status := TaskStatus(rv.Status)
	if rv.Status != "" && !status.Reviewable() {
		add(QuestBadStatus)
	}
	if utf8.RuneCountInString(rv.Text) > MaxReviewText {
		add(QuestTextTooLong)
	}
	if issue == nil && taskIssue == nil {
		a, err := s.Store.QuestAssignment(ctx, task.ID, studentUser.ID)
		if err != nil {
			return Thread{}, nil, err
		}
		if a.Status != TaskChecking {
			issues = append(issues, QuestIssue{Problem: QuestNotChecking, Status: a.Status})
		}
	}
	if issue == nil && mentorFound && !mayReview(quest, student, mentor.ID) {
		add(QuestNotMentor)
	}
	if !rv.Undecodable && (rv.Mentor == "" || rv.Status == "") {
		add(QuestFieldsRequired)
	}
	if rv.Undecodable {
		add(QuestUndecodable)
	}
	fileIssues, err := s.missingFiles(ctx, rv.FileIDs)
	if err != nil {
		return Thread{}, nil, err
	}
	issues = append(issues, fileIssues...)
	if len(issues) > 0 {
		return Thread{}, issues, nil
	}
	p, err := s.Store.Platform(ctx)
	if err != nil {
		return Thread{}, nil, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		st, err := tx.LockQuestStudent(ctx, quest.ID, studentUser.ID)
		if stend.IsKind(err, stend.NotFound) {
			return errReviewRaced{QuestIssue{Problem: QuestNotStudent}}
		}
		if err != nil {
			return err
		}
		if !mayReview(quest, st, mentor.ID) {
			// The student's mentors changed since the checks.
			return errReviewRaced{QuestIssue{Problem: QuestNotMentor}}
		}
		a, err := tx.QuestAssignmentTx(ctx, task.ID, studentUser.ID)
		if err != nil {
			return err
		}
		if a.Status != TaskChecking {
			return errReviewRaced{QuestIssue{Problem: QuestNotChecking, Status: a.Status}}
		}
		if _, err := tx.InsertQuestMessage(ctx, QuestMessage{QuestID: quest.ID, TaskID: task.ID, StudentID: studentUser.ID,
			AuthorID: mentor.ID, Text: rv.Text, Status: status, At: rv.At, FileIDs: rv.FileIDs}); err != nil {
			return err
		}
		if err := tx.SetTaskStatus(ctx, a, status, rv.At); err != nil {
			return err
		}
		if status != TaskComplete {
			return nil
		}
		return s.payCompletion(ctx, tx, p, quest, task, st, mentor, rv)
	})
	var raced errReviewRaced
	if errors.As(err, &raced) {
		return Thread{}, []QuestIssue{raced.issue}, nil
	}
	if err != nil {
		return Thread{}, nil, err
	}
	return s.thread(ctx, quest, task, studentUser.ID)
}

// mayReview reports whether user may review the student's tasks: a mentor
// of the student in the quest, or responsible for the quest.
func mayReview(q Quest, st QuestStudent, user int64) bool {
	return slices.Contains(q.MentorIDs, user) || slices.Contains(st.MentorIDs, user)
}

// missingFiles names the files (by position) that are not held.
func (s *Service) missingFiles(ctx context.Context, ids []int64) ([]QuestIssue, error) {
	var issues []QuestIssue
	for i, id := range ids {
		_, err := s.Store.File(ctx, id)
		if stend.IsKind(err, stend.NotFound) {
			issues = append(issues, QuestIssue{Problem: QuestFileNotFound, Index: i})
		} else if err != nil {
			return nil, err
		}
	}
	return issues, nil
}

// payCompletion pays what completing task earns, each award once: the
// task's score; at the quest's threshold, its threshold score and
// certificate; at 100%, its score and certificate, the mentor's score and,
// before the student's deadline, the in-time score and certificate.
func (s *Service) payCompletion(ctx context.Context, tx Tx, p Platform, quest Quest, task QuestTask, st QuestStudent, mentor User, rv Review) error {
	words := ledgerWords(p)
	questTitle := questTitle(quest, p)
	var credits []ScoreCredit
	award := func(kind string, taskID int64, recipient User, score *int64, certificate *int64, message string) error {
		if (score == nil || *score == 0) && certificate == nil {
			return nil
		}
		a := QuestAward{QuestID: quest.ID, StudentID: st.UserID, TaskID: taskID, Kind: kind, RecipientID: recipient.ID,
			Score: deref(score), Certificate: certificate, At: rv.At}
		fresh, err := tx.ClaimQuestAward(ctx, a)
		if err != nil || !fresh {
			return err
		}
		if a.Score > 0 {
			credits = append(credits, ScoreCredit{Identifier: recipient.Identifier, Amount: a.Score, Message: message})
		}
		return nil
	}
	student := User{ID: st.UserID, Identifier: st.Identifier}
	if err := award(AwardTask, task.ID, student, task.Score, nil, fmt.Sprintf(words.task, questTitle, taskTitle(task, p))); err != nil {
		return err
	}
	complete, listed, err := tx.QuestProgress(ctx, quest.ID, st.UserID)
	if err != nil {
		return err
	}
	if listed > 0 && quest.Threshold != nil && int64(complete)*100 >= *quest.Threshold*int64(listed) {
		if err := award(AwardThreshold, 0, student, quest.ScoreThreshold, quest.Certificate,
			fmt.Sprintf(words.threshold, questTitle, *quest.Threshold)); err != nil {
			return err
		}
	}
	if listed > 0 && complete == listed {
		if err := award(AwardCompleted, 0, student, quest.Score, quest.CertificateCompleted, fmt.Sprintf(words.completed, questTitle)); err != nil {
			return err
		}
		if err := award(AwardMentor, 0, mentor, quest.MentorScore, nil, fmt.Sprintf(words.mentor, questTitle, st.Identifier)); err != nil {
			return err
		}
		if deadline, ok := quest.Deadline(st.AssignedAt, p.Location()); ok && rv.At.Before(deadline) {
			if err := award(AwardInTime, 0, student, quest.ScoreInTime, quest.CertificateDeadline, fmt.Sprintf(words.inTime, questTitle)); err != nil {
				return err
			}
		}
	}
	if len(credits) == 0 {
		return nil
	}
	return tx.CreditScore(ctx, credits, rv.Actor, rv.RequestID, rv.At)
}

// ledgerWording is how the ledger names what a quest paid for, in the
// platform's default language.
type ledgerWording struct{ task, threshold, completed, inTime, mentor string }

var ledgerWordings = map[string]ledgerWording{
	"ru": {
		task:      "Квест «%s»: задание «%s» выполнено",
		threshold: "Квест «%s»: пройдено %d%%",
		completed: "Квест «%s» пройден",
		inTime:    "Квест «%s» пройден в срок",
		mentor:    "Квест «%s» пройден студентом %s",
	},
	"en": {
		task:      "Quest “%s”: task “%s” complete",
		threshold: "Quest “%s”: %d%% complete",
		completed: "Quest “%s” complete",
		inTime:    "Quest “%s” complete in time",
		mentor:    "Quest “%s” completed by student %s",
	},
}

func ledgerWords(p Platform) ledgerWording {
	if w, ok := ledgerWordings[p.DefaultLocale]; ok {
		return w
	}
	return ledgerWordings["en"]
}

// Localized picks an element's wording: in locale when it has it, else
// in the platform's default, else in the first of the platform's languages
// that it has, else in any (the lowest code).
func Localized[T any](texts map[string]T, locale string, p Platform) T {
	if t, ok := texts[locale]; ok {
		return t
	}
	if t, ok := texts[p.DefaultLocale]; ok {
		return t
	}
	for _, l := range p.Locales {
		if t, ok := texts[l]; ok {
			return t
		}
	}
	var best string
	for l := range texts {
		if best == "" || l < best {
			best = l
		}
	}
	return texts[best]
}

func questTitle(q Quest, p Platform) string    { return Localized(q.Texts, p.DefaultLocale, p).Title }
func taskTitle(t QuestTask, p Platform) string { return Localized(t.Texts, p.DefaultLocale, p).Title }

// Answer is a student's answer to a task: what the public API cannot do,
// an operator does for integrators' tests and demos.
type Answer struct {
	QuestID, TaskID int64
	Student         string
	Text            string
	FileIDs         []int64
	Actor           string
	At              time.Time
}

// AnswerTask records a student's answer: the task moves to checking. The
// quest and task must exist and not be deleted (their dates and activity
// are the public side's concern); the task must be in progress or sent
// back (Conflict otherwise).
func (s *Service) AnswerTask(ctx context.Context, a Answer) (Thread, error) {
	const op = "motivity.AnswerTask"
	if utf8.RuneCountInString(a.Text) > MaxReviewText || hasNUL(a.Text) || len(a.FileIDs) > MaxMessageFiles {
		return Thread{}, stend.Errorf(stend.Invalid, op, "text at most %d characters without U+0000, at most %d files", MaxReviewText, MaxMessageFiles)
	}
	return s.changeTask(ctx, op, a.QuestID, a.TaskID, a.Student, a.FileIDs, func(ctx context.Context, tx Tx, as QuestAssignment, student User) error {
		if as.Status != TaskInProgress && as.Status != TaskRedo {
			return stend.Errorf(stend.Conflict, op, "the task is %s: a student answers a task in progress or sent back", as.Status)
		}
		if _, err := tx.InsertQuestMessage(ctx, QuestMessage{QuestID: a.QuestID, TaskID: a.TaskID, StudentID: student.ID,
			AuthorID: student.ID, Text: a.Text, Status: TaskChecking, At: a.At, FileIDs: a.FileIDs}); err != nil {
			return err
		}
		return tx.SetTaskStatus(ctx, as, TaskChecking, a.At)
	})
}

// ReassignTask gives a task back to the student (in progress), whatever
// its status; what it earned stays earned.
func (s *Service) ReassignTask(ctx context.Context, questID, taskID int64, student string, at time.Time) (Thread, error) {
	return s.changeTask(ctx, "motivity.ReassignTask", questID, taskID, student, nil, func(ctx context.Context, tx Tx, as QuestAssignment, _ User) error {
		if as.Status == TaskInProgress {
			return nil
		}
		return tx.SetTaskStatus(ctx, as, TaskInProgress, at)
	})
}

// changeTask runs an operator's change of one student's task under the
// student's lock.
func (s *Service) changeTask(ctx context.Context, op string, questID, taskID int64, identifier string, files []int64,
	change func(ctx context.Context, tx Tx, a QuestAssignment, student User) error) (Thread, error) {
	quest, err := s.Store.Quest(ctx, questID)
	if err == nil && quest.Deleted {
		err = stend.Errorf(stend.NotFound, op, "quest %d is deleted", questID)
	}
	if err != nil {
		return Thread{}, err
	}
	task, err := s.Store.QuestTask(ctx, taskID)
	if err == nil && (task.Deleted || task.QuestID != questID) {
		err = stend.Errorf(stend.NotFound, op, "quest %d has no task %d", questID, taskID)
	}
	if err != nil {
		return Thread{}, err
	}
	u, err := s.Store.UserByIdentifier(ctx, identifier)
	if err != nil {
		return Thread{}, err
	}
	if missing, err := s.missingFiles(ctx, files); err != nil || len(missing) > 0 {
		if err == nil {
			err = stend.Errorf(stend.Invalid, op, "files[%d]: no such file", missing[0].Index)
		}
		return Thread{}, err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := tx.LockQuestStudent(ctx, questID, u.ID); err != nil {
			return err
		}
		a, err := tx.QuestAssignmentTx(ctx, taskID, u.ID)
		if err != nil {
			return err
		}
		return change(ctx, tx, a, u)
	})
	if err != nil {
		return Thread{}, err
	}
	t, _, err := s.thread(ctx, quest, task, u.ID)
	return t, err
}
