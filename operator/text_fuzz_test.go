package operator_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"stend"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// FuzzTextEdges sends a text to every field of the operator API that is
// stored or looked up, on a stand of each store: no text answers 500, both
// stores answer alike, and a text no store can keep (not UTF-8, or with
// NUL) is refused: 400 in a body or a query, 404 as a path's lookup key (no
// such object exists), a bad row (422) in an imported file.
func FuzzTextEdges(f *testing.F) {
	stands := stendtest.FuzzStands(f, func(o storetest.Opener) *stendtest.Stand {
		// Its requests are wild by design; the contract check holds the
		// answers to the operator document.
		s := stendtest.Open(f, o, stendtest.Options{MalformedRequests: true})
		for _, c := range []struct{ path, body string }{
			{"/operator/v1/migrant-exam/organizations", `{"username":"owner"}`},
			{"/operator/v1/reestro/keys", `{"name":"owner"}`},
		} {
			if a := s.Operator(http.MethodPost, c.path, "application/json", c.body); a.Status != http.StatusCreated || !strings.Contains(a.Body, `"id":1,`) {
				f.Fatalf("%s: %d %s", c.path, a.Status, a.Body)
			}
		}
		return s
	})
	var proceedings atomic.Int64
	f.Fuzz(func(t *testing.T, s string) {
		j := stendtest.JSONText(s)
		call := func(method, path, body string) func() *http.Request {
			return func() *http.Request {
				r := httptest.NewRequest(method, path, strings.NewReader(body))
				r.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
				r.Header.Set("Content-Type", "application/json")
				if strings.HasSuffix(r.URL.Path, "/") {
					// An empty text left the path without its key: no
					// operation has it, the router answers no such route.
					r = stendtest.Undocumented(r)
				}
				return r
			}
		}
		n := proceedings.Add(1)
		edges := []struct {
			name string
			req  func() *http.Request
			// seen is the text as the API reads it; bad is the status that
			// refuses it when no store can keep it.
			seen string
			bad  int
		}{
			{"organization name", call(http.MethodPost, "/operator/v1/migrant-exam/organizations", `{"username":"fuzz","name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"organization username", call(http.MethodPost, "/operator/v1/migrant-exam/organizations", `{"username":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"organization password", call(http.MethodPost, "/operator/v1/migrant-exam/organizations/1/credentials", `{"password":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"area name", call(http.MethodPost, "/operator/v1/migrant-exam/organizations/1/areas", `{"name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"FSSP token name", call(http.MethodPost, "/operator/v1/fssp/tokens", `{"name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"FSSP token", call(http.MethodPost, "/operator/v1/fssp/tokens", `{"name":"fuzz","token":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"FSSP task", call(http.MethodGet, "/operator/v1/fssp/tasks/"+url.PathEscape(s), ""), s, http.StatusNotFound},
			{"FSSP bank import", importRow(s, n), s, http.StatusUnprocessableEntity},
			{"Reestro organization name", call(http.MethodPost, "/operator/v1/reestro/organizations", `{"name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Reestro key name", call(http.MethodPost, "/operator/v1/reestro/keys", `{"name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Reestro grant", call(http.MethodPut, "/operator/v1/reestro/keys/1/organizations/"+url.PathEscape(s), ""), s, http.StatusNotFound},
			{"Motivity user identifier", call(http.MethodPost, "/operator/v1/motivity/users", `{"identifier":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity user name", call(http.MethodPost, "/operator/v1/motivity/users", `{"identifier":"fuzz@example.ru","name":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity user manager", call(http.MethodPost, "/operator/v1/motivity/users", `{"identifier":"fuzz@example.ru","manager":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity user", call(http.MethodGet, "/operator/v1/motivity/users/"+url.PathEscape(s), ""), s, http.StatusNotFound},
			{"Motivity user deleted", call(http.MethodDelete, "/operator/v1/motivity/users/"+url.PathEscape(s), ""), s, http.StatusNotFound},
			{"Motivity ledger user", call(http.MethodGet, "/operator/v1/motivity/ledger?"+url.Values{"user": {s}}.Encode(), ""), s, http.StatusNotFound},
			{"Motivity badge title", call(http.MethodPost, "/operator/v1/motivity/badges", `{"id":1,"image":"i","texts":{"ru":{"title":`+j+`,"popupDescription":"p"}}}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity badge locale", call(http.MethodPost, "/operator/v1/motivity/badges", `{"id":1,"image":"i","texts":{`+j+`:{"title":"t","popupDescription":"p"}}}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity badge image", call(http.MethodPost, "/operator/v1/motivity/badges", `{"id":1,"image":`+j+`,"texts":{"ru":{"title":"t","popupDescription":"p"}}}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity grade color", call(http.MethodPost, "/operator/v1/motivity/badges", `{"id":2,"image":"i","texts":{"ru":{"title":"t","popupDescription":"p"}},"grades":[{"id":3,"grade":1,"image":"i","color":`+j+`,"texts":{"ru":{"title":"t","popupDescription":"p"}}}]}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity locales", call(http.MethodPatch, "/operator/v1/motivity/platform", `{"locales":["ru",`+j+`]}`), stendtest.FromJSON(s), http.StatusBadRequest},
			{"Motivity public token", call(http.MethodPost, "/operator/v1/motivity/platform/token", `{"token":`+j+`}`), stendtest.FromJSON(s), http.StatusBadRequest},
		}
		for _, e := range edges {
			a := stendtest.AcrossStores(t, stands, e.req)
			if !stend.StorableText(e.seen) && a.Status != e.bad {
				t.Errorf("%s %.100q: %d %s, want %d", e.name, s, a.Status, a.Body, e.bad)
			}
		}
	})
}

// importRow is a bank import of one proceeding whose department is named
// s; n makes its number one no other import used.
func importRow(s string, n int64) func() *http.Request {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"kind", "number", "opened", "joined", "doc_type", "doc_date", "doc_number", "doc_issuer", "subject", "amount", "department_name", "legal_name"})
	_ = w.Write([]string{"legal", fmt.Sprintf("%d/20/74001-ИП", n), "01.02.2020", "0", "Судебный приказ", "10.01.2020", "2-15/2020", "Мировой судья", "Налог", "1", s, "ООО Ромашка"})
	w.Flush()
	body := b.String()
	return func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/operator/v1/fssp/bank/import", strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
		r.Header.Set("Content-Type", "text/csv")
		return r
	}
}

// TestSeedRefusesUnstorableText: a seed file's texts are held to what the
// API holds them to, on every store alike.
func TestSeedRefusesUnstorableText(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		for name, raw := range map[string]string{
			"organization": `{"migrantExam":{"organizations":[{"username":"a\u0000b"}]}}`,
			"area":         `{"migrantExam":{"organizations":[{"username":"ok","areas":[{"id":5,"name":"a\u0000b"}]}]}}`,
			"FSSP token":   `{"fssp":{"tokens":[{"name":"a\u0000b","token":"seed-token-0001"}]}}`,
			"Reestro":      `{"reestro":{"organizations":[{"id":"1269f58a-3d40-42e1-91ad-a4251566419c","name":"a\u0000b"}]}}`,
			"Motivity":     `{"motivity":{"users":[{"identifier":"a\u0000b@example.ru"}]}}`,
		} {
			var seed operator.Seed
			if err := json.Unmarshal([]byte(raw), &seed); err != nil {
				t.Fatal(err)
			}
			if err := s.Node.Operator.LoadSeed(context.Background(), seed, stendtest.Logger()); !stend.IsKind(err, stend.Invalid) {
				t.Errorf("%s: %v, want an invalid seed", name, err)
			}
		}
	})
}
