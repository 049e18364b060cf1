package migrantexam_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"stend/client/migrantexam"
	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// The stands' clock stands at Wednesday 2025-06-11, 12:00 in Moscow: the
// week of Monday 2025-06-09 is the current one.
var (
	monday = migrantexam.Date{Year: 2025, Month: time.June, Day: 9}
	sunday = monday.AddDays(6)
)

// Organizations of every stand: alpha holds areas 101 and 102, beta 201.
var (
	alpha = migrantexam.Credentials{Username: "alpha", Password: "alpha-password", APIKey: "alpha-key"}
	beta  = migrantexam.Credentials{Username: "beta", Password: "beta-password", APIKey: "beta-key"}
)

// stand is a real stend node on a real store, served over HTTP.
type stand struct {
	url   string
	store *sqlstore.DB
	st    *stendtest.Stand
}

// newStand starts a node with the two organizations; authFailures is the
// server's --auth-failures (0: no throttle).
func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB, authFailures int) *stand {
	t.Helper()
	cfg := stendtest.Config()
	cfg.AuthFailures = authFailures
	cfg.AuthFailureEvery = time.Minute
	cfg.MigrantExamMaxBodyBytes = 64 << 10
	store := open(t)
	st := stendtest.On(t, store, stendtest.NewManualClock(stendtest.Now), stendtest.Options{Config: &cfg})
	seed := operator.Seed{}
	for _, o := range []struct {
		c     migrantexam.Credentials
		areas []int64
	}{{alpha, []int64{101, 102}}, {beta, []int64{201}}} {
		org := operator.SeedOrganization{NewOrganization: operator.NewOrganization{Username: o.c.Username, Password: o.c.Password, APIKey: o.c.APIKey}}
		for _, a := range o.areas {
			org.Areas = append(org.Areas, operator.SeedArea{ID: a})
		}
		seed.MigrantExam.Organizations = append(seed.MigrantExam.Organizations, org)
	}
	if err := st.Node.Operator.LoadSeed(context.Background(), seed, st.Node.Logger); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(srv.Close)
	return &stand{url: srv.URL, store: store, st: st}
}

// stored is the operator's view of a report.
func (s *stand) stored(t *testing.T, id int64) operator.Report {
	t.Helper()
	a := s.st.Operator(http.MethodGet, fmt.Sprintf("/operator/v1/migrant-exam/reports/%d", id), "", "")
	var r operator.Report
	if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &r) != nil {
		t.Fatalf("operator: report %d: %d %s", id, a.Status, a.Body)
	}
	return r
}

// malformed is what a test's client sends deliberately off the document
// through: each request is marked (stendtest.Malformed), so that the
// stand's contract check exempts it and still checks the answer.
var malformed = migrantexam.WithHTTPClient(&http.Client{Transport: stendtest.MalformedTransport{}})

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// week is a valid report of area 101 for the current week, with two exams.
func week() migrantexam.Report {
	return migrantexam.Report{
		ExaminationAreaID:      101,
		PeriodStart:            monday,
		PeriodEnd:              sunday,
		Patent:                 migrantexam.Outlook{NearestStart: sunday.AddDays(5)},
		TemporaryResidence:     migrantexam.Outlook{NoExams: true},
		ResidencePermit:        migrantexam.Outlook{NearestStart: sunday.AddDays(10)},
		CitizenshipRussianLang: migrantexam.Outlook{NoExams: true},
		CitizenshipHistory:     migrantexam.Outlook{NearestStart: sunday.AddDays(1)},
		Comment:                "Отчет за неделю",
		Requests: []migrantexam.ExamRequest{
			{IdentityDocumentNumber: migrantexam.HashDocument("45 06 123456"), ExamDate: monday, Type: migrantexam.ExamPatent, Status: migrantexam.Passed},
			{IdentityDocumentNumber: migrantexam.HashDocument("AB1234567"), ExamDate: monday.AddDays(2), Type: migrantexam.ExamResidencePermit, Status: migrantexam.Failed},
		},
	}
}

var sentinels = map[string]error{
	"ErrModel": migrantexam.ErrModel, "ErrRule": migrantexam.ErrRule, "ErrAreaNotGranted": migrantexam.ErrAreaNotGranted,
	"ErrReportNotFound": migrantexam.ErrReportNotFound, "ErrDuplicateReport": migrantexam.ErrDuplicateReport,
	"ErrUnauthorized": migrantexam.ErrUnauthorized, "ErrNotFound": migrantexam.ErrNotFound, "ErrTooLarge": migrantexam.ErrTooLarge,
	"ErrRateLimited": migrantexam.ErrRateLimited, "ErrUnavailable": migrantexam.ErrUnavailable, "ErrMalformed": migrantexam.ErrMalformed,
}

// only checks that err matches want (and ErrRule with a rule's sentinel)
// and no other sentinel, and returns its *APIError.
func only(t *testing.T, err error, want ...error) *migrantexam.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	for name, s := range sentinels {
		if got := errors.Is(err, s); got != (s == want[0] || len(want) > 1 && s == want[1]) {
			t.Errorf("errors.Is(%v, %s) = %v", err, name, got)
		}
	}
	var apiErr *migrantexam.APIError
	errors.As(err, &apiErr)
	return apiErr
}

// TestClient runs every method and every documented failure against a
// real node, on every store.
func TestClient(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			s := newStand(t, o.Open, 0)
			t.Run("Submit", func(t *testing.T) { t.Parallel(); testSubmit(t, s) })
			t.Run("Replace", func(t *testing.T) { t.Parallel(); testReplace(t, s) })
			t.Run("Model", func(t *testing.T) { t.Parallel(); testModel(t, s) })
			t.Run("Rules", func(t *testing.T) { t.Parallel(); testRules(t, s) })
			t.Run("Transport", func(t *testing.T) { t.Parallel(); testTransport(t, s) })
			t.Run("RateLimited", func(t *testing.T) { t.Parallel(); testRateLimited(t, newStand(t, o.Open, 2)) })
			t.Run("Unavailable", func(t *testing.T) { t.Parallel(); testUnavailable(t, newStand(t, o.Open, 0)) })
		})
	}
}

func testSubmit(t *testing.T, s *stand) {
	ctx, c := ctxT(t), migrantexam.New(s.url, alpha)
	r := week()
	id, err := c.Submit(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	got := s.stored(t, id)
	v := got.Versions[0]
	date := func(d migrantexam.Date) *string { s := d.String(); return &s }
	yes, no := true, false
	if len(got.Versions) != 1 || v.ExaminationAreaID != 101 || v.PeriodStartDate != "2025-06-09" || v.PeriodEndDate != "2025-06-15" ||
		v.NoExamInSelectedPeriod || v.ExaminationAreaDoesNotWork ||
		!reflect.DeepEqual(v.PatentNearestStartDate, date(r.Patent.NearestStart)) || !reflect.DeepEqual(v.NoPatentExamType, &no) ||
		v.TemporaryResidenceNearestStartDate != nil || !reflect.DeepEqual(v.NoTemporaryResidenceExamType, &yes) ||
		!reflect.DeepEqual(v.ResidencePermitNearestStartDate, date(r.ResidencePermit.NearestStart)) ||
		v.CitizenshipRussianLangNearestStartDate != nil || !reflect.DeepEqual(v.NoCitizenshipRussianLangExamType, &yes) ||
		!reflect.DeepEqual(v.CitizenshipHistoryNearestStartDate, date(r.CitizenshipHistory.NearestStart)) ||
		v.Comment == nil || *v.Comment != r.Comment || len(v.Requests) != 2 {
		t.Fatalf("stored %+v", got)
	}
	for i, q := range v.Requests {
		if want := r.Requests[i]; q.IdentityDocumentNumber != want.IdentityDocumentNumber || q.ExamDate != want.ExamDate.String() ||
			q.MigrationExamType != int(want.Type) || q.MigrationExamStatus != int(want.Status) {
			t.Fatalf("row %d stored %+v", i, q)
		}
	}

	// A closed area sends no outlook, whatever the report holds.
	closed := migrantexam.Report{ExaminationAreaID: 102, PeriodStart: monday, PeriodEnd: sunday,
		NoExamInSelectedPeriod: true, ExaminationAreaDoesNotWork: true, Patent: migrantexam.Outlook{NearestStart: sunday}}
	id, err = c.Submit(ctx, closed)
	if err != nil {
		t.Fatal(err)
	}
	if v := s.stored(t, id).Versions[0]; !v.ExaminationAreaDoesNotWork || v.PatentNearestStartDate != nil || v.NoPatentExamType != nil || v.Comment != nil || len(v.Requests) != 0 {
		t.Fatalf("closed area stored %+v", v)
	}
}

func testReplace(t *testing.T, s *stand) {
	ctx, c := ctxT(t), migrantexam.New(s.url, beta)
	r := week()
	r.ExaminationAreaID = 201
	id, err := c.Submit(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	// The week has its report: a second one names it…
	_, err = c.Submit(ctx, r)
	apiErr := only(t, err, migrantexam.ErrRule, migrantexam.ErrDuplicateReport)
	if apiErr == nil || apiErr.ReportID != id || apiErr.HTTPStatus != 400 ||
		apiErr.Message != fmt.Sprintf("Отчет по площадке examinationAreaId = 201 за период с 2025-06-09 по 2025-06-15 уже принят, reportId = %d. Чтобы заменить его, передайте reportId", id) {
		t.Fatalf("duplicate: %#v", apiErr)
	}
	// …which replaces it, answering the same id and keeping the first.
	r.ReportID, r.Requests, r.NoExamInSelectedPeriod = apiErr.ReportID, nil, true
	again, err := c.Submit(ctx, r)
	if err != nil || again != id {
		t.Fatalf("replaced as %d: %v", again, err)
	}
	if got := s.stored(t, id); len(got.Versions) != 2 || !got.Versions[1].NoExamInSelectedPeriod || len(got.Versions[0].Requests) != 2 {
		t.Fatalf("versions %+v", got.Versions)
	}
	// Another organization's report is answered as none.
	r.ExaminationAreaID = 101
	for _, rid := range []int64{id, 1<<31 - 1, -5} {
		r.ReportID = rid
		var opts []migrantexam.Option
		if rid < 1 {
			opts = append(opts, malformed) // the document's reportId is positive
		}
		_, err = migrantexam.New(s.url, alpha, opts...).Submit(ctx, r)
		apiErr = only(t, err, migrantexam.ErrRule, migrantexam.ErrReportNotFound)
		if apiErr == nil || apiErr.Message != fmt.Sprintf("Отчет с reportId = %d не найден", rid) {
			t.Fatalf("report %d: %v", rid, err)
		}
	}
	// Nor is an area of another organization.
	r = week()
	r.ExaminationAreaID = 101
	_, err = c.Submit(ctx, r)
	if apiErr = only(t, err, migrantexam.ErrRule, migrantexam.ErrAreaNotGranted); apiErr == nil ||
		apiErr.Message != "Площадка с examinationAreaId = 101 не предоставлена организации" {
		t.Fatalf("another's area: %v", err)
	}
}

func testModel(t *testing.T, s *stand) {
	ctx, c := ctxT(t), migrantexam.New(s.url, alpha, malformed)
	r := week()
	r.PeriodStart = migrantexam.Date{}
	r.Requests[1].IdentityDocumentNumber = ""
	r.Requests[1].ExamDate = migrantexam.Date{}
	_, err := c.Submit(ctx, r)
	apiErr := only(t, err, migrantexam.ErrModel)
	want := map[string][]string{
		"PeriodStartDate":                    {"Поле обязательно для заполнения"},
		"Requests[1].IdentityDocumentNumber": {"Поле обязательно для заполнения"},
		"Requests[1].ExamDate":               {"Поле обязательно для заполнения"},
	}
	if apiErr == nil || apiErr.HTTPStatus != 400 || !reflect.DeepEqual(apiErr.Errors, want) || apiErr.Message != "" {
		t.Fatalf("%#v", apiErr)
	}
	if !strings.Contains(err.Error(), "PeriodStartDate: Поле обязательно для заполнения; Requests[1].ExamDate") {
		t.Fatalf("message %q", err)
	}
}

func testRules(t *testing.T, s *stand) {
	ctx, c, bad := ctxT(t), migrantexam.New(s.url, alpha), migrantexam.New(s.url, alpha, malformed)
	for name, tc := range map[string]struct {
		edit   func(*migrantexam.Report)
		want   string
		schema bool // off the document's schema, not only its rules
	}{
		"period starts on a Tuesday": {func(r *migrantexam.Report) { r.PeriodStart = monday.AddDays(1) },
			"Дата начала отчетного периода periodStartDate = 2025-06-10 должна быть понедельником", false},
		"next week": {func(r *migrantexam.Report) { r.PeriodStart, r.PeriodEnd = migrantexam.WeekOf(sunday.AddDays(1)) },
			"Отчетный период с 2025-06-16 еще не начался: отчет за будущий период не принимается", false},
		"no date of a level with exams": {func(r *migrantexam.Report) { r.Patent = migrantexam.Outlook{} },
			"Не передан параметр patentNearestStartDate: он обязателен, если noPatentExamType = false", false},
		"a date of a level without exams": {func(r *migrantexam.Report) { r.TemporaryResidence.NearestStart = sunday },
			"Параметр temporaryResidenceNearestStartDate не передается, если noTemporaryResidenceExamType = true", false},
		"exams and none": {func(r *migrantexam.Report) { r.NoExamInSelectedPeriod = true },
			"Коллекция заявок requests не передается, если noExamInSelectedPeriod = true", false},
		"no exams without saying so": {func(r *migrantexam.Report) { r.Requests = nil },
			"Не передана коллекция заявок requests за указанный период без выставления параметра noExamInSelectedPeriod в значении true", false},
		"raw document number": {func(r *migrantexam.Report) { r.Requests[0].IdentityDocumentNumber = "4506123456" },
			"requests[0].identityDocumentNumber: ожидается хэш SHA-256 серии и номера документа в шестнадцатеричном виде (64 символа 0-9, a-f)", true},
		"exam in the future": {func(r *migrantexam.Report) { r.Requests[1].ExamDate = monday.AddDays(3) },
			"requests[1].examDate: дата экзамена 2025-06-12 еще не наступила", false},
		"unknown exam type": {func(r *migrantexam.Report) { r.Requests[0].Type = 4 },
			"requests[0].migrationExamType: недопустимое значение 4; возможные значения: 1 - Патент/Разрешение на работу, 2 - РВП, 3 - ВНЖ", true},
		"unknown exam status": {func(r *migrantexam.Report) { r.Requests[0].Status = 0 },
			"requests[0].migrationExamStatus: недопустимое значение 0; возможные значения: 1 - Сдал, 2 - Не сдал", true},
	} {
		r := week()
		tc.edit(&r)
		// The values the document's schema already refuses are sent
		// marked; the others are well-formed and break a rule only.
		send := c
		if tc.schema {
			send = bad
		}
		_, err := send.Submit(ctx, r)
		if apiErr := only(t, err, migrantexam.ErrRule); apiErr == nil || apiErr.HTTPStatus != 400 || apiErr.Message != tc.want || apiErr.Errors != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func testTransport(t *testing.T, s *stand) {
	ctx := ctxT(t)
	for name, creds := range map[string]migrantexam.Credentials{
		"wrong password": {Username: alpha.Username, Password: "wrong", APIKey: alpha.APIKey},
		"another's key":  {Username: alpha.Username, Password: alpha.Password, APIKey: beta.APIKey},
		"no key":         {Username: alpha.Username, Password: alpha.Password},
		"unknown user":   {Username: "gamma", Password: alpha.Password, APIKey: alpha.APIKey},
		"nothing":        {},
	} {
		_, err := migrantexam.New(s.url, creds).Submit(ctx, week())
		apiErr := only(t, err, migrantexam.ErrUnauthorized)
		if apiErr == nil || apiErr.HTTPStatus != 401 || apiErr.Message != "Требуется авторизация: Basic (Username и Password организации) и заголовок x-api-key" {
			t.Errorf("%s: %v", name, err)
		}
	}

	// The body limit of this stand is 64 KiB.
	r := week()
	r.Comment = strings.Repeat("я", 40<<10)
	_, err := migrantexam.New(s.url, alpha).Submit(ctx, r)
	if apiErr := only(t, err, migrantexam.ErrTooLarge); apiErr == nil || apiErr.Message != "Тело запроса больше 65536 байт" {
		t.Fatalf("too large: %v", err)
	}

	// The documented endpoint works as a base URL; another address does
	// not.
	if _, err := migrantexam.New(s.url+"/Reports/Report", alpha, malformed).Submit(ctx, migrantexam.Report{ExaminationAreaID: 101}); !errors.Is(err, migrantexam.ErrModel) {
		t.Fatalf("endpoint as base URL: %v", err)
	}
	_, err = migrantexam.New(s.url+"/elsewhere", alpha).Submit(ctx, week())
	if apiErr := only(t, err, migrantexam.ErrNotFound); apiErr == nil || apiErr.HTTPStatus != 404 {
		t.Fatalf("wrong base URL: %v", err)
	}

	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err = migrantexam.New(dead.URL, alpha).Submit(ctx, week())
	var apiErr *migrantexam.APIError
	if err == nil || errors.As(err, &apiErr) || errors.Is(err, migrantexam.ErrUnavailable) || strings.Contains(err.Error(), alpha.Password) {
		t.Fatalf("connection refused: %v", err)
	}
}

func testRateLimited(t *testing.T, s *stand) {
	ctx := ctxT(t)
	wrong := migrantexam.New(s.url, migrantexam.Credentials{Username: alpha.Username, Password: "wrong", APIKey: alpha.APIKey})
	for range 2 {
		only(t, func() error { _, err := wrong.Submit(ctx, week()); return err }(), migrantexam.ErrUnauthorized)
	}
	// The address has used up its failures: refused even with the right
	// credentials, for the minute the stand gives one more in.
	_, err := migrantexam.New(s.url, alpha).Submit(ctx, week())
	apiErr := only(t, err, migrantexam.ErrRateLimited)
	if apiErr == nil || apiErr.HTTPStatus != 429 || apiErr.RetryAfter != time.Minute || apiErr.Message != "Слишком много попыток авторизации, повторите запрос позже" {
		t.Fatalf("%#v", apiErr)
	}
}

func testUnavailable(t *testing.T, s *stand) {
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := migrantexam.New(s.url, alpha).Submit(ctxT(t), week())
	apiErr := only(t, err, migrantexam.ErrUnavailable)
	if apiErr == nil || apiErr.HTTPStatus != 503 || apiErr.Message != "Сервис временно недоступен, повторите запрос позже" {
		t.Fatalf("%#v", apiErr)
	}
}

func TestHashDocumentAndWeeks(t *testing.T) {
	t.Parallel()
	// Spaces and case do not matter; the hash is lower-case hex.
	h := migrantexam.HashDocument(" ab 12\t34567 ")
	if h != migrantexam.HashDocument("AB1234567") || len(h) != 64 || strings.ToLower(h) != h {
		t.Fatalf("%s", h)
	}
	for _, d := range []migrantexam.Date{monday, monday.AddDays(2), sunday} {
		if m, s := migrantexam.WeekOf(d); m != monday || s != sunday {
			t.Fatalf("week of %s: %s %s", d, m, s)
		}
	}
	if d, err := migrantexam.ParseDate("2025-06-09"); err != nil || d != monday || d.String() != "2025-06-09" {
		t.Fatalf("%v %v", d, err)
	}
}

// TestExampleStand keeps the example's helper honest.
func TestExampleStand(t *testing.T) {
	t.Parallel()
	url, creds, stop := startExampleServer()
	defer stop()
	if _, err := migrantexam.New(url, creds).Submit(t.Context(), week()); err != nil {
		t.Fatal(err)
	}
}

// startExampleServer runs a node on SQLite in a temporary directory (removed when stopped) for
// the examples, which have no *testing.T; its clock stands at Wednesday
// 2025-06-11 in Moscow.
func startExampleServer() (baseURL string, creds migrantexam.Credentials, stop func()) {
	tb := &stendtest.ExampleTB{}
	s := newStand(tb, storetest.OpenSQLite, 0)
	return s.url, alpha, tb.Close
}
