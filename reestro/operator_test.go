package reestro_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/store/sqlstore"
)

// Operators provision organizations, keys and grants over the operator
// HTTP API, and what they do takes effect on the Reestro API.
func TestOperatorHTTPManagesOrganizationsKeysAndGrants(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB, stend.Clock) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		op := func(method, path, body string) answer {
			t.Helper()
			req := httptest.NewRequest(method, "/operator/v1/reestro/"+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer op")
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
