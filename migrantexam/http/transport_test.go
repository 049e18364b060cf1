package http_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"stend/operator"
	"stend/store/sqlstore"
)

const unauthorized = `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"Требуется авторизация: Basic (Username и Password организации) и заголовок x-api-key"}`

func TestAuthentication(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    creds
	}{
		{"no credentials", creds{}},
		{"no x-api-key", creds{alpha.user, alpha.password, ""}},
		{"no Basic", creds{"", "", alpha.key}},
		{"wrong password", creds{alpha.user, "nope", alpha.key}},
		{"wrong x-api-key", creds{alpha.user, alpha.password, "nope"}},
		{"unknown username", creds{"gamma", alpha.password, alpha.key}},
		{"x-api-key of another organization", creds{alpha.user, alpha.password, beta.key}},
		{"password of another organization", creds{alpha.user, beta.password, alpha.key}},
	}
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		for _, c := range cases {
			// Credentials are checked before anything else, so even a body
			// of the wrong type gets 401.
			got := s.doMalformed(c.c, "text/plain", "not json")
			if got.status != http.StatusUnauthorized || got.body != unauthorized {
				t.Errorf("%s: %d %s", c.name, got.status, got.body)
			}
			if h := got.header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Basic ") {
				t.Errorf("%s: WWW-Authenticate %q", c.name, h)
			}
		}
		if got := s.post(alpha, report()); got.status != 200 {
			t.Fatalf("valid credentials: %d %s", got.status, got.body)
		}
		if got := s.post(beta, report(set("examinationAreaId", 201))); got.status != 200 {
			t.Fatalf("second organization: %d %s", got.status, got.body)
		}
	})
}

func TestTransport(t *testing.T) {
	t.Parallel()
	problem := func(status int, typ, title, detail string) string {
		return fmt.Sprintf(`{"type":"https://tools.ietf.org/html/rfc9110#section-%s","title":%q,"status":%d,"detail":%q}`, typ, title, status, detail)
	}
	cases := []struct {
		name        string
		contentType string
		body        string
		status      int
		want        string
	}{
		{"no content type", "", report(), 415, problem(415, "15.5.16", "Unsupported Media Type", "Ожидается content-type application/json")},
		{"form content type", "application/x-www-form-urlencoded", report(), 415, problem(415, "15.5.16", "Unsupported Media Type", "Ожидается content-type application/json")},
		{"json with charset", "application/json; charset=utf-8", report(), 200, accepted},
		{"empty body", "application/json", "", 400, validation(map[string]string{"$": "Тело запроса не передано"})},
		{"malformed JSON", "application/json", `{"examinationAreaId": 101,,}`, 400, validation(map[string]string{"$": "Тело запроса не является корректным JSON: ошибка в позиции 27"})},
		{"cut-off JSON", "application/json", report()[:40], 400, validation(map[string]string{"$": "Тело запроса оборвано: JSON не завершен"})},
		{"array instead of object", "application/json", `[1,2]`, 400, validation(map[string]string{"$": "Тело запроса должно быть JSON-объектом отчета"})},
		{"string instead of object", "application/json", `"report"`, 400, validation(map[string]string{"$": "Тело запроса должно быть JSON-объектом отчета"})},
		{"two objects", "application/json", report() + report(), 400, validation(map[string]string{"$": "После JSON-объекта отчета не должно быть других данных"})},
		{"body over the limit", "application/json", report(set("comment", strings.Repeat("я", 200<<10))), 413,
			problem(413, "15.5.14", "Request Entity Too Large", "Тело запроса больше 262144 байт")},
		{"rows over the limit", "application/json", report(set("requests", manyRows(101))), 400,
			validation(map[string]string{"Requests": "В одном отчете не более 100 заявок, передано 101"})},
		{"rows at the limit", "application/json", report(set("requests", manyRows(100))), 200, accepted},
	}
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		stands := newRefusals(t, open)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				s := stands.standFor(t, c.status)
				send := s.do
				switch {
				case c.status == http.StatusBadRequest && strings.Contains(c.want, `"$"`):
					send = s.doMalformed // the body is not a JSON object: off the document
				case c.status == http.StatusUnsupportedMediaType:
					send = s.doMalformed // the document takes application/json only
				}
				got := send(alpha, c.contentType, c.body)
				if got.status != c.status || !matches(got.body, c.want) {
					t.Fatalf("got %d %s\nwant %d %s", got.status, got.body, c.status, c.want)
				}
				wantCount := 0
				if c.status == 200 {
					wantCount = 1
				}
				if n := s.reportCount(); n != wantCount {
					t.Fatalf("%d reports stored", n)
				}
			})
		}
	})
}

func manyRows(n int) []any {
	rows := make([]any, n)
	for i := range rows {
		rows[i] = obj{"identityDocumentNumber": sha(fmt.Sprint(i)), "examDate": "2025-06-03", "migrationExamType": 2, "migrationExamStatus": 1}
	}
	return rows
}

func TestOtherMethodsAreNotAllowed(t *testing.T) {
	t.Parallel()
	s := newStand(t, openSQLite)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, "/Reports/Report", nil)
		rec := serveUndocumented(s, req)
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s: %d", m, rec.Code)
		}
	}
}

func TestReplacement(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		first := s.postAccepted(alpha, report())
		dup := rule(fmt.Sprintf("Отчет по площадке examinationAreaId = 101 за период с 2025-06-02 по 2025-06-08 уже принят, reportId = %d. Чтобы заменить его, передайте reportId", first))
		if got := s.post(alpha, report(set("noExamInSelectedPeriod", true), del("requests"))); got.status != 400 || got.body != dup {
			t.Fatalf("second without reportId: %d %s", got.status, got.body)
		}
		// Another area, same week, is another report.
		other := s.postAccepted(alpha, report(set("examinationAreaId", 102)))
		if other == first {
			t.Fatalf("two reports with id %d", first)
		}
		// The other organization cannot replace, nor learn of, alpha's report.
		if got := s.post(beta, report(set("reportId", first), set("examinationAreaId", 201))); got.body != rule(fmt.Sprintf("Отчет с reportId = %d не найден", first)) {
			t.Fatalf("replace by another organization: %s", got.body)
		}
		if got := s.post(alpha, report(set("reportId", first), set("comment", "исправлено"), set("requests", manyRows(3)))); got.body != fmt.Sprintf(`{"reportId":%d}`, first) {
			t.Fatalf("replace: %s", got.body)
		}
		if got := s.post(alpha, report(set("reportId", first), set("noExamInSelectedPeriod", true), del("requests", "comment"))); got.body != fmt.Sprintf(`{"reportId":%d}`, first) {
			t.Fatalf("replace again: %s", got.body)
		}
		// Moving a report into a week that has one is the duplicate rule.
		if got := s.post(alpha, report(set("reportId", other))); got.status != 400 || got.body != dup {
			t.Fatalf("move into a taken week: %s", got.body)
		}
		var r operator.Report
		s.operatorGet(fmt.Sprint("/operator/v1/migrant-exam/reports/", first), &r)
		if r.CurrentVersion != 3 || len(r.Versions) != 3 {
			t.Fatalf("versions: %+v", r)
		}
		v1, v2, v3 := r.Versions[0], r.Versions[1], r.Versions[2]
		if len(v1.Requests) != 2 || *v1.Comment != "Отчет по площадке" || len(v2.Requests) != 3 || *v2.Comment != "исправлено" ||
			len(v3.Requests) != 0 || v3.Comment != nil || !v3.NoExamInSelectedPeriod {
			t.Fatalf("versions kept wrong: %+v", r.Versions)
		}
		if n := s.reportCount(); n != 2 {
			t.Fatalf("%d reports", n)
		}
	})
}
