package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"stend"
	"stend/reestro"
	reestrohttp "stend/reestro/http"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// FuzzTextEdges sends a text to every parameter of the API that reaches a
// query or is stored, on a stand of each store: no text answers 500, both
// stores answer alike, and a text no store can keep (not UTF-8, or with
// NUL) is the validation error of a value the API does not accept, naming
// the field.
func FuzzTextEdges(f *testing.F) {
	stands := stendtest.FuzzStands(f, func(o storetest.Opener) *stendtest.Stand {
		return newStand(f, o.Open, standOpts{manual: true, wild: true}).stand
	})
	const unknownSubject = "4269f58a-3d40-42e1-91ad-a4251566419c"
	call := func(method, target, body string) func() *http.Request {
		return func() *http.Request {
			var r *http.Request
			if body == "" {
				r = httptest.NewRequest(method, target, nil)
			} else {
				r = httptest.NewRequest(method, target, strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
			}
			r.Header.Set("Authorization", auth(keyA, orgA))
			return r
		}
	}
	list := func(name, s string) func() *http.Request {
		return call(http.MethodGet, "/realty/assessment/v1/checks?"+url.Values{name: {s}}.Encode(), "")
	}
	f.Fuzz(func(t *testing.T, s string) {
		j, seen := stendtest.JSONText(s), stendtest.FromJSON(s)
		person := func(field string) string {
			p := map[string]string{"surname": `"Иванов"`, "name": `"Сергей"`, "patronymic": "null", "birthDate": `"1982-06-09"`}
			p[field] = j
			return `{"person":{"surname":` + p["surname"] + `,"name":` + p["name"] + `,"patronymic":` + p["patronymic"] + `,"birthDate":` + p["birthDate"] + `}}`
		}
		edges := []struct {
			name string
			req  func() *http.Request
			// seen is the text as the API reads it; bad is the message of
			// the one wrong field when no store can keep it.
			seen, bad string
		}{
			{"check id", call(http.MethodGet, "/realty/assessment/v1/checks/"+url.PathEscape(s), ""), s, "checkId should be guid"},
			{"correlationId", list("correlationId", s), s, `correlationId should match ^\w{1,256}`},
			{"externalId", list("externalId", s), s, `externalId should match ^\w{1,256}`},
			{"subjectId", list("subjectId", s), s, "subjectId should be guid"},
			{"afterCheckId", list("afterCheckId", s), s, "afterCheckId should be guid"},
			{"type", list("type", s), s, "type should be CheckType"},
			{"state", list("state", s), s, "state should be CheckState"},
			{"from", list("from", s), s, "from should be date-time"},
			{"count", list("count", s), s, "count should be a number not greater than 30"},
			{"surname", call(http.MethodPost, "/realty/assessment/v1/subjects", person("surname")), seen, "person.surname should be a name of up to 100 characters"},
			{"name", call(http.MethodPost, "/realty/assessment/v1/subjects", person("name")), seen, "person.name should be a name of up to 100 characters"},
			{"patronymic", call(http.MethodPost, "/realty/assessment/v1/subjects", person("patronymic")), seen, "person.patronymic should be a name of up to 100 characters"},
			{"birthDate", call(http.MethodPost, "/realty/assessment/v1/subjects", person("birthDate")), seen, "person.birthDate should be a date YYYY-MM-DD not in the future"},
			{"check correlationId", call(http.MethodPost, "/realty/assessment/v1/checks", `{"correlationId":`+j+`,"fssp":{"subjectId":"`+unknownSubject+`","regions":["54"]}}`), seen, `correlationId should match ^\w{1,256}`},
			{"check externalId", call(http.MethodPost, "/realty/assessment/v1/checks", `{"externalId":`+j+`,"fssp":{"subjectId":"`+unknownSubject+`","regions":["54"]}}`), seen, `externalId should match ^\w{1,256}`},
			{"check subjectId", call(http.MethodPost, "/realty/assessment/v1/checks", `{"fssp":{"subjectId":`+j+`,"regions":["54"]}}`), seen, "fssp.subjectId should be guid"},
			{"check region", call(http.MethodPost, "/realty/assessment/v1/checks", `{"fssp":{"subjectId":"`+unknownSubject+`","regions":[`+j+`]}}`), seen,
				"fssp.regions should be a non-empty array of distinct FSSP region codes"},
		}
		for _, e := range edges {
			req := e.req
			if e.name == "check id" && (s == "" || s == "." || s == ".." || strings.Contains(s, "/")) {
				// A path no operation of the OpenAPI document has.
				req = func() *http.Request { return stendtest.Undocumented(e.req()) }
			}
			a := stendtest.AcrossStores(t, stands, req)
			if stend.StorableText(e.seen) {
				continue
			}
			var v struct {
				Code   string
				Errors []struct{ Code, Message, Target string }
			}
			if a.Status != http.StatusBadRequest || json.Unmarshal([]byte(a.Body), &v) != nil || v.Code != "validation" || len(v.Errors) != 1 ||
				v.Errors[0].Code != "WrongFieldValue" || v.Errors[0].Message != e.bad || v.Errors[0].Target != "AssessmentApi" {
				t.Errorf("%s %.100q: %d %s, want 400 %q", e.name, s, a.Status, a.Body, e.bad)
			}
		}
	})
}

// refusingStore refuses every listing as PostgreSQL refuses text it cannot
// hold (sqlstore classifies that Invalid).
type refusingStore struct{ reestro.Store }

func (refusingStore) Checks(context.Context, reestro.CheckFilter) ([]reestro.Check, error) {
	return nil, &stend.Error{Kind: stend.Invalid, Op: "sqlstore.Checks", Message: "text that is not UTF-8 or holds NUL"}
}

// TestStoreRefusedTextIsAValidationError: text the edge let through and
// the store refused is the client's error in the API's envelope, never a
// 500.
func TestStoreRefusedTextIsAValidationError(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		h := reestrohttp.New(reestrohttp.Config{Keys: s.node.Keys}, refusingStore{s.store.Reestro()}, s.stand.Clock, &stendtest.SeqIDs{}, stendtest.Logger())
		req := httptest.NewRequest(http.MethodGet, "/realty/assessment/v1/checks", nil)
		req.Header.Set("Authorization", auth(keyA, orgA))
		rec := httptest.NewRecorder()
		stendtest.Checked(t, h).ServeHTTP(rec, req)
		const want = `{"code":"validation","message":"Failed to validate request","target":"api","errors":[{"code":"WrongFieldValue","message":"request should hold only UTF-8 text without U+0000","target":"AssessmentApi"}]}`
		if rec.Code != http.StatusBadRequest || strings.TrimSpace(rec.Body.String()) != want {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	})
}
