package http_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"

	"stend/motivity"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// The counts behind the quest list stay equal to the rows they count, and
// nothing deadlocks, while reviews, answers, user changes and new tasks
// and students run at once (on PostgreSQL, where they really run at once).

// questStudents makes n users named prefixNN and assigns them to quest.
func (s *stand) questStudents(prefix string, n int, quest int64) []string {
	s.t.Helper()
	ctx := context.Background()
	var out []string
	for i := range n {
		id := fmt.Sprintf("%s%02d@example.ru", prefix, i)
		if _, err := s.node.Operator.PutMotivityUser(ctx, operator.MotivityUserInput{Identifier: id}); err != nil {
			s.t.Fatal(err)
		}
		if _, err := s.node.Operator.PutQuestStudent(ctx, quest, operator.QuestStudentInput{User: id}); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// countsAreTrue fails the test unless the stored counts of quest equal a
// count of its live students' rows.
func (s *stand) countsAreTrue(quest int64) {
	s.t.Helper()
	ctx := context.Background()
	m := s.store.Motivity()
	students, err := m.QuestStudents(ctx, quest, 0, 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	want := map[string]int64{}
	for _, st := range students {
		u, err := m.UserByID(ctx, st.UserID)
		if err != nil {
			s.t.Fatal(err)
		}
		if !u.Active || u.Deleted {
			continue
		}
		tasks, err := m.StudentAssignments(ctx, quest, st.UserID)
		if err != nil {
			s.t.Fatal(err)
		}
		for _, a := range tasks {
			want[fmt.Sprint(a.TaskID, a.Status)]++
		}
	}
	stored, err := m.QuestCounts(ctx, quest)
	if err != nil {
		s.t.Fatal(err)
	}
	got := map[string]int64{}
	for task, byStatus := range stored {
		for st, n := range byStatus {
			got[fmt.Sprint(task, st)] = n
		}
	}
	if !maps.Equal(got, want) {
		s.t.Fatalf("counts %v\nrows   %v", got, want)
	}
}

// A mentor's redo (checking → redo) and a student's answer (redo →
// checking) of one task for different students change the same two counts
// in opposite directions.
func TestQuestCrossingChangesOfOneTask(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())
		ctx := context.Background()
		xs, ys := s.questStudents("x", 8, 1), s.questStudents("y", 8, 1)
		for _, u := range append(append([]string{}, xs...), ys...) {
			s.answerTask(1, 11, u, "ответ")
		}
		for _, u := range ys {
			if a := s.call("POST", thread(1, 11, u), review("boss@example.ru", "redo", "")); a.status != 200 {
				t.Fatal(a.body)
			}
		}
		for round := range 4 {
			reviewed, answered := xs, ys
			if round%2 == 1 {
				reviewed, answered = ys, xs
			}
			var wg sync.WaitGroup
			for i := range reviewed {
				wg.Add(2)
				go func() {
					defer wg.Done()
					if a := s.call("POST", thread(1, 11, reviewed[i]), review("boss@example.ru", "redo", "")); a.status != 200 {
						t.Errorf("review: %d %s", a.status, a.body)
					}
				}()
				go func() {
					defer wg.Done()
					if _, err := s.node.Operator.AnswerQuestTask(ctx, 1, 11, answered[i], operator.QuestAnswerInput{Text: "снова"}); err != nil {
						t.Errorf("answer: %v", err)
					}
				}()
			}
			wg.Wait()
		}
		s.countsAreTrue(1)
	})
}

// Reviews and answers while operators deactivate, reactivate and rename
// the students, and add tasks and students.
func TestQuestCountsUnderUserAndQuestChanges(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())
		ctx := context.Background()
		zs := s.questStudents("z", 6, 1)
		var wg sync.WaitGroup
		for i, u := range zs {
			wg.Add(3)
			go func() {
				defer wg.Done()
				for range 12 {
					// Refused while the student is inactive: what matters
					// is that nothing fails otherwise and the counts hold.
					if _, err := s.node.Operator.AnswerQuestTask(ctx, 1, 11, u, operator.QuestAnswerInput{Text: "x"}); err == nil {
						_, _ = s.node.Operator.ReviewQuestTask(ctx, 1, 11, u, operator.QuestReviewInput{Mentor: "boss@example.ru", Status: "redo"})
					}
				}
			}()
			go func() {
				defer wg.Done()
				for j := range 12 {
					in := operator.MotivityUserInput{Identifier: u, Active: ptr(j%2 == 1)}
					if j%3 == 0 {
						in.Name = ptr(fmt.Sprint("Имя ", j))
					}
					if _, err := s.node.Operator.PutMotivityUser(ctx, in); err != nil {
						t.Errorf("user: %v", err)
					}
				}
			}()
			go func() {
				defer wg.Done()
				if _, err := s.node.Operator.PutQuestTask(ctx, 1, operator.QuestTaskInput{ID: int64(100 + i), Texts: ruText("Новое")}); err != nil {
					t.Errorf("task: %v", err)
				}
				id := fmt.Sprintf("late%02d@example.ru", i)
				if _, err := s.node.Operator.PutMotivityUser(ctx, operator.MotivityUserInput{Identifier: id}); err != nil {
					t.Error(err)
				}
				if _, err := s.node.Operator.PutQuestStudent(ctx, 1, operator.QuestStudentInput{User: id}); err != nil {
					t.Errorf("student: %v", err)
				}
			}()
		}
		wg.Wait()
		s.countsAreTrue(1)
		// Every student holds every task, those added beside them too.
		tasks, err := s.store.Motivity().QuestTasks(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		students, err := s.store.Motivity().QuestStudents(ctx, 1, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range students {
			held, err := s.store.Motivity().StudentAssignments(ctx, 1, st.UserID)
			if err != nil || len(held) != len(tasks) {
				t.Fatalf("%s holds %d of %d tasks (%v)", st.Identifier, len(held), len(tasks), err)
			}
		}
	})
}

// Two changes of one user at once: the lists show the user exactly when
// the user is live.
func TestQuestListFollowsConcurrentUserChanges(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())
		ctx := context.Background()
		u := s.questStudents("r", 1, 1)[0]
		m := s.store.Motivity()
		for i := range 20 {
			base, err := m.UserByIdentifier(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if !base.Active {
				base.Active = true
				base.UpdatedAt = today
				if base, err = m.UpdateUser(ctx, base); err != nil {
					t.Fatal(err)
				}
			}
			off, rename := base, base
			off.Active, off.UpdatedAt = false, today
			rename.Name, rename.UpdatedAt = fmt.Sprint("n", i), today
			var wg sync.WaitGroup
			for _, change := range []motivity.User{off, rename} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := m.UpdateUser(ctx, change); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			now, err := m.UserByIdentifier(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if listed := strings.Contains(s.call("GET", quest1+"?taskId=11&pageSize=100", "").body, u); now.Active != listed {
				t.Fatalf("round %d: active %v, listed %v", i, now.Active, listed)
			}
			s.countsAreTrue(1)
		}
	})
}
