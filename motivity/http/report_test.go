package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// «Отчеты»: every report type against what a small platform, changed
// through the API at known times, must give; the filters and their
// errors; created reports and their chunked download.

const (
	reportsPath = "/public/api/v1/reports/"
	// The times of reportStand's changes, as reports write them.
	atT0 = "2025-06-11T12:00:00+03:00"
	atT1 = "2025-06-11T13:00:00+03:00"
	atT2 = "2025-06-12T12:00:00+03:00"
)

// reportStand is questStand's platform changed at T0 (today), T1 (an hour
// later) and T2 (a day after T0), the clock left at T2:
//   - T0: points a score +100 "Премия", owner karma +30 "Спасибо", a score
//     -1000 (refused); badge 1 to a and owner, grade 98 to a; owner's goal
//     G1 by mgr (approved) with key result K, and G2 by owner; a third goal
//     with a key result, deleted by mgr;
//   - T1: badge 1 removed from a; grade 100 to a (replaces 98); G2
//     completed by mgr;
//   - T2: quest 1: a's task 11 reviewed complete by mgr through the API
//     (+5, and +10 for the threshold), owner's task 12 by boss through the
//     operator (+7, +10).
type reportStand struct {
	*stand
	g1, k, g2 int64
}

func newReportStand(t *testing.T, s *stand) *reportStand {
	t.Helper()
	rs := &reportStand{stand: s}
	a := s.call("POST", "/public/api/v1/points", `[{"userId":"a@example.ru","balanceType":"score","amount":100,"message":"Премия"},`+
		`{"userId":"owner@example.ru","balanceType":"karma","amount":30,"message":"Спасибо"},`+
		`{"userId":"a@example.ru","balanceType":"score","amount":-1000,"message":"Много"}]`)
	if a.status != 200 || !strings.Contains(a.body, "Attempting to deduct") {
		t.Fatalf("points: %d %s", a.status, a.body)
	}
	for _, c := range []struct{ path, body string }{
		{"/public/api/v1/badge/1/assign", `{"userId":["a@example.ru","owner@example.ru"]}`},
		{"/public/api/v1/badge/98/assign", `{"userId":["a@example.ru"]}`},
	} {
		if a := s.call("POST", c.path, c.body); a.status != 200 {
			t.Fatalf("%s: %d %s", c.path, a.status, a.body)
		}
	}
	g1 := s.create(ownerID, `{"authorId":"mgr@example.ru","title":"Цель с результатом","value":100,"valueUnit":"percents","priority":"low",`+
		`"deadlineAt":"2025-12-31T00:00:00+03:00","keyResults":[{"title":"Результат","value":50,"valueUnit":"numbers"}]}`)
	rs.g1, rs.k = g1.Data[0].Goal[0].ID, g1.Data[0].Goal[0].KeyResults[0].ID
	rs.g2 = s.createOne(ownerID, `{"authorId":"owner@example.ru","title":"Своя цель","value":10,"valueUnit":"numbers","priority":"high",`+
		`"deadlineAt":"2025-07-01T00:00:00+03:00","keyResults":null}`).ID
	// A goal with a key result, both deleted: no report shows them.
	gone := s.createOne(ownerID, `{"authorId":"mgr@example.ru","title":"Удалённая цель","value":100,"valueUnit":"percents","priority":"low",`+
		`"deadlineAt":"2025-12-31T00:00:00+03:00","keyResults":[{"title":"Удалённый результат","value":5,"valueUnit":"hours"}]}`)
	if a := s.call("POST", action(gone.ID, "delete"), by("mgr@example.ru")); a.status != 200 || strings.Contains(a.body, `"result":false`) {
		t.Fatalf("delete: %d %s", a.status, a.body)
	}

	s.clock.Set(today.Add(time.Hour))
	for _, c := range []struct{ path, body string }{
		{"/public/api/v1/badge/1/remove", `{"userId":["a@example.ru"]}`},
		{"/public/api/v1/badge/100/assign", `{"userId":["a@example.ru"]}`},
		{action(rs.g2, "complete"), by("mgr@example.ru")},
	} {
		if a := s.call("POST", c.path, c.body); a.status != 200 || strings.Contains(a.body, `"result":false`) {
			t.Fatalf("%s: %d %s", c.path, a.status, a.body)
		}
	}

	s.clock.Set(today.Add(24 * time.Hour))
	s.answerTask(1, 11, "a@example.ru", "Готово")
	if a := s.call("POST", thread(1, 11, "a@example.ru"), review("mgr@example.ru", "complete", "Принято")); a.status != 200 {
		t.Fatalf("review: %d %s", a.status, a.body)
	}
	s.answerTask(1, 12, "owner@example.ru", "Готово")
	if _, err := s.node.Operator.ReviewQuestTask(context.Background(), 1, 12, "owner@example.ru",
		operator.QuestReviewInput{Mentor: "boss@example.ru", Status: "complete", Text: "Принято"}); err != nil {
		t.Fatal(err)
	}
	return rs
}

func forEachReportStand(t *testing.T, fn func(t *testing.T, s *reportStand)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		fn(t, newReportStand(t, standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())))
	})
}

// report is the whole answer of generate/{kind} with filters.
func (s *stand) report(kind, filters string, headers ...string) answer {
	s.t.Helper()
	return s.call("POST", reportsPath+"generate/"+kind, `{"filters":`+filters+`}`, headers...)
}

func reportJSON(title string, multiple bool, headers, data, metadata, errs string) string {
	return fmt.Sprintf(`{"title":%q,"isMultiple":%t,"headers":%s,"data":%s,"metadata":%s,"hasErrors":%t,"errors":%s}`,
		title, multiple, headers, data, metadata, errs != "{}", errs)
}

func TestReportList(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		s.expect(s.call("GET", reportsPath+"list", ""), 200, `[{"title":"Пользователи","type":"users"},`+
			`{"title":"Начисления и списания баллов","type":"points"},{"title":"Балансы пользователей","type":"balances"},`+
			`{"title":"Бейджи","type":"badges"},{"title":"План развития","type":"goals"},{"title":"Квесты","type":"quests"}]`)
		// A language the reports do not have falls back to the
		// platform's default (ru).
		for _, locale := range []string{"uz", "xx"} {
			if a := s.call("GET", reportsPath+"list", "", "Locale: "+locale); !strings.HasPrefix(a.body, `[{"title":"Пользователи"`) {
				t.Errorf("Locale %s: %s", locale, a.body)
			}
		}
		s.expect(s.call("GET", reportsPath+"list", "", "Locale: en"), 200, `[{"title":"Users","type":"users"},`+
			`{"title":"Points transactions","type":"points"},{"title":"User balances","type":"balances"},`+
			`{"title":"Badges","type":"badges"},{"title":"Development plan","type":"goals"},{"title":"Quests","type":"quests"}]`)
	})
}

func TestReportMetadata(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		s.expect(s.call("GET", reportsPath+"metadata/users", "", "Locale: en"), 200,
			`{"headersList":{"id":"Identifier","name":"Name","email":"Email","manager":"Manager","user_status":"User status"},`+
				`"filtersList":{"user_status":{"type":"multiselect","label":"User status","values":[{"value":"active","label":"Active"},`+
				`{"value":"deactivated","label":"Deactivated"},{"value":"deleted","label":"Deleted"}],"url":null},`+
				`"users":{"type":"multiselect","label":"Users","values":null,"url":"/public/api/v1/reports/filters/users"}}}`)
		s.expect(s.call("GET", reportsPath+"metadata/quests", ""), 200,
			`{"headersList":{"student":"Студент","task":"Задание","status":"Статус задания","lastReviewAt":"Дата последней проверки",`+
				`"score":"Начислено баллов","user_status":"Статус пользователя"},"filtersList":{`+
				`"quests":{"type":"multiselect","label":"Квесты","values":null,"url":"/public/api/v1/reports/filters/quests"},`+
				`"task_status":{"type":"multiselect","label":"Статус задания","values":[{"value":"in_progress","label":"В работе"},`+
				`{"value":"checking","label":"На проверке"},{"value":"redo","label":"На доработке"},{"value":"complete","label":"Выполнено"},`+
				`{"value":"fail","label":"Не выполнено"}],"url":null},`+
				`"users":{"type":"multiselect","label":"Пользователи","values":null,"url":"/public/api/v1/reports/filters/users"},`+
				`"user_status":{"type":"multiselect","label":"Статус пользователя","values":[{"value":"active","label":"Активен"},`+
				`{"value":"deactivated","label":"Деактивирован"},{"value":"deleted","label":"Удалён"}],"url":null}}}`)
		for _, kind := range []string{"points", "balances", "badges", "goals"} {
			var m struct {
				HeadersList map[string]string          `json:"headersList"`
				FiltersList map[string]json.RawMessage `json:"filtersList"`
			}
			a := s.call("GET", reportsPath+"metadata/"+kind, "")
			if err := json.Unmarshal([]byte(a.body), &m); err != nil || a.status != 200 || m.HeadersList["user_status"] == "" || m.FiltersList["users"] == nil {
				t.Errorf("%s: %d %s", kind, a.status, a.body)
			}
		}
		notFound := `{"result":false,"message":"Report not found"}`
		s.expect(s.call("GET", reportsPath+"metadata/nope", ""), 404, notFound)
		s.expect(s.call("POST", reportsPath+"generate/nope", `{}`), 404, notFound)
		s.expect(s.call("POST", reportsPath+"create/nope", `{}`), 404, notFound)
		// The token comes before the report type.
		invalid := `{"result":false,"message":"Invalid public API token"}`
		for _, c := range []struct{ method, path string }{
			{"GET", "list"}, {"GET", "metadata/nope"}, {"GET", "metadata/users"}, {"POST", "generate/users"}, {"POST", "generate/nope"},
			{"POST", "create/users"}, {"GET", "data/1"}, {"GET", "data/999"}, {"GET", "filters/users"},
		} {
			s.expect(s.call(c.method, reportsPath+c.path, "", "X-Auth-Token:"), 401, invalid)
			s.expect(s.call(c.method, reportsPath+c.path, "", "X-Auth-Token: wrong"), 401, invalid)
		}
	})
}

const (
	usersHeadersRU = `{"id":"Идентификатор","name":"Имя","email":"Почта","manager":"Руководитель"}`
	usersHeadersSt = `{"id":"Идентификатор","name":"Имя","email":"Почта","manager":"Руководитель","user_status":"Статус пользователя"}`
)

func TestReportUsers(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		user := func(id, name, manager string) string {
			m := "null"
			if manager != "" {
				m = fmt.Sprintf("%q", manager)
			}
			return fmt.Sprintf(`{"id":%q,"name":%q,"email":%q,"manager":%s}`, id, name, id, m)
		}
		active := "[" + strings.Join([]string{user("a@example.ru", "A", "boss@example.ru"), user("boss@example.ru", "", ""),
			user("hr@example.ru", "", ""), user("mgr@example.ru", "", ""), user("owner@example.ru", "", "mgr@example.ru"),
			user("stranger@example.ru", "", "")}, ",") + "]"
		// user_status absent, null or []: active users only, and no
		// user_status field in the rows.
		for _, filters := range []string{`{}`, `null`, `{"user_status":[]}`, `{"user_status":null}`} {
			s.expect(s.report("users", filters), 200, reportJSON("Пользователи", false, usersHeadersRU, active, `{}`, `{}`))
		}
		s.expect(s.call("POST", reportsPath+"generate/users", ""), 200, reportJSON("Пользователи", false, usersHeadersRU, active, `{}`, `{}`))
		withStatus := func(row, status string) string {
			return strings.TrimSuffix(row, "}") + `,"user_status":"` + status + `"}`
		}
		s.expect(s.report("users", `{"user_status":["deleted","deactivated"]}`), 200, reportJSON("Пользователи", false, usersHeadersSt,
			"["+withStatus(user("b@example.ru", "B", ""), "Деактивирован")+","+withStatus(user("gone@example.ru", "", ""), "Удалён")+"]",
			`{"user_status":"Удалён, Деактивирован"}`, `{}`))
		// Named users who are not active are left out silently when
		// user_status is absent; with it, they are reported.
		s.expect(s.report("users", `{"users":["b@example.ru","a@example.ru"]}`), 200, reportJSON("Пользователи", false, usersHeadersRU,
			"["+user("a@example.ru", "A", "boss@example.ru")+"]", `{"users":"b@example.ru, a@example.ru"}`, `{}`))
		// E-mail identifiers are compared without regard to case, as every
		// method compares them.
		s.expect(s.report("users", `{"users":[" A@Example.RU","a@example.ru"]}`), 200, reportJSON("Пользователи", false, usersHeadersRU,
			"["+user("a@example.ru", "A", "boss@example.ru")+"]", `{"users":"a@example.ru"}`, `{}`))
		s.expect(s.report("users", `{"users":["b@example.ru"],"user_status":["active","deactivated"]}`, "Locale: en"), 200,
			reportJSON("Users", false, `{"id":"Identifier","name":"Name","email":"Email","manager":"Manager","user_status":"User status"}`,
				"["+withStatus(user("b@example.ru", "B", ""), "Deactivated")+"]", `{"user_status":"Active, Deactivated","users":"b@example.ru"}`, `{}`))
	})
}

// Every wrong filter value gets its own key in errors, with 200, no rows
// and no metadata for it.
func TestReportFilterErrors(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())
		pointsHeaders := `{"date":"Дата","user":"Пользователь","balanceType":"Тип баланса","amount":"Сумма","balance":"Баланс после операции",` +
			`"message":"Комментарий","author":"Автор"}`
		// malformed: a filter value the document's shapes exclude, sent on
		// purpose; the answer is still the report with its errors.
		for _, c := range []struct {
			name, kind, filters, errs string
			malformed                 bool
		}{
			{"unknown user", "points", `{"users":["a@example.ru","x@example.ru","y@example.ru"]}`, `{"users":"User not found: x@example.ru, y@example.ru"}`, false},
			{"users not an array", "points", `{"users":"a@example.ru"}`, `{"users":"Invalid value. An array is expected"}`, true},
			{"users of numbers", "points", `{"users":[1]}`, `{"users":"Invalid value. An array is expected"}`, true},
			{"unknown status", "points", `{"user_status":["active","fired"]}`, `{"user_status":"Invalid value. Allowed values: active, deactivated, deleted"}`, true},
			{"unknown balance", "points", `{"balance_type":["gold"]}`, `{"balance_type":"Invalid value. Allowed values: score, karma, payment"}`, true},
			{"period not an object", "points", `{"period":"2025-06-01"}`, `{"period":"Invalid period. Expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}"}`, true},
			{"period bad date", "points", `{"period":{"from":"2025-13-01"}}`, `{"period":"Invalid period. Expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}"}`, true},
			{"period reversed", "points", `{"period":{"from":"2025-06-12","to":"2025-06-11"}}`, `{"period":"Invalid period. The start date is later than the end date"}`, false},
			{"unknown filter", "points", `{"quests":[1]}`, `{"quests":"Unknown filter"}`, false},
			{"several", "points", `{"zeta":1,"period":{"from":"x"},"alpha":2,"user_status":["x"]}`,
				`{"period":"Invalid period. Expected {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}","user_status":"Invalid value. Allowed values: active, deactivated, deleted","alpha":"Unknown filter","zeta":"Unknown filter"}`, true},
		} {
			a := s.report(c.kind, c.filters, marked(c.malformed)...)
			want := reportJSON("Начисления и списания баллов", false, pointsHeaders, `[]`, `{}`, c.errs)
			if a.status != 200 || a.body != want {
				t.Errorf("%s: got %d %s\nwant %s", c.name, a.status, a.body, want)
			}
		}
		for _, c := range []struct {
			name, kind, filters, errs string
			malformed                 bool
		}{
			{"unknown badge", "badges", `{"badges":[1,404]}`, `{"badges":"Badge not found: 404"}`, false},
			{"deleted badge", "badges", `{"badges":[4]}`, `{"badges":"Badge not found: 4"}`, false},
			{"badge id a string", "badges", `{"badges":["1"]}`, `{"badges":"Invalid value. An array of ids is expected"}`, true},
			{"unknown quest", "quests", `{"quests":[1,404,4]}`, `{"quests":"Quest not found: 404, 4"}`, false},
			{"unknown task status", "quests", `{"task_status":["done"]}`, `{"task_status":"Invalid value. Allowed values: in_progress, checking, redo, complete, fail"}`, true},
			{"unknown goal status", "goals", `{"goal_status":["deleted"]}`, `{"goal_status":"Invalid value. Allowed values: active, completed"}`, true},
		} {
			a := s.report(c.kind, c.filters, marked(c.malformed)...)
			if a.status != 200 || !strings.Contains(a.body, `"data":[],"metadata":{},"hasErrors":true,"errors":`+c.errs+`}`) {
				t.Errorf("%s: got %d %s", c.name, a.status, a.body)
			}
		}
		// A body that is not JSON, or filters that are not an object,
		// cannot be a report.
		undecodable := `{"result":false,"message":"Could not decode request body"}`
		for _, body := range []string{`{`, `[]`, `{"filters":[]}`, `{"filters":"x"}`, `filters=1`} {
			s.expect(s.call("POST", reportsPath+"generate/users", body, malformed), 400, undecodable)
			s.expect(s.call("POST", reportsPath+"create/users", body, malformed), 400, undecodable)
		}
	})
}

func TestReportPoints(t *testing.T) {
	t.Parallel()
	forEachReportStand(t, func(t *testing.T, s *reportStand) {
		headers := `{"date":"Дата","user":"Пользователь","balanceType":"Тип баланса","amount":"Сумма","balance":"Баланс после операции",` +
			`"message":"Комментарий","author":"Автор"}`
		t0 := `[{"date":"` + atT0 + `","user":"a@example.ru","balanceType":"score","amount":100,"balance":100,"message":"Премия","author":null},` +
			`{"date":"` + atT0 + `","user":"owner@example.ru","balanceType":"karma","amount":30,"balance":30,"message":"Спасибо","author":null}]`
		s.expect(s.report("points", `{"period":{"from":"2025-06-11","to":"2025-06-11"}}`), 200,
			reportJSON("Начисления и списания баллов, 2025-06-11 – 2025-06-11", false, headers, t0, `{"period":"2025-06-11 – 2025-06-11"}`, `{}`))
		s.expect(s.report("points", `{"period":{"to":"2025-06-11"},"balance_type":["karma"]}`, "Locale: en"), 200,
			reportJSON("Points transactions, … – 2025-06-11", false,
				`{"date":"Date","user":"User","balanceType":"Balance type","amount":"Amount","balance":"Balance after","message":"Message","author":"Author"}`,
				`[{"date":"`+atT0+`","user":"owner@example.ru","balanceType":"karma","amount":30,"balance":30,"message":"Спасибо","author":null}]`,
				`{"period":"… – 2025-06-11","balance_type":"Karma"}`, `{}`))
		// Everything: T0's two, then T2's quest awards (the API's review
		// has no author; the operator's has).
		var rep struct {
			Data []struct {
				Date, User, Message string
				Amount, Balance     int64
				Author              *string
			}
		}
		a := s.report("points", `{}`)
		if err := json.Unmarshal([]byte(a.body), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rep.Data {
			author := "-"
			if r.Author != nil {
				author = *r.Author
			}
			got = append(got, fmt.Sprintf("%s %s %+d=%d %s", r.Date, r.User, r.Amount, r.Balance, author))
		}
		want := []string{atT0 + " a@example.ru +100=100 -", atT0 + " owner@example.ru +30=30 -",
			atT2 + " a@example.ru +5=105 -", atT2 + " a@example.ru +10=115 -",
			atT2 + " owner@example.ru +7=7 operator", atT2 + " owner@example.ru +10=17 operator"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("points:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// Only owner, with user_status: the column is there.
		a = s.report("points", `{"users":["owner@example.ru"],"user_status":["active"],"period":{"from":"2025-06-11","to":"2025-06-11"}}`)
		if !strings.Contains(a.body, `"author":null,"user_status":"Активен"}]`) || strings.Count(a.body, `"date":"2025`) != 1 {
			t.Errorf("owner's: %s", a.body)
		}
	})
}

func TestReportBalances(t *testing.T) {
	t.Parallel()
	forEachReportStand(t, func(t *testing.T, s *reportStand) {
		row := func(user string, score, karma int) string {
			return fmt.Sprintf(`{"user":%q,"score":%d,"karma":%d,"payment":0}`, user, score, karma)
		}
		rows := "[" + strings.Join([]string{row("a@example.ru", 115, 0), row("boss@example.ru", 0, 0), row("hr@example.ru", 0, 0),
			row("mgr@example.ru", 0, 0), row("owner@example.ru", 17, 30), row("stranger@example.ru", 0, 0)}, ",") + "]"
		s.expect(s.report("balances", `{}`), 200, reportJSON("Балансы пользователей", false,
			`{"user":"Пользователь","score":"Баллы","karma":"Карма","payment":"Баллы каталога призов"}`, rows, `{}`, `{}`))
		// Past the licence, payment is not a column.
		s.clock.Set(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
		s.expect(s.report("balances", `{"users":["owner@example.ru","b@example.ru"],"user_status":["active","deactivated"]}`), 200,
			reportJSON("Балансы пользователей", false, `{"user":"Пользователь","score":"Баллы","karma":"Карма","user_status":"Статус пользователя"}`,
				`[{"user":"b@example.ru","score":0,"karma":0,"user_status":"Деактивирован"},{"user":"owner@example.ru","score":17,"karma":30,"user_status":"Активен"}]`,
				`{"users":"owner@example.ru, b@example.ru","user_status":"Активен, Деактивирован"}`, `{}`))
	})
}

func TestReportBadges(t *testing.T) {
	t.Parallel()
	forEachReportStand(t, func(t *testing.T, s *reportStand) {
		headers := `{"user":"Пользователь","badge":"Бейдж","grade":"Уровень","assignedAt":"Дата присвоения","assignedBy":"Кто присвоил",` +
			`"removedAt":"Дата снятия","removedBy":"Кто снял"}`
		row := func(user, badge, grade, at, removed string) string {
			r := "null"
			if removed != "" {
				r = `"` + removed + `"`
			}
			return fmt.Sprintf(`{"user":%q,"badge":%q,"grade":%s,"assignedAt":%q,"assignedBy":null,"removedAt":%s,"removedBy":null}`, user, badge, grade, at, r)
		}
		all := []string{row("a@example.ru", "Первый", "null", atT0, atT1), row("a@example.ru", "Спорт 1 уровень", "1", atT0, atT1),
			row("owner@example.ru", "Первый", "null", atT0, ""), row("a@example.ru", "Спорт 2 уровень", "2", atT1, "")}
		s.expect(s.report("badges", `{}`), 200, reportJSON("Бейджи", false, headers, "["+strings.Join(all, ",")+"]", `{}`, `{}`))
		// A badge names its grades; the period bounds the assignment.
		s.expect(s.report("badges", `{"badges":[93]}`), 200, reportJSON("Бейджи", false, headers, "["+all[1]+","+all[3]+"]",
			`{"badges":"Спортивные достижения"}`, `{}`))
		s.expect(s.report("badges", `{"badges":[1],"users":["owner@example.ru"]}`), 200, reportJSON("Бейджи", false, headers, "["+all[2]+"]",
			`{"badges":"Первый","users":"owner@example.ru"}`, `{}`))
		s.expect(s.report("badges", `{"period":{"from":"2025-06-12"}}`), 200, reportJSON("Бейджи, 2025-06-12 – …", false, headers, `[]`,
			`{"period":"2025-06-12 – …"}`, `{}`))
		a := s.report("badges", `{"badges":[98]}`, "Locale: en")
		if !strings.Contains(a.body, `"data":[{"user":"a@example.ru","badge":"Sport 1","grade":1,`) || !strings.Contains(a.body, `"metadata":{"badges":"Sport 1"}`) {
			t.Errorf("en: %s", a.body)
		}
	})
}

func TestReportGoals(t *testing.T) {
	t.Parallel()
	forEachReportStand(t, func(t *testing.T, s *reportStand) {
		headers := `{"user":"Пользователь","id":"Идентификатор цели","parentId":"Идентификатор родительской цели","title":"Название",` +
			`"value":"Целевое значение","progress":"Прогресс","valueUnit":"Единица измерения","priority":"Приоритет","deadlineAt":"Срок",` +
			`"inRisk":"В зоне риска","approvedAt":"Дата согласования","completedAt":"Дата завершения"}`
		g1 := fmt.Sprintf(`{"user":"owner@example.ru","id":%d,"parentId":null,"title":"Цель с результатом","value":100,"progress":0,"valueUnit":"percents",`+
			`"priority":"low","deadlineAt":"2025-12-31T00:00:00+03:00","inRisk":false,"approvedAt":%q,"completedAt":null}`, s.g1, atT0)
		k := fmt.Sprintf(`{"user":"owner@example.ru","id":%d,"parentId":%d,"title":"Результат","value":50,"progress":0,"valueUnit":"numbers",`+
			`"priority":"low","deadlineAt":"2025-12-31T00:00:00+03:00","inRisk":false,"approvedAt":%q,"completedAt":null}`, s.k, s.g1, atT0)
		g2 := fmt.Sprintf(`{"user":"owner@example.ru","id":%d,"parentId":null,"title":"Своя цель","value":10,"progress":0,"valueUnit":"numbers",`+
			`"priority":"high","deadlineAt":"2025-07-01T00:00:00+03:00","inRisk":false,"approvedAt":null,"completedAt":%q}`, s.g2, atT1)
		s.expect(s.report("goals", `{}`), 200, reportJSON("План развития", false, headers, "["+g1+","+k+","+g2+"]", `{}`, `{}`))
		s.expect(s.report("goals", `{"goal_status":["active"]}`), 200, reportJSON("План развития", false, headers, "["+g1+","+k+"]",
			`{"goal_status":"Активные"}`, `{}`))
		s.expect(s.report("goals", `{"period":{"from":"2025-07-01","to":"2025-07-01"}}`), 200, reportJSON("План развития, 2025-07-01 – 2025-07-01",
			false, headers, "["+g2+"]", `{"period":"2025-07-01 – 2025-07-01"}`, `{}`))
		// Past its deadline, G1 and its key result are in risk.
		s.clock.Set(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))
		a := s.report("goals", `{"goal_status":["active"]}`)
		if strings.Count(a.body, `"inRisk":true`) != 2 {
			t.Errorf("in risk: %s", a.body)
		}
	})
}

func TestReportQuests(t *testing.T) {
	t.Parallel()
	forEachReportStand(t, func(t *testing.T, s *reportStand) {
		headers := `{"student":"Студент","task":"Задание","status":"Статус задания","lastReviewAt":"Дата последней проверки","score":"Начислено баллов"}`
		row := func(student, task, status, reviewed string, score int) string {
			r := "null"
			if reviewed != "" {
				r = `"` + reviewed + `"`
			}
			return fmt.Sprintf(`{"student":%q,"task":%q,"status":%q,"lastReviewAt":%s,"score":%d}`, student, task, status, r, score)
		}
		q1 := []string{row("a@example.ru", "Первое задание", "complete", atT2, 5), row("owner@example.ru", "Первое задание", "in_progress", "", 0),
			row("a@example.ru", "Второе задание", "in_progress", "", 0), row("owner@example.ru", "Второе задание", "complete", atT2, 7)}
		other := func(task string) string { return "[" + row("a@example.ru", task, "in_progress", "", 0) + "]" }
		// One page per quest not deleted, by id (1, 2, 3, 5, 6); quest 2
		// has no students.
		pages := "[[" + strings.Join(q1, ",") + "],[]," + other("Задание") + "," + other("Задание") + "," + other("Единственное") + "]"
		s.expect(s.report("quests", `{}`), 200, reportJSON("Квесты", true, "["+strings.Repeat(headers+",", 4)+headers+"]", pages, `{}`, `{}`))
		s.expect(s.report("quests", `{"quests":[6,1],"task_status":["complete"]}`), 200, reportJSON("Квесты", true, "["+headers+","+headers+"]",
			"[["+q1[0]+","+q1[3]+"],[]]", `{"quests":"Короткий квест, Квест новичка","task_status":"Выполнено"}`, `{}`))
		withStatus := strings.TrimSuffix(headers, "}") + `,"user_status":"Статус пользователя"}`
		s.expect(s.report("quests", `{"quests":[1],"users":["b@example.ru"],"user_status":["deactivated"]}`), 200, reportJSON("Квесты", true,
			"["+withStatus+"]", "[["+strings.TrimSuffix(row("b@example.ru", "Первое задание", "in_progress", "", 0), "}")+`,"user_status":"Деактивирован"},`+
				strings.TrimSuffix(row("b@example.ru", "Второе задание", "in_progress", "", 0), "}")+`,"user_status":"Деактивирован"}]]`,
			`{"quests":"Квест новичка","users":"b@example.ru","user_status":"Деактивирован"}`, `{}`))
		s.expect(s.report("quests", `{"quests":[404]}`), 200, reportJSON("Квесты", true, `[]`, `[]`, `{}`, `{"quests":"Quest not found: 404"}`))
	})
}

// The filters' url answers their values, narrowed by ?search=.
func TestReportFilterValues(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := standOn(t, o.Open(t), stendtest.NewManualClock(today), questSeed(), questConfig())
		s.expect(s.call("GET", reportsPath+"filters/users?search=B", ""), 200,
			`[{"value":"b@example.ru","label":"B"},{"value":"boss@example.ru","label":""}]`)
		s.expect(s.call("GET", reportsPath+"filters/badges?search=СПОРТ", "", "Locale: en"), 200, `[]`)
		s.expect(s.call("GET", reportsPath+"filters/badges?search=СПОРТ", ""), 200,
			`[{"value":93,"label":"Спортивные достижения"},{"value":98,"label":"Спорт 1 уровень"},{"value":100,"label":"Спорт 2 уровень"}]`)
		s.expect(s.call("GET", reportsPath+"filters/quests?search=квест", ""), 200, `[{"value":1,"label":"Квест новичка"},`+
			`{"value":2,"label":"Другой квест"},{"value":3,"label":"Неактивный квест"},{"value":5,"label":"Будущий квест"},{"value":6,"label":"Короткий квест"}]`)
		if a := s.call("GET", reportsPath+"filters/users", ""); strings.Count(a.body, `"value"`) != 7 || strings.Contains(a.body, "gone@") {
			t.Errorf("every user not deleted: %s", a.body)
		}
		s.expect(s.call("GET", reportsPath+"filters/nope", "", malformed), 404, `{"result":false,"message":"Not found"}`)
		// At most 100, the first by identifier; the search narrows them.
		for i := range 120 {
			if _, err := s.node.Operator.PutMotivityUser(context.Background(), operator.MotivityUserInput{
				Identifier: fmt.Sprintf("u%03d@example.ru", i), Name: ptr(fmt.Sprintf("Сотрудник %d", i))}); err != nil {
				t.Fatal(err)
			}
		}
		var values []struct {
			Value string
			Label string
		}
		a := s.call("GET", reportsPath+"filters/users", "")
		if err := json.Unmarshal([]byte(a.body), &values); err != nil || len(values) != 100 || values[0].Value != "a@example.ru" {
			t.Fatalf("the first 100: %d values, %v: %.200s", len(values), err, a.body)
		}
		s.expect(s.call("GET", reportsPath+"filters/users?search=СОТРУДНИК+11", ""), 200,
			`[{"value":"u011@example.ru","label":"Сотрудник 11"},{"value":"u110@example.ru","label":"Сотрудник 110"},`+
				`{"value":"u111@example.ru","label":"Сотрудник 111"},{"value":"u112@example.ru","label":"Сотрудник 112"},`+
				`{"value":"u113@example.ru","label":"Сотрудник 113"},{"value":"u114@example.ru","label":"Сотрудник 114"},`+
				`{"value":"u115@example.ru","label":"Сотрудник 115"},{"value":"u116@example.ru","label":"Сотрудник 116"},`+
				`{"value":"u117@example.ru","label":"Сотрудник 117"},{"value":"u118@example.ru","label":"Сотрудник 118"},`+
				`{"value":"u119@example.ru","label":"Сотрудник 119"}]`)
	})
}
