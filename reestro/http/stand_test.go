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
	"testing"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fssp"
	"stend/job"
	"stend/operator"
	"stend/reestro"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// now is the stands' clock at start.
var now = stendtest.Now

// Organizations and keys of every stand: key A acts for org A, key B for
// org B, key AB for both; key None for neither.
const (
	orgA    = "1269f58a-3d40-42e1-91ad-a4251566419c"
	orgB    = "2269f58a-3d40-42e1-91ad-a4251566419c"
	orgC    = "3269f58a-3d40-42e1-91ad-a4251566419c" // nobody's
	keyA    = "a1111111-1111-4111-8111-111111111111"
	keyB    = "b2222222-2222-4222-8222-222222222222"
	keyAB   = "key-of-both-organizations"
	keyNone = "key-granted-to-nothing-at-all"
)

type stand struct {
	t      testing.TB
	store  *sqlstore.DB
	node   *server.Node
	clock  *stendtest.ManualClock
	h      http.Handler
	events chan stend.Job
	keys   map[string]operator.IssuedReestroKey
	fssp   *httptest.Server
	stand  *stendtest.Stand
	stop   func()
}

type standOpts struct {
	// manual leaves the job runner stopped until startJobs.
	manual bool
	// fsspLimits, when set, limits the FSSP token checks search with.
	fsspLimits *fssp.Limits
	// deadline, when set, replaces the checks' deadline.
	deadline time.Duration
	// backoff, when set, replaces the runner's backoff.
	backoff func(int) time.Duration
	// running makes the clock follow real time between the test's sets:
	// a check's job, snoozed while its FSSP search runs, never comes due
	// again on a clock that stands still.
	running bool
	// workers, when set, is the job runner's workers of each kind.
	workers int
	// wild exempts every request from the contract check (a fuzzer's
	// requests are off the OpenAPI document by design); answers are still
	// checked.
	wild bool
}

func forEachStore(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) { fn(t, o.Open) })
}

func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB, o standOpts) *stand {
	t.Helper()
	clock := stendtest.NewManualClock(now)
	if o.running {
		clock = stendtest.NewRunningClock(now)
	}
	store := open(t)
	cfg := stendtest.Config()
	cfg.ReestroFSSPPollMax = 20 * time.Millisecond
	if o.deadline > 0 {
		cfg.ReestroCheckDeadline = o.deadline
	}
	s := &stand{t: t, store: store, clock: clock, events: make(chan stend.Job, 1024), keys: map[string]operator.IssuedReestroKey{}}
	backoff := o.backoff
	if backoff == nil {
		backoff = func(int) time.Duration { return 0 }
	}
	jobs := job.Config{Workers: o.workers, Backoff: backoff, Poll: 20 * time.Millisecond, Recorded: func(j stend.Job, st stend.JobState) {
		if st != stend.JobRunning {
			select {
			case s.events <- j:
			default:
			}
		}
	}}
	s.stand = stendtest.On(t, store, clock, stendtest.Options{Config: &cfg, IDs: &stendtest.SeqIDs{}, Jobs: jobs, MalformedRequests: o.wild})
	s.node, s.h = s.stand.Node, s.stand.Handler
	s.fssp = httptest.NewServer(s.h)
	t.Cleanup(s.fssp.Close)
	ctx := context.Background()
	limits := o.fsspLimits
	if limits == nil {
		limits = &fssp.Limits{}
	}
	token, _, err := s.node.Operator.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: "reestro", Token: "reestro-fssp-token", Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	s.node.Reestro.UseFSSP(fsspclient.New(s.fssp.URL, token.Token, fsspclient.WithPollBackoff(5*time.Millisecond, 50*time.Millisecond)))
	for i, id := range []string{orgA, orgB, orgC} {
		if _, err := s.node.Operator.CreateReestroOrganization(ctx, operator.NewReestroOrganization{ID: id, Name: fmt.Sprintf("org %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for key, orgs := range map[string][]string{keyA: {orgA}, keyB: {orgB}, keyAB: {orgA, orgB}, keyNone: nil} {
		k, err := s.node.Operator.IssueReestroKey(ctx, operator.NewReestroKey{Name: key, Key: key, Organizations: orgs})
		if err != nil {
			t.Fatal(err)
		}
		s.keys[key] = k
	}
	if !o.manual {
		s.startJobs()
	}
	return s
}

func (s *stand) startJobs() { s.stop = s.stand.StartJobs() }

func auth(key, org string) string { return "ReestroAuth apiKey=" + key + "&portal.orgid=" + org }

type answer struct {
	status int
	body   string
	header http.Header
}

// do sends a request through the node's router.
func (s *stand) do(method, target, authorization, body string) answer {
	s.t.Helper()
	return s.send(method, target, authorization, body, nil)
}

// doMalformed sends a request the OpenAPI document refuses on purpose (a
// parameter or body field out of its format), marked (stendtest.Malformed):
// the contract check exempts it and still checks the answer.
func (s *stand) doMalformed(method, target, authorization, body string) answer {
	s.t.Helper()
	return s.send(method, target, authorization, body, stendtest.Malformed)
}

// doUndocumented sends a request that no operation of the OpenAPI
// document describes (an unknown path, another method, an unclean path),
// marked (stendtest.Undocumented): the contract check has nothing to hold
// it to, and the test holds the answer itself.
func (s *stand) doUndocumented(method, target, authorization, body string) answer {
	s.t.Helper()
	return s.send(method, target, authorization, body, stendtest.Undocumented)
}

func (s *stand) send(method, target, authorization, body string, mark func(*http.Request) *http.Request) answer {
	s.t.Helper()
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rdr)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if mark != nil {
		req = mark(req)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Body.String(), rec.Header()}
}

func (s *stand) list(key, org string, q url.Values) answer {
	s.t.Helper()
	return s.do(http.MethodGet, listTarget(q), auth(key, org), "")
}

// listMalformed is list with parameters off the OpenAPI document.
func (s *stand) listMalformed(key, org string, q url.Values) answer {
	s.t.Helper()
	return s.doMalformed(http.MethodGet, listTarget(q), auth(key, org), "")
}

func listTarget(q url.Values) string {
	target := "/realty/assessment/v1/checks"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	return target
}

// mustOK decodes a 200 answer into v.
func mustOK(t testing.TB, a answer, v any) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d: %s", a.status, a.body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(a.body), v); err != nil {
			t.Fatalf("%v: %s", err, a.body)
		}
	}
}

// mustSubject creates a subject for org through the API.
func (s *stand) mustSubject(key, org, person string) string {
	s.t.Helper()
	var out struct{ SubjectID string }
	mustOK(s.t, s.do(http.MethodPost, "/realty/assessment/v1/subjects", auth(key, org), `{"person":`+person+`}`), &out)
	return out.SubjectID
}

const ivanov = `{"surname":"Иванов","name":"Сергей","patronymic":"Петрович","birthDate":"1982-06-09"}`

// mustCheck creates a check through the API and moves the clock a second,
// so that checks have distinct creation times unless a test wants ties.
func (s *stand) mustCheck(key, org, body string) string {
	s.t.Helper()
	var out struct{ CheckID string }
	mustOK(s.t, s.do(http.MethodPost, "/realty/assessment/v1/checks", auth(key, org), body), &out)
	s.clock.Set(s.clock.Now().Add(time.Second))
	return out.CheckID
}

type listed struct {
	Items []struct {
		CheckID       string  `json:"checkId"`
		CorelationID  *string `json:"corelationId"`
		CorrelationID *string `json:"correlationId"`
		ExternalID    *string `json:"externalId"`
		CreationDate  string  `json:"creationDate"`
		CheckType     string  `json:"checkType"`
		CheckState    string  `json:"checkState"`
		Fssp          *struct {
			SubjectID string          `json:"subjectId"`
			Regions   []string        `json:"regions"`
			Results   json.RawMessage `json:"results"`
		} `json:"fssp"`
	} `json:"items"`
	LastCheckID *string `json:"lastCheckId"`
}

func (l listed) ids() []string {
	out := make([]string, len(l.Items))
	for i, it := range l.Items {
		out[i] = it.CheckID
	}
	return out
}

// waitChecks waits until n check jobs have been recorded as finished or
// retried.
func (s *stand) waitJobs(n int) []stend.Job {
	s.t.Helper()
	var out []stend.Job
	deadline := time.After(30 * time.Second)
	for len(out) < n {
		select {
		case j := <-s.events:
			if j.Kind == reestro.CheckJobKind {
				out = append(out, j)
			}
		case <-deadline:
			s.t.Fatalf("%d of %d check jobs recorded", len(out), n)
		}
	}
	return out
}

type checkView struct {
	CheckID    string `json:"checkId"`
	CheckState string `json:"checkState"`
	Fssp       struct {
		SubjectID string   `json:"subjectId"`
		Regions   []string `json:"regions"`
		Results   []struct {
			Region string            `json:"region"`
			Items  []json.RawMessage `json:"items"`
		} `json:"results"`
	} `json:"fssp"`
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *stand) check(key, org, id string) checkView {
	s.t.Helper()
	var v checkView
	mustOK(s.t, s.do(http.MethodGet, "/realty/assessment/v1/checks/"+id, auth(key, org), ""), &v)
	return v
}
