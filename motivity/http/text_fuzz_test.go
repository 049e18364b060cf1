package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"stend"
	"stend/motivity"
	motivityhttp "stend/motivity/http"
	"stend/stendtest"
	"stend/store/storetest"
)

// FuzzTextEdges sends a text to every field of the API that reaches a query
// or is stored, on a stand of each store: no text answers 500, both stores
// answer alike, and a text no store can keep (NUL: JSON bodies carry no
// other) is "not filled in or filled in incorrectly", as the document
// answers such a value.
func FuzzTextEdges(f *testing.F) {
	stands := stendtest.FuzzStands(f, func(o storetest.Opener) *stendtest.Stand {
		// Its requests are wild by design; their answers are still held to
		// the document.
		cfg := stendtest.Config()
		return standWith(f, o.Open(f), stendtest.NewManualClock(today), seed(), stendtest.Options{Config: &cfg, MalformedRequests: true}).stand
	})
	call := func(method, path, locale, body string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(method, path, strings.NewReader(body))
			r.Header.Set("X-Auth-Token", token)
			r.Header.Set("Content-Type", "application/json")
			if locale != "" {
				r.Header["Locale"] = []string{locale}
			}
			return r
		}
	}
	type problem struct{ Message, Cause string }
	required := func(cause string) []problem { return []problem{{"Required parameters are not filled in", cause}} }
	f.Fuzz(func(t *testing.T, s string) {
		j, seen := stendtest.JSONText(s), stendtest.FromJSON(s)
		points := func(item string) func() *http.Request {
			return call(http.MethodPost, "/public/api/v1/points/", "", "["+item+"]")
		}
		type edge struct {
			name string
			req  func() *http.Request
			seen string
			// bad is what answers a text no store can keep: the errors of
			// a 400, or of the batch's one item in a 200.
			bad    []problem
			inItem bool
		}
		edges := []edge{
			{"assign userId", call(http.MethodPost, "/public/api/v1/badge/1/assign", "", `{"userId":[`+j+`]}`), seen, required("User ID is required"), false},
			{"remove userId", call(http.MethodPost, "/public/api/v1/badge/1/remove", "", `{"userId":["a@example.ru",`+j+`]}`), seen, required("User ID is required"), false},
			{"points userId", points(`{"userId":` + j + `,"balanceType":"score","amount":1}`), seen, required("userId"), true},
			{"points message", points(`{"userId":"a@example.ru","balanceType":"score","amount":1,"message":` + j + `}`), seen, required("message"), true},
			{"points balanceType", points(`{"userId":"a@example.ru","balanceType":` + j + `,"amount":1}`), "", nil, true},
			{"points amount", points(`{"userId":"a@example.ru","balanceType":"score","amount":` + j + `}`), "", nil, true},
			{"locale", call(http.MethodGet, "/public/api/v1/badge", s, ""), "", nil, false},
		}
		// An id that leaves the path unclean ("", ".", "..") is redirected
		// by the router, and one with a "/" (escaped) is a path of more
		// segments to the document: neither reaches a query, and their
		// answers belong to no operation of the document.
		if id := url.PathEscape(s); id != "" && id != "." && id != ".." && !strings.Contains(s, "/") {
			edges = append(edges, edge{"badge id", call(http.MethodPost, "/public/api/v1/badge/"+id+"/assign", "", `{"userId":["a@example.ru"]}`), "", nil, false})
		}
		for _, e := range edges {
			a := stendtest.AcrossStores(t, stands, e.req)
			if e.bad == nil || stend.StorableText(e.seen) {
				continue
			}
			var v struct {
				Errors []problem
				Data   []struct {
					Success bool
					Errors  []problem
				}
			}
			err := json.Unmarshal([]byte(a.Body), &v)
			switch {
			case e.inItem && (a.Status != http.StatusOK || err != nil || len(v.Data) != 1 || v.Data[0].Success || !reflect.DeepEqual(v.Data[0].Errors, e.bad)),
				!e.inItem && (a.Status != http.StatusBadRequest || err != nil || !reflect.DeepEqual(v.Errors, e.bad)):
				t.Errorf("%s %.100q: %d %s, want %v", e.name, s, a.Status, a.Body, e.bad)
			}
		}
	})
}

// refusingStore refuses every points batch as PostgreSQL refuses text it
// cannot hold (sqlstore classifies that Invalid).
type refusingStore struct{ motivityhttp.Store }

func (refusingStore) ApplyPoints(context.Context, motivity.PointsBatch) ([]motivity.PointsOutcome, error) {
	return nil, &stend.Error{Kind: stend.Invalid, Op: "sqlstore.ApplyPoints", Message: "text that is not UTF-8 or holds NUL"}
}

// TestStoreRefusedTextIsNotFilledInCorrectly: text the edge let through and
// the store refused is "not filled in or filled in incorrectly", never a
// 500.
func TestStoreRefusedTextIsNotFilledInCorrectly(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		store := s.store.Motivity()
		h := motivityhttp.New(motivityhttp.Config{Keys: s.node.Keys}, refusingStore{store}, motivity.NewService(store), s.stand.Clock, stendtest.Logger())
		req := httptest.NewRequest(http.MethodPost, "/public/api/v1/points/", strings.NewReader(`[{"userId":"a@example.ru","balanceType":"score","amount":1}]`))
		req.Header.Set("X-Auth-Token", token)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		stendtest.Checked(t, h).ServeHTTP(rec, req)
		s.expect(answer{rec.Code, strings.TrimSpace(rec.Body.String()), nil}, http.StatusBadRequest, `{"result":false,"message":"Required parameters are not filled in"}`)
	})
}
