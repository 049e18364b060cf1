package operator

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"stend"
	"stend/motivity"
)

// questActor is who the ledger and the threads name for what an operator
// did (a seed's steps included).
const questActor = "operator"

// Motivity quests, as operators provision them: quests with their tasks,
// students and their mentors, and the student's side of a task, which the
// public API does not have (an answer, a reassignment), for integrators'
// tests and demos.

// QuestTextJSON is a quest's wording in one language.
type QuestTextJSON struct {
	Title          string  `json:"title"`
	TextForMentor  string  `json:"textForMentor"`
	TextForStudent *string `json:"textForStudent,omitempty"`
}

// QuestTaskTextJSON is a task's wording in one language.
type QuestTaskTextJSON struct {
	Title     string  `json:"title"`
	Summary   *string `json:"summary,omitempty"`
	Text      string  `json:"text"`
	MentorTip *string `json:"mentorTip,omitempty"`
}

// QuestInput creates or rewrites a quest (id 0: the next free id), with
// the tasks and students given beside it. Fields left out take their
// defaults: the input is the whole quest.
type QuestInput struct {
	ID           int64                    `json:"id"`
	Texts        map[string]QuestTextJSON `json:"texts"`
	URLForMentor *string                  `json:"urlForMentor,omitempty"`
	// PreviewImage is a file id; PreviewImagePath (the seed file's) makes
	// the image one of the platform's files.
	PreviewImage     int64      `json:"previewImage,omitempty"`
	PreviewImagePath string     `json:"previewImagePath,omitempty"`
	Mentors          []string   `json:"mentors,omitempty"`
	Open             *time.Time `json:"open,omitempty"`
	Close            *time.Time `json:"close,omitempty"`
	// DeadlineType is date, delay or none (the default).
	DeadlineType         string     `json:"deadlineType,omitempty"`
	DeadlineDelay        *int64     `json:"deadlineDelay,omitempty"`
	DeadlineDate         *time.Time `json:"deadlineDate,omitempty"`
	Threshold            *int64     `json:"threshold,omitempty"`
	ScoreThreshold       *int64     `json:"scoreThreshold,omitempty"`
	Score                *int64     `json:"score,omitempty"`
	Certificate          *int64     `json:"certificate,omitempty"`
	CertificateCompleted *int64     `json:"certificateCompleted,omitempty"`
	MentorScore          *int64     `json:"mentorScore,omitempty"`
	ScoreInTime          *int64     `json:"scoreInTime,omitempty"`
	CertificateDeadline  *int64     `json:"certificateDeadline,omitempty"`
	QuizID               *int64     `json:"quizId,omitempty"`
	Active               *bool      `json:"active,omitempty"`
	Deleted              bool       `json:"deleted,omitempty"`
	// Tasks are put after the quest, in order; tasks of the quest not
	// named stay as they are.
	Tasks []QuestTaskInput `json:"tasks,omitempty"`
	// Students are assigned (or their assignment rewritten) after the
	// tasks.
	Students []QuestStudentInput `json:"students,omitempty"`
}

// QuestTaskInput creates or rewrites a task of a quest.
type QuestTaskInput struct {
	ID               int64                        `json:"id"`
	Texts            map[string]QuestTaskTextJSON `json:"texts"`
	Score            *int64                       `json:"score,omitempty"`
	PreviewImage     int64                        `json:"previewImage,omitempty"`
	PreviewImagePath string                       `json:"previewImagePath,omitempty"`
	QuizID           *int64                       `json:"quizId,omitempty"`
	Active           *bool                        `json:"active,omitempty"`
	Deleted          bool                         `json:"deleted,omitempty"`
	// Position orders the tasks for people; the public API lists by id.
	Position int `json:"position,omitempty"`
}

// QuestStudentInput assigns a user to a quest. Steps (the seed file's)
// play the student's and mentors' actions, in order, when the user is
// assigned by this input, never again.
type QuestStudentInput struct {
	User string `json:"user"`
	// AssignedAt is what a delay deadline counts from: now for a new
	// student, unchanged for one assigned already.
	AssignedAt *time.Time  `json:"assignedAt,omitempty"`
	Mentors    []string    `json:"mentors,omitempty"`
	Steps      []QuestStep `json:"steps,omitempty"`
}

// QuestStep is one action on a student's task: an answer by the student, a
// review by a mentor (through the public API's rules, awards included), or
// a reassignment.
type QuestStep struct {
	Task     int64             `json:"task"`
	Answer   *QuestAnswerInput `json:"answer,omitempty"`
	Review   *QuestReviewInput `json:"review,omitempty"`
	Reassign bool              `json:"reassign,omitempty"`
}

// QuestAnswerInput is a student's answer.
type QuestAnswerInput struct {
	Text  string  `json:"text"`
	Files []int64 `json:"files,omitempty"`
}

// QuestReviewInput is a mentor's review, as the public API takes it.
type QuestReviewInput struct {
	Mentor string  `json:"mentor"`
	Status string  `json:"status"`
	Text   string  `json:"text"`
	Files  []int64 `json:"files,omitempty"`
}

// Quest is a quest as operators see it.
type Quest struct {
	ID                   int64                    `json:"id"`
	Texts                map[string]QuestTextJSON `json:"texts"`
	URLForMentor         *string                  `json:"urlForMentor"`
	PreviewImage         int64                    `json:"previewImage,omitempty"`
	Mentors              []string                 `json:"mentors"`
	Open                 *time.Time               `json:"open"`
	Close                *time.Time               `json:"close"`
	DeadlineType         motivity.DeadlineType    `json:"deadlineType"`
	DeadlineDelay        *int64                   `json:"deadlineDelay"`
	DeadlineDate         *time.Time               `json:"deadlineDate"`
	Threshold            *int64                   `json:"threshold"`
	ScoreThreshold       *int64                   `json:"scoreThreshold"`
	Score                *int64                   `json:"score"`
	Certificate          *int64                   `json:"certificate"`
	CertificateCompleted *int64                   `json:"certificateCompleted"`
	MentorScore          *int64                   `json:"mentorScore"`
	ScoreInTime          *int64                   `json:"scoreInTime"`
	CertificateDeadline  *int64                   `json:"certificateDeadline"`
	QuizID               *int64                   `json:"quizId"`
	Active               bool                     `json:"active"`
	Deleted              bool                     `json:"deleted"`
	// Visible: the public API shows it now (active, not deleted, within
	// its dates on the stand's clock).
	Visible   bool        `json:"visible"`
	Tasks     []QuestTask `json:"tasks,omitempty"`
	UpdatedAt time.Time   `json:"updatedAt"`
}

// QuestTask is a task as operators see it, with how many live students
// hold it in each status.
type QuestTask struct {
	ID           int64                         `json:"id"`
	Texts        map[string]QuestTaskTextJSON  `json:"texts"`
	Score        *int64                        `json:"score"`
	PreviewImage int64                         `json:"previewImage,omitempty"`
	QuizID       *int64                        `json:"quizId"`
	Active       bool                          `json:"active"`
	Deleted      bool                          `json:"deleted"`
	Position     int                           `json:"position"`
	Students     map[motivity.TaskStatus]int64 `json:"students,omitempty"`
}

// QuestStudent is a student of a quest.
type QuestStudent struct {
	// UserID is the listing's cursor (afterId).
	UserID     int64     `json:"userId"`
	User       string    `json:"user"`
	AssignedAt time.Time `json:"assignedAt"`
	Mentors    []string  `json:"mentors"`
	// Tasks and Awards are filled when one student is shown.
	Tasks  []QuestStudentTask `json:"tasks,omitempty"`
	Awards []QuestAward       `json:"awards,omitempty"`
}

// QuestStudentTask is one task of a student.
type QuestStudentTask struct {
	Task      int64               `json:"task"`
	Status    motivity.TaskStatus `json:"status"`
	UpdatedAt time.Time           `json:"updatedAt"`
}

// QuestAward is what a review paid.
type QuestAward struct {
	Kind        string    `json:"kind"`
	Task        int64     `json:"task,omitempty"`
	Recipient   string    `json:"recipient"`
	Score       int64     `json:"score"`
	Certificate *int64    `json:"certificate"`
	At          time.Time `json:"at"`
}

// QuestThread is one task of one student with its messages.
type QuestThread struct {
	Quest    int64                `json:"quest"`
	Task     int64                `json:"task"`
	Student  string               `json:"student"`
	Status   motivity.TaskStatus  `json:"status"`
	Messages []QuestThreadMessage `json:"messages"`
}

// QuestThreadMessage is one message of a thread.
type QuestThreadMessage struct {
	Author string              `json:"author"`
	Text   string              `json:"text"`
	Status motivity.TaskStatus `json:"status"`
	At     time.Time           `json:"at"`
	Files  []QuestThreadFile   `json:"files"`
}

// QuestThreadFile is a file attached to a message: what the thread reads of
// it, not the whole record (MotivityFile), whose other fields would be
// empty here.
type QuestThreadFile struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
}

func (s *Service) questView(q motivity.Quest) Quest {
	v := Quest{ID: q.ID, Texts: map[string]QuestTextJSON{}, URLForMentor: q.URLForMentor, PreviewImage: q.PreviewFileID, Mentors: q.Mentors,
		Open: q.Open, Close: q.Close, DeadlineType: q.DeadlineType, DeadlineDelay: q.DeadlineDelay, DeadlineDate: q.DeadlineDate,
		Threshold: q.Threshold, ScoreThreshold: q.ScoreThreshold, Score: q.Score, Certificate: q.Certificate,
		CertificateCompleted: q.CertificateCompleted, MentorScore: q.MentorScore, ScoreInTime: q.ScoreInTime,
		CertificateDeadline: q.CertificateDeadline, QuizID: q.QuizID, Active: q.Active, Deleted: q.Deleted,
		Visible: q.Visible(s.now()), UpdatedAt: q.UpdatedAt}
	for l, t := range q.Texts {
		v.Texts[l] = QuestTextJSON(t)
	}
	return v
}

func questTaskView(t motivity.QuestTask, counts map[motivity.TaskStatus]int64) QuestTask {
	v := QuestTask{ID: t.ID, Texts: map[string]QuestTaskTextJSON{}, Score: t.Score, PreviewImage: t.PreviewFileID, QuizID: t.QuizID,
		Active: t.Active, Deleted: t.Deleted, Position: t.Position, Students: counts}
	for l, x := range t.Texts {
		v.Texts[l] = QuestTaskTextJSON(x)
	}
	return v
}

// userIDs finds users (not deleted) by identifier.
func (s *Service) userIDs(ctx context.Context, identifiers []string) ([]int64, error) {
	ids := make([]int64, 0, len(identifiers))
	for _, ident := range identifiers {
		u, err := s.motivityUser(ctx, ident)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// PutQuest creates or rewrites a quest, then its tasks and students.
func (s *Service) PutQuest(ctx context.Context, in QuestInput) (Quest, error) {
	const op = "operator.PutQuest"
	if err := storable(op, in); err != nil {
		return Quest{}, err
	}
	q := motivity.Quest{ID: in.ID, Texts: map[string]motivity.QuestText{}, URLForMentor: in.URLForMentor, PreviewFileID: in.PreviewImage,
		Open: in.Open, Close: in.Close, DeadlineType: motivity.DeadlineType(in.DeadlineType), DeadlineDelay: in.DeadlineDelay,
		DeadlineDate: in.DeadlineDate, Threshold: in.Threshold, ScoreThreshold: in.ScoreThreshold, Score: in.Score,
		Certificate: in.Certificate, CertificateCompleted: in.CertificateCompleted, MentorScore: in.MentorScore,
		ScoreInTime: in.ScoreInTime, CertificateDeadline: in.CertificateDeadline, QuizID: in.QuizID,
		Active: in.Active == nil || *in.Active, Deleted: in.Deleted, UpdatedAt: s.now()}
	if q.DeadlineType == "" {
		q.DeadlineType = motivity.DeadlineNone
	}
	for _, l := range slices.Sorted(maps.Keys(in.Texts)) {
		q.Texts[l] = motivity.QuestText(in.Texts[l])
	}
	if err := q.Validate(); err != nil {
		return Quest{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.checkPreview(ctx, op, in.PreviewImage); err != nil {
		return Quest{}, err
	}
	var err error
	if q.MentorIDs, err = s.userIDs(ctx, in.Mentors); err != nil {
		return Quest{}, fmt.Errorf("%s: mentors: %w", op, err)
	}
	saved, err := s.Motivity.PutQuest(ctx, q)
	if err != nil {
		return Quest{}, err
	}
	for i, t := range in.Tasks {
		if _, err := s.PutQuestTask(ctx, saved.ID, t); err != nil {
			return Quest{}, fmt.Errorf("%s: tasks[%d]: %w", op, i, err)
		}
	}
	for i, st := range in.Students {
		if _, err := s.PutQuestStudent(ctx, saved.ID, st); err != nil {
			return Quest{}, fmt.Errorf("%s: students[%d]: %w", op, i, err)
		}
	}
	return s.QuestDetail(ctx, saved.ID)
}

func (s *Service) checkPreview(ctx context.Context, op string, id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := s.Motivity.File(ctx, id); err != nil {
		return stend.Errorf(stend.Invalid, op, "previewImage: the platform holds no file %d", id)
	}
	return nil
}

// PutQuestTask creates or rewrites a task of a quest; a new task is every
// student's, in progress.
func (s *Service) PutQuestTask(ctx context.Context, questID int64, in QuestTaskInput) (QuestTask, error) {
	const op = "operator.PutQuestTask"
	if err := storable(op, in); err != nil {
		return QuestTask{}, err
	}
	if _, err := s.Motivity.Quest(ctx, questID); err != nil {
		return QuestTask{}, err
	}
	t := motivity.QuestTask{ID: in.ID, QuestID: questID, Texts: map[string]motivity.TaskText{}, Score: in.Score, PreviewFileID: in.PreviewImage,
		QuizID: in.QuizID, Active: in.Active == nil || *in.Active, Deleted: in.Deleted, Position: in.Position, UpdatedAt: s.now()}
	for _, l := range slices.Sorted(maps.Keys(in.Texts)) {
		t.Texts[l] = motivity.TaskText(in.Texts[l])
	}
	if err := t.Validate(); err != nil {
		return QuestTask{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := s.checkPreview(ctx, op, in.PreviewImage); err != nil {
		return QuestTask{}, err
	}
	saved, err := s.Motivity.PutQuestTask(ctx, t)
	return questTaskView(saved, nil), err
}

// PutQuestStudent assigns a user to a quest, or rewrites the assignment's
// time and mentors; a new student's steps are played then.
func (s *Service) PutQuestStudent(ctx context.Context, questID int64, in QuestStudentInput) (QuestStudent, error) {
	const op = "operator.PutQuestStudent"
	if err := storable(op, in); err != nil {
		return QuestStudent{}, err
	}
	if _, err := s.Motivity.Quest(ctx, questID); err != nil {
		return QuestStudent{}, err
	}
	u, err := s.motivityUser(ctx, in.User)
	if err != nil {
		return QuestStudent{}, err
	}
	st := motivity.QuestStudent{QuestID: questID, UserID: u.ID, AssignedAt: s.now()}
	if in.AssignedAt != nil {
		st.AssignedAt = *in.AssignedAt
	}
	if st.MentorIDs, err = s.userIDs(ctx, in.Mentors); err != nil {
		return QuestStudent{}, fmt.Errorf("%s: mentors: %w", op, err)
	}
	old, err := s.Motivity.QuestStudent(ctx, questID, u.ID)
	isNew := stend.IsKind(err, stend.NotFound)
	if err != nil && !isNew {
		return QuestStudent{}, err
	}
	if !isNew && in.AssignedAt == nil {
		// A seed loaded at every start must not move the deadline.
		st.AssignedAt = old.AssignedAt
	}
	if _, err := s.Motivity.PutQuestStudent(ctx, st); err != nil {
		return QuestStudent{}, err
	}
	if isNew {
		for i, step := range in.Steps {
			if err := s.questStep(ctx, questID, u.Identifier, step); err != nil {
				return QuestStudent{}, fmt.Errorf("%s: steps[%d]: %w", op, i, err)
			}
		}
	}
	return s.QuestStudent(ctx, questID, u.Identifier)
}

func (s *Service) questStep(ctx context.Context, questID int64, student string, step QuestStep) error {
	var err error
	switch {
	case step.Answer != nil && step.Review == nil && !step.Reassign:
		_, err = s.AnswerQuestTask(ctx, questID, step.Task, student, *step.Answer)
	case step.Review != nil && step.Answer == nil && !step.Reassign:
		_, err = s.ReviewQuestTask(ctx, questID, step.Task, student, *step.Review)
	case step.Reassign && step.Answer == nil && step.Review == nil:
		_, err = s.ReassignQuestTask(ctx, questID, step.Task, student)
	default:
		err = stend.Errorf(stend.Invalid, "operator.QuestStep", "a step is one of answer, review or reassign")
	}
	return err
}

// RemoveQuestStudent takes a user off a quest.
func (s *Service) RemoveQuestStudent(ctx context.Context, questID int64, identifier string) (QuestStudent, error) {
	st, err := s.QuestStudent(ctx, questID, identifier)
	if err != nil {
		return QuestStudent{}, err
	}
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return QuestStudent{}, err
	}
	return st, s.Motivity.RemoveQuestStudent(ctx, questID, u.ID)
}

// Quests lists quests, deleted ones too, by id.
func (s *Service) Quests(ctx context.Context, afterID int64, limit int) ([]Quest, error) {
	qs, err := s.Motivity.Quests(ctx, afterID, limit)
	return views(qs, s.questView), err
}

// QuestDetail shows a quest with its tasks and, per task, how many live
// students hold it in each status.
func (s *Service) QuestDetail(ctx context.Context, id int64) (Quest, error) {
	q, err := s.Motivity.Quest(ctx, id)
	if err != nil {
		return Quest{}, err
	}
	tasks, err := s.Motivity.QuestTasks(ctx, id)
	if err != nil {
		return Quest{}, err
	}
	counts, err := s.Motivity.QuestCounts(ctx, id)
	if err != nil {
		return Quest{}, err
	}
	v := s.questView(q)
	for _, t := range tasks {
		v.Tasks = append(v.Tasks, questTaskView(t, counts[t.ID]))
	}
	slices.SortStableFunc(v.Tasks, func(a, b QuestTask) int { return a.Position - b.Position })
	return v, nil
}

// QuestStudents lists a quest's students by user id.
func (s *Service) QuestStudents(ctx context.Context, questID, afterUserID int64, limit int) ([]QuestStudent, error) {
	if _, err := s.Motivity.Quest(ctx, questID); err != nil {
		return nil, err
	}
	ss, err := s.Motivity.QuestStudents(ctx, questID, afterUserID, limit)
	return views(ss, func(st motivity.QuestStudent) QuestStudent {
		return QuestStudent{UserID: st.UserID, User: st.Identifier, AssignedAt: st.AssignedAt, Mentors: st.Mentors}
	}), err
}

// QuestStudent shows one student of a quest with their tasks and awards.
func (s *Service) QuestStudent(ctx context.Context, questID int64, identifier string) (QuestStudent, error) {
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return QuestStudent{}, err
	}
	st, err := s.Motivity.QuestStudent(ctx, questID, u.ID)
	if err != nil {
		return QuestStudent{}, err
	}
	out := QuestStudent{UserID: st.UserID, User: st.Identifier, AssignedAt: st.AssignedAt, Mentors: st.Mentors}
	tasks, err := s.Motivity.StudentAssignments(ctx, questID, u.ID)
	if err != nil {
		return QuestStudent{}, err
	}
	for _, a := range tasks {
		out.Tasks = append(out.Tasks, QuestStudentTask{Task: a.TaskID, Status: a.Status, UpdatedAt: a.UpdatedAt})
	}
	awards, err := s.Motivity.QuestAwards(ctx, questID, u.ID)
	if err != nil {
		return QuestStudent{}, err
	}
	names := map[int64]string{u.ID: u.Identifier}
	for _, a := range awards {
		if _, ok := names[a.RecipientID]; !ok {
			r, err := s.Motivity.UserByID(ctx, a.RecipientID)
			if err != nil {
				return QuestStudent{}, err
			}
			names[a.RecipientID] = r.Identifier
		}
		out.Awards = append(out.Awards, QuestAward{Kind: a.Kind, Task: a.TaskID, Recipient: names[a.RecipientID], Score: a.Score,
			Certificate: a.Certificate, At: a.At})
	}
	return out, nil
}

func threadView(t motivity.Thread, student string) QuestThread {
	out := QuestThread{Quest: t.Quest.ID, Task: t.Task.ID, Student: student, Status: t.Assignment.Status, Messages: []QuestThreadMessage{}}
	for _, m := range t.Messages {
		msg := QuestThreadMessage{Author: m.Author, Text: m.Text, Status: m.Status, At: m.At, Files: []QuestThreadFile{}}
		for _, f := range m.Files {
			msg.Files = append(msg.Files, QuestThreadFile{ID: f.ID, Name: f.Name, Size: f.Size, ContentType: motivity.ContentType(f.Name)})
		}
		out.Messages = append(out.Messages, msg)
	}
	return out
}

// QuestThread shows one task of one student, whatever the quest's dates
// and activity.
func (s *Service) QuestThread(ctx context.Context, questID, taskID int64, identifier string) (QuestThread, error) {
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return QuestThread{}, err
	}
	task, err := s.Motivity.QuestTask(ctx, taskID)
	if err == nil && task.QuestID != questID {
		err = stend.Errorf(stend.NotFound, "operator.QuestThread", "quest %d has no task %d", questID, taskID)
	}
	if err != nil {
		return QuestThread{}, err
	}
	a, err := s.Motivity.QuestAssignment(ctx, taskID, u.ID)
	if err != nil {
		return QuestThread{}, err
	}
	msgs, err := s.Motivity.QuestThread(ctx, taskID, u.ID)
	if err != nil {
		return QuestThread{}, err
	}
	return threadView(motivity.Thread{Quest: motivity.Quest{ID: questID}, Task: task, Assignment: a, Messages: msgs}, u.Identifier), nil
}

// AnswerQuestTask posts a student's answer: the task moves to checking.
func (s *Service) AnswerQuestTask(ctx context.Context, questID, taskID int64, student string, in QuestAnswerInput) (QuestThread, error) {
	if err := storable("operator.AnswerQuestTask", in); err != nil {
		return QuestThread{}, err
	}
	u, err := s.motivityUser(ctx, student)
	if err != nil {
		return QuestThread{}, err
	}
	t, err := motivity.NewService(s.Motivity).AnswerTask(ctx, motivity.Answer{QuestID: questID, TaskID: taskID, Student: u.Identifier,
		Text: in.Text, FileIDs: in.Files, Actor: questActor, At: s.now()})
	return threadView(t, u.Identifier), err
}

// ReassignQuestTask gives a task back to the student (in progress).
func (s *Service) ReassignQuestTask(ctx context.Context, questID, taskID int64, student string) (QuestThread, error) {
	u, err := s.motivityUser(ctx, student)
	if err != nil {
		return QuestThread{}, err
	}
	t, err := motivity.NewService(s.Motivity).ReassignTask(ctx, questID, taskID, u.Identifier, s.now())
	return threadView(t, u.Identifier), err
}

// ReviewQuestTask reviews a task as a mentor does through the public API,
// by its rules (the quest visible, the task in checking, the mentor the
// student's or responsible), awards included; a refusal names every
// reason.
func (s *Service) ReviewQuestTask(ctx context.Context, questID, taskID int64, student string, in QuestReviewInput) (QuestThread, error) {
	const op = "operator.ReviewQuestTask"
	if err := storable(op, in); err != nil {
		return QuestThread{}, err
	}
	mentor := ""
	if m, err := s.motivityUser(ctx, in.Mentor); err == nil {
		mentor = m.Identifier
	} else if in.Mentor != "" {
		mentor = in.Mentor
	}
	u, err := s.motivityUser(ctx, student)
	if err != nil {
		return QuestThread{}, err
	}
	t, issues, err := motivity.NewService(s.Motivity).ReviewTask(ctx, motivity.Review{QuestID: questID, TaskID: taskID, Student: u.Identifier,
		Mentor: mentor, Status: in.Status, Text: in.Text, FileIDs: in.Files, Actor: questActor, RequestID: "operator", At: s.now()})
	if err != nil {
		return QuestThread{}, err
	}
	if len(issues) > 0 {
		reasons := make([]string, len(issues))
		for i, is := range issues {
			reasons[i] = is.String()
		}
		return QuestThread{}, stend.Errorf(stend.Invalid, op, "review refused: %s", strings.Join(reasons, "; "))
	}
	return threadView(t, u.Identifier), nil
}

// motivityQuestRoutes adds quests to the operator API.
func (h *HTTP) motivityQuestRoutes(m *http.ServeMux) {
	const p = Prefix + "motivity/quests"
	questID := func(r *http.Request) (int64, error) { return pathID(r, "id") }
	taskID := func(r *http.Request) (int64, int64, error) {
		q, err := questID(r)
		if err != nil {
			return 0, 0, err
		}
		t, err := pathID(r, "taskId")
		return q, t, err
	}
	m.HandleFunc("GET "+p, h.answer(func(r *http.Request) (any, error) {
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		qs, err := h.svc.Quests(r.Context(), after, limit)
		return map[string]any{"quests": qs}, err
	}))
	m.HandleFunc("POST "+p, withBody(h, h.svc.PutQuest))
	m.HandleFunc("GET "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := questID(r)
		if err != nil {
			return nil, err
		}
		return h.svc.QuestDetail(r.Context(), id)
	}))
	m.HandleFunc("POST "+p+"/{id}/tasks", func(w http.ResponseWriter, r *http.Request) {
		id, err := questID(r)
		if err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
		withBody(h, func(ctx context.Context, in QuestTaskInput) (QuestTask, error) {
			return h.svc.PutQuestTask(ctx, id, in)
		})(w, r)
	})
	m.HandleFunc("GET "+p+"/{id}/students", h.answer(func(r *http.Request) (any, error) {
		id, err := questID(r)
		if err != nil {
			return nil, err
		}
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		ss, err := h.svc.QuestStudents(r.Context(), id, after, limit)
		return map[string]any{"students": ss}, err
	}))
	m.HandleFunc("POST "+p+"/{id}/students", func(w http.ResponseWriter, r *http.Request) {
		id, err := questID(r)
		if err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
		withBody(h, func(ctx context.Context, in QuestStudentInput) (QuestStudent, error) {
			return h.svc.PutQuestStudent(ctx, id, in)
		})(w, r)
	})
	m.HandleFunc("GET "+p+"/{id}/students/{identifier}", h.answer(func(r *http.Request) (any, error) {
		id, err := questID(r)
		if err != nil {
			return nil, err
		}
		return h.svc.QuestStudent(r.Context(), id, r.PathValue("identifier"))
	}))
	m.HandleFunc("DELETE "+p+"/{id}/students/{identifier}", h.answer(func(r *http.Request) (any, error) {
		id, err := questID(r)
		if err != nil {
			return nil, err
		}
		return h.svc.RemoveQuestStudent(r.Context(), id, r.PathValue("identifier"))
	}))
	const thread = "/{id}/tasks/{taskId}/students/{identifier}"
	m.HandleFunc("GET "+p+thread, h.answer(func(r *http.Request) (any, error) {
		q, t, err := taskID(r)
		if err != nil {
			return nil, err
		}
		return h.svc.QuestThread(r.Context(), q, t, r.PathValue("identifier"))
	}))
	m.HandleFunc("POST "+p+thread+"/answer", func(w http.ResponseWriter, r *http.Request) {
		q, t, err := taskID(r)
		if err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
		withBody(h, func(ctx context.Context, in QuestAnswerInput) (QuestThread, error) {
			return h.svc.AnswerQuestTask(ctx, q, t, r.PathValue("identifier"), in)
		})(w, r)
	})
	m.HandleFunc("POST "+p+thread+"/review", func(w http.ResponseWriter, r *http.Request) {
		q, t, err := taskID(r)
		if err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
		withBody(h, func(ctx context.Context, in QuestReviewInput) (QuestThread, error) {
			return h.svc.ReviewQuestTask(ctx, q, t, r.PathValue("identifier"), in)
		})(w, r)
	})
	m.HandleFunc("POST "+p+thread+"/reassign", h.answer(func(r *http.Request) (any, error) {
		q, t, err := taskID(r)
		if err != nil {
			return nil, err
		}
		return h.svc.ReassignQuestTask(r.Context(), q, t, r.PathValue("identifier"))
	}))
}

// loadQuestsSeed puts the seed's quests (their preview images uploaded
// from paths first).
func (s *Service) loadQuestsSeed(ctx context.Context, quests []QuestInput) error {
	for _, q := range quests {
		if _, err := s.PutQuest(ctx, q); err != nil {
			return fmt.Errorf("seed: motivity quest %d: %w", q.ID, err)
		}
	}
	return nil
}
