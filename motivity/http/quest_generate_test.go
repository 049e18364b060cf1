package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"stend"
	"stend/motivity"
	"stend/operator"
)

// questListAnswer is the part of GET /quest/{id}/task that the generated
// quest's checks read.
type questListAnswer struct {
	Items []struct {
		StudentID  string             `json:"studentId"`
		Task       struct{ ID int64 } `json:"task"`
		TaskStatus string             `json:"taskStatus"`
	} `json:"items"`
	Pagination struct {
		TotalRecords int64 `json:"totalRecords"`
		TotalPages   int64 `json:"totalPages"`
	} `json:"pagination"`
}

func (s *stand) questList(path string) questListAnswer {
	s.t.Helper()
	a := s.call("GET", path, "")
	var out questListAnswer
	if a.status != 200 || json.Unmarshal([]byte(a.body), &out) != nil {
		s.t.Fatalf("GET %s: %d %.300s", path, a.status, a.body)
	}
	return out
}

type taskStatusKey struct {
	task   int64
	status motivity.TaskStatus
}

// sqlCounts runs a query answering (task, status, n) rows.
func (s *stand) sqlCounts(query string) map[taskStatusKey]int64 {
	s.t.Helper()
	rows, err := s.store.ReadDB().QueryContext(context.Background(), query)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	out := map[taskStatusKey]int64{}
	for rows.Next() {
		var k taskStatusKey
		var n int64
		if err := rows.Scan(&k.task, &k.status, &n); err != nil {
			s.t.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// questRows runs a query answering (task, identifier, status) rows.
func (s *stand) questRows(query string) []string {
	s.t.Helper()
	rows, err := s.store.ReadDB().QueryContext(context.Background(), query)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var task int64
		var ident, status string
		if err := rows.Scan(&task, &ident, &status); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(task, " ", ident, " ", status))
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return out
}

// A generated quest's counts are a real COUNT of its assignments, and the
// public list over it answers the totals and pages they imply.
func TestGeneratedQuestCountsItsAssignments(t *testing.T) {
	forEachQuestStand(t, func(t *testing.T, s *stand) {
		ctx := context.Background()
		const tasks, students = 6, 150
		gen, err := s.node.Operator.GenerateMotivityQuest(ctx, operator.QuestGeneration{Tasks: tasks, Students: students, Mentors: 4, Seed: 7}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if gen.QuestID != 7 || len(gen.TaskIDs) != tasks || gen.Students != students || gen.Assignments != tasks*students {
			t.Fatalf("generated %+v", gen)
		}
		real := s.sqlCounts(fmt.Sprintf(`SELECT task_id, status, count(*) FROM motivity_quest_assignments
			WHERE quest_id = %d GROUP BY task_id, status`, gen.QuestID))
		kept := s.sqlCounts(fmt.Sprintf(`SELECT c.task_id, c.status, c.students FROM motivity_quest_counts c
			JOIN motivity_quest_tasks t ON t.id = c.task_id WHERE t.quest_id = %d AND c.students > 0`, gen.QuestID))
		if fmt.Sprint(real) != fmt.Sprint(kept) {
			t.Fatalf("counts %v, assignments %v", kept, real)
		}
		byStatus := map[motivity.TaskStatus]int64{}
		for k, n := range real {
			byStatus[k.status] += n
		}
		if fmt.Sprint(byStatus) != fmt.Sprint(gen.Statuses) {
			t.Fatalf("assignments by status %v, generator says %v", byStatus, gen.Statuses)
		}
		for _, st := range motivity.TaskStatuses {
			if byStatus[st] == 0 {
				t.Errorf("no assignment is %s: the spread is not a running quest's", st)
			}
		}

		list := fmt.Sprintf("/public/api/v1/quest/%d/task", gen.QuestID)
		if got := s.questList(list + "?pageSize=40").Pagination; got.TotalRecords != tasks*students || got.TotalPages != 23 {
			t.Errorf("whole list: %+v", got)
		}
		if got := s.questList(list + "?status=checking&status=redo").Pagination.TotalRecords; got != byStatus[motivity.TaskChecking]+byStatus[motivity.TaskRedo] {
			t.Errorf("checking and redo: %d, want %d", got, byStatus[motivity.TaskChecking]+byStatus[motivity.TaskRedo])
		}
		task := gen.TaskIDs[2]
		if got := s.questList(fmt.Sprintf("%s?taskId=%d&status=complete", list, task)).Pagination.TotalRecords; got != real[taskStatusKey{task, motivity.TaskComplete}] {
			t.Errorf("task %d complete: %d, want %d", task, got, real[taskStatusKey{task, motivity.TaskComplete}])
		}
		if got := s.questList(list + "?studentId=user-000150@bench.example.ru").Pagination.TotalRecords; got != tasks {
			t.Errorf("one student's tasks: %d", got)
		}
		// Pages hold the rows themselves say, before and past the middle of
		// a task (read from either end of its range), filtered or not.
		for _, c := range []struct {
			query, where string
			page         int
		}{
			{"", "", 1}, {"", "", 2}, {"", "", 4}, {"", "", 11}, {"", "", 23},
			{"status=complete", "AND status = 'complete'", 3}, {"status=complete&status=fail", "AND status IN ('complete', 'fail')", 5},
			{fmt.Sprintf("taskId=%d", task), fmt.Sprintf("AND task_id = %d", task), 4},
		} {
			got := s.questList(fmt.Sprintf("%s?pageSize=40&page=%d&%s", list, c.page, c.query))
			want := s.questRows(fmt.Sprintf(`SELECT task_id, identifier, status FROM motivity_quest_assignments
				WHERE quest_id = %d %s ORDER BY task_id, identifier LIMIT 40 OFFSET %d`, gen.QuestID, c.where, 40*(c.page-1)))
			var items []string
			for _, it := range got.Items {
				items = append(items, fmt.Sprint(it.Task.ID, " ", it.StudentID, " ", it.TaskStatus))
			}
			if len(want) == 0 || fmt.Sprint(items) != fmt.Sprint(want) {
				t.Errorf("%s page %d: %v\nrows: %v", c.query, c.page, items, want)
			}
		}

		// A second quest reuses the students, and leaves the first one's
		// counts as they were; a taken id is refused.
		users := s.sqlCounts(`SELECT 0, 'users', count(*) FROM motivity_users`)
		second, err := s.node.Operator.GenerateMotivityQuest(ctx, operator.QuestGeneration{Tasks: 2, Students: students, Mentors: 4, Seed: 8}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again := s.sqlCounts(`SELECT 0, 'users', count(*) FROM motivity_users`); fmt.Sprint(again) != fmt.Sprint(users) {
			t.Errorf("users %v after a second quest, %v before", again, users)
		}
		if got := s.questList(fmt.Sprintf("/public/api/v1/quest/%d/task", second.QuestID)).Pagination.TotalRecords; got != 2*students {
			t.Errorf("second quest: %d", got)
		}
		if got := s.questList(list).Pagination.TotalRecords; got != tasks*students {
			t.Errorf("first quest after the second: %d", got)
		}
		_, err = s.node.Operator.GenerateMotivityQuest(ctx, operator.QuestGeneration{QuestID: gen.QuestID, Tasks: 1, Students: 1}, nil)
		if !stend.IsKind(err, stend.Conflict) {
			t.Errorf("a taken quest id: %v", err)
		}
		if _, err := s.node.Operator.GenerateMotivityQuest(ctx, operator.QuestGeneration{Tasks: 1001, Students: 1}, nil); !stend.IsKind(err, stend.Invalid) {
			t.Errorf("1001 tasks: %v", err)
		}
	})
}
