// Command goals measures Motivity's goals API on a running stend whose
// platform was made by `stend motivity goal generate` (users
// user-000001@bench.example.ru … with their goals, managed by
// goals-manager@bench.example.ru):
//
//   - read: clients each reading GET /goals/user/{id}?type=all of random
//     users, back to back;
//   - mix: clients creating, editing, approving, completing and deleting
//     goals of the first --mix-users users, each client on users of its
//     own, so that it knows their goals without asking;
//   - floor: the read's clients against a server in this process that
//     answers one real list (read once from the stand) from memory: what
//     net/http, loopback and the client cost on this machine, the least a
//     read could take.
//
// It prints operations a second and latency percentiles; see
// docs/benchmarks.md and run.sh.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

type client struct {
	base, token string
	http        *http.Client
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "stend base URL")
	token := flag.String("token", "bench-public-token", "X-Auth-Token")
	mode := flag.String("mode", "read", "read or mix")
	clients := flag.Int("clients", 16, "concurrent clients")
	users := flag.Int("users", 100_000, "users on the platform (read picks among them)")
	mixUsers := flag.Int("mix-users", 10_000, "users the mix works on")
	duration := flag.Duration("duration", 30*time.Second, "how long to measure")
	flag.Parse()
	c := &client{base: strings.TrimRight(*base, "/") + "/public/api/v1/goals/", token: *token,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2}, Timeout: time.Minute}}
	var (
		mu        sync.Mutex
		latencies = map[string][]time.Duration{}
		failures  = map[string]int{}
		wg        sync.WaitGroup
	)
	record := func(op string, d time.Duration, ok bool) {
		mu.Lock()
		latencies[op] = append(latencies[op], d)
		if !ok {
			failures[op]++
		}
		mu.Unlock()
	}
	if *mode == "floor" {
		status, body := c.do("GET", "user/"+user(1)+"?type=all", "")
		if status != 200 {
			fail(fmt.Errorf("floor: reading a list: %d", status))
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		}))
		defer srv.Close()
		fmt.Printf("floor: a constant answer of %d bytes\n", len(body))
		c.base = srv.URL + "/public/api/v1/goals/"
		*mode = "read"
	}
	// The mixers first read their users' active goals, outside the
	// measurement.
	mixers := make([]mixer, *clients)
	if *mode == "mix" {
		var ready sync.WaitGroup
		for w := range mixers {
			mixers[w] = mixer{c: c, rng: rand.New(rand.NewPCG(uint64(w), 42)), record: record, users: ownUsers(w, *clients, *mixUsers),
				goals: map[string][]goalState{}}
			ready.Go(func() {
				for _, u := range mixers[w].users {
					mixers[w].load(u)
				}
			})
		}
		ready.Wait()
	}
	deadline := time.Now().Add(*duration)
	start := time.Now()
	for w := range *clients {
		wg.Go(func() {
			if *mode == "read" {
				rng := rand.New(rand.NewPCG(uint64(w), 42))
				for time.Now().Before(deadline) {
					u := user(1 + rng.IntN(*users))
					t := time.Now()
					status, _ := c.do("GET", "user/"+u+"?type=all", "")
					record("read", time.Since(t), status == 200)
				}
				return
			}
			mixers[w].run(deadline)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	ops := slices.Sorted(func(yield func(string) bool) {
		for op := range latencies {
			if !yield(op) {
				return
			}
		}
	})
	for _, op := range ops {
		ls := latencies[op]
		all = append(all, ls...)
		fmt.Printf("%-9s %8d ops %8.0f/s  p50 %6.2f ms  p99 %6.2f ms  failed %d\n", op, len(ls), float64(len(ls))/elapsed.Seconds(),
			ms(pct(ls, 0.50)), ms(pct(ls, 0.99)), failures[op])
	}
	fmt.Printf("%-9s %8d ops %8.0f/s  p50 %6.2f ms  p99 %6.2f ms  (%d clients, %v)\n", "all", len(all),
		float64(len(all))/elapsed.Seconds(), ms(pct(all, 0.50)), ms(pct(all, 0.99)), *clients, elapsed.Round(time.Millisecond))
}

func user(i int) string { return fmt.Sprintf("user-%06d@bench.example.ru", i) }

// ownUsers are the users of client w: every clients-th of the first n.
func ownUsers(w, clients, n int) []string {
	var out []string
	for i := 1 + w; i <= n; i += clients {
		out = append(out, user(i))
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func pct(ls []time.Duration, p float64) time.Duration {
	if len(ls) == 0 {
		return 0
	}
	s := slices.Clone(ls)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func (c *client) do(method, path, body string) (int, []byte) {
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		fail(err)
	}
	req.Header.Set("X-Auth-Token", c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// mixer drives one client's share of the mix. It knows the active goals of
// its users (read once, then kept as it changes them) and picks an
// operation at random: create 30%, edit 30%, approve 10%, complete 15%,
// delete 15%; one that has nothing to act on (no goal not approved, a user
// at the limit) turns into an edit or a completion, so that every
// operation changes something.
type mixer struct {
	c      *client
	rng    *rand.Rand
	record func(string, time.Duration, bool)
	users  []string
	goals  map[string][]goalState
}

type goalState struct {
	id       int64
	approved bool
}

const manager = "goals-manager@bench.example.ru"

func (m mixer) run(deadline time.Time) {
	for time.Now().Before(deadline) {
		u := m.users[m.rng.IntN(len(m.users))]
		goals := m.goals[u]
		r := m.rng.IntN(100)
		switch {
		case r < 30 && len(goals) < 10:
			m.create(u)
		case r < 60 || len(goals) == 0:
			if len(goals) == 0 {
				m.create(u)
				continue
			}
			m.edit(goals[m.rng.IntN(len(goals))].id)
		case r < 70:
			i := slices.IndexFunc(goals, func(g goalState) bool { return !g.approved })
			if i < 0 {
				m.edit(goals[m.rng.IntN(len(goals))].id)
				continue
			}
			if m.act("approve", goals[i].id) {
				m.goals[u][i].approved = true
			}
		default:
			what := "complete"
			if r >= 85 {
				what = "delete"
			}
			i := m.rng.IntN(len(goals))
			if m.act(what, goals[i].id) {
				m.goals[u] = slices.Delete(m.goals[u], i, i+1)
			}
		}
	}
}

type goalJSON struct {
	ID         int64   `json:"id"`
	ApprovedAt *string `json:"approvedAt"`
}

func (m mixer) load(u string) []goalState {
	status, body := m.c.do("GET", "user/"+u+"?type=active", "")
	var l struct{ Items []goalJSON }
	if status != 200 || json.Unmarshal(body, &l) != nil {
		fail(fmt.Errorf("reading %s: %d %s", u, status, body))
	}
	var gs []goalState
	for _, g := range l.Items {
		gs = append(gs, goalState{g.ID, g.ApprovedAt != nil})
	}
	m.goals[u] = gs
	return gs
}

func (m mixer) create(u string) {
	// Half by the user (not approved), half by the manager (approved).
	author, approved := u, false
	if m.rng.IntN(2) == 0 {
		author, approved = manager, true
	}
	body := fmt.Sprintf(`[{"authorId":%q,"title":"Новая цель","value":%d,"valueUnit":"hours","priority":"medium","deadlineAt":"2031-12-31T00:00:00+03:00","keyResults":null}]`,
		author, 1+m.rng.IntN(100))
	t := time.Now()
	status, b := m.c.do("POST", "user/"+u, body)
	// The answer lists every goal of the user, the new one last (it has no
	// key results): its id is the last in the answer. Decoding the whole
	// answer here took CPU from the server on the same two cores.
	ok := status == 200 && bytes.Contains(b, []byte(`"success":true`))
	m.record("create", time.Since(t), ok)
	if at := bytes.LastIndex(b, []byte(`"id":`)); ok && at >= 0 {
		var id int64
		fmt.Sscan(string(b[at+len(`"id":`):min(len(b), at+len(`"id":`)+20)]), &id)
		m.goals[u] = append(m.goals[u], goalState{id, approved})
	}
}

func (m mixer) edit(id int64) {
	t := time.Now()
	status, _ := m.c.do("PUT", fmt.Sprint(id), fmt.Sprintf(`{"authorId":%q,"progress":%d}`, manager, 1+m.rng.IntN(100)))
	m.record("edit", time.Since(t), status == 200)
}

func (m mixer) act(what string, id int64) bool {
	t := time.Now()
	status, b := m.c.do("POST", fmt.Sprintf("%d/%s", id, what), `{"authorId":"`+manager+`"}`)
	ok := status == 200 && bytes.Contains(b, []byte(`"result":true`))
	m.record(what, time.Since(t), ok)
	return ok
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
