package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fssp"
	"stend/fssp/generate"
	"stend/operator"
	"stend/reestro"
	wholestand "stend/stand"
	"stend/stendtest"
	"stend/store/sqlstore"
)

func TestSubjectAndCheckBodiesAreValidated(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		// post sends a body off the OpenAPI document marked malformed; a
		// rule case (well-formed, refused by a rule only) goes unmarked.
		post := func(path, body string, rule bool) answer {
			do := s.doMalformed
			if rule {
				do = s.do
			}
			return do(http.MethodPost, "/realty/assessment/v1/"+path, auth(keyA, orgA), body)
		}
		for _, c := range []struct {
			body, message string
			rule          bool
		}{
			{`[]`, "body should be a JSON object", false},
			{`{"person":`, "body should be a JSON object", false},
			{`{}`, "person should be an object", false},
			{`{"person":"Иванов"}`, "person should be an object", false},
			{`{"person":{"name":"Сергей","birthDate":"1982-06-09"}}`, "person.surname should be a name of up to 100 characters", false},
			{`{"person":{"surname":"Иванов","name":"` + strings.Repeat("я", 101) + `","birthDate":"1982-06-09"}}`, "person.name should be a name of up to 100 characters", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","patronymic":"--","birthDate":"1982-06-09"}}`, "person.patronymic should be a name of up to 100 characters", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","patronymic":7,"birthDate":"1982-06-09"}}`, "person.patronymic should be a name of up to 100 characters", false},
			{`{"person":{"surname":"Иванов","name":"Сергей"}}`, "person.birthDate should be a date YYYY-MM-DD not in the future", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"09.06.1982"}}`, "person.birthDate should be a date YYYY-MM-DD not in the future", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"2025-06-12"}}`, "person.birthDate should be a date YYYY-MM-DD not in the future", true},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09","identityDocument":{"series":"45 0","number":"123456"}}}`, "person.identityDocument.series should be 4 digits", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09","identityDocument":{"series":"4506","number":"12345"}}}`, "person.identityDocument.number should be 6 digits", false},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09","identityDocument":{"series":"4506","number":"123456","issueDate":"1980-01-01"}}}`, "person.identityDocument.issueDate should be a date YYYY-MM-DD between the birth date and today", true},
			{`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09","identityDocument":{"series":"4506","number":"123456","issuer":{"issuerCode":"77"}}}}`, "person.identityDocument.issuer.issuerCode should be NNN-NNN", false},
		} {
			expect(t, post("subjects", c.body, c.rule), http.StatusBadRequest, wrong(c.message))
		}
		subject := s.mustSubject(keyA, orgA, `{"surname":"Иванов","name":"Сергей","patronymic":null,"birthDate":"1982-06-09",`+
			`"identityDocument":{"series":"45 06","number":"123456","issueDate":"2002-07-01","issuer":{"issuerCode":"770-001"}}}`)
		if _, ok := reestro.ParseGUID(subject); !ok || subject != strings.ToLower(subject) {
			t.Fatalf("subject id %q", subject)
		}
		for _, c := range []struct {
			body, message string
			rule          bool
		}{
			{`{}`, "fssp should be an object", false},
			{`{"fssp":{"regions":["77"]}}`, "fssp.subjectId should be guid", false},
			{`{"fssp":{"subjectId":"x","regions":["77"]}}`, "fssp.subjectId should be guid", false},
			{`{"fssp":{"subjectId":"` + subject + `"}}`, "fssp.regions should be a non-empty array of distinct FSSP region codes", false},
			{`{"fssp":{"subjectId":"` + subject + `","regions":[]}}`, "fssp.regions should be a non-empty array of distinct FSSP region codes", false},
			{`{"fssp":{"subjectId":"` + subject + `","regions":["77","077"]}}`, "fssp.regions should be a non-empty array of distinct FSSP region codes", true},
			{`{"fssp":{"subjectId":"` + subject + `","regions":["100"]}}`, "fssp.regions should be a non-empty array of distinct FSSP region codes", false},
			{`{"fssp":{"subjectId":"` + subject + `","regions":"77"}}`, "fssp.regions should be a non-empty array of distinct FSSP region codes", false},
			{`{"fssp":{"subjectId":"` + subject + `","regions":["77"]},"correlationId":"-x"}`, `correlationId should match ^\\w{1,256}`, false},
			{`{"fssp":{"subjectId":"` + subject + `","regions":["77"]},"externalId":5}`, `externalId should match ^\\w{1,256}`, false},
		} {
			expect(t, post("checks", c.body, c.rule), http.StatusBadRequest, wrong(c.message))
		}
		// Several wrong fields are all named.
		expect(t, post("checks", `{"correlationId":"!","fssp":{"subjectId":"x","regions":[]}}`, false), http.StatusBadRequest,
			`{"code":"validation","message":"Failed to validate request","target":"api","errors":[`+
				`{"code":"WrongFieldValue","message":"correlationId should match ^\\w{1,256}","target":"AssessmentApi"},`+
				`{"code":"WrongFieldValue","message":"fssp.subjectId should be guid","target":"AssessmentApi"},`+
				`{"code":"WrongFieldValue","message":"fssp.regions should be a non-empty array of distinct FSSP region codes","target":"AssessmentApi"}]}`)
		// Not JSON, or too large: refused before anything is read.
		req := httptest.NewRequest(http.MethodPost, "/realty/assessment/v1/checks", strings.NewReader(`{}`))
		req.Header.Set("Authorization", auth(keyA, orgA))
		req.Header.Set("Content-Type", "text/plain")
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, stendtest.Malformed(req))
		expect(t, answer{rec.Code, rec.Body.String(), rec.Header()}, http.StatusUnsupportedMediaType,
			`{"code":"unsupportedMediaType","message":"Request body must be application/json","target":"api"}`)
		big := `{"correlationId":"` + strings.Repeat("a", 70<<10) + `"}`
		expect(t, post("checks", big, false), http.StatusRequestEntityTooLarge, `{"code":"payloadTooLarge","message":"Request body is too large","target":"api"}`)
		// None of that created a check.
		expect(t, s.list(keyA, orgA, nil), http.StatusOK, `{"items":[]}`)

		// A right check, as the sample shows it; regions keep their order.
		id := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+strings.ToUpper(subject)+`","regions":["54",77]},"correlationId":"fc88aa01","externalId":"4f8e9e60"}`)
		a := s.do(http.MethodGet, "/realty/assessment/v1/checks/"+id, auth(keyA, orgA), "")
		want := `{"checkId":"` + id + `","corelationId":"fc88aa01","correlationId":"fc88aa01","externalId":"4f8e9e60",` +
			`"creationDate":"2025-06-11T09:00:00.000000Z","checkType":"Fssp","checkState":"Processing",` +
			`"fssp":{"subjectId":"` + subject + `","regions":["54","77"]}}`
		expect(t, a, http.StatusOK, want)
		// Without correlationId and externalId both keys are null.
		id = s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["66"]}}`)
		var raw map[string]json.RawMessage
		mustOK(t, s.do(http.MethodGet, "/realty/assessment/v1/checks/"+id, auth(keyA, orgA), ""), &raw)
		for _, k := range []string{"corelationId", "correlationId", "externalId"} {
			if string(raw[k]) != "null" {
				t.Fatalf("%s is %s", k, raw[k])
			}
		}
	})
}

// generatedPerson is a debtor of the generated bank, with every proceeding
// against them by region.
type generatedPerson struct {
	p        fssp.Proceeding
	byRegion map[int][]string // exe_production numbers
}

func findGeneratedPerson(seed uint64, count int64) generatedPerson {
	var all []fssp.Proceeding
	g := generate.New(seed, count)
	var p fssp.Proceeding
	for g.Next(&p) {
		all = append(all, p)
	}
	for _, cand := range all {
		if cand.Kind != fssp.DebtorPhysical || cand.Patronymic == "" {
			continue
		}
		out := generatedPerson{p: cand, byRegion: map[int][]string{}}
		for _, q := range all {
			if q.Kind == fssp.DebtorPhysical && q.LastName == cand.LastName && q.FirstName == cand.FirstName &&
				q.Patronymic == cand.Patronymic && q.BirthDate == cand.BirthDate {
				number := fmt.Sprintf("%d/%02d/%05d-ИП", q.Number.Own, q.Number.Year, q.Number.Department)
				if q.Number.Short { // as the service wrote older numbers
					number = fmt.Sprintf("%d/%02d/%02d/%02d", q.Number.Own, q.Number.Year, q.Number.Department%100, fssp.DepartmentRegion(q.Number.Department))
				}
				out.byRegion[q.Region] = append(out.byRegion[q.Region], number)
			}
		}
		return out
	}
	panic("no physical debtor generated")
}

// An Fssp check runs for real: through the node's own FSSP API, on the
// address it listens on, with the token it issues itself; the stand is a
// whole one, started as integrators start it (package stand).
func TestFsspCheckEndToEndOnTheNodesOwnFSSP(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		var sd operator.Seed
		sd.Reestro.Organizations = []operator.NewReestroOrganization{{ID: orgA, Name: "org A"}}
		sd.Reestro.Keys = []operator.NewReestroKey{{Name: keyA, Key: keyA, Organizations: []string{orgA}}}
		s := wholestand.Start(t, wholestand.Options{DatabaseURL: databaseURL, Seed: &sd})
		const seed, count = 7, 3000
		if _, err := s.Node.Operator.GenerateBank(t.Context(), seed, count, nil); err != nil {
			t.Fatal(err)
		}
		person := findGeneratedPerson(seed, count)
		other := 77
		if person.p.Region == 77 {
			other = 54
		}
		regions := []int{person.p.Region, other}
		base := s.URL + "/realty/assessment/v1/"
		call := func(method, path, body string) (int, []byte) {
			req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
			req.Header.Set("Authorization", auth(keyA, orgA))
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, b
		}
		bd := person.p.BirthDate
		status, b := call("POST", "subjects", fmt.Sprintf(`{"person":{"surname":%q,"name":%q,"patronymic":%q,"birthDate":"%s"}}`,
			strings.ToLower(person.p.LastName), person.p.FirstName, person.p.Patronymic, bd.String()))
		var subj struct{ SubjectID string }
		if status != 200 || json.Unmarshal(b, &subj) != nil {
			t.Fatalf("subject: %d %s", status, b)
		}
		status, b = call("POST", "checks", fmt.Sprintf(`{"fssp":{"subjectId":"%s","regions":["%d","%d"]}}`, subj.SubjectID, regions[0], regions[1]))
		var created struct{ CheckID string }
		if status != 200 || json.Unmarshal(b, &created) != nil {
			t.Fatalf("check: %d %s", status, b)
		}
		// As a client does: the check is looked at until it has left
		// Processing.
		var v checkView
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			status, b = call("GET", "checks/"+created.CheckID, "")
			if status != 200 || json.Unmarshal(b, &v) != nil {
				t.Fatalf("get: %d %s", status, b)
			}
			if v.CheckState != "Processing" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("check %s still Processing", created.CheckID)
			}
		}
		if v.CheckState != "Processed" || v.Error != nil || len(v.Fssp.Results) != 2 {
			t.Fatalf("check %s", b)
		}
		// Bailiffs as the FSSP API writes them: <br>, not \u003cbr\u003e.
		if strings.Contains(string(b), `\u003c`) || !strings.Contains(string(b), "<br>") {
			t.Fatalf("escaped or no <br>: %s", b)
		}
		for i, r := range v.Fssp.Results {
			if r.Region != strconv.Itoa(regions[i]) {
				t.Fatalf("result %d is of region %s", i, r.Region)
			}
			var got []string
			for _, raw := range r.Items {
				var it fsspclient.Item
				if err := json.Unmarshal(raw, &it); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(it.Name, person.p.LastName+" "+person.p.FirstName+" "+person.p.Patronymic) {
					t.Fatalf("found %q", it.Name)
				}
				got = append(got, it.Number())
			}
			want := person.byRegion[regions[i]]
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("region %d: found %v, want %v", regions[i], got, want)
			}
		}
		if len(person.byRegion[regions[0]]) == 0 {
			t.Fatal("the person's own region found nothing")
		}
		// The listing shows the check Processed, without its results.
		status, b = call("GET", "checks?state=Processed", "")
		if status != 200 || !strings.Contains(string(b), created.CheckID) || strings.Contains(string(b), "results") {
			t.Fatalf("listing: %d %s", status, b)
		}
	})
}

// waitDone waits until the check has left Processing.
func (s *stand) waitDone(id string) {
	s.t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		c, err := s.store.Reestro().Check(context.Background(), 0, id)
		if err != nil {
			s.t.Fatal(err)
		}
		if c.State != reestro.CheckProcessing {
			return
		}
		select {
		case <-s.events:
		case <-deadline:
			s.t.Fatalf("check %s still Processing", id)
		}
	}
}

// Over the FSSP token's limit the check waits as long as the FSSP API asks
// (Retry-After), then finishes.
func TestRateLimitedChecksRetryAfterTheFSSPAsks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{running: true, fsspLimits: &fssp.Limits{GroupPerDay: 1}, deadline: 72 * time.Hour,
			backoff: func(int) time.Duration { return time.Second }})
		subject := s.mustSubject(keyA, orgA, ivanov)
		first := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		s.waitDone(first)
		if v := s.check(keyA, orgA, first); v.CheckState != "Processed" {
			t.Fatalf("first check %+v", v)
		}
		second := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["66"]}}`)
		var retried stend.Job
		for retried.ID == 0 {
			select {
			case j := <-s.events:
				if j.Kind == reestro.CheckJobKind && strings.Contains(string(j.Args), second) {
					retried = j
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the second check's job did not run")
			}
		}
		j, err := s.store.Job(context.Background(), retried.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != stend.JobAvailable || !strings.Contains(j.LastError, "429") || j.RunAt.Sub(s.clock.Now()) < time.Hour {
			t.Fatalf("rate-limited job: %+v (now %v)", j, s.clock.Now())
		}
		if v := s.check(keyA, orgA, second); v.CheckState != "Processing" {
			t.Fatalf("second check %+v", v)
		}
		s.clock.Set(j.RunAt.Add(time.Second))
		s.waitDone(second)
		if v := s.check(keyA, orgA, second); v.CheckState != "Processed" || len(v.Fssp.Results) != 1 || v.Fssp.Results[0].Region != "66" {
			t.Fatalf("second check after the wait %+v", v)
		}
	})
}

// No check stays in Processing for ever: past its deadline the sweeper
// fails it, and a job that keeps failing fails it on its last attempt.
func TestChecksNeverStayProcessing(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{running: true, manual: true})
		subject := s.mustSubject(keyA, orgA, ivanov)
		stuck := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		s.clock.Set(s.clock.Now().Add(time.Hour + time.Minute))
		if n, err := s.node.Reestro.Sweep(t.Context()); err != nil || n != 1 {
			t.Fatalf("sweep: %d %v", n, err)
		}
		v := s.check(keyA, orgA, stuck)
		if v.CheckState != "Failed" || v.Error == nil || v.Error.Code != "CheckFailed" || v.Error.Message != "The FSSP search did not finish in time" {
			t.Fatalf("stuck check %+v", v)
		}

		// An FSSP API that cannot be reached: every attempt fails.
		down := httptest.NewServer(http.NotFoundHandler())
		down.Close()
		s.node.Reestro.UseFSSP(fsspclient.New(down.URL, "any-token-at-all"))
		failing := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		s.startJobs()
		s.waitDone(failing)
		v = s.check(keyA, orgA, failing)
		if v.CheckState != "Failed" || v.Error == nil || !strings.HasPrefix(v.Error.Message, "The FSSP search kept failing: ") {
			t.Fatalf("failing check %+v", v)
		}
		// The job stopped with the check: nothing is left to retry.
		if n, err := s.node.Reestro.Sweep(t.Context()); err != nil || n != 0 {
			t.Fatalf("sweep after: %d %v", n, err)
		}
	})
}

// An FSSP API that rejects the search fails the check at once: asking
// again would get the same answer. The rejection is the real API's, to a
// search a proxy in front of it spoils.
func TestChecksTheFSSPRejectsFailAtOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{running: true})
		target, _ := url.Parse(s.fssp.URL)
		proxy := httputil.NewSingleHostReverseProxy(target)
		spoil := proxy.Director
		proxy.Director = func(r *http.Request) {
			spoil(r)
			if r.Body != nil {
				b, _ := io.ReadAll(r.Body)
				b = bytes.ReplaceAll(b, []byte(`"lastname"`), []byte(`"surname"`))
				r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
				stendtest.Malformed(r) // off the FSSP document now: its answer is still checked
			}
		}
		spoiler := httptest.NewServer(proxy)
		t.Cleanup(spoiler.Close)
		s.node.Reestro.UseFSSP(fsspclient.New(spoiler.URL, "reestro-fssp-token"))
		subject := s.mustSubject(keyA, orgA, ivanov)
		id := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		s.waitDone(id)
		v := s.check(keyA, orgA, id)
		if v.CheckState != "Failed" || v.Error == nil || v.Error.Message != "The FSSP API rejected the search: invalid request params" {
			t.Fatalf("rejected check %+v", v)
		}
	})
}

// TestClockMovedPastTheDeadlineFailsChecks: an operator moves the stand's
// clock past a check's deadline; when the call answers, the check is
// Failed, with no sweep waited for.
func TestClockMovedPastTheDeadlineFailsChecks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		subject := s.mustSubject(keyA, orgA, ivanov)
		stuck := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		if a := s.stand.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"59m"}`); a.Status != http.StatusOK {
			t.Fatalf("advance: %d %s", a.Status, a.Body)
		}
		if v := s.check(keyA, orgA, stuck); v.CheckState != "Processing" {
			t.Fatalf("before its deadline: %+v", v)
		}
		if a := s.stand.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"2m"}`); a.Status != http.StatusOK {
			t.Fatalf("advance: %d %s", a.Status, a.Body)
		}
		v := s.check(keyA, orgA, stuck)
		if v.CheckState != "Failed" || v.Error == nil || v.Error.Message != "The FSSP search did not finish in time" {
			t.Fatalf("past its deadline: %+v", v)
		}
	})
}

// A burst of checks larger than the runner's workers all finish, none of
// their jobs failing an attempt: a check's job gives its worker back while
// its FSSP search runs. Checks once held every worker waiting for searches
// queued behind them, failed when their wait ran out and stalled a burst
// of 20 for half a minute.
func TestABurstOfChecksLargerThanTheWorkersFinishes(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{running: true, workers: 2})
		subject := s.mustSubject(keyA, orgA, ivanov)
		var ids []string
		for range 8 {
			var out struct{ CheckID string }
			mustOK(t, s.do(http.MethodPost, "/realty/assessment/v1/checks", auth(keyA, orgA), `{"fssp":{"subjectId":"`+subject+`","regions":["77","66"]}}`), &out)
			ids = append(ids, out.CheckID)
		}
		for _, id := range ids {
			s.waitDone(id)
			if v := s.check(keyA, orgA, id); v.CheckState != "Processed" || len(v.Fssp.Results) != 2 {
				t.Fatalf("check %s: %+v", id, v)
			}
		}
		// A check is Processed just before its job's completion is
		// recorded: wait for the records.
		deadline := time.After(60 * time.Second)
		for {
			var unsettled int
			if err := s.store.ReadDB().QueryRow(`SELECT count(*) FROM jobs WHERE kind = '` + reestro.CheckJobKind + `' AND state IN ('running', 'available')`).Scan(&unsettled); err != nil {
				t.Fatal(err)
			}
			if unsettled == 0 {
				break
			}
			select {
			case <-s.events:
			case <-deadline:
				t.Fatalf("%d check jobs still unfinished", unsettled)
			}
		}
		rows, err := s.store.ReadDB().Query(`SELECT id, attempt, state, coalesce(last_error, '') FROM jobs WHERE kind = '` + reestro.CheckJobKind + `' AND (attempt <> 1 OR last_error IS NOT NULL OR state <> 'completed')`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var attempt int
			var state, lastError string
			if err := rows.Scan(&id, &attempt, &state, &lastError); err != nil {
				t.Fatal(err)
			}
			t.Errorf("check job %d failed an attempt: attempt %d, %s, %q", id, attempt, state, lastError)
		}
	})
}
