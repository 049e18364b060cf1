package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/httpx"
	"stend/motivity"
)

// «Квесты»: GET /quest/{questId}/task, GET and POST
// /quest/{questId}/task/{taskId}/student/{studentId}.

// Texts of the section, byte for byte, with each method's causes as its
// list of errors spells them (the decisions: the lists win over the
// samples' spellings).
const (
	msgQuestNotFound     = "Quest not found"
	msgTaskNotFound      = "Task not found"
	msgTaskNotInQuest    = "Task is not part of the quest"
	msgNotQuestStudent   = "User is not a quest student"
	msgIncorrectStatus   = "Incorrect value of status"
	msgIncorrectPageSize = "Incorrect value of pageSize"
	msgReviewStatus      = "Invalid value. Allowed values: redo, complete, fail"
	msgNotChecking       = "Task must be in checking. Task has status "
	msgNotStudentMentor  = "User is not a student mentor"
	msgFieldsRequired    = "Fields are required"
	msgUndecodable       = "Could not decode request body"
	msgReviewTextTooLong = "Text is too long. Allowed length 6000 characters"

	causeQuestID       = "QuestId"
	causeStudentID     = "StudentId"
	causeMentorID      = "MentorId"
	causeListTaskID    = "taskId"
	causeTaskID        = "TasktId"
	causeStatusValues  = "Allowed values: in_progress, checking, redo, complete, fail"
	causePageSize      = "Allowed values 1-100"
	causeReviewStatus  = "status"
	causeNotChecking   = "field"
	causeFieldsMissing = "MentorId, status"
	causeBody          = "body"
	causeText          = "text"
)

// Page sizes of the list: the document's default and bounds.
const (
	defaultQuestPageSize = 20
	maxQuestPageSize     = 100
)

// questProblem words an issue; taskCause is the method's spelling of the
// task's cause.
func questProblem(i motivity.QuestIssue, taskCause string) problem {
	switch i.Problem {
	case motivity.QuestNotFound:
		return problem{msgQuestNotFound, causeQuestID}
	case motivity.QuestStudentNotFound:
		return problem{msgUserNotFound, causeStudentID}
	case motivity.QuestMentorNotFound:
		return problem{msgUserNotFound, causeMentorID}
	case motivity.QuestNotStudent:
		return problem{msgNotQuestStudent, causeStudentID}
	case motivity.QuestTaskNotFound:
		return problem{msgTaskNotFound, taskCause}
	case motivity.QuestTaskNotInQuest:
		return problem{msgTaskNotInQuest, taskCause}
	case motivity.QuestBadStatus:
		return problem{msgReviewStatus, causeReviewStatus}
	case motivity.QuestTextTooLong:
		return problem{msgReviewTextTooLong, causeText}
	case motivity.QuestNotChecking:
		return problem{msgNotChecking + string(i.Status), causeNotChecking}
	case motivity.QuestNotMentor:
		return problem{msgNotStudentMentor, causeMentorID}
	case motivity.QuestFieldsRequired:
		return problem{msgFieldsRequired, causeFieldsMissing}
	case motivity.QuestUndecodable:
		return problem{msgUndecodable, causeBody}
	case motivity.QuestFileNotFound:
		return problem{msgFileNotFound, "files[" + strconv.Itoa(i.Index) + "]"}
	}
	panic("motivity/http: unworded quest problem")
}

func questProblems(issues []motivity.QuestIssue, taskCause string) []problem {
	out := make([]problem, len(issues))
	for i, is := range issues {
		out[i] = questProblem(is, taskCause)
	}
	return out
}

// GET /quest/{questId}/task

func (h *Handler) listQuestTasks(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	query := r.URL.Query()
	q := motivity.TaskListQuery{QuestID: parseID(r.PathValue("questId")), Page: 1, PageSize: defaultQuestPageSize, Now: httpx.Now(r.Context())}
	// Empty filters are no filters, as for studentId and status.
	if raw := query.Get("taskId"); raw != "" {
		q.TaskGiven, q.TaskID = true, parseID(raw)
	}
	if raw := query.Get("studentId"); raw != "" {
		q.StudentGiven = true
		// Text no user can have is looked up as "", which none has.
		if usableText(raw) {
			q.Student = motivity.NormalizeIdentifier(p.IdentifierKind, raw)
		}
	}
	var late []problem
	statuses, ok := queryStatuses(query)
	if !ok {
		late = append(late, problem{msgIncorrectStatus, causeStatusValues})
	}
	q.Statuses = statuses
	if raw, given := query["pageSize"]; given {
		n, err := strconv.Atoi(raw[0])
		if err != nil || n < 1 || n > maxQuestPageSize {
			late = append(late, problem{msgIncorrectPageSize, causePageSize})
		} else {
			q.PageSize = n
		}
	}
	// A page that is not a positive integer is the first (the decisions).
	// The page asked for is answered as asked; one so far beyond the end
	// that its offset would overflow is read as the last page there could
	// be, which is empty all the same.
	asked := 1
	if n, err := strconv.Atoi(query.Get("page")); err == nil && n > 0 {
		asked = n
	}
	q.Page = min(asked, 1<<40/q.PageSize)
	q.CheckOnly = len(late) > 0
	page, issues, err := h.service.ListQuestTasks(r.Context(), q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(issues) > 0 && issues[0].Problem == motivity.QuestNotFound {
		writeResultErrors(w, questProblems(issues, causeListTaskID))
		return
	}
	if ps := append(questProblems(issues, causeListTaskID), late...); len(ps) > 0 {
		writeResultErrors(w, ps)
		return
	}
	v := h.newQuestView(r, p)
	v.known = page.Previews
	out := questListAnswer{Result: true, Quest: v.quest(page.Quest), Items: make([]questItem, 0, len(page.Items)),
		Pagination: pagination{CurrentPage: asked, RecordsPerPage: q.PageSize, TotalRecords: page.Total,
			TotalPages: (page.Total + int64(q.PageSize) - 1) / int64(q.PageSize)}}
	tasks := map[int64]*questTaskJSON{}
	for _, a := range page.Items {
		t := tasks[a.TaskID]
		if t == nil {
			tj := v.task(page.Tasks[a.TaskID])
			t = &tj
			tasks[a.TaskID] = t
		}
		out.Items = append(out.Items, questItem{StudentID: a.Identifier, Task: t, TaskStatus: a.Status})
	}
	if v.err != nil {
		h.fail(w, r, v.err)
		return
	}
	writeOK(w, out)
}

// queryStatuses reads the status filter in the forms clients send: status
// repeated, status[] or status[N] (PHP's arrays), and comma-separated
// values; empty values are no filter. False when a value names no status.
func queryStatuses(query url.Values) ([]motivity.TaskStatus, bool) {
	var out []motivity.TaskStatus
	ok := true
	for key, values := range query {
		if key != "status" && (!strings.HasPrefix(key, "status[") || !strings.HasSuffix(key, "]") ||
			strings.Trim(key[len("status["):len(key)-1], "0123456789") != "") {
			continue
		}
		for _, v := range values {
			for _, s := range strings.Split(v, ",") {
				s = strings.TrimSpace(s)
				if s == "" {
					continue
				}
				st := motivity.TaskStatus(s)
				if !st.Valid() {
					ok = false
					continue
				}
				if !slices.Contains(out, st) {
					out = append(out, st)
				}
			}
		}
	}
	return out, ok
}

// GET /quest/{questId}/task/{taskId}/student/{studentId}

func (h *Handler) questThread(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	th, issues, err := h.service.QuestThread(r.Context(), parseID(r.PathValue("questId")), parseID(r.PathValue("taskId")),
		pathStudent(r, p), httpx.Now(r.Context()))
	h.answerThread(w, r, p, th, issues, err)
}

// pathStudent is the studentId of the path as the platform compares
// identifiers ("", which no user has, when it cannot be one).
func pathStudent(r *http.Request, p motivity.Platform) string {
	s := r.PathValue("studentId")
	if !usableText(s) {
		return ""
	}
	return motivity.NormalizeIdentifier(p.IdentifierKind, s)
}

func (h *Handler) answerThread(w http.ResponseWriter, r *http.Request, p motivity.Platform, th motivity.Thread, issues []motivity.QuestIssue, err error) {
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(issues) > 0 {
		writeResultErrors(w, questProblems(issues, causeTaskID))
		return
	}
	v := h.newQuestView(r, p)
	task := v.task(th.Task)
	out := threadAnswer{Result: true, Quest: v.quest(th.Quest), Data: threadData{StudentID: th.Assignment.Identifier, Task: &task,
		TaskStatus: th.Assignment.Status}}
	for _, m := range th.Messages {
		msg := questMessageJSON{AuthorID: m.Author, Date: v.instant(&m.At), Text: m.Text, Status: m.Status}
		for _, f := range m.Files {
			msg.Files = append(msg.Files, uploadedFile{ID: f.ID, Name: f.Name, Size: f.Size})
		}
		out.Data.Messages = append(out.Data.Messages, msg)
	}
	if v.err != nil {
		h.fail(w, r, v.err)
		return
	}
	writeOK(w, out)
}

// POST /quest/{questId}/task/{taskId}/student/{studentId}

// reviewBody is the documented body. Fields are decoded from their raw
// JSON so that a wrong type is told from an absent field.
type reviewBody struct {
	MentorID json.RawMessage `json:"mentorId"`
	Text     json.RawMessage `json:"text"`
	Files    json.RawMessage `json:"files"`
	Status   json.RawMessage `json:"status"`
}

func (h *Handler) reviewTask(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rv := motivity.Review{QuestID: parseID(r.PathValue("questId")), TaskID: parseID(r.PathValue("taskId")), Student: pathStudent(r, p),
		Actor: actor, RequestID: httpx.RequestID(r.Context()), At: httpx.Now(r.Context())}
	if !decodeReview(body, p, &rv) {
		rv.Undecodable, rv.Mentor, rv.Status, rv.Text, rv.FileIDs = true, "", "", "", nil
	}
	th, issues, err := h.service.ReviewTask(r.Context(), rv)
	h.answerThread(w, r, p, th, issues, err)
}

// decodeReview reads the body into rv: false when it is not a JSON object
// or a field has the wrong JSON type (mentorId, text and status strings,
// files an array of integers, at most MaxMessageFiles of them). null is
// absent.
func decodeReview(body []byte, p motivity.Platform, rv *motivity.Review) bool {
	var b reviewBody
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(&b); err != nil || d.More() || bytes.TrimSpace(body)[0] != '{' {
		return false
	}
	str := func(raw json.RawMessage, into *string) bool {
		if isAbsent(raw) {
			return true
		}
		return json.Unmarshal(raw, into) == nil && raw[0] == '"'
	}
	var mentor string
	if !str(b.MentorID, &mentor) || !str(b.Text, &rv.Text) || !str(b.Status, &rv.Status) {
		return false
	}
	if !stend.StorableText(mentor) || !stend.StorableText(rv.Text) || !stend.StorableText(rv.Status) {
		return false
	}
	if strings.TrimSpace(mentor) != "" {
		rv.Mentor = motivity.NormalizeIdentifier(p.IdentifierKind, mentor)
	}
	if !isAbsent(b.Files) {
		// Raw elements: json.Number would take "1", a string, for 1.
		var ids []json.RawMessage
		if err := json.Unmarshal(b.Files, &ids); err != nil || b.Files[0] != '[' || len(ids) > motivity.MaxMessageFiles {
			return false
		}
		for _, raw := range ids {
			id, err := strconv.ParseInt(string(raw), 10, 64)
			if err != nil {
				return false
			}
			rv.FileIDs = append(rv.FileIDs, id)
		}
	}
	return true
}

// The answers' shapes, in the document's field order.

type questListAnswer struct {
	Result     bool        `json:"result"`
	Quest      questJSON   `json:"quest"`
	Items      []questItem `json:"items"`
	Pagination pagination  `json:"pagination"`
}

type pagination struct {
	CurrentPage    int   `json:"currentPage"`
	RecordsPerPage int   `json:"recordsPerPage"`
	TotalRecords   int64 `json:"totalRecords"`
	TotalPages     int64 `json:"totalPages"`
}

type questItem struct {
	StudentID  string              `json:"studentId"`
	Task       *questTaskJSON      `json:"task"`
	TaskStatus motivity.TaskStatus `json:"taskStatus"`
}

type threadAnswer struct {
	Result bool       `json:"result"`
	Quest  questJSON  `json:"quest"`
	Data   threadData `json:"data"`
}

type threadData struct {
	Messages   []questMessageJSON  `json:"messages"`
	StudentID  string              `json:"studentId"`
	Task       *questTaskJSON      `json:"task"`
	TaskStatus motivity.TaskStatus `json:"taskStatus"`
}

type questMessageJSON struct {
	AuthorID string              `json:"authorId"`
	Date     jsonInstant         `json:"date"`
	Text     string              `json:"text"`
	Status   motivity.TaskStatus `json:"status"`
	Files    []uploadedFile      `json:"files"`
}

type questJSON struct {
	ID                   int64         `json:"id"`
	Title                string        `json:"title"`
	TextForMentor        string        `json:"textForMentor"`
	URLForMentor         *string       `json:"urlForMentor"`
	TextForStudent       *string       `json:"textForStudent"`
	PreviewImage         *uploadedFile `json:"previewImage"`
	Mentors              []string      `json:"mentors"`
	Open                 jsonInstant   `json:"open"`
	Close                jsonInstant   `json:"close"`
	DeadlineType         string        `json:"deadlineType"`
	DeadlineDelay        *int64        `json:"deadlineDelay"`
	DeadlineDate         jsonInstant   `json:"deadlineDate"`
	Threshold            *int64        `json:"threshold"`
	ScoreThreshold       *int64        `json:"scoreThreshold"`
	Score                *int64        `json:"score"`
	Certificate          *int64        `json:"certificate"`
	CertificateCompleted *int64        `json:"certificateCompleted"`
	MentorScore          *int64        `json:"mentorScore"`
	ScoreInTime          *int64        `json:"scoreInTime"`
	CertificateDeadline  *int64        `json:"certificateDeadline"`
	QuizID               *int64        `json:"quizId"`
}

type questTaskJSON struct {
	ID           int64         `json:"id"`
	Title        string        `json:"title"`
	Summary      *string       `json:"summary"`
	Text         string        `json:"text"`
	MentorTip    *string       `json:"mentorTip"`
	Score        *int64        `json:"score"`
	PreviewImage *uploadedFile `json:"previewImage"`
	QuizID       *int64        `json:"quizId"`
}

// jsonInstant is an instant in the platform's offset, or null.
type jsonInstant []byte

func (j jsonInstant) MarshalJSON() ([]byte, error) {
	if j == nil {
		return []byte("null"), nil
	}
	return j, nil
}

// questView renders a request's answer: its language, the platform's
// offset, and the preview images it read (each once). The first error
// reading a file is kept in err.
type questView struct {
	h      *Handler
	r      *http.Request
	p      motivity.Platform
	locale string
	loc    *time.Location
	files  map[int64]*uploadedFile
	// known: files read with the quest's definition; others are read here.
	known map[int64]motivity.File
	err   error
}

func (h *Handler) newQuestView(r *http.Request, p motivity.Platform) *questView {
	return &questView{h: h, r: r, p: p, locale: requestLocale(r, p), loc: p.Location(), files: map[int64]*uploadedFile{}}
}

func (v *questView) instant(t *time.Time) jsonInstant {
	if t == nil {
		return nil
	}
	b := append([]byte{'"'}, appendDateTime(nil, *t, v.loc)...)
	return append(b, '"')
}

// image is a preview image: null when there is none or its file was
// deleted since.
func (v *questView) image(id int64) *uploadedFile {
	if id == 0 {
		return nil
	}
	if f, ok := v.files[id]; ok {
		return f
	}
	if f, ok := v.known[id]; ok {
		out := &uploadedFile{ID: f.ID, Name: f.Name, Size: f.Size}
		v.files[id] = out
		return out
	}
	f, err := v.h.store.File(v.r.Context(), id)
	var out *uploadedFile
	switch {
	case err == nil:
		out = &uploadedFile{ID: f.ID, Name: f.Name, Size: f.Size}
	case !stend.IsKind(err, stend.NotFound) && v.err == nil:
		v.err = err
	}
	v.files[id] = out
	return out
}

func (v *questView) quest(q motivity.Quest) questJSON {
	t := motivity.Localized(q.Texts, v.locale, v.p)
	return questJSON{ID: q.ID, Title: t.Title, TextForMentor: t.TextForMentor, URLForMentor: q.URLForMentor, TextForStudent: t.TextForStudent,
		PreviewImage: v.image(q.PreviewFileID), Mentors: q.Mentors, Open: v.instant(q.Open), Close: v.instant(q.Close),
		DeadlineType: string(q.DeadlineType), DeadlineDelay: q.DeadlineDelay, DeadlineDate: v.instant(q.DeadlineDate),
		Threshold: q.Threshold, ScoreThreshold: q.ScoreThreshold, Score: q.Score, Certificate: q.Certificate,
		CertificateCompleted: q.CertificateCompleted, MentorScore: q.MentorScore, ScoreInTime: q.ScoreInTime,
		CertificateDeadline: q.CertificateDeadline, QuizID: q.QuizID}
}

func (v *questView) task(t motivity.QuestTask) questTaskJSON {
	x := motivity.Localized(t.Texts, v.locale, v.p)
	return questTaskJSON{ID: t.ID, Title: x.Title, Summary: x.Summary, Text: x.Text, MentorTip: x.MentorTip, Score: t.Score,
		PreviewImage: v.image(t.PreviewFileID), QuizID: t.QuizID}
}
