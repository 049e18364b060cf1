package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/fssp"
	fssphttp "stend/fssp/http"
	"stend/job"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// now is the stands' clock: 2025-06-11 12:00 in Moscow.
var now = stendtest.Now

// Tokens of every stand: alpha and beta without limits that tests would
// reach, limited with tight ones.
const (
	alpha   = "alpha-token-0001"
	beta    = "beta-token-00002"
	limited = "limited-token-03"
)

type stand struct {
	t       testing.TB
	store   *sqlstore.DB
	node    *server.Node
	clock   *stendtest.ManualClock
	handler http.Handler
	events  chan stend.Job
	stand   *stendtest.Stand
	tokens  map[string]operator.IssuedFSSPToken
	stop    func()
}

type standOpts struct {
	maxItems int
	// wrap, when set, stands between the API and the store.
	wrap func(fssp.Store) fssp.Store
	// manual leaves the job runner stopped until startJobs.
	manual bool
	// searchTimeout, when set, bounds each search.
	searchTimeout time.Duration
	// reopened: the store already holds the bank.
	reopened bool
	// events, when set, receives the job events of this node (nodes of
	// one test share it to wait for each other's work).
	events chan stend.Job
	// malformed: every request is wild by design (a fuzzer); only the
	// answers are held to the OpenAPI document.
	malformed bool
}

// onTwoNodes runs fn as a parallel subtest on each store, with two nodes
// on one database, each with its own store handle (its own caches) and
// both with options o; the second starts as a restarted node does.
func onTwoNodes(t *testing.T, o standOpts, fn func(t *testing.T, a, b *stand)) {
	for _, opener := range storetest.Openers() {
		t.Run(opener.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(now)
			first, reopen := storetest.Reopenable(t, opener.Name)
			second := o
			second.reopened = true
			fn(t, standOn(t, first, clock, o), standOn(t, reopen(), clock, second))
		})
	}
}

func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB, o standOpts) *stand {
	t.Helper()
	clock := stendtest.NewManualClock(now)
	store := open(t)
	return standOn(t, store, clock, o)
}

func standOn(t testing.TB, store *sqlstore.DB, clock *stendtest.ManualClock, o standOpts) *stand {
	t.Helper()
	cfg := stendtest.Config()
	if o.maxItems > 0 {
		cfg.FSSPMaxItems = o.maxItems
	}

	s := &stand{t: t, store: store, clock: clock, events: o.events, tokens: map[string]operator.IssuedFSSPToken{}}
	if s.events == nil {
		s.events = make(chan stend.Job, 1024)
	}
	jobs := job.Config{Recorded: func(j stend.Job, _ stend.JobState) {
		select {
		case s.events <- j:
		default:
		}
	}}
	logger := stendtest.Logger()
	ids := &stendtest.SeqIDs{}
	if o.reopened {
		ids.Skip(1000) // a restarted node must not reuse ids
	}
	st := stendtest.On(t, store, clock, stendtest.Options{Config: &cfg, IDs: ids, Jobs: jobs, MalformedRequests: o.malformed})
	s.node, s.stand = st.Node, st
	if o.wrap != nil {
		node := s.node
		s.node.FSSP = fssphttp.New(fssphttp.Config{MaxItems: cfg.FSSPMaxItems, SearchTimeout: o.searchTimeout, Location: time.UTC, Keys: st.Node.Keys,
			AtOnce: cfg.FSSPAtOnce, Working: func() bool { return node.Jobs.Taking(fssp.TaskJobKind) }}, o.wrap(store.FSSP()), st.Clock, ids, logger)
		s.node.Jobs.Handle(fssp.TaskJobKind, s.node.FSSP.JobHandler)
		st.Handler = stendtest.Checked(t, s.node.Handler()) // routes to the wrapped API
	}
	s.handler = st.Handler
	ctx := context.Background()
	for tok, limits := range map[string]*fssp.Limits{
		alpha:   {},
		beta:    {},
		limited: {SinglePerHour: 2, SinglePerDay: 3, GroupPerDay: 1},
	} {
		issued, _, err := s.node.Operator.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: tok, Token: tok, Limits: limits})
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[tok] = issued
	}
	if !o.reopened {
		if _, err := store.FSSP().LoadProceedings(ctx, &sliceSource{items: bank()}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if !o.manual {
		s.startJobs()
	}
	return s
}

// startJobs runs the node's job runner, and returns once the runner takes
// tasks: from then on a quick single search is answered in its request
// (Config.AtOnce), whatever the goroutines' order.
func (s *stand) startJobs() {
	s.stop = s.stand.StartJobs()
	for deadline := time.Now().Add(20 * time.Second); !s.node.Jobs.Taking(fssp.TaskJobKind); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			s.t.Fatal("the job runner did not start")
		}
	}
}

type sliceSource struct {
	items []fssp.Proceeding
	i     int
}

func (s *sliceSource) Next(p *fssp.Proceeding) bool {
	if s.i >= len(s.items) {
		return false
	}
	*p = s.items[s.i]
	s.i++
	return true
}

func (s *sliceSource) Err() error { return nil }

var (
	ekb = fssp.Department{ID: 66061, Name: "Верх-Исетский РОСП г. Екатеринбурга", PostalIndex: "620014",
		Address: "Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б"}
	msk = fssp.Department{ID: 77001, Name: "ОСП по Центральному АО № 1", PostalIndex: "101000", Address: "Россия, г. Москва, ул. Мясницкая, д. 1"}
	mo  = fssp.Department{ID: 50012, Name: "Красногорский РОСП", PostalIndex: "143401", Address: "Россия, Московская обл., г. Красногорск, ул. Ленина, д. 3"}
)

func d(y, m, day int) stend.Date { return stend.Date{Year: y, Month: time.Month(m), Day: day} }

// bank is the fixture every stand holds.
func bank() []fssp.Proceeding {
	base := func(p fssp.Proceeding, own int64, dept fssp.Department) fssp.Proceeding {
		p.Number = fssp.ProceedingNumber{Own: own, Year: 12, Department: dept.ID}
		p.Region = fssp.DepartmentRegion(dept.ID)
		p.Department = dept
		p.Date = d(2012, 4, 16)
		p.DocType, p.DocDate, p.DocNumber, p.DocIssuer = "Исполнительный лист", d(2012, 3, 20), "ВС 049652131", "Верх-Исетский районный суд г. Екатеринбурга"
		p.Subject, p.Amount, p.Fee = "Коммунальные платежи", 123456, 8642
		p.Bailiff = fssp.Bailiff{Name: "НИТОЧКИНА В. И.", Phone: "+73434246653"}
		return p
	}
	person := func(last, first, patr string, born stend.Date) fssp.Proceeding {
		return fssp.Proceeding{Kind: fssp.DebtorPhysical, LastName: last, FirstName: first, Patronymic: patr, BirthDate: born, BirthPlace: "гор. Екатеринбург"}
	}
	legal := func(name, address string) fssp.Proceeding {
		return fssp.Proceeding{Kind: fssp.DebtorLegal, LegalName: name, LegalAddress: address}
	}
	first := base(person("ИВАНОВ", "СЕРГЕЙ", "ПЕТРОВИЧ", d(1982, 6, 9)), 6860, ekb)
	first.End = &fssp.ProceedingEnd{Date: d(2015, 6, 30), Article: 46, Part: 1, Point: 4}
	out := []fssp.Proceeding{
		first,
		base(person("ИВАНОВ", "СЕРГЕЙ", "ИВАНОВИЧ", d(1990, 1, 1)), 6861, ekb),
		base(person("ИВАНОВ", "СЕРГЕЙ", "ПЕТРОВИЧ", d(1982, 6, 9)), 100, msk),
		base(person("ЁЛКИН", "ПЁТР", "АЛЕКСЕЕВИЧ", d(1970, 2, 3)), 6862, ekb),
		base(person("РИМСКИЙ-КОРСАКОВ", "НИКОЛАЙ", "АНДРЕЕВИЧ", d(1944, 3, 18)), 6863, ekb),
		base(person("ПЕТРОВА", "АННА", "", d(2000, 12, 31)), 6864, ekb),
	}
	romashka := base(legal(`ООО "РОМАШКА"`, "620000, Россия, Свердловская обл., г. Екатеринбург, ул. Ленина, д. 1"), 7000, ekb)
	romashka.Joined = true
	out = append(out, romashka,
		base(legal(`АО "РОМАШКА-2"`, "620000, Россия, Свердловская обл., г. Екатеринбург, ул. Мира, д. 5"), 7001, ekb),
		base(legal(`ООО "ВЕКТОР"`, "101000, Россия, г. Москва, ул. Мира, д. 5"), 101, msk))
	// One entity and one person with more proceedings than a small cap.
	for i := range 7 {
		out = append(out, base(legal(`ООО "МНОГО"`, "101000, Россия, г. Москва"), int64(200+i), msk),
			base(person("СМИРНОВ", "ИВАН", "ИВАНОВИЧ", d(1980, 1, 1)), int64(300+i), msk))
	}
	// Enough legal entities in one region to reach a small item cap.
	for i := range 12 {
		out = append(out, base(legal(fmt.Sprintf(`ООО "ТЕСТ-%d"`, i), "143401, Россия, Московская обл., г. Красногорск"), int64(500+i), mo))
	}
	return out
}

// call sends a request the way clients do: method, query string and body
// as given.
func (s *stand) call(method, path string, query url.Values, contentType, body string) answer {
	s.t.Helper()
	return s.send(s.request(method, path, query, contentType, body))
}

// callMalformed is call for a request that breaks the API's OpenAPI
// document on purpose: only its answer is checked against the document.
func (s *stand) callMalformed(method, path string, query url.Values, contentType, body string) answer {
	s.t.Helper()
	return s.send(stendtest.Malformed(s.request(method, path, query, contentType, body)))
}

// callUndocumented is call for a path or method the API does not serve,
// which the OpenAPI document therefore lacks (stendtest.Undocumented).
func (s *stand) callUndocumented(method, path string, query url.Values) answer {
	s.t.Helper()
	return s.send(stendtest.Undocumented(s.request(method, path, query, "", "")))
}

// getMalformed is get for a request that breaks the document on purpose.
func (s *stand) getMalformed(path string, kv ...string) answer {
	s.t.Helper()
	return s.callMalformed(http.MethodGet, path, pairs(kv), "", "")
}

func (s *stand) request(method, path string, query url.Values, contentType, body string) *http.Request {
	target := "/api/v1.0/" + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rdr)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

func (s *stand) send(req *http.Request) answer {
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Body.String(), rec.Header()}
}

func (s *stand) get(path string, kv ...string) answer {
	s.t.Helper()
	return s.call(http.MethodGet, path, pairs(kv), "", "")
}

func pairs(kv []string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

type answer struct {
	status int
	body   string
	header http.Header
}

// submit sends a search and returns its task id, failing on anything but
// success.
func (s *stand) submit(path string, kv ...string) string {
	s.t.Helper()
	a := s.get(path, kv...)
	return s.taskOf(a)
}

func (s *stand) taskOf(a answer) string {
	s.t.Helper()
	var env struct {
		Status   string
		Code     int
		Response struct{ Task string }
	}
	if a.status != http.StatusOK || json.Unmarshal([]byte(a.body), &env) != nil || env.Status != "success" || env.Response.Task == "" {
		s.t.Fatalf("submit: %d %s", a.status, a.body)
	}
	return env.Response.Task
}

// wait blocks until the task is finished, on the runner's signals.
func (s *stand) wait(task string) {
	s.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		t, err := s.store.FSSP().Task(context.Background(), 0, task, s.clock.Now())
		if err != nil {
			s.t.Fatal(err)
		}
		if t.State == fssp.TaskDone || t.State == fssp.TaskDoneErrors {
			return
		}
		select {
		case <-s.events:
		case <-deadline:
			s.t.Fatalf("task %s not finished: state %d", task, t.State)
		}
	}
}

// result waits for the task and returns its /result answer's response.
func (s *stand) result(token, task string) resultResponse {
	s.t.Helper()
	s.wait(task)
	a := s.get("result", "token", token, "task", task)
	if a.status != http.StatusOK {
		s.t.Fatalf("result: %d %s", a.status, a.body)
	}
	var env struct{ Response resultResponse }
	if err := json.Unmarshal([]byte(a.body), &env); err != nil {
		s.t.Fatal(err)
	}
	return env.Response
}

type resultResponse struct {
	Status    int
	TaskStart *string `json:"task_start"`
	TaskEnd   *string `json:"task_end"`
	Result    []struct {
		Status int
		Query  struct {
			Type   int
			Params map[string]string
		}
		Result json.RawMessage
	}
}

type item struct {
	Name          string `json:"name"`
	ExeProduction string `json:"exe_production"`
	Details       string `json:"details"`
	Subject       string `json:"subject"`
	Department    string `json:"department"`
	Bailiff       string `json:"bailiff"`
	IPEnd         string `json:"ip_end"`
}

// items decodes sub-result i as a list of items.
func (r resultResponse) items(t testing.TB, i int) []item {
	t.Helper()
	var out []item
	if err := json.Unmarshal(r.Result[i].Result, &out); err != nil {
		t.Fatalf("sub-result %d: %v: %s", i, err, r.Result[i].Result)
	}
	return out
}

func names(its []item) []string {
	out := make([]string, len(its))
	for i, it := range its {
		out[i] = it.Name
	}
	return out
}

func forEachStore(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, o.Open)
		})
	}
}

// failingStore fails legal searches for one name, as a broken search
// would, and counts the searches it serves.
type failingStore struct {
	fssp.Store
	failName string
	mu       sync.Mutex
	searches map[string]int
	block    chan struct{} // when set, a physical search for БЛОК waits on it
	saved    chan int      // when set, receives the index of every stored sub-result
}

func (f *failingStore) SaveSubResults(ctx context.Context, id string, rs []fssp.SubResult) error {
	err := f.Store.SaveSubResults(ctx, id, rs)
	for _, r := range rs {
		if err == nil && f.saved != nil {
			f.saved <- r.Index
		}
	}
	return err
}

func (f *failingStore) count(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.searches == nil {
		f.searches = map[string]int{}
	}
	f.searches[key]++
}

func (f *failingStore) SearchLegal(ctx context.Context, q fssp.LegalQuery) ([]fssp.Proceeding, error) {
	f.count("legal:" + q.Name)
	if f.failName != "" && q.Name == f.failName {
		return nil, stend.Errorf(stend.Internal, "test", "broken index")
	}
	return f.Store.SearchLegal(ctx, q)
}

func (f *failingStore) SearchPhysical(ctx context.Context, q fssp.PhysicalQuery) ([]fssp.Proceeding, error) {
	f.count("physical:" + q.LastName)
	if f.block != nil && q.LastName == "БЛОК" {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.Store.SearchPhysical(ctx, q)
}
