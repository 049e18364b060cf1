package http_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// TestRepeatedKeys: the last occurrence of a key wins entirely, whether the
// body takes the plain decode or, because some other value has the wrong
// type, the tolerant one. Keys match case-insensitively.
func TestRepeatedKeys(t *testing.T) {
	t.Parallel()
	valid := report()
	trimmed := strings.TrimSuffix(valid, "}")
	mistyped := `,"ExaminationAreaId":"x","examinationAreaId":101`
	cases := []struct {
		name, extra string
		status      int
		want        string
	}{
		{"flag repeated, last is false", `,"noPatentExamType":true,"noPatentExamType":false`, 200, accepted},
		{"flag repeated, last is false, tolerant path", `,"noPatentExamType":true,"noPatentExamType":false` + mistyped, 200, accepted},
		{"null then value", `,"comment":null,"Comment":"последний"`, 200, accepted},
		{"value then null", `,"reportId":5,"reportId":null`, 200, accepted},
		{"a wrong type then a right one", `,"examinationAreaId":"x","examinationAreaId":101`, 200, accepted},
		{"requests repeated, last is short", `,"requests":[{}]`, 400, validation(map[string]string{
			"Requests[0].IdentityDocumentNumber": required, "Requests[0].ExamDate": required,
			"Requests[0].MigrationExamType": required, "Requests[0].MigrationExamStatus": required})},
	}
	stands := newRefusals(t, openSQLite)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := stands.standFor(t, c.status)
			send := s.post
			if c.status != http.StatusOK {
				send = s.postMalformed // the last requests' row lacks its fields
			}
			got := send(alpha, trimmed+c.extra+"}")
			if got.status != c.status || !matches(got.body, c.want) {
				t.Fatalf("got %d %s\nwant %d %s", got.status, got.body, c.status, c.want)
			}
		})
	}
	t.Run("the stored comment is the last one", func(t *testing.T) {
		t.Parallel()
		s := newStand(t, openSQLite)
		id := s.postAccepted(alpha, trimmed+`,"comment":null,"comment":"последний","examinationAreaId":"x","examinationAreaId":101}`)
		var r operator.Report
		s.operatorGet(fmt.Sprint("/operator/v1/migrant-exam/reports/", id), &r)
		if c := r.Versions[0].Comment; c == nil || *c != "последний" {
			t.Fatalf("stored comment %v", c)
		}
	})
}

func TestMoreInputEdges(t *testing.T) {
	t.Parallel()
	notWorking := []edit{set("examinationAreaDoesNotWork", true)}
	for _, l := range levels {
		notWorking = append(notWorking, del(l.date), set(l.flag, nil))
	}
	cases := []struct {
		name, contentType, body string
		status                  int
		want                    string
	}{
		{"text/json", "text/json", report(), 200, accepted},
		{"vendor +json", "application/vnd.report+json", report(), 200, accepted},
		{"forbidden fields passed as null", "application/json", report(notWorking...), 200, accepted},
		{"NUL in the comment", "application/json", report(set("comment", "a\u0000b")), 400,
			validation(map[string]string{"Comment": "Строка не должна содержать символ U+0000"})},
		{"year 0000", "application/json", report(set("patentNearestStartDate", "0000-01-03")), 400,
			validation(map[string]string{"PatentNearestStartDate": notDate})},
		{"rows counted before decoding", "application/json", report(set("requests", make([]any, 150))), 400,
			validation(map[string]string{"Requests": "В одном отчете не более 100 заявок, передано 150"})},
		{"rows of a repeated key counted too", "application/json",
			strings.TrimSuffix(report(), "}") + `,"REQUESTS":[` + strings.Repeat("1,", 120) + `1]}`, 400,
			validation(map[string]string{"Requests": "В одном отчете не более 100 заявок, передано 121"})},
		{"many rows in malformed JSON is a syntax error", "application/json",
			`{"requests":[` + strings.Repeat("{},", 150) + `}`, 400,
			validation(map[string]string{"$": "Тело запроса не является корректным JSON: ошибка в позиции 464"})},
	}
	stands := newRefusals(t, openSQLite)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := stands.standFor(t, c.status)
			send := s.do
			if c.status != http.StatusOK {
				send = s.doMalformed // every refusal here is of a body off the document
			}
			got := send(alpha, c.contentType, c.body)
			if got.status != c.status || !matches(got.body, c.want) {
				t.Fatalf("got %d %s\nwant %d %s", got.status, got.body, c.status, c.want)
			}
		})
	}
}

// TestTodayIsMoscowsToday: at 22:30 UTC on Sunday 2025-06-15 it is already
// Monday in Moscow, so that week may be reported and its Monday's exams are
// not in the future.
func TestTodayIsMoscowsToday(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		clock := stendtest.NewManualClock(time.Date(2025, 6, 15, 22, 30, 0, 0, time.UTC))
		cfg := testConfig()
		cfg.Timezone = "Europe/Moscow"
		s := standOn(t, open(t), clock, cfg)
		body := report(set("periodStartDate", "2025-06-16"), set("periodEndDate", "2025-06-22"),
			row(0, "examDate", "2025-06-16"), row(1, "examDate", "2025-06-16"))
		if got := s.post(alpha, body); got.status != 200 {
			t.Fatalf("Monday in Moscow: %d %s", got.status, got.body)
		}
		tomorrow := report(set("periodStartDate", "2025-06-16"), set("periodEndDate", "2025-06-22"), set("examinationAreaId", 102),
			row(0, "examDate", "2025-06-16"), row(1, "examDate", "2025-06-17"))
		if got := s.post(alpha, tomorrow); got.body != rule("requests[1].examDate: дата экзамена 2025-06-17 еще не наступила") {
			t.Fatalf("Tuesday in Moscow: %d %s", got.status, got.body)
		}
	})
}

func TestUnknownPathsAndMethodsAnswerProblems(t *testing.T) {
	t.Parallel()
	s := newStand(t, openSQLite)
	get, _ := http.NewRequest(http.MethodGet, "/Reports/Report", nil)
	rec := serveUndocumented(s, get)
	if rec.Code != 405 || rec.Header().Get("Allow") != "POST" ||
		rec.Body.String() != `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.6","title":"Method Not Allowed","status":405}` {
		t.Fatalf("GET: %d %s", rec.Code, rec.Body)
	}
	other, _ := http.NewRequest(http.MethodPost, "/Reports/Other", nil)
	if rec := serveUndocumented(s, other); rec.Code != 404 || rec.Body.String() != `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404}` {
		t.Fatalf("unknown path: %d %s", rec.Code, rec.Body)
	}
}

// TestNoSecretAtRest reads the database file: the organizations' passwords
// and API keys must not be in it, only their hashes.
func TestNoSecretAtRest(t *testing.T) {
	t.Parallel()
	db := storetest.OpenSQLite(t)
	s := standOn(t, db, stendtest.NewManualClock(today), testConfig())
	if got := s.post(alpha, report()); got.status != 200 {
		t.Fatal(got.body)
	}
	var path string
	if err := db.ReadDB().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f)
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatalf("nothing read from %s", filepath.Dir(path))
	}
	for _, secret := range []string{alpha.password, alpha.key, beta.password, beta.key} {
		if bytes.Contains(all, []byte(secret)) {
			t.Fatalf("%q is stored in clear", secret)
		}
	}
	if !bytes.Contains(all, []byte(alpha.user)) {
		t.Fatalf("the check reads nothing useful: username %q not found either", alpha.user)
	}
}

// TestOversizedBodyWithoutLength: a chunked body (no Content-Length) over
// the limit is cut off while read, with the same answer as a declared one.
func TestOversizedBodyWithoutLength(t *testing.T) {
	t.Parallel()
	s := newStand(t, openSQLite)
	req, _ := http.NewRequest(http.MethodPost, "/Reports/Report", strings.NewReader(report(set("comment", strings.Repeat("я", 200<<10)))))
	req.ContentLength = -1
	req.SetBasicAuth(alpha.user, alpha.password)
	req.Header.Set("x-api-key", alpha.key)
	req.Header.Set("Content-Type", "application/json")
	rec := serve(s, req)
	want := `{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.14","title":"Request Entity Too Large","status":413,"detail":"Тело запроса больше 262144 байт"}`
	if rec.Code != 413 || rec.Body.String() != want {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if n := s.reportCount(); n != 0 {
		t.Fatalf("%d reports stored", n)
	}
}

// TestDatabaseGoneIs503: a store that cannot answer gives 503 in the
// ProblemDetails shape, not a 500.
func TestDatabaseGoneIs503(t *testing.T) {
	t.Parallel()
	db := storetest.OpenSQLite(t)
	s := standOn(t, db, stendtest.NewManualClock(today), testConfig())
	db.Close()
	got := s.post(alpha, report())
	want := `{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"Service Unavailable","status":503,"detail":"Сервис временно недоступен, повторите запрос позже"}`
	if got.status != 503 || got.body != want {
		t.Fatalf("%d %s", got.status, got.body)
	}
}
