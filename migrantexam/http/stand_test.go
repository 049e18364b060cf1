package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"stend/migrantexam"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// today is the stands' clock: Wednesday 2025-06-11, 12:00 in Moscow, in the
// week starting Monday 2025-06-09.
var today = stendtest.Now

const operatorToken = stendtest.OperatorToken

// stand is one node over a fresh store, with two organizations:
// "alpha" holding areas 101 and 102, and "beta" holding area 201.
type stand struct {
	t       testing.TB
	store   *sqlstore.DB
	node    *server.Node
	stand   *stendtest.Stand
	handler http.Handler
}

type creds struct{ user, password, key string }

var (
	alpha = creds{"alpha", "alpha-password", "alpha-key"}
	beta  = creds{"beta", "beta-password", "beta-key"}
)

func testConfig() server.Config {
	cfg := stendtest.Config()
	cfg.MigrantExamMaxBodyBytes = 256 << 10
	cfg.MigrantExamMaxRows = 100
	return cfg
}

func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB) *stand {
	t.Helper()
	return standOn(t, open(t), stendtest.NewManualClock(today), testConfig())
}

func standOn(t testing.TB, store *sqlstore.DB, clock *stendtest.ManualClock, cfg server.Config) *stand {
	t.Helper()
	return standWith(t, store, clock, stendtest.Options{Config: &cfg})
}

// standWith is standOn with the stand's options (a fuzzer's stand exempts
// every request from the contract check: they are wild by design).
func standWith(t testing.TB, store *sqlstore.DB, clock *stendtest.ManualClock, o stendtest.Options) *stand {
	t.Helper()
	st := stendtest.On(t, store, clock, o)
	node := st.Node
	seed := operator.Seed{}
	seed.MigrantExam.Organizations = []operator.SeedOrganization{
		{NewOrganization: operator.NewOrganization{Username: alpha.user, Password: alpha.password, APIKey: alpha.key},
			Areas: []operator.SeedArea{{ID: 101}, {ID: 102}}},
		{NewOrganization: operator.NewOrganization{Username: beta.user, Password: beta.password, APIKey: beta.key},
			Areas: []operator.SeedArea{{ID: 201}}},
	}
	if err := node.Operator.LoadSeed(context.Background(), seed, node.Logger); err != nil {
		t.Fatal(err)
	}
	return &stand{t: t, store: store, node: node, stand: st, handler: st.Handler}
}

type answer struct {
	status int
	body   string
	header http.Header
}

// post sends body to POST /Reports/Report with c's credentials and a JSON
// content type.
func (s *stand) post(c creds, body string) answer {
	return s.do(c, "application/json", body)
}

func (s *stand) do(c creds, contentType, body string) answer {
	s.t.Helper()
	return s.send(c, contentType, body, false)
}

// postMalformed and doMalformed send a body that the OpenAPI document
// refuses on purpose (a missing field, a wrong type, not JSON), marked
// (stendtest.Malformed): the contract check exempts the request and still
// checks the answer.
func (s *stand) postMalformed(c creds, body string) answer {
	s.t.Helper()
	return s.send(c, "application/json", body, true)
}

func (s *stand) doMalformed(c creds, contentType, body string) answer {
	s.t.Helper()
	return s.send(c, contentType, body, true)
}

func (s *stand) send(c creds, contentType, body string, malformed bool) answer {
	s.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/Reports/Report", bytes.NewBufferString(body))
	if malformed {
		req = stendtest.Malformed(req)
	}
	if c.user != "" {
		req.SetBasicAuth(c.user, c.password)
	}
	if c.key != "" {
		req.Header.Set("x-api-key", c.key)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Body.String(), rec.Header()}
}

// operatorGet reads the operator API and decodes the answer into v.
func (s *stand) operatorGet(path string, v any) int {
	s.t.Helper()
	a := s.stand.Operator(http.MethodGet, path, "", "")
	if v != nil && a.Status == http.StatusOK {
		if err := json.Unmarshal([]byte(a.Body), v); err != nil {
			s.t.Fatalf("operator %s: %v: %s", path, err, a.Body)
		}
	}
	return a.Status
}

// accepted stands for the body of a 200 in a table of cases: report ids
// are random, so the body is {"reportId":N} with any N in the range.
const accepted = `{"reportId":<id>}`

// acceptedID is the id of body when it is exactly {"reportId":N} with N
// from 1 to migrantexam.MaxReportID.
func acceptedID(body string) (int64, bool) {
	var r struct{ ReportID int64 }
	if json.Unmarshal([]byte(body), &r) != nil || r.ReportID < 1 || r.ReportID > migrantexam.MaxReportID ||
		body != fmt.Sprintf(`{"reportId":%d}`, r.ReportID) {
		return 0, false
	}
	return r.ReportID, true
}

// matches reports whether body is want, or an accepted report's when want
// is accepted.
func matches(body, want string) bool {
	if want == accepted {
		_, ok := acceptedID(body)
		return ok
	}
	return body == want
}

// postAccepted sends body with c's credentials and returns the id of the
// report it stored, failing the test on any other answer.
func (s *stand) postAccepted(c creds, body string) int64 {
	s.t.Helper()
	a := s.post(c, body)
	id, ok := acceptedID(a.body)
	if a.status != http.StatusOK || !ok {
		s.t.Fatalf("%s's report: %d %s", c.user, a.status, a.body)
	}
	return id
}

func (s *stand) reportCount() int {
	s.t.Helper()
	var out struct{ Reports []operator.ReportSummary }
	if code := s.operatorGet("/operator/v1/migrant-exam/reports", &out); code != http.StatusOK {
		s.t.Fatalf("list reports: %d", code)
	}
	return len(out.Reports)
}

func forEachStore(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) { fn(t, o.Open) })
}

func openSQLite(t testing.TB) *sqlstore.DB { return storetest.OpenSQLite(t) }

func serve(s *stand, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

// serveUndocumented serves a request that no operation of the OpenAPI
// document describes (another method, another path under /Reports/),
// marked (stendtest.Undocumented): the contract check has nothing to hold
// it to, and the test holds the answer itself.
func serveUndocumented(s *stand, req *http.Request) *httptest.ResponseRecorder {
	return serve(s, stendtest.Undocumented(req))
}

// refusals is one stand shared by the cases of a rule table that a stand
// refuses: a refusal changes nothing, so one stand per store serves them
// all (where a table's cases check that nothing is stored, a refusal that
// stored something still fails them). A case that is accepted stores a
// report and gets a stand of its own, where it is the only report.
type refusals struct {
	shared *stand
	open   func(testing.TB) *sqlstore.DB
}

func newRefusals(t testing.TB, open func(testing.TB) *sqlstore.DB) *refusals {
	return &refusals{shared: newStand(t, open), open: open}
}

// standFor is the stand for a case of t expecting status.
func (r *refusals) standFor(t testing.TB, status int) *stand {
	if status == http.StatusOK {
		return newStand(t, r.open)
	}
	s := *r.shared
	s.t = t
	return &s
}
