package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"stend/journal"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// operatorJSON calls the operator API and decodes a 200 answer into out.
func operatorJSON(t *testing.T, s *stendtest.Stand, path string, out any) {
	t.Helper()
	a := s.Operator(http.MethodGet, path, "", "")
	if a.Status != http.StatusOK {
		t.Fatalf("%s: %d %s", path, a.Status, a.Body)
	}
	if err := json.Unmarshal([]byte(a.Body), out); err != nil {
		t.Fatalf("%s: %v in %s", path, err, a.Body)
	}
}

// operatorRefuses asserts that path answers status with message.
func operatorRefuses(t *testing.T, s *stendtest.Stand, path string, status int, message string) {
	t.Helper()
	refused(t, path, s.Operator(http.MethodGet, path, "", ""), status, message)
}

// operatorRefusesMalformed is operatorRefuses for a request that breaks the
// operator document on purpose.
func operatorRefusesMalformed(t *testing.T, s *stendtest.Stand, path string, status int, message string) {
	t.Helper()
	refused(t, path, operatorMalformed(s, http.MethodGet, path, "", ""), status, message)
}

func refused(t *testing.T, path string, a stendtest.Answer, status int, message string) {
	t.Helper()
	if a.Status != status || !strings.Contains(a.Body, message) {
		t.Errorf("%s: %d %s, want %d with %q", path, a.Status, a.Body, status, message)
	}
}

// operatorMalformed is s.Operator for a request that breaks the operator
// document on purpose: the contract check exempts it and checks the answer.
func operatorMalformed(s *stendtest.Stand, method, path, contentType, body string) stendtest.Answer {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return s.Serve(stendtest.Malformed(req))
}

// operatorAs is s.Operator, or operatorMalformed when the requests break the
// operator document on purpose.
func operatorAs(s *stendtest.Stand, malformed bool) func(method, path, contentType, body string) stendtest.Answer {
	if !malformed {
		return s.Operator
	}
	return func(method, path, contentType, body string) stendtest.Answer {
		return operatorMalformed(s, method, path, contentType, body)
	}
}

// The journal newest first, before an entry, with the listing's filters;
// a request just answered is in it.
func TestNewestJournal(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		provisionEveryAPI(t, s, secrets)
		for i := range 3 {
			callAPI(s, http.MethodGet, fmt.Sprintf("/api/v1.0/status?token=fssp-secret&task=00000000-0000-4000-8000-%012d", i), "")
		}
		callAPI(s, http.MethodGet, "/public/api/v1/badge", "", "X-Auth-Token", "motivity-secret")
		ids := func(path string) []int64 {
			t.Helper()
			var out struct{ Entries []journal.Entry }
			operatorJSON(t, s, path, &out)
			var ids []int64
			for _, e := range out.Entries {
				ids = append(ids, e.ID)
			}
			return ids
		}
		all := ids("/operator/v1/journal/newest")
		if len(all) != 4 || !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
			t.Fatalf("newest first: %v", all)
		}
		if got := ids("/operator/v1/journal/newest?limit=2"); !slices.Equal(got, all[:2]) {
			t.Errorf("limit 2: %v, want %v", got, all[:2])
		}
		if got := ids(fmt.Sprintf("/operator/v1/journal/newest?limit=2&beforeId=%d", all[1])); !slices.Equal(got, all[2:]) {
			t.Errorf("before %d: %v, want %v", all[1], got, all[2:])
		}
		if got := ids("/operator/v1/journal/newest?api=fssp&path=/api/v1.0/status"); !slices.Equal(got, all[1:]) {
			t.Errorf("fssp: %v, want %v", got, all[1:])
		}
		if got := ids("/operator/v1/journal/newest?credential=PUBLIC_API_TOKEN"); !slices.Equal(got, all[:1]) {
			t.Errorf("motivity: %v, want %v", got, all[:1])
		}
		if got := ids("/operator/v1/journal/newest?afterId=" + fmt.Sprint(all[0])); !slices.Equal(got, all) {
			t.Errorf("afterId is not a filter of the newest: %v, want %v", got, all)
		}
		operatorRefusesMalformed(t, s, "/operator/v1/journal/newest?beforeId=-1", http.StatusBadRequest, "beforeId must be a non-negative integer")
		operatorRefusesMalformed(t, s, "/operator/v1/journal/newest?since=yesterday", http.StatusBadRequest, "since and until are RFC 3339 instants")
	})
}

// Organizations and users are found by a part of their names, as
// written, and paged by id.
func TestSearchOrganizationsAndUsers(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		for _, o := range []string{`{"name":"Альфа центр","username":"alpha"}`, `{"name":"Бета","username":"beta-centre"}`, `{"name":"Гамма центр","username":"gamma"}`} {
			if a := s.Operator(http.MethodPost, "/operator/v1/migrant-exam/organizations", "application/json", o); a.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", o, a.Status, a.Body)
			}
		}
		orgs := func(query string) []string {
			t.Helper()
			var out struct{ Organizations []operator.Organization }
			operatorJSON(t, s, "/operator/v1/search/migrant-exam/organizations?"+query, &out)
			var names []string
			for _, o := range out.Organizations {
				names = append(names, o.Username)
			}
			return names
		}
		for query, want := range map[string][]string{
			"":                              {"alpha", "beta-centre", "gamma"},
			"q=" + url.QueryEscape("центр"): {"alpha", "gamma"},
			"q=centre":                      {"beta-centre"},
			"q=" + url.QueryEscape("Центр"): nil, // case matters, alike on both stores
			"q=" + url.QueryEscape("центр") + "&limit=1":           {"alpha"},
			"q=" + url.QueryEscape("центр") + "&limit=1&afterId=1": {"gamma"},
		} {
			if got := orgs(query); !slices.Equal(got, want) {
				t.Errorf("organizations %q: %v, want %v", query, got, want)
			}
		}
		operatorRefusesMalformed(t, s, "/operator/v1/search/migrant-exam/organizations?q="+strings.Repeat("x", 201), http.StatusBadRequest, "q: at most 200 bytes")
		operatorRefuses(t, s, "/operator/v1/search/migrant-exam/organizations?q=%00", http.StatusBadRequest, "without U+0000")
		operatorRefusesMalformed(t, s, "/operator/v1/search/migrant-exam/organizations?afterId=x", http.StatusBadRequest, "afterId must be a non-negative integer")

		for _, u := range []string{`{"identifier":"anna@example.ru","name":"Анна Иванова"}`, `{"identifier":"petr@example.ru","name":"Пётр","email":"petr@corp.example"}`,
			`{"identifier":"old@example.ru","name":"Бывший Иванов"}`} {
			if a := s.Operator(http.MethodPost, "/operator/v1/motivity/users", "application/json", u); a.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", u, a.Status, a.Body)
			}
		}
		if a := s.Operator(http.MethodDelete, "/operator/v1/motivity/users/old@example.ru", "", ""); a.Status != http.StatusOK {
			t.Fatalf("delete: %d %s", a.Status, a.Body)
		}
		users := func(query string) []string {
			t.Helper()
			var out struct{ Users []operator.MotivityUser }
			operatorJSON(t, s, "/operator/v1/search/motivity/users?"+query, &out)
			var ids []string
			for _, u := range out.Users {
				ids = append(ids, u.Identifier)
			}
			return ids
		}
		for query, want := range map[string][]string{
			"q=" + url.QueryEscape("Иванов"): {"anna@example.ru", "old@example.ru"}, // deleted users too
			"q=corp.example":                 {"petr@example.ru"},
			"q=petr@":                        {"petr@example.ru"},
			"q=example.ru&limit=2":           {"anna@example.ru", "petr@example.ru"},
			"q=nobody":                       nil,
		} {
			if got := users(query); !slices.Equal(got, want) {
				t.Errorf("users %q: %v, want %v", query, got, want)
			}
		}
		operatorRefusesMalformed(t, s, "/operator/v1/search/motivity/users?limit=-1", http.StatusBadRequest, "limit must be a non-negative integer")
	})
}

// A badge's holders are the users holding it or one of its grades.
func TestBadgeHolders(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		provisionEveryAPI(t, s, secrets)
		badge := `{"id":93,"image":"https://example.ru/b.svg","texts":{"ru":{"title":"Спорт","popupDescription":"!"}},
			"grades":[{"id":98,"grade":1,"image":"https://example.ru/1.svg","texts":{"ru":{"title":"1","popupDescription":"!"}}}]}`
		if a := s.Operator(http.MethodPost, "/operator/v1/motivity/badges", "application/json", badge); a.Status != http.StatusOK {
			t.Fatalf("badge: %d %s", a.Status, a.Body)
		}
		for _, id := range []string{"a@example.ru", "b@example.ru", "c@example.ru"} {
			if a := s.Operator(http.MethodPost, "/operator/v1/motivity/users", "application/json", `{"identifier":"`+id+`"}`); a.Status != http.StatusOK {
				t.Fatalf("user: %d %s", a.Status, a.Body)
			}
		}
		for target, users := range map[string]string{"98": `["a@example.ru","c@example.ru"]`} {
			if st, body := callAPI(s, http.MethodPost, "/public/api/v1/badge/"+target+"/assign", `{"userId":`+users+`}`, "X-Auth-Token", "motivity-secret",
				"Content-Type", "application/json"); st != http.StatusOK {
				t.Fatalf("assign: %d %s", st, body)
			}
		}
		holders := func(query string) []string {
			t.Helper()
			var out struct{ Holders []operator.BadgeHolder }
			operatorJSON(t, s, "/operator/v1/motivity/badges/"+query, &out)
			var got []string
			for _, h := range out.Holders {
				got = append(got, fmt.Sprintf("%s:%d", h.Identifier, h.BadgeID))
				if h.Since.IsZero() {
					t.Errorf("%s: no time", h.Identifier)
				}
			}
			return got
		}
		if got, want := holders("93/holders"), []string{"a@example.ru:98", "c@example.ru:98"}; !slices.Equal(got, want) {
			t.Errorf("holders of the badge: %v, want %v", got, want)
		}
		if got, want := holders("98/holders?limit=1"), []string{"a@example.ru:98"}; !slices.Equal(got, want) {
			t.Errorf("holders of the grade, a page: %v, want %v", got, want)
		}
		var out struct{ Holders []operator.BadgeHolder }
		operatorJSON(t, s, "/operator/v1/motivity/badges/98/holders?limit=1", &out)
		if got := holders(fmt.Sprintf("98/holders?afterId=%d", out.Holders[0].UserID)); !slices.Equal(got, []string{"c@example.ru:98"}) {
			t.Errorf("the next page: %v", got)
		}
		operatorRefuses(t, s, "/operator/v1/motivity/badges/7/holders", http.StatusNotFound, "")
	})
}

// A token's use of each window of its limits, as a submission counts it.
func TestFSSPTokenUsage(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		a := s.Operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json",
			`{"name":"counted","token":"counted-token","limits":{"singlePerHour":5,"groupPerDay":0}}`)
		var issued struct{ ID int64 }
		if a.Status != http.StatusCreated || json.Unmarshal([]byte(a.Body), &issued) != nil {
			t.Fatalf("issue: %d %s", a.Status, a.Body)
		}
		for range 2 {
			if st, body := callAPI(s, http.MethodGet, "/api/v1.0/search/physical?token=counted-token&region=66&lastname=Иванов&firstname=Сергей", ""); st != http.StatusOK {
				t.Fatalf("search: %d %s", st, body)
			}
		}
		var out struct{ Windows []operator.TokenWindow }
		operatorJSON(t, s, fmt.Sprintf("/operator/v1/fssp/tokens/%d/usage", issued.ID), &out)
		var got []string
		for _, w := range out.Windows {
			got = append(got, fmt.Sprintf("%s %s %d/%d %v", w.Class, w.Span, w.Used, w.Limit, w.FreesAt != nil))
		}
		// No group window: a limit of 0 is none.
		if want := []string{"single 1h0m0s 2/5 true", "single 24h0m0s 2/1000 true"}; !slices.Equal(got, want) {
			t.Errorf("usage: %v, want %v", got, want)
		}
		if w := out.Windows[0]; !w.FreesAt.Equal(stendtest.Now.Add(time.Hour)) {
			t.Errorf("the hour's first search is counted until %v, want %v", w.FreesAt, stendtest.Now.Add(time.Hour))
		}
		operatorRefuses(t, s, "/operator/v1/fssp/tokens/999/usage", http.StatusNotFound, "")
	})
}

// An organization's Reestro checks, filtered and paged as the API pages
// them, each with its subject and what it found.
func TestReestroChecksForOperators(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		// A running clock: a check waits for its FSSP search in snoozes;
		// served, the node searches with its own FSSP token.
		cfg := stendtest.Config()
		cfg.ReestroFSSPPollMax = 20 * time.Millisecond
		s := stendtest.On(t, store.Open(t), stendtest.NewRunningClock(stendtest.Now), stendtest.Options{Config: &cfg})
		provisionEveryAPI(t, s, secrets)
		serve(t, s)
		auth := "ReestroAuth apiKey=reestro-secret-key&portal.orgid=" + secrets.reestroOrg
		st, body := callAPI(s, http.MethodPost, "/realty/assessment/v1/subjects", `{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09"}}`,
			"Authorization", auth, "Content-Type", "application/json")
		var subject struct{ SubjectID string }
		if st != http.StatusOK && st != http.StatusCreated || json.Unmarshal([]byte(body), &subject) != nil {
			t.Fatalf("subject: %d %s", st, body)
		}
		var checks []string
		for _, corr := range []string{"one", "two", "one"} {
			st, body := callAPI(s, http.MethodPost, "/realty/assessment/v1/checks", `{"fssp":{"subjectId":"`+subject.SubjectID+`","regions":["66"]},"correlationId":"`+corr+`"}`,
				"Authorization", auth, "Content-Type", "application/json")
			var c struct{ CheckID string }
			if st != http.StatusOK && st != http.StatusCreated || json.Unmarshal([]byte(body), &c) != nil {
				t.Fatalf("check: %d %s", st, body)
			}
			checks = append(checks, c.CheckID)
		}
		base := "/operator/v1/reestro/organizations/" + secrets.reestroOrg + "/checks"
		list := func(query string) []string {
			t.Helper()
			var out struct{ Checks []operator.ReestroCheck }
			operatorJSON(t, s, base+"?"+query, &out)
			var ids []string
			for _, c := range out.Checks {
				ids = append(ids, c.ID)
			}
			return ids
		}
		all := list("")
		if len(all) != 3 {
			t.Fatalf("checks: %v", all)
		}
		if got := list("correlationId=one"); len(got) != 2 || slices.Contains(got, checks[1]) {
			t.Errorf("correlationId=one: %v (checks %v)", got, checks)
		}
		if got := list("limit=1&afterId=" + all[0]); !slices.Equal(got, all[1:2]) {
			t.Errorf("the second page: %v, want %v", got, all[1:2])
		}
		if got := list("subjectId=00000000-0000-4000-8000-000000000000"); got != nil {
			t.Errorf("another subject: %v", got)
		}
		operatorRefusesMalformed(t, s, base+"?subjectId=nobody", http.StatusBadRequest, "subjectId and afterId are GUIDs")
		operatorRefusesMalformed(t, s, base+"?afterId=nobody", http.StatusBadRequest, "subjectId and afterId are GUIDs")
		var check operator.ReestroCheck
		for range 3000 {
			operatorJSON(t, s, base+"/"+checks[0], &check)
			if check.State != "Processing" {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if check.State != "Processed" || len(check.Result) == 0 || check.Subject == nil || check.Subject.Surname != "Иванов" ||
			check.Subject.BirthDate != "1982-06-09" || !slices.Equal(check.Regions, []string{"66"}) || check.CorrelationID != "one" || check.Type != "Fssp" {
			t.Errorf("check: %+v", check)
		}
		operatorRefusesMalformed(t, s, base+"?state=Lost", http.StatusBadRequest, "state is Processing, Processed or Failed")
		// Bounded in characters, as the Reestro API bounds them.
		for _, name := range []string{"correlationId", "externalId"} {
			if got := list(name + "=" + strings.Repeat("я", 256)); got != nil {
				t.Errorf("%s of 256 characters: %v", name, got)
			}
			operatorRefusesMalformed(t, s, base+"?"+name+"="+strings.Repeat("a", 257), http.StatusBadRequest,
				"correlationId and externalId are at most 256 characters")
		}
		operatorRefusesMalformed(t, s, base+"/"+strings.ToLower(checks[0])+"x", http.StatusNotFound, "")
		operatorRefuses(t, s, "/operator/v1/reestro/organizations/00000000-0000-4000-8000-000000000000/checks", http.StatusNotFound, "no such Reestro organization")
		if a := s.Operator(http.MethodPost, "/operator/v1/reestro/organizations", "application/json", `{"name":"Другая"}`); a.Status != http.StatusCreated {
			t.Fatalf("org: %d %s", a.Status, a.Body)
		} else {
			var other operator.ReestroOrganization
			_ = json.Unmarshal([]byte(a.Body), &other)
			operatorRefuses(t, s, "/operator/v1/reestro/organizations/"+other.ID+"/checks/"+checks[0], http.StatusNotFound, "")
			if got := list(""); len(got) != 3 {
				t.Errorf("after another organization: %v", got)
			}
		}
	})
}

// A file's bytes, as uploaded, named for saving.
func TestMotivityFileContent(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		content := "%PDF-1.4 отчёт"
		a := s.Operator(http.MethodPost, "/operator/v1/motivity/files?name="+url.QueryEscape("Отчёт 1.pdf"), "application/pdf", content)
		var f operator.MotivityFile
		if a.Status != http.StatusCreated || json.Unmarshal([]byte(a.Body), &f) != nil {
			t.Fatalf("upload: %d %s", a.Status, a.Body)
		}
		got := s.Operator(http.MethodGet, fmt.Sprintf("/operator/v1/motivity/files/%d/content", f.ID), "", "")
		if got.Status != http.StatusOK || got.Body != content || got.Header.Get("Content-Type") != "application/pdf" ||
			got.Header.Get("Content-Disposition") != "attachment; filename*=utf-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%201.pdf" ||
			got.Header.Get("X-Content-Type-Options") != "nosniff" || got.Header.Get("Content-Security-Policy") != "sandbox" {
			t.Errorf("content: %d %q %v", got.Status, got.Body, got.Header)
		}
		if a := s.Operator(http.MethodDelete, fmt.Sprintf("/operator/v1/motivity/files/%d", f.ID), "", ""); a.Status != http.StatusOK {
			t.Fatalf("delete: %d %s", a.Status, a.Body)
		}
		operatorRefuses(t, s, fmt.Sprintf("/operator/v1/motivity/files/%d/content", f.ID), http.StatusNotFound, "")
		operatorRefusesMalformed(t, s, "/operator/v1/motivity/files/x/content", http.StatusNotFound, "")
	})
}
