package server_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"stend/fault"
	"stend/fssp"
	"stend/journal"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// Faults on a credential, end to end on both stores: a rule naming an FSSP
// token, a migrant-exam organization, a Reestro key or Motivity's token
// fails that credential's requests only; another credential of the same
// API goes through, and a wrong or unknown secret gets the API's own
// refusal, byte for byte what it gets without the rule, and is not counted
// as a match. A rule on a credential also matches a member of a body the
// API reads its token from; the journal names the credential and the rule.
// Rules that could never match a credential are refused.
func TestFaultsOnCredentials(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		provisionEveryAPI(t, s, secrets)
		ctx := context.Background()
		op := s.Node.Operator
		// A second credential of each API (Motivity has one token only).
		if _, err := op.CreateOrganization(ctx, operator.NewOrganization{Name: "Other", Username: "other", Password: "other-basic-secret", APIKey: "other-key-secret"}); err != nil {
			t.Fatal(err)
		}
		faulted := provisionOtherCredentials(t, s)
		call := func(method, target, body string, headers ...string) (int, string) {
			return callAPI(s, method, target, body, headers...)
		}
		basic := func(user, password string) string {
			return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
		}
		reestroAuth := func(key string) string { return "ReestroAuth apiKey=" + key + "&portal.orgid=" + secrets.reestroOrg }
		const task = "0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D"
		type request struct {
			method, target, body string
			headers              []string
		}
		cases := []struct {
			api, credential string
			rule            string // the rule's credential
			route           string // as the journal names it
			faulted, other  request
			wrong           request // a wrong secret: the API's refusal
			fault           string  // the faulted answer
		}{
			{
				api: "fssp", credential: "token bank", rule: "token ban*",
				route:   "/api/v1.0/status",
				faulted: request{"GET", "/api/v1.0/status?task=" + task + "&token=fssp-secret", "", nil},
				other:   request{"GET", "/api/v1.0/status?task=" + task + "&token=other-fssp-secret", "", nil},
				wrong:   request{"GET", "/api/v1.0/status?task=" + task + "&token=wrong-fssp-secret", "", nil},
				fault:   `{"status":"error","code":503,"exception":"on request","response":[]}`,
			},
			{
				// {"examinationAreaId":101} is off the migrant-exam document:
				// marked malformed.
				api: "migrant-exam", credential: "organization org", rule: "organization org",
				route:   "POST /Reports/Report",
				faulted: request{"POST", "/Reports/Report", `{"examinationAreaId":101}`, []string{"Authorization", basic("org", "basic-secret"), "x-api-key", "key-secret", "Content-Type", "application/json", stendtest.MalformedHeader, "1"}},
				other:   request{"POST", "/Reports/Report", `{"examinationAreaId":101}`, []string{"Authorization", basic("other", "other-basic-secret"), "x-api-key", "other-key-secret", "Content-Type", "application/json", stendtest.MalformedHeader, "1"}},
				wrong:   request{"POST", "/Reports/Report", `{"examinationAreaId":101}`, []string{"Authorization", basic("org", "wrong-basic-secret"), "x-api-key", "key-secret", "Content-Type", "application/json", stendtest.MalformedHeader, "1"}},
				fault:   `"status":503,"detail":"on request"`,
			},
			{
				api: "reestro", credential: fmt.Sprintf("key %d for %s", faulted, secrets.reestroOrg), rule: fmt.Sprintf("key %d for %s", faulted, secrets.reestroOrg),
				route:   "GET /realty/assessment/v1/checks",
				faulted: request{"GET", "/realty/assessment/v1/checks", "", []string{"Authorization", reestroAuth("faulted-reestro-key")}},
				other:   request{"GET", "/realty/assessment/v1/checks", "", []string{"Authorization", reestroAuth(secrets.reestroKey)}},
				wrong:   request{"GET", "/realty/assessment/v1/checks", "", []string{"Authorization", reestroAuth("wrong-reestro-key")}},
				fault:   `{"code":"unavailable","message":"on request","target":"api"}`,
			},
			{
				api: "motivity", credential: "PUBLIC_API_TOKEN", rule: "PUBLIC_API_TOKEN",
				route:   "GET /public/api/v1/badge",
				faulted: request{"GET", "/public/api/v1/badge", "", []string{"X-Auth-Token", "motivity-secret"}},
				wrong:   request{"GET", "/public/api/v1/badge", "", []string{"X-Auth-Token", "wrong-motivity-secret"}},
				fault:   `{"result":false,"message":"on request"}`,
			},
		}
		for _, c := range cases {
			do := func(r request) (int, string) { return call(r.method, r.target, r.body, r.headers...) }
			wrongStatus, wrongBody := do(c.wrong)
			var otherStatus int
			var otherBody string
			if c.other.target != "" {
				otherStatus, otherBody = do(c.other)
			}
			a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json",
				fmt.Sprintf(`{"name":"down for %s","api":%q,"credential":%q,"status":503,"message":"on request"}`, c.api, c.api, c.rule))
			var rule fault.Rule
			if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &rule) != nil || rule.Credential != c.rule {
				t.Fatalf("%s: put: %d %s", c.api, a.Status, a.Body)
			}
			if status, body := do(c.faulted); status != 503 || !strings.Contains(body, c.fault) {
				t.Errorf("%s: the rule's credential: %d %s", c.api, status, body)
			}
			if c.other.target != "" {
				if status, body := do(c.other); status != otherStatus || body != otherBody {
					t.Errorf("%s: another credential: %d %s, without the rule %d %s", c.api, status, body, otherStatus, otherBody)
				}
			}
			if status, body := do(c.wrong); status != wrongStatus || body != wrongBody || status != http.StatusUnauthorized {
				t.Errorf("%s: a wrong secret: %d %s, without the rule %d %s", c.api, status, body, wrongStatus, wrongBody)
			}
			rules, err := op.Faults(ctx)
			if err != nil || len(rules) != 1 || rules[0].Matched != 1 || rules[0].Injected != 1 {
				t.Errorf("%s: counts %+v %v", c.api, rules, err)
			}
			entries := journalEntries(t, s, "api="+c.api+"&status=503")
			// Failed inside the API, once routed: the route is its own.
			if len(entries) != 1 || entries[0].Credential != c.credential || entries[0].Fault != rule.ID || entries[0].Route != c.route {
				t.Errorf("%s: journal %+v", c.api, entries)
			}
			if a := s.Operator(http.MethodDelete, "/operator/v1/faults", "", ""); a.Status != http.StatusOK {
				t.Fatalf("clear: %d %s", a.Status, a.Body)
			}
		}

		// A member of the body the API takes its token from: read before
		// the API reads it.
		s.Operator(http.MethodPost, "/operator/v1/faults", "application/json",
			`{"name":"group of Иванов","api":"fssp","credential":"token bank","field":"request.0.params.lastname","value":"Иванов","status":500}`)
		group := func(token, lastname string) (int, string) {
			return call("POST", "/api/v1.0/search/group", `{"token":"`+token+`","request":[{"type":1,"params":{"region":66,"lastname":"`+lastname+`","firstname":"Сергей"}}]}`,
				"Content-Type", "application/json")
		}
		if status, body := group("fssp-secret", "Иванов"); status != 500 || body != `{"status":"error","code":500,"exception":"Internal Server Error","response":[]}` {
			t.Errorf("group by the rule's token: %d %s", status, body)
		}
		for _, g := range [][2]string{{"fssp-secret", "Петров"}, {"other-fssp-secret", "Иванов"}} {
			if status, body := group(g[0], g[1]); status != 200 {
				t.Errorf("group %v: %d %s", g, status, body)
			}
		}
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")

		// A cut on a credential, over a connection.
		s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", `{"name":"cut","api":"motivity","credential":"PUBLIC_API_TOKEN","cut":true}`)
		srv := httptest.NewServer(s.Handler)
		defer srv.Close()
		for token, cut := range map[string]bool{"motivity-secret": true, "wrong-motivity-secret": false} {
			req, _ := http.NewRequest("GET", srv.URL+"/public/api/v1/badge", nil)
			req.Header.Set("X-Auth-Token", token)
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			if cut != (err != nil) || !cut && resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("token %s: cut %v, got %v", token, cut, err)
			}
		}

		// Rules that could never match a credential are refused, naming
		// the field.
		for _, bad := range []string{
			`{"name":"x","api":"fssp","credential":"bank","status":500}`,
			`{"name":"x","api":"fssp","credential":"organization org","status":500}`,
			`{"name":"x","api":"motivity","credential":"PUBLIC","status":500}`,
			`{"name":"x","credential":"token","status":500}`,
			`{"name":"x","api":"motivity-files","credential":"PUBLIC_API_TOKEN","status":500}`,
		} {
			if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", bad); a.Status != http.StatusBadRequest || !strings.Contains(a.Body, "credential") {
				t.Errorf("%s: %d %s", bad, a.Status, a.Body)
			}
		}
		for _, good := range []string{`{"name":"any","credential":"*","status":500}`, `{"name":"t","credential":"tok*","status":500}`} {
			if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", good); a.Status != http.StatusOK {
				t.Errorf("%s: %d %s", good, a.Status, a.Body)
			}
		}
	})
}

// provisionOtherCredentials adds to provisionEveryAPI's a second FSSP
// token ("other", other-fssp-secret) and a second Reestro key of the same
// organization (faulted-reestro-key), whose id it answers.
func provisionOtherCredentials(t *testing.T, s *stendtest.Stand) int64 {
	t.Helper()
	ctx := context.Background()
	if _, _, err := s.Node.Operator.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: "other", Token: "other-fssp-secret", Limits: &fssp.Limits{}}); err != nil {
		t.Fatal(err)
	}
	k, err := s.Node.Operator.IssueReestroKey(ctx, operator.NewReestroKey{Name: "faulted", Key: "faulted-reestro-key", Organizations: []string{secrets.reestroOrg}})
	if err != nil {
		t.Fatal(err)
	}
	return k.ID
}

// callAPI sends a request through the stand's router (headers in pairs)
// and answers the status and the body.
func callAPI(s *stendtest.Stand, method, target, body string, headers ...string) (int, string) {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// journalEntries lists the journal through the operator API.
func journalEntries(t *testing.T, s *stendtest.Stand, query string) []journal.Entry {
	t.Helper()
	a := s.Operator(http.MethodGet, "/operator/v1/journal?"+query, "", "")
	var list struct{ Entries []journal.Entry }
	if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &list) != nil {
		t.Fatalf("journal: %d %s", a.Status, a.Body)
	}
	return list.Entries
}

// A rule on a credential and a member of the body reads the body only once
// the API has proven the credential, on both stores: a wrong credential
// whose body never comes is answered 401 at once, as without the rule
// (TestWrongCredentialsAreAnsweredBeforeTheBody), and is not counted; the
// right one with the member is failed, and with another value its body
// reaches the API whole, answered as without the rule.
func TestFaultsOnCredentialsReadTheBodyOnceTheCredentialIsProven(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		cfg.BodyGrace = time.Hour // only the credentials can answer early
		s := stendtest.Open(t, store, stendtest.Options{Config: &cfg})
		provisionEveryAPI(t, s, secrets)
		addr := serve(t, s)
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("org:basic-secret"))
		reestroAuth := "ReestroAuth apiKey=" + secrets.reestroKey + "&portal.orgid=" + secrets.reestroOrg
		cases := []struct {
			api, rule           string
			target, wrongHeader string
			headers             []string
			matching, other     string // bodies: the rule's member, another value
		}{
			{
				api: "migrant-exam", rule: `"credential":"organization org","field":"examinationAreaId","value":"101"`,
				target: "/Reports/Report", wrongHeader: "Authorization: Basic bm9ib2R5OndoYXRldmVy\r\nx-api-key: nobodys\r\n",
				headers:  []string{"Authorization", basic, "x-api-key", secrets.apiKey, stendtest.MalformedHeader, "1"}, // bodies off the document
				matching: `{"examinationAreaId":101}`, other: `{"examinationAreaId":102}`,
			},
			{
				api: "reestro", rule: `"credential":"key *","field":"fssp.regions.0","value":"77"`,
				target: "/realty/assessment/v1/checks", wrongHeader: "Authorization: ReestroAuth apiKey=nobodys&portal.orgid=" + secrets.reestroOrg + "\r\n",
				headers:  []string{"Authorization", reestroAuth, stendtest.MalformedHeader, "1"}, // subjectId "nobody" is off the document
				matching: `{"fssp":{"subjectId":"nobody","regions":["77"]}}`, other: `{"fssp":{"subjectId":"nobody","regions":["66"]}}`,
			},
			{
				api: "motivity", rule: `"credential":"PUBLIC_API_TOKEN","field":"0.userId","value":"u1"`,
				target: "/public/api/v1/points", wrongHeader: "X-Auth-Token: nobodys\r\n",
				headers:  []string{"X-Auth-Token", secrets.publicToken},
				matching: `[{"userId":"u1","balanceType":"score","amount":1}]`, other: `[{"userId":"u2","balanceType":"karma","amount":1}]`,
			},
		}
		for _, c := range cases {
			call := func(body string) (int, string) {
				return callAPI(s, "POST", c.target, body, append(c.headers, "Content-Type", "application/json")...)
			}
			otherStatus, otherBody := call(c.other)
			// An empty body is malformed on purpose.
			emptyStatus, emptyBody := callAPI(s, "POST", c.target, "", append(c.headers, "Content-Type", "application/json", stendtest.MalformedHeader, "1")...)
			if emptyStatus == otherStatus && emptyBody == otherBody {
				t.Fatalf("%s: the other body is answered as an empty one (%d %s): it cannot show the body reached the API", c.api, emptyStatus, emptyBody)
			}
			if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", `{"name":"on a member","api":"`+c.api+`",`+c.rule+`,"status":503,"message":"on request"}`); a.Status != http.StatusOK {
				t.Fatalf("%s: put: %d %s", c.api, a.Status, a.Body)
			}

			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: stend\r\n%sContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", c.target, c.wrongHeader)
			_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("%s: a wrong credential with a body that never comes: no answer: %v", c.api, err)
			}
			resp.Body.Close()
			conn.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s: a wrong credential with a body that never comes: %d", c.api, resp.StatusCode)
			}

			if status, body := call(c.matching); status != 503 || !strings.Contains(body, "on request") {
				t.Errorf("%s: the rule's member: %d %s", c.api, status, body)
			}
			if status, body := call(c.other); status != otherStatus || body != otherBody {
				t.Errorf("%s: another value: %d %s, without the rule %d %s", c.api, status, body, otherStatus, otherBody)
			}
			rules, err := s.Node.Operator.Faults(context.Background())
			if err != nil || len(rules) != 1 || rules[0].Matched != 1 || rules[0].Injected != 1 {
				t.Errorf("%s: counts %+v %v", c.api, rules, err)
			}
			s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")
		}
	})
}
