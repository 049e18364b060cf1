package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"stend/motivity"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// The quest at volume: 50 tasks, 20,000 students, 1,000,000
// assignments, made by the generator (stend motivity quest generate).
// docs/benchmarks.md has the commands and the figures.
const (
	benchQuestTasks    = 50
	benchQuestStudents = 20_000
	benchQuestMentors  = 32
)

// benchQuestStand is a stand holding the generated quest, served over
// loopback HTTP.
type benchQuestStand struct {
	*stand
	srv    *httptest.Server
	client *http.Client
	quest  operator.QuestGenerated
}

func openBenchQuest(b *testing.B, o storetest.Opener, clients int) *benchQuestStand {
	s := standOn(b, o.Open(b), stendtest.NewManualClock(today), seed(), stendtest.Config())
	started := time.Now()
	gen, err := s.node.Operator.GenerateMotivityQuest(context.Background(), operator.QuestGeneration{
		Tasks: benchQuestTasks, Students: benchQuestStudents, Mentors: benchQuestMentors, Seed: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: generated %d assignments in %.1f s", o.Name, gen.Assignments, time.Since(started).Seconds())
	srv := httptest.NewServer(s.handler)
	b.Cleanup(srv.Close)
	return &benchQuestStand{stand: s, srv: srv, quest: gen,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}}
}

// do sends one request with the public token and answers its status,
// body and how long it took.
func (q *benchQuestStand) do(method, path, body string) (int, []byte, time.Duration, error) {
	req, err := http.NewRequest(method, q.srv.URL+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, 0, err
	}
	req.Header.Set("X-Auth-Token", token)
	t0 := time.Now()
	resp, err := q.client.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, answer, time.Since(t0), err
}

// BenchmarkQuestList: GET /quest/{id}/task over the generated quest from
// 16 clients over loopback HTTP, the first and the last page (default
// page size, 20), unfiltered and by status, task, student, and status with
// task. A student filter varies the student from call to call. The issue's
// target is p99 ≤ 10 ms in every case.
func BenchmarkQuestList(b *testing.B) {
	const clients = 16
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			q := openBenchQuest(b, o, clients)
			list := fmt.Sprintf("/public/api/v1/quest/%d/task", q.quest.QuestID)
			task := q.quest.TaskIDs[len(q.quest.TaskIDs)/2]
			filters := []struct {
				name  string
				query func(i int) string
			}{
				{"all", func(int) string { return "" }},
				{"status", func(int) string { return "status=checking" }},
				{"task", func(int) string { return fmt.Sprintf("taskId=%d", task) }},
				{"student", func(i int) string {
					return fmt.Sprintf("studentId=user-%06d@bench.example.ru", 1+i*7919%benchQuestStudents)
				}},
				{"status+task", func(int) string { return fmt.Sprintf("status=checking&taskId=%d", task) }},
			}
			for _, f := range filters {
				var first questListAnswer
				status, body, _, err := q.do("GET", list+"?"+f.query(0), "")
				if err != nil || status != 200 || json.Unmarshal(body, &first) != nil || first.Pagination.TotalRecords == 0 {
					b.Fatalf("%s: %d %v %.300s", f.name, status, err, body)
				}
				for _, page := range []string{"first", "last"} {
					n, want := int64(1), min(20, first.Pagination.TotalRecords)
					if page == "last" {
						n, want = first.Pagination.TotalPages, first.Pagination.TotalRecords-(first.Pagination.TotalPages-1)*20
					}
					for _, c := range []int{clients, 1} {
						b.Run(fmt.Sprintf("%s/%s/clients-%d", f.name, page, c), func(b *testing.B) {
							defer profileCase(b)()
							runClients(b, c, func(_, i int) (time.Duration, error) {
								status, body, took, err := q.do("GET", fmt.Sprintf("%s?%s&page=%d", list, f.query(i), n), "")
								if err != nil {
									return 0, err
								}
								// Items counted, not decoded: the client's work stays
								// the floor's.
								if status != 200 || int64(bytes.Count(body, []byte(`"studentId"`))) != want {
									return 0, fmt.Errorf("page %d: %d, %.300s (want %d items)", n, status, body, want)
								}
								return took, nil
							})
						})
					}
				}
			}
			// The floor: the same clients reading a constant answer of the
			// same size (the first page) from memory: what net/http and
			// loopback cost here before any work.
			_, page, _, err := q.do("GET", list, "")
			if err != nil {
				b.Fatal(err)
			}
			floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(page)
			}))
			defer floor.Close()
			constant := &benchQuestStand{srv: floor, client: q.client}
			b.Run(fmt.Sprintf("floor/clients-%d", clients), func(b *testing.B) {
				runClients(b, clients, func(int, int) (time.Duration, error) {
					status, body, took, err := constant.do("GET", list, "")
					if err == nil && (status != 200 || bytes.Count(body, []byte(`"studentId"`)) != 20) {
						err = fmt.Errorf("floor: %d, %d bytes", status, len(body))
					}
					return took, err
				})
			})
		})
	}
}

// profileCase writes the CPU profile of one case, alone, to
// $STEND_BENCH_CPUPROFILE/<case>.pprof when that is set: go test's
// -cpuprofile would mix every case and the generation before them.
func profileCase(b *testing.B) func() {
	dir := os.Getenv("STEND_BENCH_CPUPROFILE")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".pprof"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// questReview is a task waiting for its student's mentor.
type questReview struct {
	task    int64
	student string
}

// BenchmarkQuestReviews: 32 mentors, each reviewing their own students'
// tasks in checking of the generated quest one after another, all at once
// over loopback HTTP (7 in 10 complete, 2 redo, 1 fail). The issue's
// target is 1,000 reviews/s on SQLite. At the end, every reviewed student's
// ledger, and every mentor's, must hold exactly the awards the reviews
// earned (double-payments: students or mentors whose ledger differs).
func BenchmarkQuestReviews(b *testing.B) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			q := openBenchQuest(b, o, benchQuestMentors)
			ctx := context.Background()
			store := q.store.Motivity()
			// Each mentor's queue: the tasks in checking of the students
			// whose own mentor they are.
			queues := make([][]questReview, benchQuestMentors)
			waiting := 0
			for _, task := range q.quest.TaskIDs {
				items, err := store.TaskAssignments(ctx, task, []motivity.TaskStatus{motivity.TaskChecking}, 0, benchQuestStudents)
				if err != nil {
					b.Fatal(err)
				}
				for _, a := range items {
					var n int
					if _, err := fmt.Sscanf(a.Identifier, "user-%06d@bench.example.ru", &n); err != nil {
						b.Fatal(err)
					}
					queues[(n-1)%benchQuestMentors] = append(queues[(n-1)%benchQuestMentors], questReview{task, a.Identifier})
					waiting++
				}
			}
			// Mentors review in no particular order of tasks, so that students
			// of every progress are reviewed, and quests completed.
			rng := rand.New(rand.NewPCG(1, 2))
			for _, queue := range queues {
				rng.Shuffle(len(queue), func(i, j int) { queue[i], queue[j] = queue[j], queue[i] })
			}
			quest, err := store.Quest(ctx, q.quest.QuestID)
			if err != nil {
				b.Fatal(err)
			}
			scores := map[int64]int64{}
			for _, id := range q.quest.TaskIDs {
				t, err := store.QuestTask(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				scores[id] = *t.Score
			}
			var mu sync.Mutex
			tallies := map[string]*reviewTally{}
			taken := make([]int, benchQuestMentors)
			b.Run("32-mentors", func(b *testing.B) {
				if b.N > waiting {
					b.Fatalf("%d reviews asked, %d tasks in checking", b.N, waiting)
				}
				waiting -= b.N
				runClients(b, benchQuestMentors, func(m, _ int) (time.Duration, error) {
					if taken[m] == len(queues[m]) {
						return 0, fmt.Errorf("mentor %d has nothing left to review", m+1)
					}
					rv := queues[m][taken[m]]
					taken[m]++
					mentor := fmt.Sprintf("mentor-%02d@bench.example.ru", m+1)
					status := [...]string{"complete", "complete", "redo", "complete", "fail", "complete", "complete", "redo", "complete", "complete"}[taken[m]%10]
					code, body, took, err := q.do("POST", fmt.Sprintf("/public/api/v1/quest/%d/task/%d/student/%s", q.quest.QuestID, rv.task, rv.student),
						review(mentor, status, "Проверено"))
					if err != nil || code != 200 || !strings.HasPrefix(string(body), `{"result":true`) {
						return 0, fmt.Errorf("review %+v: %d %v %.300s", rv, code, err, body)
					}
					mu.Lock()
					t := tallies[rv.student]
					if t == nil {
						t = &reviewTally{mentor: mentor}
						tallies[rv.student] = t
					}
					if status == "complete" {
						t.completes++
						t.points += scores[rv.task]
					}
					mu.Unlock()
					return took, nil
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reviews/s")
				b.ReportMetric(float64(checkQuestPayments(b, q, quest, tallies)), "double-payments")
			})
		})
	}
}

// reviewTally is what one student's reviews in a benchmark acknowledged.
type reviewTally struct {
	mentor    string // the student's own, the only one reviewing them
	completes int
	points    int64 // the scores of the tasks reviewed complete
}

// checkQuestPayments compares every reviewed student's and mentor's ledger
// with the awards their reviews earned, and answers how many differ. A
// generated task in checking had never been paid, so each complete review
// earned its task's score once; the quest's awards were earned by the
// student's last complete review, which saw the complete tasks the
// student has now (only complete reviews add any).
func checkQuestPayments(b *testing.B, q *benchQuestStand, quest motivity.Quest, tallies map[string]*reviewTally) int {
	ctx := context.Background()
	store := q.store.Motivity()
	platform, err := store.Platform(ctx)
	if err != nil {
		b.Fatal(err)
	}
	want := map[string][2]int64{} // identifier → ledger entries, points
	questAwards := 0
	award := func(ident string, points int64) {
		questAwards++
		w := want[ident]
		w[0]++
		w[1] += points
		want[ident] = w
	}
	for student, t := range tallies {
		want[student] = [2]int64{int64(t.completes), t.points}
		if _, ok := want[t.mentor]; !ok {
			want[t.mentor] = [2]int64{}
		}
		if t.completes == 0 {
			continue
		}
		u, err := store.UserByIdentifier(ctx, student)
		if err != nil {
			b.Fatal(err)
		}
		tasks, err := store.StudentAssignments(ctx, quest.ID, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		st, err := store.QuestStudent(ctx, quest.ID, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		complete := 0
		for _, a := range tasks {
			if a.Status == motivity.TaskComplete {
				complete++
			}
		}
		if int64(complete)*100 >= *quest.Threshold*int64(len(tasks)) {
			award(student, *quest.ScoreThreshold)
		}
		if complete == len(tasks) {
			award(student, *quest.Score)
			award(t.mentor, *quest.MentorScore)
			if deadline, ok := quest.Deadline(st.AssignedAt, platform.Location()); ok && q.clock.Now().Before(deadline) {
				award(student, *quest.ScoreInTime)
			}
		}
	}
	b.ReportMetric(float64(questAwards), "quest-awards")
	wrong := 0
	for ident, w := range want {
		var got [2]int64
		entries, err := q.node.Operator.Ledger(ctx, ident, motivity.BalanceScore, 0, 0)
		for len(entries) > 0 && err == nil {
			for _, e := range entries {
				got[0]++
				got[1] += e.Amount
			}
			entries, err = q.node.Operator.Ledger(ctx, ident, motivity.BalanceScore, entries[len(entries)-1].ID, 0)
		}
		if err != nil {
			b.Fatal(err)
		}
		if got != w {
			wrong++
			b.Errorf("%s: the ledger holds %d entries of %d points; the reviews earned %d of %d", ident, got[0], got[1], w[0], w[1])
		}
	}
	return wrong
}
