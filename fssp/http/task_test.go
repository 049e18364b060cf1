package http_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/fssp"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// TestUnknownTasks: a task that never existed, another token's, or one
// past its 24 hours is the same 404; a purge then removes it for good.
func TestUnknownTasks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		task := s.submit("search/ip", "token", alpha, "number", "6860/12/61/66")
		s.wait(task)
		// Once its owner has read it, a finished task is answered from
		// memory: still not to another token.
		if a := s.get("status", "token", alpha, "task", task); a.status != http.StatusOK {
			t.Fatalf("owner: %d %s", a.status, a.body)
		}
		for _, path := range []string{"status", "result"} {
			expect(t, s.get(path, "token", alpha, "task", "ADAB49B2-F435-49CC-80DF-55F2F57D3057"), http.StatusNotFound, taskNotFound)
			expect(t, s.getMalformed(path, "token", alpha, "task", "not a guid"), http.StatusNotFound, taskNotFound)
			expect(t, s.get(path, "token", beta, "task", task), http.StatusNotFound, taskNotFound)
		}
		// Kept 24 hours from submission, to the second.
		s.clock.Set(now.Add(24*time.Hour - time.Second))
		if a := s.get("result", "token", alpha, "task", task); a.status != http.StatusOK {
			t.Fatalf("before 24 h: %d %s", a.status, a.body)
		}
		if n, err := s.node.FSSP.Sweep(context.Background()); err != nil || n != 0 {
			t.Fatalf("sweep before 24 h purged %d (%v)", n, err)
		}
		s.clock.Set(now.Add(24 * time.Hour))
		for _, path := range []string{"status", "result"} {
			expect(t, s.get(path, "token", alpha, "task", task), http.StatusNotFound, taskNotFound)
		}
		n, err := s.node.FSSP.Sweep(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("sweep purged %d (%v), want 1", n, err)
		}
		var left int
		if err := s.store.ReadDB().QueryRow(`SELECT count(*) FROM fssp_task_results`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("%d results left after the purge (%v)", left, err)
		}
		if _, err := s.store.FSSP().Task(context.Background(), 0, task, now); stend.KindOf(err) != stend.NotFound {
			t.Fatalf("the purged task is still stored: %v", err)
		}
	})
}

// TestRateLimits: limits on sliding windows, reported in RateLimit-*
// headers; over one, 429 with Retry-After, and nothing is stored.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		search := func() answer { return s.get("search/ip", "token", limited, "number", "6860/12/61/66") }
		first := search()
		if first.status != http.StatusOK || first.header.Get("RateLimit-Limit") != "2" || first.header.Get("RateLimit-Remaining") != "1" ||
			first.header.Get("RateLimit-Reset") != "3600" || first.header.Get("RateLimit-Policy") != "2;w=3600, 3;w=86400" {
			t.Fatalf("first search: %d %v", first.status, first.header)
		}
		s.clock.Set(now.Add(10 * time.Minute))
		if a := search(); a.status != http.StatusOK || a.header.Get("RateLimit-Remaining") != "0" {
			t.Fatalf("second search: %d %v", a.status, a.header)
		}
		s.clock.Set(now.Add(20 * time.Minute))
		over := search()
		expect(t, over, http.StatusTooManyRequests, tooMany)
		// The first search leaves the hour at 10:00 + 1 h: 40 minutes on.
		if over.header.Get("Retry-After") != "2400" || over.header.Get("RateLimit-Remaining") != "0" {
			t.Fatalf("over the limit: %v", over.header)
		}
		// Sliding: an hour after the first, one place is free again.
		s.clock.Set(now.Add(time.Hour))
		if a := search(); a.status != http.StatusOK {
			t.Fatalf("after the hour: %d %s", a.status, a.body)
		}
		// Both windows full now (10:00 and 1:00 in the hour, three in the
		// day): the headers name the window that frees last, as
		// Retry-After does.
		s.clock.Set(now.Add(time.Hour + 5*time.Minute))
		over = search()
		want := strconv.Itoa(int((24*time.Hour - time.Hour - 5*time.Minute) / time.Second))
		if over.status != http.StatusTooManyRequests || over.header.Get("Retry-After") != want || over.header.Get("RateLimit-Reset") != want {
			t.Fatalf("both windows full: %d %v", over.status, over.header)
		}
		// The day allows 3: the fourth waits for the first to leave the day.
		s.clock.Set(now.Add(2*time.Hour + time.Minute))
		over = search()
		expect(t, over, http.StatusTooManyRequests, tooMany)
		if over.header.Get("Retry-After") != strconv.Itoa(int((22*time.Hour-time.Minute)/time.Second)) {
			t.Fatalf("day limit Retry-After %q", over.header.Get("Retry-After"))
		}
		// Groups count separately: one a day.
		group := `{"token":"` + limited + `","request":[{"type":3,"params":{"number":"6860/12/61/66"}}]}`
		if a := s.call(http.MethodPost, "search/group", nil, "application/json", group); a.status != http.StatusOK {
			t.Fatalf("first group: %d %s", a.status, a.body)
		}
		expect(t, s.call(http.MethodPost, "search/group", nil, "application/json", group), http.StatusTooManyRequests, tooMany)
		// Refused submissions stored nothing: 3 singles and 1 group.
		tasks, err := s.node.Operator.FSSPTasks(context.Background(), fssp.TaskFilter{TokenID: s.tokens[limited].ID})
		if err != nil || len(tasks) != 4 {
			t.Fatalf("%d tasks stored (%v), want 4", len(tasks), err)
		}
		// Tokens without limits carry no headers.
		if a := s.get("search/ip", "token", alpha, "number", "6860/12/61/66"); a.header.Get("RateLimit-Limit") != "" {
			t.Fatalf("unlimited token got %v", a.header)
		}
	})
}

// TestConcurrentSubmissionsAtTheLimit: parallel requests never exceed a
// limit, on one node or two.
func TestConcurrentSubmissionsAtTheLimit(t *testing.T) {
	t.Parallel()
	onTwoNodes(t, standOpts{manual: true}, func(t *testing.T, a, b *stand) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted := 0
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := a
				if i%2 == 1 {
					s = b
				}
				if r := s.get("search/ip", "token", limited, "number", "6860/12/61/66"); r.status == http.StatusOK {
					mu.Lock()
					accepted++
					mu.Unlock()
				} else if r.status != http.StatusTooManyRequests {
					t.Errorf("%d %s", r.status, r.body)
				}
			}()
		}
		wg.Wait()
		if accepted != 2 {
			t.Fatalf("%d searches accepted, the hour allows 2", accepted)
		}
	})
}

// TestFailedSubRequest: a sub-request whose search fails carries an error
// object; the others their results; the task ends with status 3.
func TestFailedSubRequest(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{wrap: func(st fssp.Store) fssp.Store {
			return &failingStore{Store: st, failName: "Сбой"}
		}})
		body := `{"token":"` + alpha + `","request":[` +
			`{"type":3,"params":{"number":"6860/12/61/66"}},` +
			`{"type":2,"params":{"region":66,"name":"Сбой"}},` +
			`{"type":2,"params":{"region":66,"name":"Ромашка"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		s.wait(task)
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":3,"progress":"2 of 3"}}`)
		a := s.get("result", "token", alpha, "task", task)
		if !strings.Contains(a.body, `{"status":3,"query":{"type":2,"params":{"region":"66","name":"Сбой","address":null}},"result":{"code":0,"message":"search failed"}}`) ||
			!strings.HasPrefix(a.body, `{"status":"success","code":0,"exception":"","response":{"status":3,`) {
			t.Fatalf("result: %s", a.body)
		}
		r := s.result(alpha, task)
		if len(r.items(t, 0)) != 1 || len(r.items(t, 2)) != 2 || r.Result[0].Status != 0 || r.Result[2].Status != 0 {
			t.Fatalf("the other sub-requests: %s", a.body)
		}
	})
}

// TestPartialResults: while a task runs, /result answers status 1 with the
// sub-results stored so far, which are always the first ones in request
// order, and progress counts the successful ones among them.
func TestPartialResults(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		release := make(chan struct{})
		saved := make(chan int, 10)
		s := newStand(t, open, standOpts{wrap: func(st fssp.Store) fssp.Store {
			return &failingStore{Store: st, block: release, failName: "Сбой", saved: saved}
		}})
		defer close(release)
		body := `{"token":"` + alpha + `","request":[{"type":3,"params":{"number":"6860/12/61/66"}},{"type":2,"params":{"region":66,"name":"Сбой"}},` +
			`{"type":1,"params":{"region":66,"lastname":"БЛОК","firstname":"А"}},{"type":3,"params":{"number":"6861/12/61/66"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		// The first two are stored; the third waits; the fourth, done
		// meanwhile, is not shown before the third.
		for range 2 {
			select {
			case <-saved:
			case <-time.After(20 * time.Second):
				t.Fatal("the first two sub-results were not stored")
			}
		}
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":1,"progress":"1 of 4"}}`)
		a := s.get("result", "token", alpha, "task", task)
		var env struct{ Response resultResponse }
		decodeInto(t, a, &env)
		if env.Response.Status != 1 || len(env.Response.Result) != 2 || env.Response.Result[1].Status != 3 || env.Response.TaskStart == nil || env.Response.TaskEnd != nil {
			t.Fatalf("partial result: %s", a.body)
		}
	})
}

// TestAWriteHoldsNoSearch: while a group's results are being written (on
// PostgreSQL, a commit waiting for its flush), its next searches run: the
// places of a task's parallel searches (4) are the searches', not the
// writes'.
func TestAWriteHoldsNoSearch(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		w := &writeAwaitingASearch{writing: make(chan struct{}), started: make(chan struct{})}
		s := newStand(t, open, standOpts{wrap: func(st fssp.Store) fssp.Store {
			w.Store = st
			return w
		}})
		// The first search's result is written at once, and that write
		// waits until the sixth search has started. The number searches
		// end only once it is being written: if their results, waiting to
		// be written after it, held the four places, the sixth would never
		// start.
		number := `{"type":3,"params":{"number":"6860/12/61/66"}},`
		body := `{"token":"` + alpha + `","request":[{"type":1,"params":{"region":66,"lastname":"ПЕРВЫЙ","firstname":"А"}},` +
			strings.Repeat(number, 4) + `{"type":1,"params":{"region":66,"lastname":"ПОСЛЕДНИЙ","firstname":"А"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		s.wait(task)
		if w.stalled.Load() {
			t.Fatal("the first write waited 10 s for the sixth search: the results waiting to be written held the searches' places")
		}
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":0,"progress":"6 of 6"}}`)
		if r := s.result(alpha, task); len(r.Result) != 6 {
			t.Fatalf("%d sub-results, want 6", len(r.Result))
		}
	})
}

// writeAwaitingASearch holds the first write of results until a physical
// search for ПОСЛЕДНИЙ has started, or for 10 s (then stalled is set), and
// holds every number search until that write has begun.
type writeAwaitingASearch struct {
	fssp.Store
	writing, started chan struct{}
	writeOnce        sync.Once
	startedOnce      sync.Once
	stalled          atomic.Bool
}

func (w *writeAwaitingASearch) SearchPhysical(ctx context.Context, q fssp.PhysicalQuery) ([]fssp.Proceeding, error) {
	if q.LastName == "ПОСЛЕДНИЙ" {
		w.startedOnce.Do(func() { close(w.started) })
	}
	return w.Store.SearchPhysical(ctx, q)
}

func (w *writeAwaitingASearch) SearchProceedingNumber(ctx context.Context, q fssp.NumberQuery) ([]fssp.Proceeding, error) {
	select {
	case <-w.writing:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return w.Store.SearchProceedingNumber(ctx, q)
}

func (w *writeAwaitingASearch) SaveSubResults(ctx context.Context, id string, rs []fssp.SubResult) error {
	w.writeOnce.Do(func() {
		close(w.writing)
		select {
		case <-w.started:
		case <-time.After(10 * time.Second):
			w.stalled.Store(true)
		}
	})
	return w.Store.SaveSubResults(ctx, id, rs)
}

// TestRestartInTheMiddleOfAGroup: a node stopped while a group runs loses
// nothing; the next one finishes it, searching only what was left.
func TestRestartInTheMiddleOfAGroup(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(now)
			first, reopen := storetest.Reopenable(t, o.Name)
			blocked := &failingStore{block: make(chan struct{}), saved: make(chan int, 10)}
			s1 := standOn(t, first, clock, standOpts{wrap: func(st fssp.Store) fssp.Store {
				blocked.Store = st
				return blocked
			}})
			var reqs []string
			for i := range 10 {
				reqs = append(reqs, fmt.Sprintf(`{"type":1,"params":{"region":66,"lastname":"Иванов","firstname":"Сергей","n":%d}}`, i))
			}
			reqs[7] = `{"type":1,"params":{"region":66,"lastname":"БЛОК","firstname":"Сергей"}}`
			body := `{"token":"` + alpha + `","request":[` + strings.Join(reqs, ",") + `]}`
			task := s1.taskOf(s1.call(http.MethodPost, "search/group", nil, "application/json", body))
			// Results are stored in request order: wait until the seven
			// before the blocked one are.
			for range 7 {
				select {
				case <-blocked.saved:
				case <-time.After(20 * time.Second):
					t.Fatal("sub-results not stored")
				}
			}
			s1.stop() // the node goes down with the group half done
			first.Close()

			counting := &failingStore{}
			s2 := standOn(t, reopen(), clock, standOpts{reopened: true, wrap: func(st fssp.Store) fssp.Store {
				counting.Store = st
				return counting
			}})
			r := s2.result(alpha, task)
			if r.Status != 0 || len(r.Result) != 10 {
				t.Fatalf("after restart: status %d, %d results", r.Status, len(r.Result))
			}
			for i := range 10 {
				if i != 7 && len(r.items(t, i)) != 2 {
					t.Fatalf("sub-request %d: %s", i, r.Result[i].Result)
				}
			}
			// Searched again: the blocked one and the two after it, whose
			// results could not be stored before it.
			if counting.searches["physical:БЛОК"] != 1 || counting.searches["physical:Иванов"] != 2 {
				t.Fatalf("the restarted node searched %v, want only the three without a stored result", counting.searches)
			}
		})
	}
}

// TestEverySubRequestSearchedOnce: two nodes on one database share the
// tasks; no sub-request is searched twice.
func TestEverySubRequestSearchedOnce(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(now)
			first, reopen := storetest.Reopenable(t, o.Name)
			var counters [2]*failingStore
			nodes := make([]*stand, 2)
			events := make(chan stend.Job, 1024)
			for i := range nodes {
				st := first
				if i == 1 {
					st = reopen()
				}
				counters[i] = &failingStore{}
				c := counters[i]
				nodes[i] = standOn(t, st, clock, standOpts{reopened: i == 1, events: events, wrap: func(st fssp.Store) fssp.Store {
					c.Store = st
					return c
				}})
			}
			var tasks []string
			for g := range 20 {
				var reqs []string
				for i := range 5 {
					reqs = append(reqs, fmt.Sprintf(`{"type":2,"params":{"region":66,"name":"Ромашка %d-%d"}}`, g, i))
				}
				body := `{"token":"` + alpha + `","request":[` + strings.Join(reqs, ",") + `]}`
				tasks = append(tasks, nodes[g%2].taskOf(nodes[g%2].call(http.MethodPost, "search/group", nil, "application/json", body)))
			}
			for _, task := range tasks {
				nodes[0].wait(task)
			}
			for g := range 20 {
				for i := range 5 {
					key := fmt.Sprintf("legal:Ромашка %d-%d", g, i)
					if n := counters[0].searches[key] + counters[1].searches[key]; n != 1 {
						t.Fatalf("%s searched %d times", key, n)
					}
				}
			}
		})
	}
}

// TestSearchTimeout: a search longer than the timeout fails alone, with a
// message that says so.
func TestSearchTimeout(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		block := make(chan struct{})
		defer close(block)
		s := newStand(t, open, standOpts{searchTimeout: 50 * time.Millisecond, wrap: func(st fssp.Store) fssp.Store {
			return &failingStore{Store: st, block: block}
		}})
		body := `{"token":"` + alpha + `","request":[{"type":1,"params":{"region":66,"lastname":"БЛОК","firstname":"А"}},{"type":3,"params":{"number":"6860/12/61/66"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		s.wait(task)
		a := s.get("result", "token", alpha, "task", task)
		if !strings.Contains(a.body, `"result":{"code":0,"message":"search timed out after 50ms"}`) || !strings.Contains(a.body, `"response":{"status":3,`) {
			t.Fatalf("result: %s", a.body)
		}
	})
}

// TestAbandonedTaskEndedBySweep: a task whose job gave up (the database
// failed on its last attempt) is ended by the sweep, its remaining
// sub-requests failed, instead of staying running until it expires.
func TestAbandonedTaskEndedBySweep(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		body := `{"token":"` + alpha + `","request":[{"type":3,"params":{"number":"6860/12/61/66"}},{"type":3,"params":{"number":"6861/12/61/66"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		ctx := context.Background()
		// A worker stored the first result, then its job was discarded.
		jobs, err := s.store.ClaimJobs(ctx, "dead-worker", map[string]int{fssp.TaskJobKind: 10}, now, now.Add(time.Minute))
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claim: %v %v", jobs, err)
		}
		if err := s.store.FSSP().StartTask(ctx, task, now); err != nil {
			t.Fatal(err)
		}
		first := []byte(`{"status":0,"query":{"type":3,"params":{"number":"6860/12/61/66"}},"result":[]}`)
		if err := s.store.FSSP().SaveSubResults(ctx, task, []fssp.SubResult{{Index: 0, Body: first}}); err != nil {
			t.Fatal(err)
		}
		// Before the job gives up, the sweep leaves the task alone.
		if _, err := s.node.FSSP.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":1,"progress":"1 of 2"}}`)
		if err := s.store.DiscardJob(ctx, jobs[0].ID, "dead-worker", now, "database gone"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.node.FSSP.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":3,"progress":"1 of 2"}}`)
		a := s.get("result", "token", alpha, "task", task)
		if !strings.Contains(a.body, `{"status":3,"query":{"type":3,"params":{"number":"6861/12/61/66"}},"result":{"code":0,"message":"search failed"}}`) {
			t.Fatalf("result: %s", a.body)
		}
	})
}

// TestSubResultsSavedOnceEach: a batch of sub-results repeated in part
// (a job run again after a crash) keeps the first of each and counts each
// once (on PostgreSQL the batch is one statement over arrays).
func TestSubResultsSavedOnceEach(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		body := `{"token":"` + alpha + `","request":[{"type":3,"params":{"number":"6860/12/61/66"}},{"type":3,"params":{"number":"6861/12/61/66"}},{"type":3,"params":{"number":"6862/12/61/66"}}]}`
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		ctx := context.Background()
		if err := s.store.FSSP().StartTask(ctx, task, now); err != nil {
			t.Fatal(err)
		}
		result := func(n int, failed bool) fssp.SubResult {
			return fssp.SubResult{Index: n, Failed: failed, Body: []byte(fmt.Sprintf(`{"status":%d,"query":{"type":3,"params":{"number":"686%d/12/61/66"}},"result":[]}`, map[bool]int{false: 0, true: 3}[failed], n))}
		}
		if err := s.store.FSSP().SaveSubResults(ctx, task, []fssp.SubResult{result(0, false), result(1, true)}); err != nil {
			t.Fatal(err)
		}
		// The progress counts the successes.
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":1,"progress":"1 of 3"}}`)
		// The repeated search succeeded this time: the kept failure stands.
		again := result(1, false)
		if err := s.store.FSSP().SaveSubResults(ctx, task, []fssp.SubResult{again, result(2, false)}); err != nil {
			t.Fatal(err)
		}
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":1,"progress":"2 of 3"}}`)
		if err := s.store.FSSP().FinishTask(ctx, task, nil, now, now); err != nil {
			t.Fatal(err)
		}
		// One failure counted: the task ends failed (3), not done (0).
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":3,"progress":"2 of 3"}}`)
		rs, err := s.store.FSSP().TaskResults(ctx, task)
		if err != nil || len(rs) != 3 || !rs[1].Failed || string(rs[1].Body) != string(result(1, true).Body) {
			t.Fatalf("results: %+v (%v)", rs, err)
		}
	})
}

// TestLegalSearchPagesThroughCandidates: the candidates of a common trigram
// are read page after page (500 a page) until the cap or the end, so a match
// far down the list is found.
func TestLegalSearchPagesThroughCandidates(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		kaliningrad := fssp.Department{ID: 39001, Name: "ОСП Калининграда", PostalIndex: "236000", Address: "г. Калининград"}
		var bank []fssp.Proceeding
		for i := range 1100 {
			address := "236000, г. Калининград, ул. Обычная"
			if i == 1099 {
				address = "236000, г. Калининград, ул. Последняя"
			}
			bank = append(bank, fssp.Proceeding{Kind: fssp.DebtorLegal, Region: 39, LegalName: fmt.Sprintf(`ООО "ПАГИНАЦИЯ-%d"`, i), LegalAddress: address,
				Number: fssp.ProceedingNumber{Own: int64(i + 1), Year: 20, Department: 39001}, Date: d(2020, 1, 1), Department: kaliningrad,
				DocType: "Исполнительный лист", DocDate: d(2019, 12, 1), DocNumber: "ФС 1", DocIssuer: "Суд", Subject: "Долг"})
		}
		if _, err := s.store.FSSP().LoadProceedings(context.Background(), &sliceSource{items: bank}, 0); err != nil {
			t.Fatal(err)
		}
		// A trigram's pages, then a fragment shorter than a trigram, which
		// pages through the region's entities.
		for _, name := range []string{"ооо", "оо"} {
			r := s.result(alpha, s.submit("search/legal", "token", alpha, "region", "39", "name", name, "address", "последняя"))
			if got := names(r.items(t, 0)); len(got) != 1 || !strings.Contains(got[0], `"ПАГИНАЦИЯ-1099"`) {
				t.Fatalf("%s: found %q", name, got)
			}
		}
	})
}
