package reestro_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/client/reestro"
	fsspbank "stend/fssp"
	"stend/job"
	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// Organizations and keys of every stand: key A acts for org A, key B for
// org B.
const (
	orgA = "1269f58a-3d40-42e1-91ad-a4251566419c"
	orgB = "2269f58a-3d40-42e1-91ad-a4251566419c"
	keyA = "a1111111-1111-4111-8111-111111111111"
	keyB = "b2222222-2222-4222-8222-222222222222"
)

var (
	credsA = reestro.Credentials{APIKey: keyA, OrgID: orgA}
	credsB = reestro.Credentials{APIKey: keyB, OrgID: orgB}
)

// stand is a real stend node on a real store, served over HTTP; its Fssp
// checks search its own FSSP API, over a bank of two proceedings in
// region 66.
type stand struct {
	url   string
	store *sqlstore.DB
	st    *stendtest.Stand
}

// newStand starts a node; authFailures is its --auth-failures (0: no
// throttle).
func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB, authFailures int) *stand {
	t.Helper()
	ctx := context.Background()
	cfg := stendtest.Config()
	cfg.AuthFailures = authFailures
	cfg.AuthFailureEvery = time.Minute
	cfg.ReestroFSSPPollMax = 20 * time.Millisecond
	store := open(t)
	// The clock runs: a check's job, snoozed while its FSSP search runs,
	// never comes due again on a clock that stands still.
	st := stendtest.On(t, store, stendtest.NewRunningClock(stendtest.Now), stendtest.Options{Config: &cfg,
		Jobs: job.Config{Backoff: func(int) time.Duration { return 0 }, Poll: 20 * time.Millisecond}, StartJobs: true})
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(srv.Close)
	op := st.Node.Operator
	token, _, err := op.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: "reestro", Token: "reestro-fssp-token", Limits: &fsspbank.Limits{}})
	if err != nil {
		t.Fatal(err)
	}
	st.Node.Reestro.UseFSSP(fsspclient.New(srv.URL, token.Token, fsspclient.WithPollBackoff(5*time.Millisecond, 50*time.Millisecond)))
	for id, key := range map[string]string{orgA: keyA, orgB: keyB} {
		if _, err := op.CreateReestroOrganization(ctx, operator.NewReestroOrganization{ID: id, Name: "org " + id[:1]}); err != nil {
			t.Fatal(err)
		}
		if _, err := op.IssueReestroKey(ctx, operator.NewReestroKey{Name: key, Key: key, Organizations: []string{id}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.FSSP().LoadProceedings(ctx, &sliceSource{items: bank()}, 0); err != nil {
		t.Fatal(err)
	}
	return &stand{url: srv.URL, store: store, st: st}
}

// client polls fast: checks here take milliseconds.
func (s *stand) client(c reestro.Credentials, opts ...reestro.Option) *reestro.Client {
	return reestro.New(s.url, c, append([]reestro.Option{reestro.WithPollBackoff(5*time.Millisecond, 50*time.Millisecond)}, opts...)...)
}

// malformed is what a test's client sends deliberately off the document
// through: each request is marked (stendtest.Malformed), so that the
// stand's contract check exempts it and still checks the answer.
var malformed = reestro.WithHTTPClient(&http.Client{Transport: stendtest.MalformedTransport{}})

type sliceSource struct {
	items []fsspbank.Proceeding
	i     int
}

func (s *sliceSource) Next(p *fsspbank.Proceeding) bool {
	if s.i >= len(s.items) {
		return false
	}
	*p = s.items[s.i]
	s.i++
	return true
}

func (s *sliceSource) Err() error { return nil }

func date(y, m, d int) stend.Date { return stend.Date{Year: y, Month: time.Month(m), Day: d} }

// bank is Ivanov's two proceedings in region 66, one ended.
func bank() []fsspbank.Proceeding {
	dep := fsspbank.Department{ID: 66061, Name: "Верх-Исетский РОСП г. Екатеринбурга", PostalIndex: "620014",
		Address: "Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б"}
	p := func(own int64) fsspbank.Proceeding {
		return fsspbank.Proceeding{Kind: fsspbank.DebtorPhysical, LastName: "ИВАНОВ", FirstName: "СЕРГЕЙ", Patronymic: "ПЕТРОВИЧ",
			BirthDate: date(1982, 6, 9), BirthPlace: "гор. Екатеринбург",
			Number: fsspbank.ProceedingNumber{Own: own, Year: 12, Department: dep.ID}, Region: 66, Department: dep, Date: date(2012, 4, 16),
			DocType: "Исполнительный лист", DocDate: date(2012, 3, 20), DocNumber: "ВС 049652131", DocIssuer: "Верх-Исетский районный суд г. Екатеринбурга",
			Subject: "Коммунальные платежи", Amount: 123456, Fee: 8642, Bailiff: fsspbank.Bailiff{Name: "НИТОЧКИНА В. И.", Phone: "+73434246653"}}
	}
	ended := p(6860)
	ended.End = &fsspbank.ProceedingEnd{Date: date(2015, 6, 30), Article: 46, Part: 1, Point: 4}
	return []fsspbank.Proceeding{ended, p(6861)}
}

var ivanov = reestro.Person{Surname: "Иванов", Name: "Сергей", Patronymic: "Петрович", BirthDate: time.Date(1982, 6, 9, 0, 0, 0, 0, time.UTC)}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var sentinels = map[string]error{
	"ErrValidation": reestro.ErrValidation, "ErrSubjectNotFound": reestro.ErrSubjectNotFound, "ErrUnauthorized": reestro.ErrUnauthorized,
	"ErrForbidden": reestro.ErrForbidden, "ErrCheckNotFound": reestro.ErrCheckNotFound, "ErrNotFound": reestro.ErrNotFound,
	"ErrTooLarge": reestro.ErrTooLarge, "ErrRateLimited": reestro.ErrRateLimited, "ErrUnavailable": reestro.ErrUnavailable,
	"ErrMalformed": reestro.ErrMalformed,
}

// only checks that err matches the sentinels want and no other, and
// returns its *APIError.
func only(t *testing.T, err error, want ...error) *reestro.APIError {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", want)
	}
	for name, s := range sentinels {
		wanted := false
		for _, w := range want {
			wanted = wanted || s == w
		}
		if got := errors.Is(err, s); got != wanted {
			t.Errorf("errors.Is(%v, %s) = %v", err, name, got)
		}
	}
	var apiErr *reestro.APIError
	errors.As(err, &apiErr)
	return apiErr
}

func messages(e *reestro.APIError) []string {
	if e == nil {
		return nil
	}
	out := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		if f.Code != "WrongFieldValue" || f.Target != "AssessmentApi" {
			return nil
		}
		out[i] = f.Field() + ": " + f.Message
	}
	return out
}

// TestClient runs every method and every documented failure against a
// real node, on every store.
func TestClient(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			s := newStand(t, o.Open, 0)
			t.Run("Checks", func(t *testing.T) { t.Parallel(); testChecks(t, s) })
			t.Run("Listing", func(t *testing.T) { t.Parallel(); testListing(t, s) })
			t.Run("Validation", func(t *testing.T) { t.Parallel(); testValidation(t, s) })
			t.Run("Access", func(t *testing.T) { t.Parallel(); testAccess(t, s) })
			t.Run("RateLimited", func(t *testing.T) { t.Parallel(); testRateLimited(t, newStand(t, o.Open, 2)) })
			t.Run("Unavailable", func(t *testing.T) { t.Parallel(); testUnavailable(t, newStand(t, o.Open, 0)) })
		})
	}
}

func testChecks(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(credsA)
	person := ivanov
	person.IdentityDocument = &reestro.IdentityDocument{Series: "45 06", Number: "123456", IssueDate: time.Date(2002, 7, 1, 0, 0, 0, 0, time.UTC), IssuerCode: "770-001"}
	subject, err := c.CreateSubject(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"066", "77"}, CorrelationID: "batch_1", ExternalID: "ext-1"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != id || got.State != reestro.Processed || got.Type != reestro.CheckFssp || got.Err() != nil ||
		got.CorrelationID != "batch_1" || got.ExternalID != "ext-1" || got.CreatedAt.IsZero() || got.CreatedAt.Location() != time.UTC ||
		got.Fssp == nil || got.Fssp.SubjectID != subject || !reflect.DeepEqual(got.Fssp.Regions, []string{"66", "77"}) || len(got.Fssp.Results) != 2 {
		t.Fatalf("check %+v %+v", got, got.Fssp)
	}
	if r := got.Fssp.Results; r[0].Region != "66" || len(r[0].Items) != 2 || r[1].Region != "77" || r[1].Items == nil || len(r[1].Items) != 0 {
		t.Fatalf("results %+v", r)
	}
	if it := got.Fssp.Results[0].Items[0]; it != (reestro.Item{
		Name:          "ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ",
		ExeProduction: "6860/12/66061-ИП от 16.04.2012",
		Details:       "Исполнительный лист от 20.03.2012 № ВС 049652131 Верх-Исетский районный суд г. Екатеринбурга",
		Subject:       "Коммунальные платежи: 1234.56 руб. Исполнительский сбор: 86.42 руб.",
		Department:    "Верх-Исетский РОСП г. Екатеринбурга 620014, Россия, Свердловская обл., г. Екатеринбург, ул. Малышева, д. 2Б",
		Bailiff:       "НИТОЧКИНА В. И.<br>+73434246653",
		IPEnd:         "2015-06-30, 46, 1, 4",
	}) {
		t.Fatalf("item %+v", it)
	}

	// A check the server cannot run: an operator's fault rule on region 78
	// fails it as a search that kept failing.
	if a := s.st.Operator(http.MethodPost, "/operator/v1/faults", "application/json",
		`{"name":"region 78 down","job":"reestro.check","field":"fssp.regions.0","value":"78"}`); a.Status != http.StatusOK {
		t.Fatalf("fault rule: %d %s", a.Status, a.Body)
	}
	id, err = c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"78"}})
	if err != nil {
		t.Fatal(err)
	}
	failed, err := c.Wait(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var failure *reestro.CheckFailure
	if failed.State != reestro.Failed || !errors.As(failed.Err(), &failure) || failure.Code != "CheckFailed" || failure.Message == "" ||
		failed.Fssp.Results != nil || failed.CorrelationID != "" || failed.ExternalID != "" {
		t.Fatalf("failed check %+v %v", failed, failed.Err())
	}

	// The check as the listing shows it: without results or failure.
	page, err := c.ListChecks(ctx, reestro.Query{SubjectID: subject})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Checks) != 2 || page.Checks[0].ID != id || page.Checks[1].ID != got.ID || page.LastCheckID != got.ID ||
		page.Checks[0].Failure != nil || page.Checks[1].Fssp.Results != nil || page.Checks[1].CorrelationID != "batch_1" {
		t.Fatalf("listing %+v", page)
	}

	// Another organization's check is none.
	_, err = s.client(credsB).Check(ctx, got.ID)
	if apiErr := only(t, err, reestro.ErrCheckNotFound); apiErr == nil || apiErr.HTTPStatus != 404 || apiErr.Code != "notFound" || apiErr.Message != "Check not found" {
		t.Fatalf("another's check: %v", err)
	}
	// Nor is its subject.
	_, err = s.client(credsB).CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"66"}})
	if apiErr := only(t, err, reestro.ErrValidation, reestro.ErrSubjectNotFound); !reflect.DeepEqual(messages(apiErr),
		[]string{"fssp.subjectId: fssp.subjectId should be the id of a subject of the organization"}) {
		t.Fatalf("another's subject: %v", err)
	}
}

func testListing(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(credsB)
	subject, err := c.CreateSubject(ctx, reestro.Person{Surname: "Петров", Name: "Пётр", BirthDate: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string // newest first
	for i := range 5 {
		id, err := c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"77"}, CorrelationID: "list", ExternalID: fmt.Sprint("n", i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append([]string{id}, ids...)
		time.Sleep(2 * time.Millisecond) // distinct creation times
	}
	page, err := c.ListChecks(ctx, reestro.Query{CorrelationID: "list", Types: []reestro.CheckType{reestro.CheckFssp}, Count: 2})
	if err != nil || len(page.Checks) != 2 || page.Checks[0].ID != ids[0] || page.LastCheckID != ids[1] {
		t.Fatalf("first page %+v %v", page, err)
	}
	page, err = c.ListChecks(ctx, reestro.Query{CorrelationID: "list", AfterCheckID: page.LastCheckID, Count: 2})
	if err != nil || len(page.Checks) != 2 || page.Checks[0].ID != ids[2] {
		t.Fatalf("second page %+v %v", page, err)
	}
	var all []string
	for ch, err := range c.All(ctx, reestro.Query{SubjectID: subject, Count: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ch.ID)
	}
	if !reflect.DeepEqual(all, ids) {
		t.Fatalf("all %v, want %v", all, ids)
	}
	// Stopping early stops the listing.
	for range c.All(ctx, reestro.Query{SubjectID: subject, Count: 2}) {
		break
	}
	page, err = c.ListChecks(ctx, reestro.Query{ExternalID: "n3"})
	if err != nil || len(page.Checks) != 1 || page.Checks[0].ID != ids[1] {
		t.Fatalf("by externalId %+v %v", page, err)
	}
	// Nothing created before the first check, or after now.
	first, err := c.Check(ctx, ids[4])
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]reestro.Query{
		"to":    {SubjectID: subject, To: first.CreatedAt},
		"from":  {SubjectID: subject, From: time.Now().Add(time.Hour)},
		"state": {SubjectID: subject, State: reestro.Failed},
		"none":  {CorrelationID: "nobody"},
	} {
		page, err := c.ListChecks(ctx, q)
		if err != nil || page.Checks == nil || len(page.Checks) != 0 || page.LastCheckID != "" {
			t.Fatalf("%s: %+v %v", name, page, err)
		}
	}
	page, err = c.ListChecks(ctx, reestro.Query{SubjectID: subject, From: first.CreatedAt})
	if err != nil || len(page.Checks) != 4 {
		t.Fatalf("from the first: %+v %v", page, err)
	}
}

func testValidation(t *testing.T, s *stand) {
	// Every request here is off the document's schema but one.
	ctx, c := ctxT(t), s.client(credsA, malformed)
	_, err := c.ListChecks(ctx, reestro.Query{SubjectID: "not-a-guid", Types: []reestro.CheckType{"Egrn"}, State: "Done", AfterCheckID: "x", Count: 31})
	apiErr := only(t, err, reestro.ErrValidation)
	if apiErr == nil || apiErr.HTTPStatus != 400 || apiErr.Code != "validation" || apiErr.Message != "Failed to validate request" || apiErr.Target != "api" ||
		!reflect.DeepEqual(messages(apiErr), []string{
			"subjectId: subjectId should be guid", "type: type should be CheckType", "state: state should be CheckState",
			"afterCheckId: afterCheckId should be guid", "count: count should be a number not greater than 30",
		}) {
		t.Fatalf("%v", err)
	}
	_, err = c.CreateSubject(ctx, reestro.Person{Surname: "Иванов", BirthDate: time.Now().AddDate(1, 0, 0),
		IdentityDocument: &reestro.IdentityDocument{Series: "45", Number: "123456"}})
	if apiErr := only(t, err, reestro.ErrValidation); !reflect.DeepEqual(messages(apiErr), []string{
		"person.name: person.name should be a name of up to 100 characters",
		"person.birthDate: person.birthDate should be a date YYYY-MM-DD not in the future",
		"person.identityDocument.series: person.identityDocument.series should be 4 digits",
	}) {
		t.Fatalf("subject: %v", err)
	}
	_, err = c.CreateCheck(ctx, reestro.NewCheck{SubjectID: "00000000-0000-0000-0000-000000000000", Regions: []string{"66", "66"}, CorrelationID: "-x"})
	// The fields are checked before the subject is looked up.
	if apiErr := only(t, err, reestro.ErrValidation); !reflect.DeepEqual(messages(apiErr), []string{
		"correlationId: correlationId should match ^\\w{1,256}",
		"fssp.regions: fssp.regions should be a non-empty array of distinct FSSP region codes",
	}) {
		t.Fatalf("check: %v", err)
	}
	_, err = c.CreateCheck(ctx, reestro.NewCheck{SubjectID: "nope", Regions: nil})
	if apiErr := only(t, err, reestro.ErrValidation); !reflect.DeepEqual(messages(apiErr), []string{
		"fssp.subjectId: fssp.subjectId should be guid",
		"fssp.regions: fssp.regions should be a non-empty array of distinct FSSP region codes",
	}) {
		t.Fatalf("check: %v", err)
	}
	_, err = c.Check(ctx, "nope")
	if apiErr := only(t, err, reestro.ErrValidation); !reflect.DeepEqual(messages(apiErr), []string{"checkId: checkId should be guid"}) {
		t.Fatalf("check id: %v", err)
	}
	_, err = s.client(credsA).Check(ctx, "7720902d-b025-4d9b-92a1-288a61e09b9d")
	only(t, err, reestro.ErrCheckNotFound)

	// The body limit is 64 KiB, checked before the body is read.
	_, err = c.CreateSubject(ctx, reestro.Person{Surname: strings.Repeat("я", 40<<10), Name: "Сергей", BirthDate: ivanov.BirthDate})
	if apiErr := only(t, err, reestro.ErrTooLarge); apiErr == nil || apiErr.Code != "payloadTooLarge" || apiErr.Message != "Request body is too large" {
		t.Fatalf("too large: %v", err)
	}
}

func testAccess(t *testing.T, s *stand) {
	ctx := ctxT(t)
	for name, creds := range map[string]reestro.Credentials{
		"unknown key": {APIKey: "no-such-key", OrgID: orgA},
		"no key":      {OrgID: orgA},
		"no org":      {APIKey: keyA},
	} {
		_, err := s.client(creds).ListChecks(ctx, reestro.Query{})
		if apiErr := only(t, err, reestro.ErrUnauthorized); apiErr == nil || apiErr.HTTPStatus != 401 || apiErr.Code != "unauthorized" || apiErr.Message != "Authorization is required" {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, creds := range map[string]reestro.Credentials{
		"another's org": {APIKey: keyA, OrgID: orgB},
		"unknown org":   {APIKey: keyA, OrgID: "3269f58a-3d40-42e1-91ad-a4251566419c"},
	} {
		_, err := s.client(creds).CreateSubject(ctx, ivanov)
		if apiErr := only(t, err, reestro.ErrForbidden); apiErr == nil || apiErr.HTTPStatus != 403 || apiErr.Message != "Access to the organization is denied" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The key's spelling does not matter, nor does the documented prefix
	// in the base URL; another address is no API.
	if _, err := reestro.New(s.url+"/realty/assessment/v1/", reestro.Credentials{APIKey: strings.ToUpper(keyA), OrgID: orgA}).ListChecks(ctx, reestro.Query{}); err != nil {
		t.Fatal(err)
	}
	_, err := reestro.New(s.url+"/elsewhere", credsA).ListChecks(ctx, reestro.Query{})
	if apiErr := only(t, err, reestro.ErrNotFound); apiErr == nil || apiErr.HTTPStatus != 404 {
		t.Fatalf("wrong base URL: %v", err)
	}
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	_, err = reestro.New(dead.URL, credsA).ListChecks(ctx, reestro.Query{})
	var apiErr *reestro.APIError
	if err == nil || errors.As(err, &apiErr) || errors.Is(err, reestro.ErrUnavailable) {
		t.Fatalf("connection refused: %v", err)
	}
}

func testRateLimited(t *testing.T, s *stand) {
	ctx := ctxT(t)
	for range 2 {
		_, err := s.client(reestro.Credentials{APIKey: "wrong", OrgID: orgA}).ListChecks(ctx, reestro.Query{})
		only(t, err, reestro.ErrUnauthorized)
	}
	_, err := s.client(credsA).ListChecks(ctx, reestro.Query{})
	apiErr := only(t, err, reestro.ErrRateLimited)
	if apiErr == nil || apiErr.HTTPStatus != 429 || apiErr.Code != "tooManyRequests" || apiErr.RetryAfter != time.Minute {
		t.Fatalf("%#v", apiErr)
	}
}

func testUnavailable(t *testing.T, s *stand) {
	ctx, c := ctxT(t), s.client(credsA)
	subject, err := c.CreateSubject(ctx, ivanov)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"66"}})
	apiErr := only(t, err, reestro.ErrUnavailable)
	if apiErr == nil || apiErr.HTTPStatus != 503 || apiErr.Code != "unavailable" {
		t.Fatalf("%#v", apiErr)
	}
	// Wait waits it out, until its deadline.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.Wait(short, "7720902d-b025-4d9b-92a1-288a61e09b9d"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("wait on an unavailable node: %v", err)
	}
}

// TestExampleStand keeps the example's helper honest.
func TestExampleStand(t *testing.T) {
	t.Parallel()
	url, creds, stop := startExampleServer()
	defer stop()
	if _, err := reestro.New(url, creds).ListChecks(t.Context(), reestro.Query{}); err != nil {
		t.Fatal(err)
	}
}

// startExampleServer runs a node on SQLite in a temporary directory (removed when stopped) for
// the examples, which have no *testing.T.
func startExampleServer() (baseURL string, creds reestro.Credentials, stop func()) {
	tb := &stendtest.ExampleTB{}
	s := newStand(tb, storetest.OpenSQLite, 0)
	return s.url, credsA, tb.Close
}
