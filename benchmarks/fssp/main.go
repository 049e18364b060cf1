// Command fssp measures the FSSP data bank API of a running stend over
// HTTP, the way a client sees it: from submitting a search to /status
// answering 0. It also compares the legal-entity fragment search with a
// generic trigram index (SQLite FTS5, PostgreSQL pg_trgm) over the same
// rows, in the same run. See docs/benchmarks.md; run.sh drives it.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"stend/fssp"
	"stend/fssp/generate"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "stend base URL; several, comma-separated, for nodes of one database: client i uses the i-th (modulo), as a client kept on one node by its connection")
	token := flag.String("token", "", "FSSP token without limits")
	mode := flag.String("mode", "all", "person, legal, group, all (over HTTP), or index (the store's fragment search against FTS5/pg_trgm, in process)")
	dataDir := flag.String("data-dir", "", "index mode: the SQLite stand's data directory")
	dsn := flag.String("database-url", "", "index mode: the PostgreSQL stand's DSN")
	clients := flag.Int("clients", 16, "concurrent clients")
	duration := flag.Duration("duration", 15*time.Second, "length of each measurement")
	seed := flag.Uint64("bank-seed", 1, "the generator seed the bank was made with: queries are drawn from it")
	sample := flag.Int("sample", 200_000, "proceedings drawn from the generator for queries")
	trace := flag.String("trace", "", "a file to which every search is written as it ends (its workload, client, start as Unix milliseconds and latency in ms), to set a slow one beside what the server logged then")
	httpClient := flag.String("http", "net", "the client's HTTP: net (net/http's client, every earlier measurement's) or lean (one connection a client, written and read by the client's own goroutine: less of the client's CPU taken from a server on the same machine)")
	flag.Parse()
	if *httpClient != "net" && *httpClient != "lean" {
		fmt.Fprintln(os.Stderr, "-http: net or lean")
		os.Exit(2)
	}
	q := newQueries(*seed, *sample)
	if *mode == "index" {
		if err := compareIndexes(q, *dataDir, *dsn, 300); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	c := &client{token: *token, http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}, lean: *httpClient == "lean"}
	if *trace != "" {
		f, err := os.Create(*trace)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		c.trace = &tracer{w: f}
	}
	for _, b := range strings.Split(*base, ",") {
		c.bases = append(c.bases, strings.TrimRight(b, "/")+"/api/v1.0/")
	}
	run := func(name string, n int, mk func(r *rand.Rand) (string, url.Values, string)) {
		c.workload = strings.ReplaceAll(name, " ", "-")
		lat, found, errs := c.load(n, *duration, mk)
		report(name, n, *duration, lat, found, errs)
	}
	if *mode == "person" || *mode == "all" {
		run("person search", *clients, q.person)
	}
	if *mode == "legal" || *mode == "all" {
		for _, kind := range []string{"rare", "common", "3-letter"} {
			run("legal fragment, "+kind, *clients, q.legalSearch(kind))
		}
	}
	if *mode == "group" || *mode == "all" {
		run("group of 100 mixed", 1, q.group(*token))
		if *clients > 1 {
			run("group of 100 mixed", 4, q.group(*token))
		}
	}
}

// queries draws search parameters from the same generator that made the
// bank, so that the searched names exist.
type queries struct {
	persons []fssp.Proceeding
	legal   []fssp.Proceeding
	numbers []fssp.Proceeding
}

func newQueries(seed uint64, n int) *queries {
	q := &queries{}
	g := generate.New(seed, int64(n))
	var p fssp.Proceeding
	for g.Next(&p) {
		switch {
		case p.Kind == fssp.DebtorPhysical && len(q.persons) < 50_000:
			q.persons = append(q.persons, p)
		case p.Kind == fssp.DebtorLegal && len(q.legal) < 50_000:
			q.legal = append(q.legal, p)
		}
		if len(q.numbers) < 50_000 {
			q.numbers = append(q.numbers, p)
		}
	}
	return q
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (q *queries) personParams(r *rand.Rand) map[string]string {
	p := pick(r, q.persons)
	v := map[string]string{"region": fmt.Sprint(p.Region), "lastname": p.LastName, "firstname": p.FirstName}
	if r.IntN(2) == 0 {
		v["secondname"] = p.Patronymic
	}
	if r.IntN(4) == 0 {
		v["birthdate"] = fmt.Sprintf("%02d.%02d.%04d", p.BirthDate.Day, int(p.BirthDate.Month), p.BirthDate.Year)
	}
	return v
}

func (q *queries) person(r *rand.Rand) (string, url.Values, string) {
	return "search/physical", values(q.personParams(r)), ""
}

var commonFragments = []string{"ООО", "СТРОЙ", "ТОРГ", "СЕРВИС", "АО", "ПРОМ"}
var threeLetter = []string{"ТОР", "СТР", "ООО", "РОМ", "ЕКТ", "АГР", "ИНВ", "ЦЕН"}

func (q *queries) legalParams(r *rand.Rand, kind string) map[string]string {
	p := pick(r, q.legal)
	name := ""
	switch kind {
	case "rare":
		// The distinctive part of one entity's name: between the quotes.
		name = p.LegalName
		if i := strings.Index(name, `"`); i >= 0 {
			name = strings.Trim(name[i:], `"`)
		}
	case "common":
		name = pick(r, commonFragments)
	default:
		name = pick(r, threeLetter)
	}
	return map[string]string{"region": fmt.Sprint(p.Region), "name": name}
}

func (q *queries) legalSearch(kind string) func(r *rand.Rand) (string, url.Values, string) {
	return func(r *rand.Rand) (string, url.Values, string) {
		return "search/legal", values(q.legalParams(r, kind)), ""
	}
}

func (q *queries) group(token string) func(r *rand.Rand) (string, url.Values, string) {
	return func(r *rand.Rand) (string, url.Values, string) {
		reqs := make([]map[string]any, 0, 100)
		for i := range 100 {
			switch {
			case i%10 < 4:
				reqs = append(reqs, map[string]any{"type": 1, "params": q.personParams(r)})
			case i%10 < 7:
				reqs = append(reqs, map[string]any{"type": 2, "params": q.legalParams(r, []string{"rare", "common", "3-letter"}[i%3])})
			default:
				n := pick(r, q.numbers).Number
				reqs = append(reqs, map[string]any{"type": 3, "params": map[string]string{"number": fmt.Sprintf("%d/%02d/%05d-ИП", n.Own, n.Year, n.Department)}})
			}
		}
		b, _ := json.Marshal(map[string]any{"token": token, "request": reqs})
		return "search/group", nil, string(b)
	}
}

func values(m map[string]string) url.Values {
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x)
	}
	return v
}

type client struct {
	base, token string
	bases       []string // every node's; a client's own is base
	http        *http.Client
	lean        bool      // a leanConn a client instead of http
	conn        *leanConn // this client's, when lean
	workload    string
	trace       *tracer // nil: no trace
}

// tracer writes each search as it ends, from every client at once.
type tracer struct {
	mu sync.Mutex
	w  io.Writer
}

func (t *tracer) search(workload string, client int, start time.Time, lat time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.w, "%s %d %d %.1f\n", workload, client, start.UnixMilli(), float64(lat.Microseconds())/1000)
}

type envelope struct {
	Status   string
	Code     int
	Response json.RawMessage
}

// do sends one request, a POST when there is a body and a GET with the
// token otherwise, through the client's lean connection or net/http.
func (c *client) do(path string, q url.Values, body string) (envelope, error) {
	method, target := http.MethodPost, path
	if body == "" {
		q.Set("token", c.token)
		method, target = http.MethodGet, path+"?"+q.Encode()
	}
	if c.conn != nil {
		code, b, err := c.conn.roundTrip(method, target, body)
		if err != nil {
			return envelope{}, err
		}
		return decodeEnvelope(path, code, b)
	}
	req, _ := http.NewRequest(method, c.base+target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return envelope{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return envelope{}, err
	}
	return decodeEnvelope(path, resp.StatusCode, b)
}

func decodeEnvelope(path string, code int, b []byte) (envelope, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil || e.Status != "success" {
		return e, fmt.Errorf("%s: %d %s", path, code, b)
	}
	return e, nil
}

// search submits one search and polls /status until it is done; it returns
// how long that took and how many sub-results came back.
func (c *client) search(path string, q url.Values, body string) (time.Duration, error) {
	start := time.Now()
	e, err := c.do(path, q, body)
	if err != nil {
		return 0, err
	}
	var created struct{ Task string }
	if err := json.Unmarshal(e.Response, &created); err != nil {
		return 0, err
	}
	wait := time.Millisecond
	for {
		e, err := c.do("status", url.Values{"task": {created.Task}}, "")
		if err != nil {
			return 0, err
		}
		var st struct{ Status int }
		_ = json.Unmarshal(e.Response, &st)
		if st.Status == 0 || st.Status == 3 {
			if st.Status == 3 {
				return time.Since(start), fmt.Errorf("task %s ended with errors", created.Task)
			}
			return time.Since(start), nil
		}
		if time.Since(start) > time.Minute {
			return 0, fmt.Errorf("task %s not done in a minute", created.Task)
		}
		time.Sleep(wait)
		wait = min(wait*2, 4*time.Millisecond)
	}
}

func (c *client) load(clients int, d time.Duration, mk func(r *rand.Rand) (string, url.Values, string)) ([]time.Duration, int, int) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 7))
			c := *c
			c.base = c.bases[i%len(c.bases)]
			if c.lean {
				conn, err := newLeanConn(c.base)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					return
				}
				c.conn = conn
				defer conn.close()
			}
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				path, q, body := mk(r)
				start := time.Now()
				lat, err := c.search(path, q, body)
				if err != nil {
					bad++
					if bad < 3 {
						fmt.Fprintln(os.Stderr, err)
					}
					continue
				}
				mine = append(mine, lat)
				if c.trace != nil {
					c.trace.search(c.workload, i, start, lat)
				}
			}
			mu.Lock()
			all = append(all, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, len(all), errs
}

func report(name string, clients int, d time.Duration, lat []time.Duration, n, errs int) {
	if len(lat) == 0 {
		fmt.Printf("%-28s clients=%-3d no completed searches, %d errors\n", name, clients, errs)
		return
	}
	slices.Sort(lat)
	p := func(q float64) string {
		return fmt.Sprintf("%.1fms", float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds())/1000)
	}
	fmt.Printf("%-28s clients=%-3d %7.0f/s  p50 %-8s p90 %-8s p99 %-8s max %-8s (%d searches, %d errors)\n",
		name, clients, float64(n)/d.Seconds(), p(0.5), p(0.9), p(0.99), p(1), n, errs)
}
