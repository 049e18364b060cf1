package http_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/fault"
	"stend/fssp"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// ivanovResult is /result of the search for Иванов Сергей Петрович (ivanov)
// started and ended at the instant stamp, in the answer's form.
func ivanovResult(stamp string) string {
	return `{"status":"success","code":0,"exception":"","response":{"status":0,"task_start":"` + stamp + `","task_end":"` + stamp + `","result":[` +
		`{"status":0,"query":{"type":1,"params":{"region":"66","firstname":"сергей","secondname":"Петрович","lastname":"иванов","birthdate":"09.06.1982"}},"result":[` +
		`{"name":"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ","exe_production":"6860/12/66061-ИП от 16.04.2012",` +
		`"details":"Исполнительный лист от 20.03.2012 № ВС 049652131 Верх-Исетский районный суд г. Екатеринбурга",` +
		`"subject":"Коммунальные платежи: 1234.56 руб. Исполнительский сбор: 86.42 руб.",` +
		`"department":"Верх-Исетский РОСП г. Екатеринбурга 620014, Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б",` +
		`"bailiff":"НИТОЧКИНА В. И.<br>+73434246653","ip_end":"2015-06-30, 46, 1, 4"}]}]}}`
}

// ivanovAtOnce is ivanovResult answered in its request, at now.
var ivanovAtOnce = ivanovResult("2025-06-11 12:00:00")

var ivanov = []string{"region", "66", "lastname", "иванов", "firstname", "сергей", "secondname", "Петрович", "birthdate", "09.06.1982"}

func withToken(token string, kv ...string) []string { return append([]string{"token", token}, kv...) }

// noJobEver says that the store never held a job: its first job would have
// id 1.
func noJobEver(t *testing.T, store *sqlstore.DB) {
	t.Helper()
	if j, err := store.Job(context.Background(), 1); stend.KindOf(err) != stend.NotFound {
		t.Fatalf("a job was created: %+v, %v", j, err)
	}
}

// TestQuickSearchAnsweredInItsRequest: a single search that is quick is
// run by its submitting request, which stores the task ended with its
// result and no job (one transaction instead of four). The task is then as
// any other: the other node of the database answers /status and /result
// from the database exactly as for a task a job ended, and a node started
// after both went down answers the same.
func TestQuickSearchAnsweredInItsRequest(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(now)
			first, reopen := storetest.Reopenable(t, o.Name)
			a := standOn(t, first, clock, standOpts{})
			b := standOn(t, reopen(), clock, standOpts{reopened: true})
			task := a.submit("search/physical", withToken(alpha, ivanov...)...)
			noJobEver(t, a.store)
			done := `{"status":"success","code":0,"exception":"","response":{"status":0,"progress":"1 of 1"}}`
			expect(t, b.get("status", "token", alpha, "task", task), http.StatusOK, done)
			expect(t, b.get("result", "token", alpha, "task", task), http.StatusOK, ivanovAtOnce)
			expect(t, a.get("status", "token", alpha, "task", task), http.StatusOK, done)
			expect(t, a.get("result", "token", alpha, "task", task), http.StatusOK, ivanovAtOnce)
			// Still another token's task: as unknown as a missing one.
			expect(t, b.get("status", "token", beta, "task", task), http.StatusNotFound, `{"status":"error","code":404,"exception":"task not found","response":[]}`)

			a.stop()
			b.stop()
			first.Close()
			c := standOn(t, reopen(), clock, standOpts{reopened: true, manual: true})
			expect(t, c.get("status", "token", alpha, "task", task), http.StatusOK, done)
			expect(t, c.get("result", "token", alpha, "task", task), http.StatusOK, ivanovAtOnce)
			noJobEver(t, c.store)
		})
	}
}

// TestSearchesLeftToTheJob: a single search is queued as before, and a job
// runs it, when the node runs no jobs (TestLifecycle), when its runner is
// paused, when an operator's fault rule could fail it, and when it failed
// in the request, in which case the job searches again and writes the
// failure as it would have.
func TestSearchesLeftToTheJob(t *testing.T) {
	t.Parallel()
	queued := `{"status":"success","code":0,"exception":"","response":{"status":2,"progress":"0 of 1"}}`
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		t.Run("paused", func(t *testing.T) {
			s := newStand(t, open, standOpts{})
			s.node.Jobs.Pause()
			task := s.submit("search/physical", withToken(alpha, ivanov...)...)
			expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, queued)
			s.node.Jobs.Resume()
			s.clock.Set(now.Add(3 * time.Second))
			s.wait(task)
			a := s.get("result", "token", alpha, "task", task)
			if a.status != http.StatusOK || a.body == ivanovAtOnce {
				t.Fatalf("a job's result starts at its run, 3 s later: %s", a.body)
			}
		})
		t.Run("fault rule", func(t *testing.T) {
			s := newStand(t, open, standOpts{})
			if _, err := s.node.Operator.PutFault(context.Background(), fault.Rule{Name: "beta fails", API: "fssp", Job: fssp.TaskJobKind, Credential: "token " + beta}); err != nil {
				t.Fatal(err)
			}
			// alpha is not the rule's: answered at once.
			alphaTask := s.submit("search/physical", withToken(alpha, ivanov...)...)
			noJobEver(t, s.store)
			expect(t, s.get("result", "token", alpha, "task", alphaTask), http.StatusOK, ivanovAtOnce)
			task := s.submit("search/physical", withToken(beta, ivanov...)...)
			s.wait(task)
			a := s.get("result", "token", beta, "task", task)
			if a.status != http.StatusOK || !strings.Contains(a.body, `"response":{"status":3,`) || !strings.Contains(a.body, `"result":{"code":0,"message":"search failed"}`) {
				t.Fatalf("the rule failed no search: %s", a.body)
			}
		})
		t.Run("failed", func(t *testing.T) {
			counting := &failingStore{failName: "Сбой"}
			s := newStand(t, open, standOpts{wrap: func(st fssp.Store) fssp.Store {
				counting.Store = st
				return counting
			}})
			task := s.submit("search/legal", "token", alpha, "region", "66", "name", "Сбой")
			s.wait(task)
			a := s.get("result", "token", alpha, "task", task)
			if !strings.Contains(a.body, `"response":{"status":3,`) || !strings.Contains(a.body, `{"status":3,"query":{"type":2,"params":{"region":"66","name":"Сбой","address":null}},"result":{"code":0,"message":"search failed"}}`) {
				t.Fatalf("result: %s", a.body)
			}
			counting.mu.Lock()
			searched := counting.searches["legal:Сбой"]
			counting.mu.Unlock()
			if searched != 2 {
				t.Fatalf("searched %d times, want 2: in the request, then by the job", searched)
			}
		})
	})
}

// TestQuickSearchesStoredTogether: the tasks that a node's requests answer
// at once while its writer is busy are stored together (one group commit
// on SQLite, one statement on PostgreSQL), and each is then what it would
// be alone: the other node answers /status and /result of each as for the
// same search answered alone, to its token only, and so does a node
// started after both went down.
func TestQuickSearchesStoredTogether(t *testing.T) {
	t.Parallel()
	searches := []struct {
		path  string
		token string
		kv    []string
	}{
		{"search/physical", alpha, ivanov},
		{"search/physical", beta, []string{"region", "77", "lastname", "Иванов", "firstname", "Сергей"}},
		{"search/legal", alpha, []string{"region", "66", "name", "Ромашка"}},
		{"search/ip", beta, []string{"number", "6860/12/61/66"}},
		{"search/physical", alpha, []string{"region", "77", "lastname", "Смирнов", "firstname", "Иван"}},
		{"search/physical", beta, []string{"region", "66", "lastname", "Ёлкин", "firstname", "Пётр"}},
		{"search/legal", alpha, []string{"region", "50", "name", "Тест"}},
		{"search/physical", alpha, []string{"region", "50", "lastname", "Никтоев", "firstname", "Никто"}},
	}
	done := `{"status":"success","code":0,"exception":"","response":{"status":0,"progress":"1 of 1"}}`
	notFound := `{"status":"error","code":404,"exception":"task not found","response":[]}`
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(now)
			first, reopen := storetest.Reopenable(t, o.Name)
			a := standOn(t, first, clock, standOpts{})
			b := standOn(t, reopen(), clock, standOpts{reopened: true})

			groups := a.store.WriteGroups()
			release := storetest.HoldWriter(t, a.store, "fssp_tasks")
			answers := make([]answer, len(searches))
			var wg sync.WaitGroup
			for i, s := range searches {
				wg.Go(func() { answers[i] = a.get(s.path, withToken(s.token, s.kv...)...) })
				// One at a time into the store: each search has a free
				// place to be answered at once.
				storetest.WaitHeld(t, i+1, "tasks", release, a.store.FSSP().EndedTasksBeingStored)
			}
			release()
			wg.Wait()
			after := a.store.WriteGroups()
			if members, in := after.Members-groups.Members, after.Groups-groups.Groups; members < int64(len(searches)) || in >= members {
				t.Errorf("%d tasks written in %d groups of %d writes: none together", len(searches), in, members)
			}
			noJobEver(t, a.store)

			tasks := make([]string, len(searches))
			for i := range searches {
				tasks[i] = a.taskOf(answers[i])
			}
			if a.store.Dialect() == "postgres" {
				if n := storetest.PostgresTransactions(t, a.store, "fssp_tasks", tasks); n >= len(tasks) {
					t.Errorf("%d tasks stored in %d transactions: none together", len(tasks), n)
				}
			}
			results := map[string]int{}
			for i, s := range searches {
				expect(t, b.get("status", "token", s.token, "task", tasks[i]), http.StatusOK, done)
				together := b.get("result", "token", s.token, "task", tasks[i])
				alone := a.get("result", "token", s.token, "task", a.submit(s.path, withToken(s.token, s.kv...)...))
				if together.status != http.StatusOK || together.body != alone.body {
					t.Errorf("search %d stored together: %d %s\nalone: %s", i, together.status, together.body, alone.body)
				}
				if j, seen := results[together.body]; seen {
					t.Errorf("searches %d and %d have one result: %s", j, i, together.body)
				}
				results[together.body] = i
				other := alpha
				if s.token == alpha {
					other = beta
				}
				expect(t, b.get("status", "token", other, "task", tasks[i]), http.StatusNotFound, notFound)
			}
			expect(t, b.get("result", "token", alpha, "task", tasks[0]), http.StatusOK, ivanovAtOnce)
			noJobEver(t, a.store)

			a.stop()
			b.stop()
			first.Close()
			c := standOn(t, reopen(), clock, standOpts{reopened: true, manual: true})
			for i, s := range searches {
				expect(t, c.get("status", "token", s.token, "task", tasks[i]), http.StatusOK, done)
				if r := c.get("result", "token", s.token, "task", tasks[i]); r.status != http.StatusOK || !sameIndex(results, r.body, i) {
					t.Errorf("search %d after the restart: %d %s", i, r.status, r.body)
				}
			}
		})
	}
}

func sameIndex(m map[string]int, key string, i int) bool {
	j, ok := m[key]
	return ok && j == i
}
