package fssp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/client/fssp"
	fsspbank "stend/fssp"
	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// epoch is the server's clock, 2025-06-11 12:00 in Moscow. It stands
// still: the job runner only needs "now" to be due, and a still clock
// makes Retry-After and task_start exact. The client polls on real time.
var epoch = time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)

const (
	alpha   = "alpha-token-0001"
	beta    = "beta-token-00002"
	limited = "limited-token-03"
)

// stand is a real stend node on a real store, served over HTTP.
type stand struct {
	url   string
	store *sqlstore.DB
}

// newStand starts a node with the fixture bank. Without jobs, tasks stay
// queued for ever.
func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB, jobs bool) *stand {
	t.Helper()
	ctx := context.Background()
	store := open(t)
	st := stendtest.On(t, store, stendtest.NewManualClock(epoch), stendtest.Options{StartJobs: jobs})
	node := st.Node
	for tok, limits := range map[string]*fsspbank.Limits{
		alpha:   {},
		beta:    {},
		limited: {SinglePerHour: 2, SinglePerDay: 10, GroupPerDay: 1},
	} {
		if _, _, err := node.Operator.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: tok, Token: tok, Limits: limits}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.FSSP().LoadProceedings(ctx, &sliceSource{items: bank()}, 0); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(srv.Close)
	return &stand{url: srv.URL, store: store}
}

// client polls fast: the tasks here take milliseconds.
func (s *stand) client(token string) *fssp.Client {
	return fssp.New(s.url, token, fssp.WithPollBackoff(2*time.Millisecond, 20*time.Millisecond))
}

// malformedClient is client for what a test sends deliberately off the
// FSSP document: each request is marked (stendtest.Malformed), so that the
// stand's contract check exempts it and still checks the answer.
func (s *stand) malformedClient(token string) *fssp.Client {
	return fssp.New(s.url, token, fssp.WithPollBackoff(2*time.Millisecond, 20*time.Millisecond),
		fssp.WithHTTPClient(&http.Client{Transport: stendtest.MalformedTransport{}}))
}

type sliceSource struct {
	items []fsspbank.Proceeding
	i     int
}

func (s *sliceSource) Next(p *fsspbank.Proceeding) bool {
	if s.i >= len(s.items) {
		return false
	}
	*p = s.items[s.i]
	s.i++
	return true
}

func (s *sliceSource) Err() error { return nil }

func date(y, m, d int) stend.Date { return stend.Date{Year: y, Month: time.Month(m), Day: d} }

var ekb = fsspbank.Department{ID: 66061, Name: "Верх-Исетский РОСП г. Екатеринбурга", PostalIndex: "620014",
	Address: "Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б"}

// fillers is how many proceedings numbered fillerBase+i exist, one per
// group sub-request of TestClient/Group.
const (
	fillers    = 250
	fillerBase = 1000
)

func bank() []fsspbank.Proceeding {
	base := func(p fsspbank.Proceeding, own int64) fsspbank.Proceeding {
		p.Number = fsspbank.ProceedingNumber{Own: own, Year: 12, Department: ekb.ID}
		p.Region, p.Department, p.Date = 66, ekb, date(2012, 4, 16)
		p.DocType, p.DocDate, p.DocNumber, p.DocIssuer = "Исполнительный лист", date(2012, 3, 20), "ВС 049652131", "Верх-Исетский районный суд г. Екатеринбурга"
		p.Subject, p.Amount, p.Fee = "Коммунальные платежи", 123456, 8642
		p.Bailiff = fsspbank.Bailiff{Name: "НИТОЧКИНА В. И.", Phone: "+73434246653"}
		return p
	}
	person := func(last, first, patr string, born stend.Date) fsspbank.Proceeding {
		return fsspbank.Proceeding{Kind: fsspbank.DebtorPhysical, LastName: last, FirstName: first, Patronymic: patr, BirthDate: born, BirthPlace: "гор. Екатеринбург"}
	}
	legal := func(name, address string) fsspbank.Proceeding {
		return fsspbank.Proceeding{Kind: fsspbank.DebtorLegal, LegalName: name, LegalAddress: address}
	}
	first := base(person("ИВАНОВ", "СЕРГЕЙ", "ПЕТРОВИЧ", date(1982, 6, 9)), 6860)
	first.End = &fsspbank.ProceedingEnd{Date: date(2015, 6, 30), Article: 46, Part: 1, Point: 4}
	romashka := base(legal(`ООО "РОМАШКА"`, "620000, Россия, Свердловская обл., г. Екатеринбург, ул. Ленина, д. 1"), 7000)
	romashka.Joined = true
	out := []fsspbank.Proceeding{
		first,
		base(person("ИВАНОВ", "СЕРГЕЙ", "ИВАНОВИЧ", date(1990, 1, 1)), 6861),
		romashka,
		base(legal(`АО "РОМАШКА-2"`, "620000, Россия, Свердловская обл., г. Екатеринбург, ул. Мира, д. 5"), 7001),
	}
	for i := range fillers {
		out = append(out, base(person("СИДОРОВ", "ПЁТР", "", date(1970, 1, 1)), int64(fillerBase+i)))
	}
	return out
}

// The item of proceeding 6860, exactly as the client must hand it over.
var ivanov6860 = fssp.Item{
	Name:          "ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ",
	ExeProduction: "6860/12/66061-ИП от 16.04.2012",
	Details:       "Исполнительный лист от 20.03.2012 № ВС 049652131 Верх-Исетский районный суд г. Екатеринбурга",
	Subject:       "Коммунальные платежи: 1234.56 руб. Исполнительский сбор: 86.42 руб.",
	Department:    "Верх-Исетский РОСП г. Екатеринбурга 620014, Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б",
	Bailiff:       "НИТОЧКИНА В. И.<br>+73434246653",
	IPEnd:         "2015-06-30, 46, 1, 4",
}

func names(items []fssp.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
	}
	return out
}

func numbers(items []fssp.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Number()
	}
	return out
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitOne waits for a single search and returns its one sub-result.
func waitOne(t *testing.T, ctx context.Context, c *fssp.Client, task string) fssp.SubResult {
	t.Helper()
	res, err := c.Wait(ctx, task)
	return single(t, res, err)
}

// single checks a finished single search and returns its one sub-result.
func single(t *testing.T, res *fssp.Result, err error) fssp.SubResult {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if res.State != fssp.TaskDone || len(res.Results) != 1 || res.Results[0].State != fssp.TaskDone || res.Results[0].Failure != nil {
		t.Fatalf("result %+v", res)
	}
	return res.Results[0]
}

var sentinels = map[string]error{
	"ErrInvalid": fssp.ErrInvalid, "ErrUnauthorized": fssp.ErrUnauthorized, "ErrTaskNotFound": fssp.ErrTaskNotFound,
	"ErrNotFound": fssp.ErrNotFound, "ErrRateLimited": fssp.ErrRateLimited, "ErrTooLarge": fssp.ErrTooLarge,
	"ErrUnavailable": fssp.ErrUnavailable, "ErrMalformed": fssp.ErrMalformed,
}

// only checks that err matches want and no other sentinel, and returns
// its *APIError when it has one.
func only(t *testing.T, err, want error) *fssp.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	for name, s := range sentinels {
		if got := errors.Is(err, s); got != (s == want) {
			t.Errorf("errors.Is(%v, %s) = %v", err, name, got)
		}
	}
	var apiErr *fssp.APIError
	errors.As(err, &apiErr)
	return apiErr
}

// TestClient runs every method against a real node, on every store.
func TestClient(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			s := newStand(t, o.Open, true)
			t.Run("Physical", func(t *testing.T) { t.Parallel(); testPhysical(t, s) })
			t.Run("Legal", func(t *testing.T) { t.Parallel(); testLegal(t, s) })
			t.Run("IP", func(t *testing.T) { t.Parallel(); testIP(t, s) })
			t.Run("Group", func(t *testing.T) { t.Parallel(); testGroup(t, s) })
			t.Run("Errors", func(t *testing.T) { t.Parallel(); testErrors(t, s) })
			t.Run("RateLimited", func(t *testing.T) { t.Parallel(); testRateLimited(t, s) })
			t.Run("TooLarge", func(t *testing.T) { t.Parallel(); testTooLarge(t, s) })
			// A node without a job runner: its tasks stay queued.
			idle := newStand(t, o.Open, false)
			t.Run("Queued", func(t *testing.T) { t.Parallel(); testQueued(t, idle) })
		})
	}
}

func testPhysical(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	task, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 66, LastName: "иванов", FirstName: "Сергей"})
	if err != nil {
		t.Fatal(err)
	}
	sub := waitOne(t, ctx, c, task)
	if got := names(sub.Items); !reflect.DeepEqual(got, []string{ivanov6860.Name, "ИВАНОВ СЕРГЕЙ ИВАНОВИЧ 01.01.1990 ГОР. ЕКАТЕРИНБУРГ"}) {
		t.Fatalf("found %q", got)
	}

	// Every parameter, echoed as sent; every item field as the server
	// renders it.
	q := fssp.PhysicalQuery{Region: 66, LastName: "Иванов", FirstName: "Сергей", SecondName: "Петрович", BirthDate: "09.06.1982"}
	task, err = c.SearchPhysical(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Wait(ctx, task)
	sub = single(t, res, err)
	if len(sub.Items) != 1 || sub.Items[0] != ivanov6860 {
		t.Fatalf("items %+v", sub.Items)
	}
	if sub.Items[0].Number() != "6860/12/66061-ИП" || sub.Items[0].Open() {
		t.Fatalf("number %q, open %v", sub.Items[0].Number(), sub.Items[0].Open())
	}
	want := &fssp.Query{Type: fssp.TypePhysical, Params: map[string]string{
		"region": "66", "lastname": "Иванов", "firstname": "Сергей", "secondname": "Петрович", "birthdate": "09.06.1982",
	}}
	if !reflect.DeepEqual(sub.Query, want) {
		t.Fatalf("query echo %+v", sub.Query)
	}
	// The server's clock stands at 12:00:00 Moscow time.
	if res.TaskStart == nil || res.TaskEnd == nil || !res.TaskStart.Equal(epoch) || !res.TaskEnd.Equal(epoch) {
		t.Fatalf("task times %v %v", res.TaskStart, res.TaskEnd)
	}
	st, err := c.Status(ctx, task)
	if err != nil || st != (fssp.Status{State: fssp.TaskDone, Progress: "1 of 1", Done: 1, Total: 1}) {
		t.Fatalf("status %+v %v", st, err)
	}
}

func testLegal(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	task, err := c.SearchLegal(ctx, fssp.LegalQuery{Region: 66, Name: "ромашка"})
	if err != nil {
		t.Fatal(err)
	}
	sub := waitOne(t, ctx, c, task)
	if got := numbers(sub.Items); !reflect.DeepEqual(got, []string{"7000/12/66061-ИП", "7001/12/66061-ИП"}) {
		t.Fatalf("found %q", got)
	}
	if ep := sub.Items[0].ExeProduction; ep != "7000/12/66061-ИП от 16.04.2012 сводное" {
		t.Fatalf("joined proceeding %q", ep)
	}
	task, err = c.SearchLegal(ctx, fssp.LegalQuery{Region: 66, Name: "Ромашка", Address: "ул. Мира"})
	if err != nil {
		t.Fatal(err)
	}
	sub = waitOne(t, ctx, c, task)
	if got := names(sub.Items); !reflect.DeepEqual(got, []string{`АО "РОМАШКА-2" 620000, РОССИЯ, СВЕРДЛОВСКАЯ ОБЛ., Г. ЕКАТЕРИНБУРГ, УЛ. МИРА, Д. 5`}) {
		t.Fatalf("with address: %q", got)
	}
	if want := map[string]string{"region": "66", "name": "Ромашка", "address": "ул. Мира"}; sub.Query == nil || sub.Query.Type != fssp.TypeLegal || !reflect.DeepEqual(sub.Query.Params, want) {
		t.Fatalf("query echo %+v", sub.Query)
	}
}

func testIP(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	for number, want := range map[string][]fssp.Item{
		"6860/12/61/66":    {ivanov6860},
		"6860/12/66061-ИП": {ivanov6860},
		"6860/13/61/66":    {},
	} {
		task, err := c.SearchIP(ctx, fssp.IPQuery{Number: number})
		if err != nil {
			t.Fatal(err)
		}
		sub := waitOne(t, ctx, c, task)
		if !reflect.DeepEqual(sub.Items, want) {
			t.Fatalf("%s: %+v", number, sub.Items)
		}
		if sub.Query == nil || sub.Query.Type != fssp.TypeIP || sub.Query.Params["number"] != number {
			t.Fatalf("%s: echo %+v", number, sub.Query)
		}
	}
}

// groupRequests mixes the three types; request i of type IP names
// proceeding fillerBase+i, so the results show their order.
func groupRequests(n int) []fssp.Request {
	reqs := make([]fssp.Request, n)
	for i := range reqs {
		switch i % 5 {
		case 0:
			reqs[i] = fssp.Request{Physical: &fssp.PhysicalQuery{Region: 66, LastName: "Иванов", FirstName: "Сергей", BirthDate: "09.06.1982"}}
		case 1:
			reqs[i] = fssp.Request{Legal: &fssp.LegalQuery{Region: 66, Name: "Ромашка-2"}}
		default:
			reqs[i] = fssp.Request{IP: &fssp.IPQuery{Number: fmt.Sprintf("%d/12/66061-ИП", fillerBase+i)}}
		}
	}
	return reqs
}

func checkGroup(t *testing.T, reqs []fssp.Request, got []fssp.SubResult) {
	t.Helper()
	if len(got) != len(reqs) {
		t.Fatalf("%d sub-results for %d requests", len(got), len(reqs))
	}
	for i, sub := range got {
		var want []string
		switch {
		case reqs[i].Physical != nil:
			want = []string{"6860/12/66061-ИП"}
		case reqs[i].Legal != nil:
			want = []string{"7001/12/66061-ИП"}
		default:
			want = []string{reqs[i].IP.Number}
		}
		if sub.State != fssp.TaskDone || sub.Err() != nil || !reflect.DeepEqual(numbers(sub.Items), want) {
			t.Fatalf("sub-result %d: %+v, want %q", i, sub, want)
		}
		if reqs[i].IP != nil && (sub.Query == nil || sub.Query.Params["number"] != reqs[i].IP.Number) {
			t.Fatalf("sub-result %d echoes %+v", i, sub.Query)
		}
	}
}

func testGroup(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	reqs := groupRequests(250)
	ids, err := c.SearchGroup(ctx, reqs)
	if err != nil || len(ids) != 3 {
		t.Fatalf("ids %v, %v", ids, err)
	}
	var all []fssp.SubResult
	for i, id := range ids {
		res, err := c.Wait(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, res.Results...)
		st, err := c.Status(ctx, id)
		if want := []int{100, 100, 50}[i]; err != nil || st.State != fssp.TaskDone || st.Done != want || st.Total != want {
			t.Fatalf("task %d: %+v %v", i, st, err)
		}
	}
	checkGroup(t, reqs, all)

	got, err := c.Group(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	checkGroup(t, reqs, got)
}

func testErrors(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	task, err := c.SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Wait(ctx, task); err != nil {
		t.Fatal(err)
	}

	t.Run("invalid", func(t *testing.T) {
		c := s.malformedClient(alpha)
		for name, call := range map[string]func() error{
			"region not in the directory": func() error {
				_, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 80, LastName: "Иванов", FirstName: "Иван"})
				return err
			},
			"no first name": func() error {
				_, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 66, LastName: "Иванов"})
				return err
			},
			"birth date ISO": func() error {
				_, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 66, LastName: "Иванов", FirstName: "Иван", BirthDate: "1982-06-09"})
				return err
			},
			"legal without region": func() error { _, err := c.SearchLegal(ctx, fssp.LegalQuery{Name: "Ромашка"}); return err },
			"number garbage":       func() error { _, err := c.SearchIP(ctx, fssp.IPQuery{Number: "6860-12"}); return err },
			"status without task":  func() error { _, err := c.Status(ctx, ""); return err },
			"one bad sub-request": func() error {
				_, err := c.SearchGroup(ctx, append(groupRequests(3), fssp.Request{IP: &fssp.IPQuery{Number: "x"}}))
				return err
			},
		} {
			apiErr := only(t, call(), fssp.ErrInvalid)
			if apiErr == nil || apiErr.HTTPStatus != 400 || apiErr.Code != 400 || apiErr.Message != "invalid request params" {
				t.Errorf("%s: %#v", name, apiErr)
			}
		}
		// Caught before sending: nothing the server could take.
		for name, reqs := range map[string][]fssp.Request{
			"empty group":         nil,
			"no query":            {{}},
			"two queries in one":  {{IP: &fssp.IPQuery{Number: "6860/12/61/66"}, Legal: &fssp.LegalQuery{Region: 66, Name: "Ромашка"}}},
			"bad after good ones": append(groupRequests(150), fssp.Request{}),
		} {
			ids, err := c.SearchGroup(ctx, reqs)
			if apiErr := only(t, err, fssp.ErrInvalid); apiErr != nil || ids != nil {
				t.Errorf("%s: sent anyway: %v %v", name, ids, err)
			}
		}
	})

	t.Run("unauthorized", func(t *testing.T) {
		for _, tok := range []string{"", "no-such-token", strings.ToUpper(alpha)} {
			bad, malformed := s.client(tok), s.malformedClient(tok)
			if tok == "" {
				bad = malformed // the document wants a token
			}
			_, err1 := bad.SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"})
			_, err2 := bad.SearchGroup(ctx, groupRequests(2))
			_, err3 := bad.Status(ctx, task)
			_, err4 := bad.Wait(ctx, task)
			// The token is checked before the parameters.
			_, err5 := malformed.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 999})
			for i, err := range []error{err1, err2, err3, err4, err5} {
				if apiErr := only(t, err, fssp.ErrUnauthorized); apiErr == nil || apiErr.HTTPStatus != 401 || apiErr.Message != "invalid token" {
					t.Errorf("token %q, call %d: %v", tok, i+1, err)
				}
			}
		}
	})

	t.Run("task not found", func(t *testing.T) {
		other := s.client(beta)
		for name, call := range map[string]func() error{
			"unknown status": func() error { _, err := c.Status(ctx, "ADAB49B2-F435-49CC-80DF-55F2F57D3057"); return err },
			"unknown result": func() error { _, err := c.Result(ctx, "ADAB49B2-F435-49CC-80DF-55F2F57D3057"); return err },
			"unknown wait":   func() error { _, err := s.malformedClient(alpha).Wait(ctx, "not a task"); return err },
			"another token's status": func() error {
				_, err := other.Status(ctx, task)
				return err
			},
			"another token's result": func() error {
				_, err := other.Result(ctx, task)
				return err
			},
		} {
			if apiErr := only(t, call(), fssp.ErrTaskNotFound); apiErr == nil || apiErr.HTTPStatus != 404 {
				t.Errorf("%s: %#v", name, apiErr)
			}
		}
		// Task ids are case-insensitive: lower case still finds it.
		if _, err := c.Result(ctx, strings.ToLower(task)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("wrong base URL", func(t *testing.T) {
		wrong := fssp.New(s.url+"/elsewhere", alpha)
		_, err := wrong.Status(ctx, task)
		if apiErr := only(t, err, fssp.ErrNotFound); apiErr == nil || apiErr.HTTPStatus != 404 || apiErr.Code != 0 {
			t.Fatalf("%#v", apiErr)
		}
		// The documented endpoint, prefix included, works as a base URL.
		if _, err := fssp.New(s.url+"/api/v1.0/", alpha).Status(ctx, task); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("network", func(t *testing.T) {
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		_, err := fssp.New(dead.URL, alpha).SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"})
		var apiErr *fssp.APIError
		if err == nil || errors.As(err, &apiErr) || errors.Is(err, fssp.ErrUnavailable) {
			t.Fatalf("connection refused: %v", err)
		}
		if strings.Contains(err.Error(), alpha) {
			t.Fatalf("the error shows the token: %v", err)
		}
	})
}

func testRateLimited(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(limited)
	for range 2 {
		if _, err := c.SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := c.SearchLegal(ctx, fssp.LegalQuery{Region: 66, Name: "Ромашка"})
	apiErr := only(t, err, fssp.ErrRateLimited)
	// Both searches were at the server's 12:00:00: the hour frees at 13:00.
	if apiErr == nil || apiErr.HTTPStatus != 429 || apiErr.Message != "too many requests" || apiErr.RetryAfter != time.Hour {
		t.Fatalf("%#v", apiErr)
	}
	// Groups count apart, one a day: the first chunk is accepted, the
	// second refused, and the accepted one is still returned.
	ids, err := c.SearchGroup(ctx, groupRequests(150))
	apiErr = only(t, err, fssp.ErrRateLimited)
	if len(ids) != 1 || apiErr == nil || apiErr.RetryAfter != 24*time.Hour {
		t.Fatalf("ids %v, %v", ids, err)
	}
	res, err := c.Wait(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	checkGroup(t, groupRequests(100), res.Results)
}

func testTooLarge(t *testing.T, s *stand) {
	ctx := ctxT(t)
	// A chunk of 100 with 12 KB names is over the server's 1 MiB body
	// limit, which is checked before anything else. Names that long are
	// off the document (at most 250 characters), so the chunk is sent marked.
	long := strings.Repeat("Я", 6000)
	reqs := make([]fssp.Request, 100)
	for i := range reqs {
		reqs[i] = fssp.Request{Legal: &fssp.LegalQuery{Region: 66, Name: long}}
	}
	_, err := s.malformedClient(alpha).SearchGroup(ctx, reqs)
	if apiErr := only(t, err, fssp.ErrTooLarge); apiErr == nil || apiErr.HTTPStatus != 413 || apiErr.Message != "request entity too large" {
		t.Fatalf("%v", err)
	}
	// The same names in a chunk under the limit are merely invalid.
	_, err = s.malformedClient(alpha).SearchGroup(ctx, reqs[:2])
	only(t, err, fssp.ErrInvalid)
}

func testQueued(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(alpha)
	task, err := c.SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx, task)
	if err != nil || st != (fssp.Status{State: fssp.TaskQueued, Progress: "0 of 1", Done: 0, Total: 1}) {
		t.Fatalf("status %+v %v", st, err)
	}
	res, err := c.Result(ctx, task)
	if err != nil || res.State != fssp.TaskQueued || len(res.Results) != 0 || res.TaskStart != nil || res.TaskEnd != nil {
		t.Fatalf("result %+v %v", res, err)
	}

	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, err = c.Wait(short, task)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), task) {
		t.Fatalf("wait past the deadline: %v", err)
	}
	only(t, err, context.DeadlineExceeded)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := c.Wait(cancelled, task); !errors.Is(err, context.Canceled) {
		t.Fatalf("wait cancelled: %v", err)
	}

	// A node whose database is gone answers 503: Wait keeps polling
	// through it until its deadline, the other calls return it.
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = c.SearchIP(ctx, fssp.IPQuery{Number: "6860/12/61/66"})
	apiErr := only(t, err, fssp.ErrUnavailable)
	if apiErr == nil || apiErr.HTTPStatus != 503 || apiErr.Message != "service unavailable" || apiErr.RetryAfter != time.Second {
		t.Fatalf("%#v", apiErr)
	}
	short, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.Wait(short, task); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait on an unavailable node: %v", err)
	}
}

// TestExampleStand keeps the example's helper honest.
func TestExampleStand(t *testing.T) {
	t.Parallel()
	url, token, stop := startExampleServer()
	defer stop()
	if _, err := fssp.New(url, token).SearchIP(t.Context(), fssp.IPQuery{Number: "6860/12/61/66"}); err != nil {
		t.Fatal(err)
	}
}

// startExampleServer runs a node on SQLite in a temporary directory (removed when stopped), with
// the fixture bank, for the examples, which have no *testing.T.
func startExampleServer() (baseURL, token string, stop func()) {
	tb := &stendtest.ExampleTB{}
	s := newStand(tb, storetest.OpenSQLite, true)
	return s.url, alpha, tb.Close
}
