package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend/fault"
	"stend/journal"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// Faults on request, end to end on both stores: each API answers an
// injected status in its own envelope (Retry-After too), for as many
// requests as asked, matching a path, a method and a member of the body;
// a probability draws the same requests again from the same seed; latency
// delays a request that then goes through; a cut connection answers
// nothing; the journal marks each failed request; the seed puts rules once.
func TestFaults(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		org := secrets.reestroOrg
		provisionEveryAPI(t, s, secrets)
		put := func(rule string) fault.Rule {
			t.Helper()
			a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", rule)
			var r fault.Rule
			if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &r) != nil {
				t.Fatalf("put %s: %d %s", rule, a.Status, a.Body)
			}
			return r
		}
		call := func(method, target, body string, headers ...string) *httptest.ResponseRecorder {
			r := httptest.NewRequest(method, target, strings.NewReader(body))
			for i := 0; i < len(headers); i += 2 {
				r.Header.Set(headers[i], headers[i+1])
			}
			w := httptest.NewRecorder()
			s.Handler.ServeHTTP(w, r)
			return w
		}
		const status = "/api/v1.0/status?task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D&token=fssp-secret"
		busy := put(`{"name":"busy","api":"fssp","path":"/api/v1.0/status","status":429,"message":"too many requests","retryAfterS":5,"times":2}`)
		for i := range 3 {
			w := call("GET", status, "")
			if i < 2 && (w.Code != 429 || w.Header().Get("Retry-After") != "5" ||
				w.Body.String() != `{"status":"error","code":429,"exception":"too many requests","response":[]}`) {
				t.Fatalf("FSSP fault %d: %d %q %s", i, w.Code, w.Header().Get("Retry-After"), w.Body)
			}
			if i == 2 && w.Code != 404 {
				t.Fatalf("after the 2 faults: %d %s", w.Code, w.Body)
			}
		}
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("org:basic-secret"))
		// The reports here hold only the member the rule matches: off the
		// migrant-exam document, marked malformed.
		put(`{"name":"area 101 down","api":"migrant-exam","method":"post","field":"examinationAreaId","value":"101","status":503,"message":"Площадка недоступна"}`)
		if w := call("POST", "/Reports/Report", `{"examinationAreaId":101}`, "Authorization", basic, "x-api-key", "key-secret", "Content-Type", "application/json", stendtest.MalformedHeader, "1"); w.Code != 503 ||
			!strings.Contains(w.Body.String(), `"status":503,"detail":"Площадка недоступна"`) {
			t.Fatalf("migrant-exam fault: %d %s", w.Code, w.Body)
		}
		if w := call("POST", "/Reports/Report", `{"examinationAreaId":102}`, "Authorization", basic, "x-api-key", "key-secret", "Content-Type", "application/json", stendtest.MalformedHeader, "1"); w.Code != 400 ||
			strings.Contains(w.Body.String(), "недоступна") {
			t.Fatalf("another area went through to the API: %d %s", w.Code, w.Body)
		}
		gone := put(`{"name":"token gone","api":"motivity","path":"/public/api/v1/badge","status":401}`)
		if w := call("GET", "/public/api/v1/badge", "", "X-Auth-Token", "motivity-secret"); w.Code != 401 || w.Body.String() != `{"result":false,"message":"Invalid public API token"}` {
			t.Fatalf("Motivity fault: %d %s", w.Code, w.Body)
		}
		put(`{"name":"reestro down","api":"reestro","path":"/realty/*","status":500}`)
		if w := call("GET", "/realty/assessment/v1/checks", "", "Authorization", "ReestroAuth apiKey=reestro-secret-key&portal.orgid="+org); w.Code != 500 ||
			w.Body.String() != `{"code":"internal","message":"Internal Server Error","target":"api"}` {
			t.Fatalf("Reestro fault: %d %s", w.Code, w.Body)
		}
		// A seeded probability fails the same requests every time.
		draw := func() string {
			put(`{"name":"flaky","api":"fssp","path":"/api/v1.0/result","status":503,"probability":0.5,"seed":42}`)
			var b strings.Builder
			for range 24 {
				b.WriteString(map[bool]string{true: "x", false: "."}[call("GET", "/api/v1.0/result?task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D&token=fssp-secret", "").Code == 503])
			}
			return b.String()
		}
		first, again := draw(), draw()
		if first != again || !strings.Contains(first, "x") || !strings.Contains(first, ".") {
			t.Fatalf("seeded draws: %s then %s", first, again)
		}
		// The journal marks the failed requests with their rule; the list
		// counts matches and faults.
		if a := s.Operator(http.MethodGet, "/operator/v1/journal/count?api=fssp&status=429", "", ""); a.Body != `{"count":2}` {
			t.Fatalf("journal: %s", a.Body)
		}
		a := s.Operator(http.MethodGet, "/operator/v1/journal?api=fssp&limit=1", "", "")
		var entries struct{ Entries []journal.Entry }
		if json.Unmarshal([]byte(a.Body), &entries) != nil || len(entries.Entries) != 1 || entries.Entries[0].Fault != busy.ID {
			t.Fatalf("the journal's first FSSP entry: %s", a.Body)
		}
		// A path rule answers before the API's router sees the request:
		// its route is the pattern the API is mounted on.
		if route := entries.Entries[0].Route; route != "/api/v1.0/" {
			t.Fatalf("the route of a request a path rule failed: %q", route)
		}
		var list struct{ Faults []fault.Rule }
		if a := s.Operator(http.MethodGet, "/operator/v1/faults", "", ""); json.Unmarshal([]byte(a.Body), &list) != nil || len(list.Faults) != 5 ||
			list.Faults[0].Matched != 3 || list.Faults[0].Injected != 2 {
			t.Fatalf("faults: %s", a.Body)
		}
		// Latency: the request goes through, late (the 401 rule deleted
		// first).
		if a := s.Operator(http.MethodDelete, fmt.Sprintf("/operator/v1/faults/%d", gone.ID), "", ""); a.Status != 200 {
			t.Fatalf("delete: %d %s", a.Status, a.Body)
		}
		put(`{"name":"slow","api":"motivity","path":"/public/api/v1/badge","latencyMs":60}`)
		if w := call("GET", "/public/api/v1/badge", "", "X-Auth-Token", "motivity-secret"); w.Code != 200 {
			t.Fatalf("a slow request: %d %s", w.Code, w.Body)
		}
		if a := s.Operator(http.MethodGet, "/operator/v1/journal?api=motivity&status=200", "", ""); json.Unmarshal([]byte(a.Body), &entries) != nil ||
			len(entries.Entries) != 1 || entries.Entries[0].DurationUS < 60_000 {
			t.Fatalf("the slow request's entry: %s", a.Body)
		}
		// A cut connection answers nothing.
		put(`{"name":"cut","api":"migrant-exam","method":"GET","cut":true}`)
		srv := httptest.NewServer(s.Handler)
		defer srv.Close()
		req, _ := http.NewRequest("GET", srv.URL+"/Reports/Report", nil)
		req = stendtest.Undocumented(req) // GET has no operation in the migrant-exam document
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("a cut connection answered %d", resp.StatusCode)
		}
		// Bad rules are refused; clearing removes every rule. Those the
		// operator document already forbids go marked malformed.
		for bad, malformed := range map[string]bool{`{"name":"x","status":200}`: true, `{"name":"","status":500}`: true,
			`{"name":"x","api":"ftp","status":500}`: true, `{"name":"x","status":500,"cut":true}`: false, `{"name":"x"}`: false,
			`{"name":"x","status":500,"probability":2}`: true} {
			if a := operatorAs(s, malformed)(http.MethodPost, "/operator/v1/faults", "application/json", bad); a.Status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", bad, a.Status, a.Body)
			}
		}
		if a := s.Operator(http.MethodDelete, "/operator/v1/faults", "", ""); a.Status != 200 {
			t.Fatalf("clear: %d %s", a.Status, a.Body)
		}
		if w := call("GET", status, ""); w.Code != 404 {
			t.Fatalf("after clearing: %d", w.Code)
		}
		// The seed puts its rules once: loading it again keeps the counts.
		var sd operator.Seed
		sd.Faults = []fault.Rule{{Name: "seeded", API: "fssp", Path: "/api/v1.0/status", Status: 500}}
		for range 2 {
			if err := s.Node.Operator.LoadSeed(context.Background(), sd, s.Node.Logger); err != nil {
				t.Fatal(err)
			}
			call("GET", status, "")
		}
		if rs, err := s.Node.Operator.Faults(context.Background()); err != nil || len(rs) != 1 || rs[0].Matched != 2 {
			t.Fatalf("seeded rule: %+v %v", rs, err)
		}
	})
}
