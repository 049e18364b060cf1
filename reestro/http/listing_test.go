package http_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"stend/reestro"
	"stend/store/sqlstore"
)

// wrong is the document's 400 body for one wrong field.
func wrong(message string) string {
	return `{"code":"validation","message":"Failed to validate request","target":"api","errors":[{"code":"WrongFieldValue","message":"` +
		message + `","target":"AssessmentApi"}]}`
}

func expect(t *testing.T, a answer, status int, body string) {
	t.Helper()
	if a.status != status || strings.TrimSpace(a.body) != body {
		t.Fatalf("got %d %s\nwant %d %s", a.status, a.body, status, body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestEveryParameterIsCheckedAgainstItsFormat(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		subject := s.mustSubject(keyA, orgA, ivanov)
		id := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		long := strings.Repeat("a", 257)
		for _, c := range []struct {
			query, message string
		}{
			{"subjectId=3f813a2f-958b-499b-90c7-a038d98955c", "subjectId should be guid"},
			{"subjectId=not-a-guid", "subjectId should be guid"},
			{"correlationId=-abc", `correlationId should match ^\\w{1,256}`},
			{"correlationId=" + long, `correlationId should match ^\\w{1,256}`},
			{"externalId=%20x", `externalId should match ^\\w{1,256}`},
			{"type=Rosreestr", "type should be CheckType"},
			{"type=Fssp&type=Egrn", "type should be CheckType"},
			{"state=Done", "state should be CheckState"},
			{"from=yesterday", "from should be date-time"},
			{"from=2025-13-01", "from should be date-time"},
			{"to=2025-06-11T25:00:00Z", "to should be date-time"},
			{"afterCheckId=7720902d", "afterCheckId should be guid"},
			{"count=31", "count should be a number not greater than 30"},
			{"count=-1", "count should be a number not greater than 30"},
			{"count=ten", "count should be a number not greater than 30"},
			{"count=1e1", "count should be a number not greater than 30"},
			{"count=100000000000000000000", "count should be a number not greater than 30"},
		} {
			// Each value is out of the format the OpenAPI document gives.
			q, _ := url.ParseQuery(c.query)
			expect(t, s.listMalformed(keyA, orgA, q), http.StatusBadRequest, wrong(c.message))
		}
		// Every wrong field is named, in the document's order.
		a := s.listMalformed(keyA, orgA, url.Values{"count": {"99"}, "subjectId": {"x"}})
		want := `{"code":"validation","message":"Failed to validate request","target":"api","errors":[` +
			`{"code":"WrongFieldValue","message":"subjectId should be guid","target":"AssessmentApi"},` +
			`{"code":"WrongFieldValue","message":"count should be a number not greater than 30","target":"AssessmentApi"}]}`
		expect(t, a, http.StatusBadRequest, want)
		// What is right is accepted in its every documented form.
		for _, q := range []string{
			"", "subjectId=" + strings.ToUpper(subject), "subjectId={" + subject + "}", "subjectId=" + strings.ReplaceAll(subject, "-", ""),
			"correlationId=fc88aa01-c2f2-4498", "correlationId=группа_1", "externalId=" + strings.Repeat("z", 256),
			"type=Fssp", "type=fssp&type=FSSP", "type=Fssp,fssp", "state=Processing", "state=processed", "state=Failed",
			"from=2011-01-01T15:03:01.012345Z", "from=2011-01-01T15:03", "from=2011-01-01", "to=2030-01-01T00:00:00+03:00",
			"to=2030-01-01T00:00:00%2003:00", "afterCheckId=" + id, "count=0", "count=30", "count=007",
			"subjectId=&count=", // empty is not given
		} {
			query, _ := url.ParseQuery(q)
			if a := s.list(keyA, orgA, query); a.status != http.StatusOK {
				t.Fatalf("%s: %d %s", q, a.status, a.body)
			}
		}
	})
}

func TestListingFiltersOrderAndPages(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		ivan := s.mustSubject(keyA, orgA, ivanov)
		anna := s.mustSubject(keyA, orgA, `{"surname":"Петрова","name":"Анна","birthDate":"2000-12-31"}`)
		start := s.clock.Now()
		var all []string // creation order
		for i := range 40 {
			subject := ivan
			if i%4 == 0 {
				subject = anna
			}
			body := fmt.Sprintf(`{"fssp":{"subjectId":"%s","regions":["77","54"]},"correlationId":"group%d","externalId":"ext%d"}`, subject, i%3, i)
			all = append(all, s.mustCheck(keyA, orgA, body))
		}
		// Another organization's checks never show.
		bSubject := s.mustSubject(keyB, orgB, ivanov)
		s.mustCheck(keyB, orgB, `{"fssp":{"subjectId":"`+bSubject+`","regions":["77"]},"correlationId":"group0","externalId":"ext1"}`)
		newest := slices.Clone(all)
		slices.Reverse(newest)
		// Some finish, so that state filters something.
		ctx := t.Context()
		for i, id := range all {
			switch i % 5 {
			case 1:
				if err := s.store.Reestro().FinishCheck(ctx, id, reestro.CheckProcessed, []byte(`[]`), "", s.clock.Now()); err != nil {
					t.Fatal(err)
				}
			case 2:
				if err := s.store.Reestro().FinishCheck(ctx, id, reestro.CheckFailed, nil, "x", s.clock.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}

		var l listed
		mustOK(t, s.list(keyA, orgA, nil), &l)
		if !slices.Equal(l.ids(), newest[:30]) || l.LastCheckID == nil || *l.LastCheckID != newest[29] {
			t.Fatalf("no parameters: %v, last %v", l.ids(), l.LastCheckID)
		}
		first := l.Items[0]
		if first.CorelationID == nil || *first.CorelationID != "group0" || first.CorrelationID == nil || *first.CorrelationID != "group0" ||
			first.ExternalID == nil || *first.ExternalID != "ext39" || first.CheckType != "Fssp" || first.CheckState != "Processing" ||
			first.Fssp == nil || first.Fssp.SubjectID != ivan || !slices.Equal(first.Fssp.Regions, []string{"77", "54"}) ||
			first.CreationDate != start.Add(39*time.Second).Format("2006-01-02T15:04:05.000000Z") || first.Fssp.Results != nil {
			t.Fatalf("first item %+v", first)
		}

		// Pages: afterCheckId continues exactly after the check named.
		mustOK(t, s.list(keyA, orgA, url.Values{"afterCheckId": {*l.LastCheckID}}), &l)
		if !slices.Equal(l.ids(), newest[30:]) || *l.LastCheckID != newest[39] {
			t.Fatalf("second page %v", l.ids())
		}
		var got []string
		after := ""
		for {
			q := url.Values{"count": {"7"}}
			if after != "" {
				q.Set("afterCheckId", after)
			}
			var page listed
			mustOK(t, s.list(keyA, orgA, q), &page)
			if len(page.Items) == 0 {
				if page.LastCheckID != nil {
					t.Fatalf("empty page with lastCheckId %s", *page.LastCheckID)
				}
				break
			}
			if len(page.Items) > 7 || *page.LastCheckID != page.Items[len(page.Items)-1].CheckID {
				t.Fatalf("page %v last %s", page.ids(), *page.LastCheckID)
			}
			got = append(got, page.ids()...)
			after = *page.LastCheckID
		}
		if !slices.Equal(got, newest) {
			t.Fatalf("pages %v\nwant %v", got, newest)
		}

		// Filters, alone and together, against what they must select.
		type pick func(i int) bool
		for _, c := range []struct {
			q    url.Values
			want pick
		}{
			{url.Values{"subjectId": {anna}}, func(i int) bool { return i%4 == 0 }},
			{url.Values{"correlationId": {"group1"}}, func(i int) bool { return i%3 == 1 }},
			{url.Values{"externalId": {"ext7"}}, func(i int) bool { return i == 7 }},
			{url.Values{"state": {"Processed"}}, func(i int) bool { return i%5 == 1 }},
			{url.Values{"state": {"Processing"}}, func(i int) bool { return i%5 > 2 || i%5 == 0 }},
			{url.Values{"type": {"Fssp"}}, func(i int) bool { return true }},
			{url.Values{"from": {start.Add(9 * time.Second).Format(time.RFC3339)}}, func(i int) bool { return i > 9 }},
			{url.Values{"to": {start.Add(3 * time.Second).Format(time.RFC3339)}}, func(i int) bool { return i < 3 }},
			{url.Values{"from": {start.Add(9*time.Second + 500*time.Millisecond).Format(time.RFC3339Nano)}, "to": {start.Add(20 * time.Second).Format("2006-01-02T15:04:05")}},
				func(i int) bool { return i > 9 && i < 20 }},
			{url.Values{"subjectId": {ivan}, "correlationId": {"group2"}, "state": {"Failed"}}, func(i int) bool { return i%4 != 0 && i%3 == 2 && i%5 == 2 }},
			{url.Values{"correlationId": {"group0"}, "externalId": {"ext1"}}, func(i int) bool { return false }},
			{url.Values{"subjectId": {bSubject}}, func(i int) bool { return false }},
		} {
			var want []string
			for i := len(all) - 1; i >= 0; i-- {
				if c.want(i) {
					want = append(want, all[i])
				}
			}
			want = want[:min(len(want), 30)]
			var l listed
			mustOK(t, s.list(keyA, orgA, c.q), &l)
			if !slices.Equal(l.ids(), want) {
				t.Fatalf("%v: %v\nwant %v", c.q, l.ids(), want)
			}
			if len(want) == 0 && (l.LastCheckID != nil || l.Items == nil) {
				t.Fatalf("%v: empty answer %+v", c.q, l)
			}
		}
		// The empty answer is exactly the document's.
		a := s.list(keyA, orgA, url.Values{"externalId": {"nothing"}})
		if a.status != http.StatusOK || strings.TrimSpace(a.body) != `{"items":[]}` {
			t.Fatalf("empty: %d %s", a.status, a.body)
		}
		if a := s.list(keyA, orgA, url.Values{"count": {"0"}}); strings.TrimSpace(a.body) != `{"items":[]}` {
			t.Fatalf("count=0: %s", a.body)
		}
	})
}

// Checks created in the same microsecond keep one order, newest first,
// across pages: the creation sequence breaks the tie.
func TestEqualCreationTimesPageWithoutLossOrRepeat(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		subject := s.mustSubject(keyA, orgA, ivanov)
		var all []string
		for range 9 {
			var out struct{ CheckID string }
			mustOK(t, s.do(http.MethodPost, "/realty/assessment/v1/checks", auth(keyA, orgA), `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`), &out)
			all = append(all, out.CheckID)
		}
		slices.Reverse(all)
		var got []string
		after := ""
		for range 5 {
			q := url.Values{"count": {"2"}}
			if after != "" {
				q.Set("afterCheckId", after)
			}
			var page listed
			mustOK(t, s.list(keyA, orgA, q), &page)
			got = append(got, page.ids()...)
			if page.LastCheckID != nil {
				after = *page.LastCheckID
			}
		}
		if !slices.Equal(got, all) {
			t.Fatalf("%v\nwant %v", got, all)
		}
	})
}
