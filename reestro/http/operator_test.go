package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/stendtest"
	"stend/store/sqlstore"
)

// Operators provision organizations, keys and grants over the operator
// HTTP API, and what they do takes effect on the Reestro API.
func TestOperatorHTTPManagesOrganizationsKeysAndGrants(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		op := func(method, path, body string) answer {
			t.Helper()
			req := httptest.NewRequest(method, "/operator/v1/reestro/"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, req)
			return answer{rec.Code, rec.Body.String(), rec.Header()}
		}
		const org = "4269f58a-3d40-42e1-91ad-a4251566419c"
		if a := op("POST", "organizations", `{"id":"`+org+`","name":"Новая"}`); a.status != http.StatusCreated {
			t.Fatalf("create org: %d %s", a.status, a.body)
		}
		if a := op("POST", "organizations", `{"id":"`+org+`","name":"Снова"}`); a.status != http.StatusConflict {
			t.Fatalf("duplicate org: %d %s", a.status, a.body)
		}
		a := op("POST", "keys", `{"name":"partner"}`)
		var k struct {
			ID  int64
			Key string
		}
		if a.status != http.StatusCreated || json.Unmarshal([]byte(a.body), &k) != nil || k.Key == "" {
			t.Fatalf("issue key: %d %s", a.status, a.body)
		}
		expect(t, s.list(k.Key, org, nil), http.StatusForbidden, forbidden)
		if a := op("PUT", "keys/"+itoa(k.ID)+"/organizations/"+org, ""); a.status != http.StatusOK || !strings.Contains(a.body, org) {
			t.Fatalf("grant: %d %s", a.status, a.body)
		}
		s.clock.Set(s.clock.Now().Add(2 * time.Second))
		expect(t, s.list(k.Key, org, nil), http.StatusOK, `{"items":[]}`)
		if a := op("GET", "keys", ""); a.status != http.StatusOK || strings.Contains(a.body, k.Key) || !strings.Contains(a.body, `"partner"`) {
			t.Fatalf("list keys: %d %s", a.status, a.body)
		}
		if a := op("DELETE", "keys/"+itoa(k.ID)+"/organizations/"+org, ""); a.status != http.StatusOK {
			t.Fatalf("revoke grant: %d %s", a.status, a.body)
		}
		s.clock.Set(s.clock.Now().Add(2 * time.Second))
		expect(t, s.list(k.Key, org, nil), http.StatusForbidden, forbidden)
		if a := op("DELETE", "keys/"+itoa(k.ID), ""); a.status != http.StatusOK || !strings.Contains(a.body, "revokedAt") {
			t.Fatalf("revoke key: %d %s", a.status, a.body)
		}
		s.clock.Set(s.clock.Now().Add(2 * time.Second))
		expect(t, s.list(k.Key, org, nil), http.StatusUnauthorized, unauthorized)
		if a := op("GET", "organizations", ""); a.status != http.StatusOK || strings.Count(a.body, `"id"`) != 4 {
			t.Fatalf("list orgs: %d %s", a.status, a.body)
		}
		if a := op("PUT", "keys/999/organizations/"+org, ""); a.status != http.StatusNotFound {
			t.Fatalf("grant of no key: %d %s", a.status, a.body)
		}
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// The generated history the benchmarks list is made of ordinary checks:
// listed newest first through the API, page after page, readable one by
// one, and only by their organization.
func TestGeneratedHistoryIsListedLikeAnyOther(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		ctx := context.Background()
		var reported int64
		n, err := s.node.Operator.GenerateReestroChecks(ctx, orgA, 1, 250, func(done int64) { reported = done })
		if err != nil || n != 250 || reported != 250 {
			t.Fatalf("generated %d (reported %d): %v", n, reported, err)
		}
		if _, err := s.node.Operator.GenerateReestroChecks(ctx, "9269f58a-3d40-42e1-91ad-a4251566419c", 1, 10, nil); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("generated into no organization: %v", err)
		}
		var walked []string
		states := map[string]int{}
		q := url.Values{}
		for {
			var page listed
			mustOK(t, s.list(keyA, orgA, q), &page)
			if len(page.Items) == 0 {
				if page.LastCheckID != nil {
					t.Fatalf("lastCheckId on an empty page")
				}
				break
			}
			for i, it := range page.Items {
				if i > 0 && it.CreationDate > page.Items[i-1].CreationDate {
					t.Fatalf("not newest first: %s after %s", it.CreationDate, page.Items[i-1].CreationDate)
				}
				states[it.CheckState]++
			}
			walked = append(walked, page.ids()...)
			q.Set("afterCheckId", *page.LastCheckID)
		}
		if len(walked) != 250 || len(slices.Compact(slices.Sorted(slices.Values(walked)))) != 250 {
			t.Fatalf("walked %d checks", len(walked))
		}
		if states["Processed"] == 0 || states["Failed"] == 0 || states["Processed"]+states["Failed"] != 250 {
			t.Fatalf("states %v", states)
		}
		v := s.check(keyA, orgA, walked[0])
		if v.CheckState == "Processed" && (len(v.Fssp.Results) == 0 || len(v.Fssp.Results) != len(v.Fssp.Regions)) {
			t.Fatalf("generated check %+v", v)
		}
		expect(t, s.list(keyB, orgB, nil), http.StatusOK, `{"items":[]}`)
		expect(t, s.do(http.MethodGet, "/realty/assessment/v1/checks/"+walked[0], auth(keyB, orgB), ""), http.StatusNotFound, noCheck)
	})
}
