package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// The list shows a quest's definition (the quest, its mentors, its tasks,
// their preview images) from the node's copy: a change made on the node
// shows in the next list, one made on another node within about a second,
// and a restore puts back the snapshot's at once.
func TestQuestListShowsDefinitionChanges(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		s := standOn(t, first, stendtest.NewManualClock(today), questSeed(), questConfig())
		other := standOn(t, reopen(), stendtest.NewManualClock(today), questSeed(), questConfig())
		ctx := context.Background()
		list := quest1 + "?taskId=11&pageSize=1"
		shows := func(on *stand, parts ...string) {
			t.Helper()
			a := on.call("GET", list, "")
			for _, p := range parts {
				if a.status != 200 || !strings.Contains(a.body, p) {
					t.Fatalf("want %s in %d %s", p, a.status, a.body)
				}
			}
		}
		shows(s, `"title":"Квест новичка"`, `"title":"Первое задание"`, `"mentors":["boss@example.ru"]`, `"previewImage":null`)
		shows(other, `"title":"Первое задание"`)

		// On the node that makes them: the next list.
		img := decode[struct{ ID int64 }](t, s.op("POST", "files?name=cat.jpg", strings.Repeat("c", 225))).ID
		in := questSeed().Motivity.Quests[0]
		in.Texts = map[string]operator.QuestTextJSON{"ru": {Title: "Квест переименован", TextForMentor: "Т"}}
		in.Mentors, in.PreviewImage, in.Tasks, in.Students = []string{"hr@example.ru"}, img, nil, nil
		if _, err := s.node.Operator.PutQuest(ctx, in); err != nil {
			t.Fatal(err)
		}
		task := questSeed().Motivity.Quests[0].Tasks[0]
		task.Texts, task.PreviewImage = ruText("Задание переименовано"), img
		if _, err := s.node.Operator.PutQuestTask(ctx, 1, task); err != nil {
			t.Fatal(err)
		}
		image := fmt.Sprintf(`"previewImage":{"id":%d,"name":"cat.jpg","size":225}`, img)
		shows(s, `"title":"Квест переименован"`, `"mentors":["hr@example.ru"]`, `"title":"Задание переименовано"`, image)
		if a := s.call("GET", list, ""); strings.Count(a.body, image) != 2 {
			t.Fatalf("the quest's and the task's image: %s", a.body)
		}
		s.op("DELETE", fmt.Sprintf("files/%d", img), "")
		shows(s, `"previewImage":null,"mentors"`, `"score":5,"previewImage":null`)

		// On another node: within the copy's second.
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(other.call("GET", list, "").body, `"title":"Задание переименовано"`); {
			if time.Now().After(deadline) {
				t.Fatalf("the other node still shows the old definition: %s", other.call("GET", list, "").body)
			}
			time.Sleep(50 * time.Millisecond)
		}
		shows(other, `"title":"Квест переименован"`, `"mentors":["hr@example.ru"]`, `"previewImage":null,"mentors"`)

		// A restore: at once.
		if r := s.stand.Operator("POST", "/operator/v1/stand/snapshots", "application/json", `{"name":"renamed"}`); r.Status != 201 {
			t.Fatalf("take: %d %s", r.Status, r.Body)
		}
		task.Texts, task.PreviewImage = ruText("После снимка"), 0
		if _, err := s.node.Operator.PutQuestTask(ctx, 1, task); err != nil {
			t.Fatal(err)
		}
		shows(s, `"title":"После снимка"`)
		if r := s.stand.Operator("POST", "/operator/v1/stand/snapshots/renamed/restore", "", ""); r.Status != 200 {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		shows(s, `"title":"Задание переименовано"`)
	})
}

// The student filter tells a student who holds no task (a quest without
// tasks) from a user who is not a student.
func TestQuestListStudentWithoutTasks(t *testing.T) {
	t.Parallel()
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		s.check(s.op("POST", "quests", `{"texts":{"ru":{"title":"Пустой","textForMentor":"Т"}},"mentors":["boss@example.ru"],`+
			`"students":[{"user":"owner@example.ru"}]}`), 200, `"id":7,`)
		s.expect(s.call("GET", "/public/api/v1/quest/7/task?studentId=owner@example.ru", ""), 200, `{"result":true,"quest":{"id":7,"title":"Пустой",`+
			`"textForMentor":"Т","urlForMentor":null,"textForStudent":null,"previewImage":null,"mentors":["boss@example.ru"],"open":null,"close":null,`+
			`"deadlineType":"none","deadlineDelay":null,"deadlineDate":null,"threshold":null,"scoreThreshold":null,"score":null,"certificate":null,`+
			`"certificateCompleted":null,"mentorScore":null,"scoreInTime":null,"certificateDeadline":null,"quizId":null},"items":[],`+
			`"pagination":{"currentPage":1,"recordsPerPage":20,"totalRecords":0,"totalPages":0}}`)
		s.expect(s.call("GET", "/public/api/v1/quest/7/task?studentId=a@example.ru", ""), 400, refused(notAStud, "StudentId"))
	})
}
