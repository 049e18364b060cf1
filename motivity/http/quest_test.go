package http_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// «Квесты»: the list of a quest's tasks, a student's thread, and the
// mentor's review with what it earns.

const (
	quest1    = "/public/api/v1/quest/1/task"
	questNF   = "Quest not found"
	taskNF    = "Task not found"
	notPart   = "Task is not part of the quest"
	notAStud  = "User is not a quest student"
	badStatus = "Incorrect value of status"
	statuses  = "Allowed values: in_progress, checking, redo, complete, fail"
	badSize   = "Incorrect value of pageSize"
	sizes     = "Allowed values 1-100"
)

func thread(quest, task int, user string) string {
	return fmt.Sprintf("/public/api/v1/quest/%d/task/%d/student/%s", quest, task, user)
}

func i64(v int64) *int64 { return &v }

func ruText(title string) map[string]operator.QuestTaskTextJSON {
	return map[string]operator.QuestTaskTextJSON{"ru": {Title: title, Text: "Текст: " + title}}
}

// questSeed is seed() with quests: 1 (visible; responsible boss; tasks 11
// and 12 listed, 13 inactive, 14 deleted; students a (mentor mgr), owner,
// b (deactivated) and gone (deleted)), 2 (visible, task 21, no students),
// 3 (inactive), 4 (deleted), 5 (open two days from now for two days), 6
// (one task, threshold 50: straight to 100%).
func questSeed() operator.Seed {
	sd := seed()
	one := func(id int64, title string) operator.QuestInput {
		return operator.QuestInput{ID: id, Texts: map[string]operator.QuestTextJSON{"ru": {Title: title, TextForMentor: "Для наставника"}},
			Mentors: []string{"boss@example.ru"}}
	}
	q1 := operator.QuestInput{ID: 1,
		Texts: map[string]operator.QuestTextJSON{
			"ru": {Title: "Квест новичка", TextForMentor: "Будьте внимательны и справедливы"},
			"en": {Title: "Newcomer quest", TextForMentor: "Be fair", TextForStudent: ptr("Welcome")},
		},
		Mentors: []string{"boss@example.ru"}, DeadlineType: "delay", DeadlineDelay: i64(10), Threshold: i64(50), ScoreThreshold: i64(10),
		Certificate: i64(100), Score: i64(50), CertificateCompleted: i64(999), MentorScore: i64(10), ScoreInTime: i64(20),
		CertificateDeadline: i64(555), QuizID: i64(444),
		Tasks: []operator.QuestTaskInput{
			{ID: 11, Texts: map[string]operator.QuestTaskTextJSON{"ru": {Title: "Первое задание", Text: "Напиши впечатления", MentorTip: ptr("Любые ответы")},
				"en": {Title: "First task", Text: "Write"}}, Score: i64(5), QuizID: i64(8)},
			{ID: 12, Texts: map[string]operator.QuestTaskTextJSON{"ru": {Title: "Второе задание", Summary: ptr("Кратко"), Text: "Расскажи о себе"}},
				Score: i64(7)},
			{ID: 13, Texts: ruText("Неактивное"), Score: i64(1), Active: ptr(false)},
			{ID: 14, Texts: ruText("Удалённое"), Score: i64(1), Deleted: true},
		},
		Students: []operator.QuestStudentInput{
			{User: "a@example.ru", Mentors: []string{"mgr@example.ru"}},
			{User: "owner@example.ru"},
			{User: "b@example.ru"},
			{User: "gone@example.ru"},
		},
	}
	q2 := one(2, "Другой квест")
	q2.Mentors = nil
	q2.Tasks = []operator.QuestTaskInput{{ID: 21, Texts: ruText("Чужое задание")}}
	q3 := one(3, "Неактивный квест")
	q3.Active = ptr(false)
	q4 := one(4, "Удалённый квест")
	q4.Deleted = true
	q5 := one(5, "Будущий квест")
	open, closed := today.Add(48*time.Hour), today.Add(96*time.Hour)
	q5.Open, q5.Close = &open, &closed
	q6 := one(6, "Короткий квест")
	q6.Threshold, q6.ScoreThreshold, q6.Score, q6.Certificate = i64(50), i64(3), i64(4), i64(77)
	deadline := today.Add(30 * 24 * time.Hour)
	q6.DeadlineType, q6.DeadlineDate, q6.ScoreInTime, q6.CertificateDeadline = "date", &deadline, i64(1), i64(5)
	q6.Tasks = []operator.QuestTaskInput{{ID: 61, Texts: ruText("Единственное"), Score: i64(2)}}
	for _, q := range []*operator.QuestInput{&q3, &q4, &q5} {
		q.Tasks = []operator.QuestTaskInput{{ID: q.ID*10 + 1, Texts: ruText("Задание")}}
	}
	for _, q := range []*operator.QuestInput{&q3, &q4, &q5, &q6} {
		q.Students = []operator.QuestStudentInput{{User: "a@example.ru"}}
	}
	sd.Motivity.Quests = []operator.QuestInput{q1, q2, q3, q4, q5, q6}
	return sd
}

func forEachQuestStand(t *testing.T, fn func(t *testing.T, s *stand)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		fn(t, standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig()))
	})
}

// questConfig lets a review's longest text through.
func questConfig() server.Config {
	cfg := testConfig()
	cfg.MotivityMaxBodyBytes = 1 << 20
	return cfg
}

// answerTask posts the student's answer through the operator.
func (s *stand) answerTask(quest, task int64, user, text string, files ...int64) {
	s.t.Helper()
	if _, err := s.node.Operator.AnswerQuestTask(context.Background(), quest, task, user, operator.QuestAnswerInput{Text: text, Files: files}); err != nil {
		s.t.Fatal(err)
	}
}

func review(mentor, status, text string) string {
	return fmt.Sprintf(`{"mentorId":%q,"status":%q,"text":%q}`, mentor, status, text)
}

const (
	quest1JSON = `{"id":1,"title":"Квест новичка","textForMentor":"Будьте внимательны и справедливы","urlForMentor":null,"textForStudent":null,` +
		`"previewImage":null,"mentors":["boss@example.ru"],"open":null,"close":null,"deadlineType":"delay","deadlineDelay":10,"deadlineDate":null,` +
		`"threshold":50,"scoreThreshold":10,"score":50,"certificate":100,"certificateCompleted":999,"mentorScore":10,"scoreInTime":20,` +
		`"certificateDeadline":555,"quizId":444}`
	task11JSON = `{"id":11,"title":"Первое задание","summary":null,"text":"Напиши впечатления","mentorTip":"Любые ответы","score":5,"previewImage":null,"quizId":8}`
	task12JSON = `{"id":12,"title":"Второе задание","summary":"Кратко","text":"Расскажи о себе","mentorTip":null,"score":7,"previewImage":null,"quizId":null}`
)

func questItem(student, task, status string) string {
	return `{"studentId":"` + student + `","task":` + task + `,"taskStatus":"` + status + `"}`
}

func listAnswer(quest string, page, size, total, pages int, items ...string) string {
	return `{"result":true,"quest":` + quest + `,"items":[` + strings.Join(items, ",") + `],"pagination":{"currentPage":` +
		fmt.Sprint(page) + `,"recordsPerPage":` + fmt.Sprint(size) + `,"totalRecords":` + fmt.Sprint(total) + `,"totalPages":` + fmt.Sprint(pages) + `}}`
}

// GET /quest/{questId}/task: every item of the listed tasks for the live
// students, by task then student; pagination; filters in every form.
func TestQuestTaskList(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		a11, o11 := questItem("a@example.ru", task11JSON, "in_progress"), questItem("owner@example.ru", task11JSON, "in_progress")
		a12, o12 := questItem("a@example.ru", task12JSON, "in_progress"), questItem("owner@example.ru", task12JSON, "in_progress")
		s.expect(s.call("GET", quest1, ""), 200, listAnswer(quest1JSON, 1, 20, 4, 1, a11, o11, a12, o12))
		// Pages: the last one, one beyond the end (empty, totals kept),
		// and a page that is not a positive integer (the first; outside
		// the document's INT from 1, so sent marked malformed).
		s.expect(s.call("GET", quest1+"?pageSize=3&page=2", ""), 200, listAnswer(quest1JSON, 2, 3, 4, 2, o12))
		s.expect(s.call("GET", quest1+"?pageSize=3&page=3", ""), 200, listAnswer(quest1JSON, 3, 3, 4, 2))
		s.expect(s.call("GET", quest1+"?pageSize=1&page=99999999999999999999", "", malformed), 200, listAnswer(quest1JSON, 1, 1, 4, 4, a11))
		s.expect(s.call("GET", quest1+"?pageSize=1&page=2000000000000", ""), 200, listAnswer(quest1JSON, 2000000000000, 1, 4, 4))
		for _, p := range []string{"0", "-1", "x", ""} {
			s.expect(s.call("GET", quest1+"?pageSize=2&page="+p, "", malformed), 200, listAnswer(quest1JSON, 1, 2, 4, 2, a11, o11))
		}
		s.expect(s.call("GET", quest1+"?pageSize=100", ""), 200, listAnswer(quest1JSON, 1, 100, 4, 1, a11, o11, a12, o12))
		for _, size := range []string{"0", "101", "x", "", "1.5"} {
			s.expect(s.call("GET", quest1+"?pageSize="+size, "", malformed), 400, refused(badSize, sizes))
		}
		// Filters; empty ones, which the stand reads as none, are outside
		// the document's types.
		s.expect(s.call("GET", quest1+"?taskId=12", ""), 200, listAnswer(quest1JSON, 1, 20, 2, 1, a12, o12))
		s.expect(s.call("GET", quest1+"?taskId=&studentId=", "", malformed), 200, listAnswer(quest1JSON, 1, 20, 4, 1, a11, o11, a12, o12))
		s.expect(s.call("GET", quest1+"?studentId=OWNER@example.ru", ""), 200, listAnswer(quest1JSON, 1, 20, 2, 1, o11, o12))
		s.expect(s.call("GET", quest1+"?studentId=owner@example.ru&taskId=11", ""), 200, listAnswer(quest1JSON, 1, 20, 1, 1, o11))
		s.answerTask(1, 12, "a@example.ru", "Готово")
		c12 := questItem("a@example.ru", task12JSON, "checking")
		for _, q := range []string{"status=checking", "status[]=checking", "status[0]=checking", "status=fail&status=checking",
			"status[]=fail&status[]=checking"} {
			s.expect(s.call("GET", quest1+"?"+q, ""), 200, listAnswer(quest1JSON, 1, 20, 1, 1, c12))
		}
		// Read, but not the document's array: values joined by commas.
		s.expect(s.call("GET", quest1+"?status=checking,fail", "", malformed), 200, listAnswer(quest1JSON, 1, 20, 1, 1, c12))
		s.expect(s.call("GET", quest1+"?status=in_progress&pageSize=2&page=2", ""), 200, listAnswer(quest1JSON, 2, 2, 3, 2, o12))
		s.expect(s.call("GET", quest1+"?status=complete", ""), 200, listAnswer(quest1JSON, 1, 20, 0, 0))
		s.expect(s.call("GET", quest1+"?status=", "", malformed), 200, listAnswer(quest1JSON, 1, 20, 4, 1, a11, o11, c12, o12))
		for _, q := range []string{"status=done", "status[]=checking&status[]=done", "status=checking,,x"} {
			s.expect(s.call("GET", quest1+"?"+q, "", malformed), 400, refused(badStatus, statuses))
		}
		// A quest without students, and the English texts.
		s.expect(s.call("GET", "/public/api/v1/quest/2/task", ""), 200, listAnswer(
			`{"id":2,"title":"Другой квест","textForMentor":"Для наставника","urlForMentor":null,"textForStudent":null,"previewImage":null,`+
				`"mentors":null,"open":null,"close":null,"deadlineType":"none","deadlineDelay":null,"deadlineDate":null,"threshold":null,`+
				`"scoreThreshold":null,"score":null,"certificate":null,"certificateCompleted":null,"mentorScore":null,"scoreInTime":null,`+
				`"certificateDeadline":null,"quizId":null}`, 1, 20, 0, 0))
		en := s.call("GET", quest1+"?taskId=11&studentId=a@example.ru", "", "Locale: en")
		if !strings.Contains(en.body, `"title":"Newcomer quest","textForMentor":"Be fair","urlForMentor":null,"textForStudent":"Welcome"`) ||
			!strings.Contains(en.body, `"task":{"id":11,"title":"First task","summary":null,"text":"Write","mentorTip":null`) {
			t.Fatalf("English: %s", en.body)
		}
	})
}

// Every documented error of the list, with its cause, in the list's
// order; an unknown quest alone.
func TestQuestTaskListErrors(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		// malformed: the status and the page size are wrong too.
		for _, q := range []string{"0", "99", "x", "3", "4", "5", "1a", "-1"} {
			s.expect(s.call("GET", "/public/api/v1/quest/"+q+"/task?status=bad&pageSize=0&taskId=77", "", malformed), 400, refused(questNF, "QuestId"))
		}
		for _, task := range []string{"13", "14", "21", "999"} {
			s.expect(s.call("GET", quest1+"?taskId="+task, ""), 400, refused(taskNF, "taskId"))
		}
		for _, task := range []string{"x", "-1"} {
			s.expect(s.call("GET", quest1+"?taskId="+task, "", malformed), 400, refused(taskNF, "taskId"))
		}
		for _, user := range []string{"b@example.ru", "gone@example.ru", "nobody@example.ru"} {
			s.expect(s.call("GET", quest1+"?studentId="+url.QueryEscape(user), ""), 400, refused(notFound, "StudentId"))
		}
		// No identifier is blank: outside the document, answered as no user.
		s.expect(s.call("GET", quest1+"?studentId=%20", "", malformed), 400, refused(notFound, "StudentId"))
		s.expect(s.call("GET", quest1+"?studentId=stranger@example.ru", ""), 400, refused(notAStud, "StudentId"))
		s.expect(s.call("GET", quest1+"?studentId=stranger@example.ru&taskId=13&status=bad&pageSize=101", "", malformed), 400,
			refused(taskNF, "taskId", notAStud, "StudentId", badStatus, statuses, badSize, sizes))
		s.expect(s.call("GET", quest1, "", "X-Auth-Token:"), 401, `{"result":false,"message":"Invalid public API token"}`)
		s.expect(s.call("GET", "/public/api/v1/quest/99/task", "", "X-Auth-Token:"), 401, `{"result":false,"message":"Invalid public API token"}`)
		s.expect(s.call("POST", quest1, "", undocumented), 405, `{"result":false,"message":"Method not allowed"}`)
	})
}

// Visibility follows the stand's clock: a quest opens and closes with it.
func TestQuestVisibilityByDates(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		path := "/public/api/v1/quest/5/task"
		s.expect(s.call("GET", path, ""), 400, refused(questNF, "QuestId"))
		s.clock.Set(today.Add(48 * time.Hour))
		if a := s.call("GET", path, ""); a.status != 200 || !strings.Contains(a.body, `"open":"2025-06-13T12:00:00+03:00","close":"2025-06-15T12:00:00+03:00"`) {
			t.Fatalf("open quest: %d %s", a.status, a.body)
		}
		s.clock.Set(today.Add(96*time.Hour + time.Second))
		s.expect(s.call("GET", path, ""), 400, refused(questNF, "QuestId"))
		s.expect(s.call("GET", thread(5, 51, "a@example.ru"), ""), 400, refused(questNF, "QuestId"))
	})
}

// A student who is deactivated or deleted leaves the lists, and comes
// back when active again; the totals follow.
func TestQuestListFollowsUsers(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		ctx := context.Background()
		if _, err := s.node.Operator.PutMotivityUser(ctx, operator.MotivityUserInput{Identifier: "owner@example.ru", Active: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		a11, a12 := questItem("a@example.ru", task11JSON, "in_progress"), questItem("a@example.ru", task12JSON, "in_progress")
		s.expect(s.call("GET", quest1, ""), 200, listAnswer(quest1JSON, 1, 20, 2, 1, a11, a12))
		s.expect(s.call("GET", quest1+"?studentId=owner@example.ru", ""), 400, refused(notFound, "StudentId"))
		if _, err := s.node.Operator.PutMotivityUser(ctx, operator.MotivityUserInput{Identifier: "b@example.ru", Active: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		b11, b12 := questItem("b@example.ru", task11JSON, "in_progress"), questItem("b@example.ru", task12JSON, "in_progress")
		s.expect(s.call("GET", quest1+"?pageSize=3&page=2", ""), 200, listAnswer(quest1JSON, 2, 3, 4, 2, b12))
		s.expect(s.call("GET", quest1, ""), 200, listAnswer(quest1JSON, 1, 20, 4, 1, a11, b11, a12, b12))
		if _, err := s.node.Operator.DeleteMotivityUser(ctx, "a@example.ru"); err != nil {
			t.Fatal(err)
		}
		s.expect(s.call("GET", quest1, ""), 200, listAnswer(quest1JSON, 1, 20, 2, 1, b11, b12))
		// A task added later is every student's.
		if _, err := s.node.Operator.PutQuestTask(ctx, 1, operator.QuestTaskInput{ID: 15, Texts: ruText("Новое")}); err != nil {
			t.Fatal(err)
		}
		if a := s.call("GET", quest1+"?taskId=15", ""); a.status != 200 || !strings.Contains(a.body, `"totalRecords":1,`) ||
			!strings.Contains(a.body, `"studentId":"b@example.ru"`) {
			t.Fatalf("new task: %s", a.body)
		}
	})
}

func threadAnswer(quest, data string) string {
	return `{"result":true,"quest":` + quest + `,"data":` + data + `}`
}

// GET …/student/{studentId}: the task, its status and its whole thread.
func TestQuestThread(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		s.expect(s.call("GET", thread(1, 11, "a@example.ru"), ""), 200, threadAnswer(quest1JSON,
			`{"messages":null,"studentId":"a@example.ru","task":`+task11JSON+`,"taskStatus":"in_progress"}`))
		file := s.op("POST", "files?name="+url.QueryEscape("Ответ на вопрос.xls"), "0123456789")
		id := decode[struct{ ID int64 }](t, file).ID
		if id == 0 {
			t.Fatal(file.body)
		}
		s.answerTask(1, 11, "a@example.ru", "Мой ответ на вопрос", id)
		s.clock.Set(today.Add(time.Hour))
		s.expect(s.call("POST", thread(1, 11, "a@example.ru"), review("mgr@example.ru", "redo", "Подробнее")), 200, threadAnswer(quest1JSON,
			`{"messages":[`+
				`{"authorId":"a@example.ru","date":"2025-06-11T12:00:00+03:00","text":"Мой ответ на вопрос","status":"checking","files":[{"id":`+fmt.Sprint(id)+`,"name":"Ответ на вопрос.xls","size":10}]},`+
				`{"authorId":"mgr@example.ru","date":"2025-06-11T13:00:00+03:00","text":"Подробнее","status":"redo","files":null}],`+
				`"studentId":"a@example.ru","task":`+task11JSON+`,"taskStatus":"redo"}`))
		if a := s.call("GET", thread(1, 11, "A@example.ru"), ""); a.status != 200 || strings.Count(a.body, `"authorId"`) != 2 {
			t.Fatalf("read back: %s", a.body)
		}
		// A file deleted since is left out of the thread.
		s.op("DELETE", "files/"+fmt.Sprint(id), "")
		if a := s.call("GET", thread(1, 11, "a@example.ru"), ""); !strings.Contains(a.body, `"status":"checking","files":null}`) {
			t.Fatalf("deleted file: %s", a.body)
		}
		// Errors, each method's own causes, in its order.
		for _, q := range []int{3, 4, 5, 99} {
			s.expect(s.call("GET", thread(q, 11, "nobody@example.ru"), ""), 400, refused(questNF, "QuestId"))
		}
		s.expect(s.call("GET", thread(0, 11, "nobody@example.ru"), "", malformed), 400, refused(questNF, "QuestId"))
		s.expect(s.call("GET", thread(1, 11, "nobody@example.ru"), ""), 400, refused(notFound, "StudentId"))
		s.expect(s.call("GET", thread(1, 11, "b@example.ru"), ""), 400, refused(notFound, "StudentId"))
		s.expect(s.call("GET", thread(1, 11, "stranger@example.ru"), ""), 400, refused(notAStud, "StudentId"))
		for _, task := range []int{13, 14, 999} {
			s.expect(s.call("GET", thread(1, task, "a@example.ru"), ""), 400, refused(taskNF, "TasktId"))
		}
		s.expect(s.call("GET", thread(1, 21, "a@example.ru"), ""), 400, refused(notPart, "TasktId"))
		s.expect(s.call("GET", thread(1, 21, "stranger@example.ru"), ""), 400, refused(notAStud, "StudentId", notPart, "TasktId"))
		s.expect(s.call("GET", "/public/api/v1/quest/1/task/x/student/a@example.ru", "", malformed), 400, refused(taskNF, "TasktId"))
		s.expect(s.call("GET", thread(1, 11, "a@example.ru"), "", "X-Auth-Token:"), 401, `{"result":false,"message":"Invalid public API token"}`)
		s.expect(s.call("GET", thread(99, 11, "nobody@example.ru"), "", "X-Auth-Token: wrong"), 401, `{"result":false,"message":"Invalid public API token"}`)
	})
}

// POST …/student/{studentId}: every documented condition and message; a
// refused review changes nothing.
func TestQuestReviewErrors(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		path := thread(1, 11, "a@example.ru")
		unchanged := func() {
			t.Helper()
			if a := s.call("GET", path, ""); !strings.Contains(a.body, `"messages":[{"authorId":"a@example.ru"`) ||
				strings.Count(a.body, `"authorId"`) != 1 || !strings.HasSuffix(a.body, `"taskStatus":"checking"}}`) {
				t.Fatalf("changed: %s", a.body)
			}
			if l := s.ledger("a@example.ru"); len(l) != 0 {
				t.Fatalf("ledger: %v", l)
			}
		}
		s.expect(s.call("POST", path, review("mgr@example.ru", "complete", "")), 400,
			refused("Task must be in checking. Task has status in_progress", "field"))
		s.answerTask(1, 11, "a@example.ru", "Ответ")
		// malformed: a body the document calls invalid, sent on purpose.
		cases := []struct {
			path, body, want string
			malformed        bool
		}{
			{thread(99, 11, "a@example.ru"), review("nobody", "bad", ""), refused(questNF, "QuestId"), true},
			{path, review("hr@example.ru", "complete", ""), refused("User is not a student mentor", "MentorId"), false},
			{thread(1, 11, "owner@example.ru"), review("mgr@example.ru", "complete", ""),
				refused("Task must be in checking. Task has status in_progress", "field", "User is not a student mentor", "MentorId"), false},
			{path, review("b@example.ru", "complete", ""), refused(notFound, "MentorId"), false},
			{path, review("gone@example.ru", "complete", ""), refused(notFound, "MentorId"), false},
			{path, review("nobody@example.ru", "complete", ""), refused(notFound, "MentorId"), false},
			{path, `{"status":"complete"}`, refused("Fields are required", "MentorId, status"), true},
			{path, `{"mentorId":"mgr@example.ru","status":null}`, refused("Fields are required", "MentorId, status"), true},
			{path, `{}`, refused("Fields are required", "MentorId, status"), true},
			{path, review("mgr@example.ru", "checking", ""), refused("Invalid value. Allowed values: redo, complete, fail", "status"), true},
			{path, review("mgr@example.ru", "Complete", ""), refused("Invalid value. Allowed values: redo, complete, fail", "status"), true},
			{path, review("mgr@example.ru", "complete", strings.Repeat("я", 6001)), refused("Text is too long. Allowed length 6000 characters", "text"), true},
			{path, `not json`, refused("Could not decode request body", "body"), true},
			{path, `[]`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":5,"status":"complete"}`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":"mgr@example.ru","status":"complete","files":["1"]}`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":"mgr@example.ru","status":"complete","files":[1.5]}`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":"mgr@example.ru","status":"complete","files":1}`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":"mgr@example.ru","status":"complete"} {}`, refused("Could not decode request body", "body"), true},
			{path, `{"mentorId":"mgr@example.ru","status":"complete","files":[123456,654321]}`,
				refused("File not found", "files[0]", "File not found", "files[1]"), false},
			{thread(1, 11, "stranger@example.ru"), `not json`, refused(notAStud, "StudentId", "Could not decode request body", "body"), true},
			{thread(1, 21, "nobody@example.ru"), review("nobody2@example.ru", "won", ""),
				refused(notFound, "StudentId", notFound, "MentorId", notPart, "TasktId", "Invalid value. Allowed values: redo, complete, fail", "status"), true},
			{thread(1, 13, "a@example.ru"), `{"mentorId":"","files":[9]}`, refused(taskNF, "TasktId", "Fields are required", "MentorId, status", "File not found", "files[0]"), true},
		}
		for _, c := range cases {
			s.expect(s.call("POST", c.path, c.body, marked(c.malformed)...), 400, c.want)
			unchanged()
		}
		// Without the token, nothing is looked up or changed, even a review
		// that would pass.
		for _, token := range []string{"X-Auth-Token:", "X-Auth-Token: wrong"} {
			s.expect(s.call("POST", path, review("mgr@example.ru", "complete", ""), token), 401, `{"result":false,"message":"Invalid public API token"}`)
			unchanged()
		}
		// The responsible mentor reviews anyone's task; the student's own
		// mentor theirs.
		s.expect(s.call("POST", path, review("BOSS@example.ru", "redo", "")), 200, s.call("GET", path, "").body)
		s.answerTask(1, 11, "a@example.ru", "Ещё раз")
		if a := s.call("POST", path, review("mgr@example.ru", "fail", "Нет")); a.status != 200 || !strings.HasSuffix(a.body, `"taskStatus":"fail"}}`) {
			t.Fatalf("fail: %s", a.body)
		}
		s.expect(s.call("POST", path, review("mgr@example.ru", "complete", "")), 400, refused("Task must be in checking. Task has status fail", "field"))
		if l := s.ledger("a@example.ru"); len(l) != 0 {
			t.Fatalf("redo and fail earn nothing: %v", l)
		}
	})
}

// What a review earns: the task's score; at the threshold, its score and
// certificate; at 100%, the quest's score and certificate, the mentor's
// score and, before the deadline, the in-time award. Each once.
func TestQuestAwards(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		complete := func(quest, task int64, user, mentor string) {
			t.Helper()
			s.answerTask(quest, task, user, "Ответ")
			if a := s.call("POST", thread(int(quest), int(task), user), review(mentor, "complete", "Отлично")); a.status != 200 {
				t.Fatalf("review: %d %s", a.status, a.body)
			}
		}
		complete(1, 11, "a@example.ru", "mgr@example.ru")
		want := []string{
			"score +5=5 Квест «Квест новичка»: задание «Первое задание» выполнено",
			"score +10=15 Квест «Квест новичка»: пройдено 50%",
		}
		if got := s.ledger("a@example.ru"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ledger %q\nwant %q", got, want)
		}
		complete(1, 12, "a@example.ru", "boss@example.ru")
		want = append(want,
			"score +7=22 Квест «Квест новичка»: задание «Второе задание» выполнено",
			"score +50=72 Квест «Квест новичка» пройден",
			"score +20=92 Квест «Квест новичка» пройден в срок")
		if got := s.ledger("a@example.ru"); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ledger %q\nwant %q", got, want)
		}
		if got := s.ledger("boss@example.ru"); fmt.Sprint(got) != "[score +10=10 Квест «Квест новичка» пройден студентом a@example.ru]" {
			t.Fatalf("mentor: %q", got)
		}
		// Reassigned and completed again: nothing is paid twice.
		if _, err := s.node.Operator.ReassignQuestTask(context.Background(), 1, 12, "a@example.ru"); err != nil {
			t.Fatal(err)
		}
		complete(1, 12, "a@example.ru", "mgr@example.ru")
		if got := s.ledger("a@example.ru"); len(got) != 5 {
			t.Fatalf("paid twice: %q", got)
		}
		st, err := s.node.Operator.QuestStudent(context.Background(), 1, "a@example.ru")
		if err != nil {
			t.Fatal(err)
		}
		var awards []string
		for _, a := range st.Awards {
			awards = append(awards, fmt.Sprintf("%s/%d→%s:%d cert %v", a.Kind, a.Task, a.Recipient, a.Score, deref(a.Certificate)))
		}
		if got := strings.Join(awards, " "); got != "completed/0→a@example.ru:50 cert 999 in_time/0→a@example.ru:20 cert 555 "+
			"mentor/0→boss@example.ru:10 cert 0 task/11→a@example.ru:5 cert 0 task/12→a@example.ru:7 cert 0 threshold/0→a@example.ru:10 cert 100" {
			t.Fatalf("awards: %s", got)
		}
		// After the deadline (ten days from the assignment), no in-time
		// award; straight from below the threshold to 100%, both awards.
		s.clock.Set(today.Add(10*24*time.Hour + time.Second))
		complete(1, 11, "owner@example.ru", "boss@example.ru")
		complete(1, 12, "owner@example.ru", "boss@example.ru")
		if got := s.ledger("owner@example.ru"); len(got) != 4 || strings.Contains(fmt.Sprint(got), "в срок") {
			t.Fatalf("late: %q", got)
		}
		// Taken off the quest and assigned again: what was paid is not paid
		// again; the in-time award, never paid, is, the new assignment's
		// deadline being ten days away.
		ctx := context.Background()
		if _, err := s.node.Operator.RemoveQuestStudent(ctx, 1, "owner@example.ru"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.node.Operator.PutQuestStudent(ctx, 1, operator.QuestStudentInput{User: "owner@example.ru"}); err != nil {
			t.Fatal(err)
		}
		complete(1, 11, "owner@example.ru", "boss@example.ru")
		complete(1, 12, "owner@example.ru", "boss@example.ru")
		if got := s.ledger("owner@example.ru"); len(got) != 5 || got[4] != "score +20=92 Квест «Квест новичка» пройден в срок" {
			t.Fatalf("paid again after a new assignment: %q", got)
		}
		complete(6, 61, "a@example.ru", "boss@example.ru")
		if got := s.ledger("a@example.ru")[5:]; fmt.Sprint(got) != "[score +2=94 Квест «Короткий квест»: задание «Единственное» выполнено "+
			"score +3=97 Квест «Короткий квест»: пройдено 50% score +4=101 Квест «Короткий квест» пройден "+
			"score +1=102 Квест «Короткий квест» пройден в срок]" {
			t.Fatalf("straight to 100%%: %q", got)
		}
	})
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// Concurrent reviews, on two nodes over one database: one review of a
// task succeeds, the others find it reviewed; reviews of a student's
// last tasks at once pay the quest's completion exactly once.
func TestQuestReviewsPayOnce(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		clock := stendtest.NewManualClock(today)
		first, reopen := storetest.Reopenable(t, o.Name)
		nodes := []*stand{standOn(t, first, clock, questSeed(), questConfig()), standOn(t, reopen(), clock, questSeed(), questConfig())}
		s := nodes[0]
		for round := 0; round < 3; round++ {
			s.answerTask(1, 11, "a@example.ru", "Ответ")
			s.answerTask(1, 12, "a@example.ru", "Ответ")
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[int]int{}
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					task := 11 + i%2
					a := nodes[i%2].call("POST", thread(1, task, "a@example.ru"), review("mgr@example.ru", "complete", ""))
					mu.Lock()
					codes[a.status]++
					mu.Unlock()
					if a.status == 400 && a.body != refused("Task must be in checking. Task has status complete", "field") {
						t.Errorf("refusal: %s", a.body)
					}
				}()
			}
			wg.Wait()
			if codes[200] != 2 || codes[400] != 14 {
				t.Fatalf("round %d: %v", round, codes)
			}
			if got := s.ledger("a@example.ru"); len(got) != 5 {
				t.Fatalf("round %d: paid %d times: %q", round, len(got), got)
			}
			for _, task := range []int64{11, 12} {
				if _, err := s.node.Operator.ReassignQuestTask(context.Background(), 1, task, "a@example.ru"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := s.ledger("mgr@example.ru"); len(got) != 1 {
			t.Fatalf("mentor paid %d times", len(got))
		}
	})
}

// A review acknowledged before a restart is there after it, and the
// reopened node pays nothing again.
func TestQuestReviewSurvivesRestart(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		clock := stendtest.NewManualClock(today)
		first, reopen := storetest.Reopenable(t, o.Name)
		s := standOn(t, first, clock, questSeed(), questConfig())
		s.answerTask(1, 11, "a@example.ru", "Ответ")
		reviewed := s.call("POST", thread(1, 11, "a@example.ru"), review("mgr@example.ru", "complete", "Принято"))
		if reviewed.status != 200 {
			t.Fatal(reviewed.body)
		}
		if err := s.store.Close(); err != nil {
			t.Fatal(err)
		}
		after := standOn(t, reopen(), clock, questSeed(), questConfig())
		after.expect(after.call("GET", thread(1, 11, "a@example.ru"), ""), 200, reviewed.body)
		if got := after.ledger("a@example.ru"); len(got) != 2 {
			t.Fatalf("ledger after restart: %q", got)
		}
	})
}

// The operator API provisions quests and plays the student's side; what it
// does, the public API shows.
func TestQuestOperatorAPI(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		check := s.check
		img := decode[struct{ ID int64 }](t, s.op("POST", "files?name=cat.jpg", strings.Repeat("c", 225))).ID
		check(s.op("POST", "quests", fmt.Sprintf(`{"texts":{"ru":{"title":"Новый","textForMentor":"Т"}},"previewImage":%d,"mentors":["boss@example.ru"],`+
			`"deadlineType":"date","deadlineDate":"2025-07-01T00:00:00+03:00","tasks":[{"texts":{"ru":{"title":"З1","text":"Т1"}},"score":2}],`+
			`"students":[{"user":"owner@example.ru","mentors":["hr@example.ru"]}]}`, img)), 200, `"id":7,`, `"visible":true`, `"students":{"in_progress":1}`)
		check(s.op("POST", "quests/7/tasks", `{"texts":{"ru":{"title":"З2","text":"Т2"}}}`), 200, `"id":63,`)
		check(s.op("POST", "quests/7/students", `{"user":"a@example.ru"}`), 200, `"user":"a@example.ru"`, `{"task":62,"status":"in_progress"`, `{"task":63,`)
		check(s.op("GET", "quests/7/students", ""), 200, `"user":"a@example.ru"`, `"user":"owner@example.ru","assignedAt":"2025-06-11T09:00:00Z","mentors":["hr@example.ru"]`)
		check(s.op("GET", "quests?limit=100", ""), 200, `"id":1,`, `"id":7,`)
		check(s.call("GET", "/public/api/v1/quest/7/task?taskId=62", ""), 200, fmt.Sprintf(`"previewImage":{"id":%d,"name":"cat.jpg","size":225}`, img),
			`"deadlineType":"date","deadlineDelay":null,"deadlineDate":"2025-07-01T00:00:00+03:00"`, `"totalRecords":2`)
		// The student's side, then the mentor's, through the operator.
		// A message's files are what the thread holds of them, not empty
		// fields of the file's record.
		check(s.op("POST", "quests/7/tasks/62/students/owner@example.ru/answer", fmt.Sprintf(`{"text":"Сделал","files":[%d]}`, img)), 200, `"status":"checking"`,
			fmt.Sprintf(`"files":[{"id":%d,"name":"cat.jpg","size":225,"contentType":"image/jpeg"}]}`, img))
		check(s.op("POST", "quests/7/tasks/62/students/owner@example.ru/answer", `{"text":"Ещё"}`), 409, "in progress or sent back")
		check(s.op("POST", "quests/7/tasks/62/students/owner@example.ru/review", `{"mentor":"stranger@example.ru","status":"complete"}`), 400,
			"the mentor is neither the student's nor responsible")
		check(s.op("POST", "quests/7/tasks/62/students/owner@example.ru/review", `{"mentor":"hr@example.ru","status":"complete","text":"Да"}`), 200,
			`"status":"complete"`, `"author":"hr@example.ru"`)
		check(s.op("GET", "quests/7/students/owner@example.ru", ""), 200, `"awards":[{"kind":"task","task":62,"recipient":"owner@example.ru","score":2`)
		check(s.op("POST", "quests/7/tasks/62/students/owner@example.ru/reassign", ""), 200, `"status":"in_progress"`)
		check(s.op("GET", "quests/7/tasks/62/students/owner@example.ru", ""), 200, `"text":"Сделал"`, `"text":"Да"`, `"status":"in_progress"`)
		check(s.op("DELETE", "quests/7/students/a@example.ru", ""), 200, `"user":"a@example.ru"`)
		check(s.call("GET", "/public/api/v1/quest/7/task", ""), 200, `"totalRecords":2`)
		check(s.call("GET", "/public/api/v1/quest/7/task?studentId=a@example.ru", ""), 400, notAStud)
		// Refusals.
		check(s.op("GET", "quests/99", ""), 404)
		check(s.op("POST", "quests/99/tasks", `{"texts":{"ru":{"title":"З","text":"Т"}}}`), 404)
		check(s.op("POST", "quests/1/tasks", `{"id":21,"texts":{"ru":{"title":"З","text":"Т"}}}`), 409, "cannot move to another quest")
		check(s.opMalformed("POST", "quests", `{"texts":{"ru":{"title":"Х","textForMentor":""}},"deadlineType":"soon"}`), 400, "deadlineType")
		check(s.op("POST", "quests", `{"texts":{"ru":{"title":"Х","textForMentor":""}},"deadlineType":"delay"}`), 400, "deadlineDelay")
		check(s.op("POST", "quests", `{"texts":{"ru":{"title":"Х","textForMentor":""}},"previewImage":999}`), 400, "no file 999")
		check(s.op("POST", "quests", `{"texts":{"ru":{"title":"Х","textForMentor":""}},"mentors":["nobody@example.ru"]}`), 404)
		check(s.opMalformed("POST", "quests", `{"texts":{"ru":{"title":"Х","textForMentor":""}},"threshold":101}`), 400, "threshold")
	})
}

// The seed is loaded at every start: a student's steps are played once,
// and the assignment time (a delay deadline's start) stays.
func TestQuestSeedReloaded(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		sd := questSeed()
		sd.Motivity.Quests[0].Students[0].Steps = []operator.QuestStep{{Task: 11, Answer: &operator.QuestAnswerInput{Text: "Из сида"}}}
		ctx := context.Background()
		// A new student of the seed plays its steps.
		if _, err := s.node.Operator.RemoveQuestStudent(ctx, 1, "a@example.ru"); err != nil {
			t.Fatal(err)
		}
		if err := s.node.Operator.LoadSeed(ctx, sd, s.node.Logger); err != nil {
			t.Fatal(err)
		}
		before, err := s.node.Operator.QuestStudent(ctx, 1, "a@example.ru")
		if err != nil {
			t.Fatal(err)
		}
		s.clock.Set(today.Add(24 * time.Hour))
		if err := s.node.Operator.LoadSeed(ctx, sd, s.node.Logger); err != nil {
			t.Fatal(err)
		}
		after, err := s.node.Operator.QuestStudent(ctx, 1, "a@example.ru")
		if err != nil {
			t.Fatal(err)
		}
		if !after.AssignedAt.Equal(before.AssignedAt) {
			t.Fatalf("assignment moved: %v → %v", before.AssignedAt, after.AssignedAt)
		}
		if a := s.call("GET", thread(1, 11, "a@example.ru"), ""); strings.Count(a.body, "Из сида") != 1 || !strings.Contains(a.body, `"taskStatus":"checking"`) {
			t.Fatalf("steps: %s", a.body)
		}
	})
}
