package fault_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"stend/fault"
	"stend/httpx"
)

// rules is a Store of fixed rules, counted in memory.
type rules struct {
	mu    sync.Mutex
	rules []fault.Rule
}

func (s *rules) PutFault(context.Context, fault.Rule) (fault.Rule, error) { panic("not used") }
func (s *rules) DeleteFault(context.Context, int64) error                 { panic("not used") }
func (s *rules) ClearFaults(context.Context) (int64, error)               { panic("not used") }
func (s *rules) FaultsVersion(context.Context) (int64, error)             { return 1, nil }

func (s *rules) Faults(context.Context) ([]fault.Rule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]fault.Rule(nil), s.rules...), nil
}

func (s *rules) MatchFault(_ context.Context, id int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules[id-1].Matched++
	return s.rules[id-1].Matched, nil
}

func (s *rules) InjectedFault(_ context.Context, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules[id-1].Injected++
	return nil
}

// A rule on a credential and a body member sees the whole body however
// much of it the API read before it proved the credential, and the API
// then reads the whole body, byte for byte; a body over the bound matches
// nothing and still reaches the API whole.
func TestRuleOnACredentialSeesTheWholeBody(t *testing.T) {
	store := &rules{rules: []fault.Rule{{ID: 1, Name: "r", API: "x", Credential: "token t", Field: "a.b", Value: "yes", Status: 503}}}
	in := fault.NewInjector(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	large := `{"a":{"b":"yes"},"pad":"` + strings.Repeat("x", 1<<20) + `"}`
	for _, c := range []struct {
		body    string
		before  int // bytes the API reads before it proves the credential
		faulted bool
	}{
		{`{"a":{"b":"yes"}}`, 0, true},
		{`{"a":{"b":"yes"}}`, 5, true},
		{`{"a":{"b":"yes"}}`, 17, true},
		{`{"a":{"b":"no"}}`, 5, false},
		{large, 0, false},
		{large, 100, false},
		{large, len(large), false},
	} {
		var got string
		api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			head := make([]byte, c.before)
			if _, err := io.ReadFull(r.Body, head); err != nil {
				t.Fatal(err)
			}
			if err := httpx.Authenticated(r.Context(), "token t"); err != nil {
				return // answered by the rule
			}
			rest, err := io.ReadAll(r.Body)
			if err != nil {
				t.Fatal(err)
			}
			got = string(head) + string(rest)
			w.WriteHeader(http.StatusOK)
		})
		h := httpx.Observe(slog.New(slog.NewTextHandler(io.Discard, nil)), httpx.NewMetrics(),
			httpx.API("x", in.Wrap("x", func(w http.ResponseWriter, status int, _ string) { w.WriteHeader(status) }, api)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", "/", strings.NewReader(c.body)))
		name := c.body
		if len(name) > 20 {
			name = name[:20]
		}
		switch {
		case c.faulted && w.Code != http.StatusServiceUnavailable:
			t.Errorf("%s, %d bytes read first: %d, want the rule's 503", name, c.before, w.Code)
		case !c.faulted && (w.Code != http.StatusOK || got != c.body):
			t.Errorf("%s, %d bytes read first: %d, the API read %d bytes of %d", name, c.before, w.Code, len(got), len(c.body))
		}
	}
}
