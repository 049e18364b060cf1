package stendtest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"stend/httpx"
)

// recordingT is the test a contract check fails: it keeps the failures.
type recordingT struct {
	testing.TB
	failures []string
	cleanups []func()
}

func (r *recordingT) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}
func (r *recordingT) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recordingT) Helper()          {}

// TestContractFailsTheTestThatBrokeIt holds the check itself: an answer or
// a request off the document fails the test that sent it; a request marked
// malformed is exempt while its answer is not; an answer a fault rule made,
// and a request marked undocumented, are the test's own to check.
func TestContractFailsTheTestThatBrokeIt(t *testing.T) {
	t.Setenv("STEND_OPENAPI_VALIDATE", "motivity")
	const badges = `[{"id":1,"title":"T","image":"https://x/1.svg","description":null,"popupDescription":"P","color":null,"active":"1","system":"0","children":[]}]`
	const assigned = `{"result":true,"data":[]}`
	var answer atomic.Value
	router := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Header.Get("Fault") != "" {
			httpx.NoteFault(r.Context(), 1)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer.Load().(string)))
	})
	for _, c := range []struct {
		name, path, body, answer string
		mark                     func(*http.Request) *http.Request
		header                   string
		fails                    []string // each failure holds all of these
	}{
		{name: "as documented", path: "/public/api/v1/badge", answer: badges},
		{name: "an answer off the document", path: "/public/api/v1/badge", answer: `{"badges":[]}`,
			fails: []string{"GET /public/api/v1/badge", "answer:", "motivity document"}},
		{name: "a request off the document", path: "/public/api/v1/badge/1/assign", body: `{"users":5}`, answer: assigned,
			fails: []string{"POST /public/api/v1/badge/1/assign", "request:", `\"users\":5`}},
		{name: "a malformed request, marked", path: "/public/api/v1/badge/1/assign", body: `{"users":5}`, answer: assigned, mark: Malformed},
		{name: "a malformed request's answer, still checked", path: "/public/api/v1/badge/1/assign", body: `{"users":5}`, answer: `{}`, mark: Malformed,
			fails: []string{"answer:"}},
		{name: "a fault rule's answer", path: "/public/api/v1/badge", answer: `{"result":false,"message":"injected"}`, header: "Fault: 1"},
		{name: "an unknown path", path: "/public/api/v1/nothing", answer: `{}`, fails: []string{"request:", "not found"}},
		{name: "an unknown path, marked", path: "/public/api/v1/nothing", answer: `{}`, mark: Undocumented},
		{name: "another API's path", path: "/console/", answer: `<html>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt := &recordingT{}
			var seen http.Header
			check := checkContract(rt, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r.Header.Clone()
				router.ServeHTTP(w, r)
			}))
			answer.Store(c.answer)
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			if c.body != "" {
				req = httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("X-Auth-Token", "t")
			if name, value, ok := strings.Cut(c.header, ": "); ok {
				req.Header.Set(name, value)
			}
			if c.mark != nil {
				req = c.mark(req)
			}
			rec := httptest.NewRecorder()
			check.ServeHTTP(rec, req)
			if rec.Body.String() != c.answer {
				t.Errorf("the client got %q, the router wrote %q", rec.Body.String(), c.answer)
			}
			if seen.Get(MalformedHeader) != "" || seen.Get(UndocumentedHeader) != "" {
				t.Errorf("the router saw the test's mark: %v", seen)
			}
			if len(c.fails) == 0 && len(rt.failures) > 0 {
				t.Errorf("failed the test: %v", rt.failures)
			}
			if len(c.fails) > 0 && len(rt.failures) != 1 {
				t.Fatalf("%d failures, want 1: %v", len(rt.failures), rt.failures)
			}
			for _, want := range c.fails {
				if !strings.Contains(rt.failures[0], want) {
					t.Errorf("the failure lacks %q:\n%s", want, rt.failures[0])
				}
			}
			for _, f := range rt.cleanups {
				f()
			}
			check.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/public/api/v1/nothing", nil))
			if len(c.fails) == 0 && len(rt.failures) > 0 {
				t.Errorf("an answer after the test ended failed it: %v", rt.failures)
			}
		})
	}
}
