package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend"
	"stend/migrantexam"
	migrantexamhttp "stend/migrantexam/http"
	"stend/stendtest"
	"stend/store/storetest"
)

// FuzzTextEdges sends a text to every field of the API that reaches a query
// or is stored, on a stand of each store: no text answers 500, both stores
// answer alike; a Basic username that is no organization's, a text no
// store can keep among them (not UTF-8, or with NUL), is the 401 of an
// unknown one, and such a text in a report is the validation error that
// names the field.
func FuzzTextEdges(f *testing.F) {
	stands := stendtest.FuzzStands(f, func(o storetest.Opener) *stendtest.Stand {
		cfg := testConfig()
		return standWith(f, o.Open(f), stendtest.NewManualClock(today), stendtest.Options{Config: &cfg, MalformedRequests: true}).stand
	})
	post := func(username, body string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/Reports/Report", strings.NewReader(body))
			r.SetBasicAuth(username, alpha.password)
			r.Header.Set("x-api-key", alpha.key)
			r.Header.Set("Content-Type", "application/json")
			return r
		}
	}
	unknown := stendtest.AcrossStores(f, stands, post("nobody", report()))
	if unknown.Status != http.StatusUnauthorized {
		f.Fatalf("an unknown username: %d %s", unknown.Status, unknown.Body)
	}
	// placeholder is replaced by the fuzzed text, written as a careless
	// client writes it (bytes that are not UTF-8 as they are).
	const placeholder = "\x01fuzz"
	withText := func(edits ...edit) string {
		return strings.Replace(report(edits...), `"\u0001fuzz"`, "%s", 1)
	}
	commentBody := withText(set("comment", placeholder))
	documentBody := withText(set("examinationAreaId", 102), row(0, "identityDocumentNumber", placeholder))
	f.Fuzz(func(t *testing.T, s string) {
		j, seen := stendtest.JSONText(s), stendtest.FromJSON(s)
		if a := stendtest.AcrossStores(t, stands, post(s, report())); s != alpha.user && (a.Status != unknown.Status || a.Body != unknown.Body) {
			t.Errorf("username %.100q: %d %s, want %d %s", s, a.Status, a.Body, unknown.Status, unknown.Body)
		}
		for _, e := range []struct{ name, body, bad string }{
			{"comment", strings.Replace(commentBody, "%s", j, 1), validation(map[string]string{"Comment": "Строка не должна содержать символ U+0000"})},
			{"identityDocumentNumber", strings.Replace(documentBody, "%s", j, 1),
				validation(map[string]string{"Requests[0].IdentityDocumentNumber": "Строка не должна содержать символ U+0000"})},
		} {
			a := stendtest.AcrossStores(t, stands, post(alpha.user, e.body))
			if !stend.StorableText(seen) && a.Body != e.bad {
				t.Errorf("%s %.100q: %d %s, want %s", e.name, s, a.Status, a.Body, e.bad)
			}
		}
	})
}

// refusingStore refuses every report as PostgreSQL refuses text it cannot
// hold (sqlstore classifies that Invalid).
type refusingStore struct{ migrantexam.Store }

func (refusingStore) SubmitReport(context.Context, migrantexam.ReportSubmission) (int64, error) {
	return 0, &stend.Error{Kind: stend.Invalid, Op: "sqlstore.SubmitReport", Message: "text that is not UTF-8 or holds NUL"}
}

// TestStoreRefusedTextIsAValidationProblem: text the validation let through
// and the store refused is the body's fault, never a 500.
func TestStoreRefusedTextIsAValidationProblem(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := newStand(t, o.Open)
		cfg := testConfig()
		h := migrantexamhttp.New(migrantexamhttp.Config{PasswordIterations: cfg.PasswordIterations, Keys: s.node.Keys}, refusingStore{s.store.MigrantExam()}, s.stand.Clock, stendtest.Logger())
		s.handler = stendtest.Checked(t, h)
		a := s.post(alpha, report())
		if want := validation(map[string]string{"$": "Строки должны быть текстом в UTF-8 без символа U+0000"}); a.status != http.StatusBadRequest || strings.TrimSpace(a.body) != want {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
}
