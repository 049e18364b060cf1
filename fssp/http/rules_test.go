package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"stend/fssp"
	"stend/store/sqlstore"
)

const (
	invalidToken  = `{"status":"error","code":401,"exception":"invalid token","response":[]}`
	invalidParams = `{"status":"error","code":400,"exception":"invalid request params","response":[]}`
	taskNotFound  = `{"status":"error","code":404,"exception":"task not found","response":[]}`
	tooMany       = `{"status":"error","code":429,"exception":"too many requests","response":[]}`
)

func expect(t *testing.T, a answer, status int, body string) {
	t.Helper()
	if a.status != status || a.body != body {
		t.Fatalf("got %d %s\nwant %d %s", a.status, a.body, status, body)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
}

// TestTokens: every method refuses a missing, unknown, revoked or expired
// token with the document's 401 body, before looking at anything else.
func TestTokens(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		task := s.submit("search/physical", "token", alpha, "region", "66", "lastname", "Иванов", "firstname", "Сергей")
		methods := []struct {
			path string
			kv   []string
		}{
			{"search/physical", []string{"region", "66", "lastname", "Иванов", "firstname", "Сергей"}},
			{"search/legal", []string{"region", "66", "name", "Ромашка"}},
			{"search/ip", []string{"number", "6860/12/61/66"}},
			{"status", []string{"task", task}},
			{"result", []string{"task", task}},
			// Bad parameters too: the token is checked first.
			{"search/physical", []string{"region", "999"}},
		}
		for _, m := range methods {
			for _, tok := range []string{"", "no-such-token", "ALPHA-TOKEN-0001"} {
				kv := append([]string{}, m.kv...)
				if tok != "" {
					kv = append(kv, "token", tok)
				}
				get := s.get
				if tok == "" || m.kv[1] == "999" {
					get = s.getMalformed // no token, or a region the document does not allow
				}
				expect(t, get(m.path, kv...), http.StatusUnauthorized, invalidToken)
			}
		}
		group := `{"token":"nope","request":[{"type":3,"params":{"number":"6860/12/61/66"}}]}`
		expect(t, s.call(http.MethodPost, "search/group", nil, "application/json", group), http.StatusUnauthorized, invalidToken)

		// Revoked: refused at once, its tasks unreadable to it too.
		if _, err := s.node.Operator.RevokeFSSPToken(context.Background(), s.tokens[beta].ID); err != nil {
			t.Fatal(err)
		}
		s.clock.Set(now.Add(time.Second)) // a token's record is reused for a second
		expect(t, s.get("search/ip", "token", beta, "number", "6860/12/61/66"), http.StatusUnauthorized, invalidToken)

		// Valid one year from issue.
		s.clock.Set(now.AddDate(1, 0, 0).Add(-time.Second))
		s.submit("search/ip", "token", alpha, "number", "6860/12/61/66")
		s.clock.Set(now.AddDate(1, 0, 0))
		expect(t, s.get("search/ip", "token", alpha, "number", "6860/12/61/66"), http.StatusUnauthorized, invalidToken)
	})
}

// TestInvalidParams: every format-logical rule answers the document's 400
// and accepts nothing.
func TestInvalidParams(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		cases := []struct {
			name, path string
			kv         []string
		}{
			{"physical without region", "search/physical", []string{"lastname", "Иванов", "firstname", "Иван"}},
			{"physical without lastname", "search/physical", []string{"region", "66", "firstname", "Иван"}},
			{"physical without firstname", "search/physical", []string{"region", "66", "lastname", "Иванов"}},
			{"blank lastname", "search/physical", []string{"region", "66", "lastname", "  ", "firstname", "Иван"}},
			{"region not a number", "search/physical", []string{"region", "Свердловская", "lastname", "Иванов", "firstname", "Иван"}},
			{"region not in the directory", "search/physical", []string{"region", "80", "lastname", "Иванов", "firstname", "Иван"}},
			{"region 0", "search/physical", []string{"region", "0", "lastname", "Иванов", "firstname", "Иван"}},
			{"region too long", "search/physical", []string{"region", "0066", "lastname", "Иванов", "firstname", "Иван"}},
			{"birthdate ISO", "search/physical", []string{"region", "66", "lastname", "Иванов", "firstname", "Иван", "birthdate", "1982-06-09"}},
			{"birthdate no such day", "search/physical", []string{"region", "66", "lastname", "Иванов", "firstname", "Иван", "birthdate", "31.02.1982"}},
			{"birthdate in the future", "search/physical", []string{"region", "66", "lastname", "Иванов", "firstname", "Иван", "birthdate", "12.06.2025"}},
			{"birthdate short", "search/physical", []string{"region", "66", "lastname", "Иванов", "firstname", "Иван", "birthdate", "9.6.1982"}},
			{"name too long", "search/physical", []string{"region", "66", "lastname", strings.Repeat("Я", 101), "firstname", "Иван"}},
			{"name of punctuation", "search/physical", []string{"region", "66", "lastname", "--", "firstname", "Иван"}},
			{"legal without name", "search/legal", []string{"region", "66"}},
			{"legal without region", "search/legal", []string{"name", "Ромашка"}},
			{"legal unknown region", "search/legal", []string{"region", "100", "name", "Ромашка"}},
			{"ip without number", "search/ip", []string{}},
			// Example 6.3 of the document sends a person's parameters:
			// the method takes number.
			{"ip as in example 6.3", "search/ip", []string{"region", "66", "lastname", "Иванов", "firstname", "Иван"}},
			{"ip number garbage", "search/ip", []string{"number", "6860-12-61-66"}},
			{"ip number year of 4 digits", "search/ip", []string{"number", "6860/2012/61/66"}},
			{"ip number unknown region", "search/ip", []string{"number", "6860/12/61/80"}},
			{"ip full number unknown region", "search/ip", []string{"number", "6860/12/80061-ИП"}},
			{"ip full number without suffix", "search/ip", []string{"number", "6860/12/66061"}},
			{"status without task", "status", []string{}},
			{"result without task", "result", []string{}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				// Each case breaks the OpenAPI document but these, which
				// only the stand's rules refuse.
				get := s.getMalformed
				if c.name == "birthdate no such day" || c.name == "birthdate in the future" {
					get = s.get
				}
				expect(t, get(c.path, append(c.kv, "token", alpha)...), http.StatusBadRequest, invalidParams)
			})
		}
		tasks, err := s.node.Operator.FSSPTasks(context.Background(), fssp.TaskFilter{})
		if err != nil || len(tasks) != 0 {
			t.Fatalf("refused searches left tasks: %v %v", tasks, err)
		}
	})
}

func TestGroupValidation(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		valid := `{"type":3,"params":{"number":"6860/12/61/66"}}`
		many := func(n int) string {
			return `{"token":"` + alpha + `","request":[` + strings.TrimSuffix(strings.Repeat(valid+",", n), ",") + `]}`
		}
		cases := []struct{ name, body string }{
			{"101 sub-requests", many(101)},
			{"empty request", `{"token":"` + alpha + `","request":[]}`},
			{"no request", `{"token":"` + alpha + `"}`},
			{"request not an array", `{"token":"` + alpha + `","request":{"type":3}}`},
			{"one invalid among valid", `{"token":"` + alpha + `","request":[` + valid + `,{"type":1,"params":{"region":66,"lastname":"Иванов"}}]}`},
			{"unknown type", `{"token":"` + alpha + `","request":[{"type":4,"params":{"number":"6860/12/61/66"}}]}`},
			{"type missing", `{"token":"` + alpha + `","request":[{"params":{"number":"6860/12/61/66"}}]}`},
			{"params missing", `{"token":"` + alpha + `","request":[{"type":3}]}`},
			{"params not an object", `{"token":"` + alpha + `","request":[{"type":3,"params":["6860/12/61/66"]}]}`},
			{"param of an object", `{"token":"` + alpha + `","request":[{"type":3,"params":{"number":{"n":1}}}]}`},
			{"boolean param", `{"token":"` + alpha + `","request":[{"type":2,"params":{"region":true,"name":"Ромашка"}}]}`},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				expect(t, s.callMalformed(http.MethodPost, "search/group", nil, "application/json", c.body), http.StatusBadRequest, invalidParams)
			})
		}
		tasks, _ := s.node.Operator.FSSPTasks(context.Background(), fssp.TaskFilter{})
		if len(tasks) != 0 {
			t.Fatalf("refused groups left %d tasks", len(tasks))
		}
		// A body that cannot be read carries no token: 401, unless the
		// token came in the query string.
		broken := `{"token":"` + alpha + `","request":[`
		expect(t, s.callMalformed(http.MethodPost, "search/group", nil, "application/json", broken), http.StatusUnauthorized, invalidToken)
		expect(t, s.callMalformed(http.MethodPost, "search/group", url.Values{"token": {alpha}}, "application/json", broken), http.StatusBadRequest, invalidParams)
		// 100 is allowed.
		task := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", many(100)))
		if r := s.result(alpha, task); len(r.Result) != 100 || r.Status != 0 {
			t.Fatalf("group of 100: status %d, %d results", r.Status, len(r.Result))
		}
		// Too large a body is refused before anything else.
		huge := `{"token":"` + alpha + `","request":[` + strings.Repeat(" ", 2<<20) + `]}`
		a := s.callMalformed(http.MethodPost, "search/group", nil, "application/json", huge)
		expect(t, a, http.StatusRequestEntityTooLarge, `{"status":"error","code":413,"exception":"request entity too large","response":[]}`)
	})
}

// TestParameterTransports: the query string, a form body and a JSON body
// (even on a GET) all work; a body value wins over the query string.
func TestParameterTransports(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		form := url.Values{"token": {alpha}, "region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}.Encode()
		// A body on a GET and a group's token in the query are accepted but
		// outside the OpenAPI document (docs/fssp.md, "OpenAPI document").
		answers := map[string]answer{
			"form POST":         s.call(http.MethodPost, "search/physical", nil, "application/x-www-form-urlencoded", form),
			"JSON GET":          s.callMalformed(http.MethodGet, "search/physical", nil, "application/json", `{"token":"`+alpha+`","region":66,"lastname":"Иванов","firstname":"Сергей"}`),
			"JSON without type": s.callMalformed(http.MethodGet, "search/physical", nil, "", `{"token":"`+alpha+`","region":"66","lastname":"Иванов","firstname":"Сергей"}`),
			"body wins":         s.call(http.MethodPost, "search/physical", url.Values{"region": {"999"}, "token": {"bad"}}, "application/x-www-form-urlencoded", form),
			"group token in query": s.callMalformed(http.MethodPost, "search/group", url.Values{"token": {alpha}}, "application/json",
				`{"request":[{"type":"1","params":{"region":"66","lastname":"Иванов","firstname":"Сергей"}}]}`),
			"group in a form": s.call(http.MethodPost, "search/group", nil, "application/x-www-form-urlencoded",
				url.Values{"token": {alpha}, "request": {`[{"type":1,"params":{"region":66,"lastname":"Иванов","firstname":"Сергей"}}]`}}.Encode()),
		}
		for name, a := range answers {
			t.Run(name, func(t *testing.T) {
				r := s.result(alpha, s.taskOf(a))
				if got := names(r.items(t, 0)); len(got) != 2 {
					t.Fatalf("found %v", got)
				}
				if q := s.queries(alpha, s.taskOf(a)); len(q) != 1 ||
					q[0] != `{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":null,"lastname":"Иванов","birthdate":null}}` {
					t.Fatalf("echoed query %v", q)
				}
			})
		}
		multipart := "--XYZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n" + alpha + "\r\n--XYZ\r\nContent-Disposition: form-data; name=\"number\"\r\n\r\n6860/12/61/66\r\n--XYZ--\r\n"
		if r := s.result(alpha, s.taskOf(s.call(http.MethodPost, "search/ip", nil, "multipart/form-data; boundary=XYZ", multipart))); len(r.items(t, 0)) != 1 {
			t.Fatalf("multipart: %+v", r)
		}
		for _, m := range []string{http.MethodDelete, http.MethodPut, http.MethodHead} {
			a := s.callUndocumented(m, "search/ip", url.Values{"token": {alpha}, "number": {"6860/12/61/66"}})
			if a.status != http.StatusMethodNotAllowed || (m != http.MethodHead && a.body != `{"status":"error","code":405,"exception":"method not allowed","response":[]}`) {
				t.Fatalf("%s: %d %s", m, a.status, a.body)
			}
		}
		expect(t, s.callUndocumented(http.MethodGet, "search//ip", url.Values{"token": {alpha}}), http.StatusNotFound, `{"status":"error","code":404,"exception":"not found","response":[]}`)
		expect(t, s.callUndocumented(http.MethodGet, "search/nothing", url.Values{"token": {alpha}}), http.StatusNotFound, `{"status":"error","code":404,"exception":"not found","response":[]}`)
	})
}

// TestLifecycle: queued (2) before a worker takes the task, then done (0)
// with the documented /status and /result shapes, every field a string.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		a := s.get("search/physical", "token", alpha, "region", "66", "lastname", "иванов", "firstname", "сергей", "secondname", "Петрович", "birthdate", "09.06.1982")
		expect(t, a, http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"task":"00000000-0000-4000-8000-000000000001"}}`)
		task := "00000000-0000-4000-8000-000000000001"
		expect(t, s.get("status", "token", alpha, "task", task), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":2,"progress":"0 of 1"}}`)
		expect(t, s.get("result", "token", alpha, "task", task), http.StatusOK,
			`{"status":"success","code":0,"exception":"","response":{"status":2,"task_start":null,"task_end":null,"result":[]}}`)
		s.clock.Set(now.Add(3 * time.Second))
		s.startJobs()
		s.wait(task)
		expect(t, s.get("status", "token", alpha, "task", strings.ToLower(task)), http.StatusOK, `{"status":"success","code":0,"exception":"","response":{"status":0,"progress":"1 of 1"}}`)
		// The job's run, 3 s after the submission, starts and ends it.
		want := ivanovResult("2025-06-11 12:00:03")
		expect(t, s.get("result", "token", alpha, "task", task), http.StatusOK, want)
	})
}

func TestSearchSemantics(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{maxItems: 5})
		cases := []struct {
			name string
			typ  int
			p    map[string]any
			want []string
		}{
			{"person in region, case-insensitive", 1, map[string]any{"region": 66, "lastname": "иВаНоВ", "firstname": "СЕРГЕЙ"},
				[]string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ", "ИВАНОВ СЕРГЕЙ ИВАНОВИЧ 01.01.1990 ГОР. ЕКАТЕРИНБУРГ"}},
			{"narrowed by patronymic", 1, map[string]any{"region": 66, "lastname": "Иванов", "firstname": "Сергей", "secondname": "иванович"},
				[]string{"ИВАНОВ СЕРГЕЙ ИВАНОВИЧ 01.01.1990 ГОР. ЕКАТЕРИНБУРГ"}},
			{"narrowed by birth date", 1, map[string]any{"region": 66, "lastname": "Иванов", "firstname": "Сергей", "birthdate": "09.06.1982"},
				[]string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"other region", 1, map[string]any{"region": 77, "lastname": "Иванов", "firstname": "Сергей"},
				[]string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"ё is е", 1, map[string]any{"region": 66, "lastname": "Елкин", "firstname": "Петр"},
				[]string{"ЁЛКИН ПЁТР АЛЕКСЕЕВИЧ 03.02.1970 ГОР. ЕКАТЕРИНБУРГ"}},
			{"hyphenated, spaced", 1, map[string]any{"region": 66, "lastname": "римский - корсаков", "firstname": "Николай"},
				[]string{"РИМСКИЙ-КОРСАКОВ НИКОЛАЙ АНДРЕЕВИЧ 18.03.1944 ГОР. ЕКАТЕРИНБУРГ"}},
			{"exact name, not a prefix", 1, map[string]any{"region": 66, "lastname": "Иван", "firstname": "Сергей"}, nil},
			{"no patronymic recorded", 1, map[string]any{"region": 66, "lastname": "Петрова", "firstname": "Анна", "secondname": "Ивановна"}, nil},
			{"legal fragment, any case", 2, map[string]any{"region": 66, "name": "ромаш"},
				[]string{`ООО "РОМАШКА" 620000, РОССИЯ, СВЕРДЛОВСКАЯ ОБЛ., Г. ЕКАТЕРИНБУРГ, УЛ. ЛЕНИНА, Д. 1`, `АО "РОМАШКА-2" 620000, РОССИЯ, СВЕРДЛОВСКАЯ ОБЛ., Г. ЕКАТЕРИНБУРГ, УЛ. МИРА, Д. 5`}},
			{"legal with address fragment", 2, map[string]any{"region": 66, "name": "Ромашка", "address": "ул. мира"},
				[]string{`АО "РОМАШКА-2" 620000, РОССИЯ, СВЕРДЛОВСКАЯ ОБЛ., Г. ЕКАТЕРИНБУРГ, УЛ. МИРА, Д. 5`}},
			{"legal with quotes as written", 2, map[string]any{"region": 66, "name": "ООО «Ромашка»"},
				[]string{`ООО "РОМАШКА" 620000, РОССИЯ, СВЕРДЛОВСКАЯ ОБЛ., Г. ЕКАТЕРИНБУРГ, УЛ. ЛЕНИНА, Д. 1`}},
			{"legal in its region only", 2, map[string]any{"region": 77, "name": "Ромашка"}, nil},
			{"legal two letters", 2, map[string]any{"region": 77, "name": "ек"}, []string{`ООО "ВЕКТОР" 101000, РОССИЯ, Г. МОСКВА, УЛ. МИРА, Д. 5`}},
			{"legal absent", 2, map[string]any{"region": 66, "name": "Лютик"}, nil},
			{"ip short form", 3, map[string]any{"number": "6860/12/61/66"}, []string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"ip full form", 3, map[string]any{"number": "6860/12/66061-ИП"}, []string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"ip other department", 3, map[string]any{"number": "6860/12/66062-ИП"}, nil},
			{"ip other year", 3, map[string]any{"number": "6860/13/61/66"}, nil},
			{"legal, repeated trigram", 2, map[string]any{"region": 50, "name": "оооо"}, nil},
			{"legal, a long fragment", 2, map[string]any{"region": 50, "name": `ООО "ТЕСТ-11"`}, []string{`ООО "ТЕСТ-11" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`}},
			{"legal, one trigram nowhere", 2, map[string]any{"region": 50, "name": "ТЕСТ-ЯЯ"}, nil},
			{"legal, one entity over the cap", 2, map[string]any{"region": 77, "name": "много"}, []string{
				`ООО "МНОГО" 101000, РОССИЯ, Г. МОСКВА`, `ООО "МНОГО" 101000, РОССИЯ, Г. МОСКВА`, `ООО "МНОГО" 101000, РОССИЯ, Г. МОСКВА`,
				`ООО "МНОГО" 101000, РОССИЯ, Г. МОСКВА`, `ООО "МНОГО" 101000, РОССИЯ, Г. МОСКВА`}},
			{"person over the cap", 1, map[string]any{"region": 77, "lastname": "Смирнов", "firstname": "Иван"}, []string{
				"СМИРНОВ ИВАН ИВАНОВИЧ 01.01.1980 ГОР. ЕКАТЕРИНБУРГ", "СМИРНОВ ИВАН ИВАНОВИЧ 01.01.1980 ГОР. ЕКАТЕРИНБУРГ",
				"СМИРНОВ ИВАН ИВАНОВИЧ 01.01.1980 ГОР. ЕКАТЕРИНБУРГ", "СМИРНОВ ИВАН ИВАНОВИЧ 01.01.1980 ГОР. ЕКАТЕРИНБУРГ",
				"СМИРНОВ ИВАН ИВАНОВИЧ 01.01.1980 ГОР. ЕКАТЕРИНБУРГ"}},
			{"ip region with a leading zero", 3, map[string]any{"number": "6860/12/61/066"}, []string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"ip full form in lower case", 3, map[string]any{"number": "6860/12/66061-ип"}, []string{"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ"}},
			{"cap on items", 2, map[string]any{"region": 50, "name": "ооо"}, []string{
				`ООО "ТЕСТ-0" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`, `ООО "ТЕСТ-1" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`,
				`ООО "ТЕСТ-2" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`, `ООО "ТЕСТ-3" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`,
				`ООО "ТЕСТ-4" 143401, РОССИЯ, МОСКОВСКАЯ ОБЛ., Г. КРАСНОГОРСК`}},
		}
		var reqs []map[string]any
		for _, c := range cases {
			reqs = append(reqs, map[string]any{"type": c.typ, "params": c.p})
		}
		body, _ := json.Marshal(map[string]any{"token": alpha, "request": reqs})
		r := s.result(alpha, s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", string(body))))
		if r.Status != 0 || len(r.Result) != len(cases) {
			t.Fatalf("status %d with %d results", r.Status, len(r.Result))
		}
		for i, c := range cases {
			got := names(r.items(t, i))
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("%s: found %q\nwant %q", c.name, got, c.want)
			}
			if r.Result[i].Query.Type != c.typ {
				t.Errorf("%s: echoed type %d", c.name, r.Result[i].Query.Type)
			}
		}
		// The joined flag shows in exe_production.
		if its := r.items(t, 8); its[0].ExeProduction != "7000/12/66061-ИП от 16.04.2012 сводное" || its[0].IPEnd != "" {
			t.Errorf("joined and open: %+v", its[0])
		}
	})
}
