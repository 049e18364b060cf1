package http_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend/stendtest"
)

// check fails the test unless a has status and its body holds every one
// of contains.
func (s *stand) check(a answer, status int, contains ...string) {
	s.t.Helper()
	if a.status != status {
		s.t.Fatalf("got %d %s, want %d", a.status, a.body, status)
	}
	for _, c := range contains {
		if !strings.Contains(a.body, c) {
			s.t.Fatalf("%s lacks %s", a.body, c)
		}
	}
}

// op calls the operator API with the operator's token; a JSON body is
// sent as JSON, as the operator document asks, and any other (a file's
// bytes) with no Content-Type.
func (s *stand) op(method, path, body string) answer {
	a := s.stand.Operator(method, "/operator/v1/motivity/"+path, jsonType(body), body)
	return answer{a.Status, a.Body, a.Header}
}

func jsonType(body string) string {
	if strings.HasPrefix(body, "{") || strings.HasPrefix(body, "[") {
		return "application/json"
	}
	return ""
}

// opMalformed is op for a request the test sends off the operator
// document on purpose (a wrong type, a value outside its enum or bounds):
// the contract check exempts the request and still holds the answer to
// the document.
func (s *stand) opMalformed(method, path, body string) answer {
	req := httptest.NewRequest(method, "/operator/v1/motivity/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
	if t := jsonType(body); t != "" {
		req.Header.Set("Content-Type", t)
	}
	a := s.stand.Serve(stendtest.Malformed(req))
	return answer{a.Status, a.Body, a.Header}
}

// The operator API provisions what the public API then serves, and shows
// balances and the ledger.
func TestOperatorAPI(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		check := s.check
		req := httptest.NewRequest("GET", "/operator/v1/motivity/platform", nil)
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("without the operator token: %d", rec.Code)
		}
		check(s.op("GET", "platform", ""), 200, `"publicTokenSet":true`, `"prizeCatalogValid":true`)
		check(s.op("PATCH", "platform", `{"defaultLocale":"en"}`), 200, `"defaultLocale":"en"`)
		check(s.op("PATCH", "platform", `{"defaultLocale":"xx"}`), 400, `"kind":"invalid"`)
		check(s.opMalformed("PATCH", "platform", `{"unknown":1}`), 400)
		var tok struct{ Token string }
		a := s.op("POST", "platform/token", "")
		check(a, 200, `"token":`)
		if err := json.Unmarshal([]byte(a.body), &tok); err != nil || len(tok.Token) < 48 {
			t.Fatalf("token: %s", a.body)
		}
		check(s.op("POST", "platform/token", `{"token":"`+token+`"}`), 200)
		check(s.op("POST", "users", `{"identifier":"New@Example.ru","name":"N","manager":"a@example.ru"}`), 200, `"identifier":"new@example.ru"`, `"active":true`)
		check(s.op("POST", "users", `{"identifier":"x@example.ru","manager":"nobody@example.ru"}`), 404)
		check(s.op("POST", "badges", `{"id":50,"image":"i","texts":{"ru":{"title":"Новый","popupDescription":"!"}}}`), 200, `"id":50`)
		check(s.opMalformed("POST", "badges", `{"id":51,"image":"i","texts":{}}`), 400)
		// Each language's text is whole: no empty popup text (the
		// document's string, never null), an empty description is none.
		check(s.opMalformed("POST", "badges", `{"id":51,"image":"i","texts":{"ru":{"title":"Т","popupDescription":" "}}}`), 400)
		check(s.op("POST", "badges", `{"id":52,"image":"i","texts":{"ru":{"title":"Т","description":" ","popupDescription":"!"}}}`), 200)
		if a := s.call("GET", "/public/api/v1/badge", ""); !strings.Contains(a.body, `{"id":52,"title":"Т","image":"i","description":null,"popupDescription":"!"`) {
			t.Fatalf("empty description: %s", a.body)
		}
		check(s.opMalformed("POST", "badges", `{"id":51,"image":"i","texts":{"ru":{"title":"a\u0000"}}}`), 400)
		check(s.op("POST", "users", `{"identifier":"nul\u0000@example.ru"}`), 400)
		check(s.op("GET", "badges", ""), 200, `"id":50`, `"grades":[{"id":98`)
		check(s.op("GET", "badges/4", ""), 200, `"deleted":true`)
		check(s.op("GET", "badges/404", ""), 404)
		// Through the public API, then seen by the operator.
		s.expect(s.call("POST", "/public/api/v1/badge/50/assign", `{"userId":["new@example.ru"]}`), 200, result("new@example.ru", ""))
		if a := s.call("POST", pointsPath, `[{"userId":"new@example.ru","balanceType":"karma","amount":12,"message":"m"}]`); a.status != 200 {
			t.Fatal(a.body)
		}
		check(s.op("GET", "users/new@example.ru", ""), 200, `"karma":12`, `"badgeId":50`, `"managerId":1`,
			`"badgeHistory":[{"badgeId":50,"action":"assigned","actor":"public-api"`)
		check(s.op("GET", "ledger?user=new@example.ru&balanceType=karma", ""), 200, `"amount":12`, `"balanceAfter":12`, `"message":"m"`, `"actor":"public-api"`)
		check(s.opMalformed("GET", "ledger?balanceType=gold", ""), 400)
		check(s.op("GET", "users?limit=2", ""), 200, `"identifier":"a@example.ru"`)
		// An update changes only the fields given; "" clears a manager.
		check(s.op("POST", "users", `{"identifier":"new@example.ru","name":"Renamed"}`), 200, `"name":"Renamed"`, `"managerId":1`, `"email":"new@example.ru"`)
		check(s.op("POST", "users", `{"identifier":"boss@example.ru","name":"Boss"}`), 200, `"name":"Boss"`, `"managesGoals":true`)
		check(s.op("POST", "users", `{"identifier":"boss@example.ru","managesGoals":false}`), 200, `"name":"Boss"`, `"managesGoals":false`)
		if a := s.op("POST", "users", `{"identifier":"new@example.ru","manager":""}`); a.status != 200 || strings.Contains(a.body, "managerId") || !strings.Contains(a.body, `"name":"Renamed"`) {
			t.Fatalf("manager cleared: %d %s", a.status, a.body)
		}
		check(s.op("DELETE", "users/new@example.ru", ""), 200, `"deleted":true`)
		check(s.op("GET", "users/new@example.ru", ""), 404)
		s.expect(s.call("POST", "/public/api/v1/badge/50/assign", `{"userId":["new@example.ru"]}`), 200, result("new@example.ru", notFound))
	})
}
