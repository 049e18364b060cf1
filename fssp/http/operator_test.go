package http_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"stend/fssp"
	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
)

func (s *stand) operator(method, path, contentType, body string) answer {
	a := s.stand.Operator(method, path, contentType, body)
	return answer{a.Status, a.Body, a.Header}
}

// operatorMalformed is operator for a request that breaks the operator
// document on purpose: the contract check exempts it and checks the answer.
func (s *stand) operatorMalformed(method, path, contentType, body string) answer {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+stendtest.OperatorToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	a := s.stand.Serve(stendtest.Malformed(req))
	return answer{a.Status, a.Body, a.Header}
}

func decodeInto(t testing.TB, a answer, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(a.body), v); err != nil {
		t.Fatalf("%v: %s", err, a.body)
	}
}

func TestOperatorTokens(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		a := s.operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"Интегратор"}`)
		if a.status != http.StatusCreated {
			t.Fatalf("issue: %d %s", a.status, a.body)
		}
		var issued operator.IssuedFSSPToken
		decodeInto(t, a, &issued)
		if len(issued.Token) < 20 || issued.Limits != fssp.DefaultLimits || !issued.ExpiresAt.Equal(now.AddDate(1, 0, 0)) {
			t.Fatalf("issued %+v", issued)
		}
		// The new token works at once, with the default limits.
		if r := s.get("search/ip", "token", issued.Token, "number", "6860/12/61/66"); r.status != http.StatusOK || r.header.Get("RateLimit-Limit") != "100" {
			t.Fatalf("new token: %d %v", r.status, r.header)
		}
		// Listing never shows a token or its hash.
		list := s.operator(http.MethodGet, "/operator/v1/fssp/tokens", "", "")
		if list.status != http.StatusOK || strings.Contains(list.body, issued.Token) || strings.Contains(list.body, "hash") || !strings.Contains(list.body, "Интегратор") {
			t.Fatalf("list: %s", list.body)
		}
		// An operator-chosen token, custom limits; duplicates refused.
		a = s.operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"x","token":"chosen-token-1","limits":{"singlePerHour":0,"singlePerDay":5,"groupPerDay":0}}`)
		if a.status != http.StatusCreated {
			t.Fatalf("chosen: %d %s", a.status, a.body)
		}
		if a := s.operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"y","token":"chosen-token-1"}`); a.status != http.StatusConflict {
			t.Fatalf("duplicate: %d %s", a.status, a.body)
		}
		for _, bad := range []string{`{"token":"x"}`, `{"name":"z","token":"short"}`, `{"name":"z","limits":{"singlePerHour":-1}}`, `{"name":"z","extra":1}`} {
			if a := s.operatorMalformed(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", bad); a.status != http.StatusBadRequest {
				t.Fatalf("%s: %d %s", bad, a.status, a.body)
			}
		}
		if a := s.operator(http.MethodDelete, "/operator/v1/fssp/tokens/"+itoa(issued.ID), "", ""); a.status != http.StatusOK || !strings.Contains(a.body, "revokedAt") {
			t.Fatalf("revoke: %d %s", a.status, a.body)
		}
		// Nodes reuse a token's record for a second, but the node whose
		// operator revoked it forgets it at once (the token was used above,
		// at this instant of the clock).
		expect(t, s.get("search/ip", "token", issued.Token, "number", "6860/12/61/66"), http.StatusUnauthorized, invalidToken)
		if a := s.operator(http.MethodDelete, "/operator/v1/fssp/tokens/99999", "", ""); a.status != http.StatusNotFound {
			t.Fatalf("revoke unknown: %d", a.status)
		}
		// The token is stored hashed.
		var n int
		if err := s.store.ReadDB().QueryRow(`SELECT count(*) FROM fssp_tokens WHERE token_hash = ?`, []byte(issued.Token)).Scan(&n); err == nil && n != 0 {
			t.Fatal("a token is stored in clear")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOperatorTasks(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		t1 := s.submit("search/ip", "token", alpha, "number", "6860/12/61/66")
		s.clock.Set(now.Add(time.Minute))
		t2 := s.submit("search/legal", "token", beta, "region", "66", "name", "Ромашка")
		s.wait(t1)
		s.wait(t2)
		var list struct{ Tasks []operator.FSSPTask }
		decodeInto(t, s.operator(http.MethodGet, "/operator/v1/fssp/tasks", "", ""), &list)
		if len(list.Tasks) != 2 || list.Tasks[0].ID != t2 || list.Tasks[1].ID != t1 || list.Tasks[0].Progress != "1 of 1" {
			t.Fatalf("all tasks, newest first: %+v", list.Tasks)
		}
		decodeInto(t, s.operator(http.MethodGet, "/operator/v1/fssp/tasks?tokenId="+itoa(s.tokens[alpha].ID), "", ""), &list)
		if len(list.Tasks) != 1 || list.Tasks[0].ID != t1 {
			t.Fatalf("by token: %+v", list.Tasks)
		}
		decodeInto(t, s.operator(http.MethodGet, "/operator/v1/fssp/tasks?from="+now.Add(30*time.Second).Format(time.RFC3339)+"&status=0", "", ""), &list)
		if len(list.Tasks) != 1 || list.Tasks[0].ID != t2 {
			t.Fatalf("by time and status: %+v", list.Tasks)
		}
		decodeInto(t, s.operator(http.MethodGet, "/operator/v1/fssp/tasks?status=2", "", ""), &list)
		if len(list.Tasks) != 0 {
			t.Fatalf("queued: %+v", list.Tasks)
		}
		var detail operator.FSSPTaskDetail
		decodeInto(t, s.operator(http.MethodGet, "/operator/v1/fssp/tasks/"+t2, "", ""), &detail)
		if len(detail.Requests) != 1 || detail.Requests[0].Params["name"] != "Ромашка" || len(detail.Results) != 1 {
			t.Fatalf("detail: %+v", detail)
		}
		for _, q := range []string{"status=7", "from=yesterday", "tokenId=x"} {
			if a := s.operatorMalformed(http.MethodGet, "/operator/v1/fssp/tasks?"+q, "", ""); a.status != http.StatusBadRequest {
				t.Fatalf("%s: %d", q, a.status)
			}
		}
		if a := s.operatorMalformed(http.MethodGet, "/operator/v1/fssp/tasks/NOPE", "", ""); a.status != http.StatusNotFound {
			t.Fatalf("unknown task: %d", a.status)
		}
	})
}

const csvHeader = "kind,region,last_name,first_name,patronymic,birth_date,birth_place,legal_name,legal_address,number,opened,joined,doc_type,doc_date,doc_number,doc_issuer,subject,amount,fee,department_name,department_index,department_address,bailiff_name,bailiff_phone,end_date,end_article,end_part,end_point\n"

func TestImport(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		good := "physical,74,СИДОРОВ,ОЛЕГ,,1975-05-05,,,,15/20/74001-ИП,01.02.2020,1,Судебный приказ,10.01.2020,2-15/2020,Мировой судья,Налог,\"1 500,50\",,Ленинский РОСП г. Челябинска,454000,\"Россия, г. Челябинск\",ИВАНОВА А. А.,+73511111111,2021-01-01,47,1,1\n"
		bad := csvHeader + good +
			"physical,74,,ОЛЕГ,,,,,,16/20/74001-ИП,01.02.2020,0,Судебный приказ,10.01.2020,2-16/2020,Мировой судья,Налог,1,,Ленинский РОСП,,,,,,,,\n" +
			"physical,74,ПЕТРОВ,ОЛЕГ,,,,,,17/20/80001-ИП,01.02.2020,0,Судебный приказ,10.01.2020,2-17/2020,Мировой судья,Налог,1,,Ленинский РОСП,,,,,,,,\n" +
			"physical,74,ПЕТРОВ,ОЛЕГ,,,,,,18/20/74001-ИП,01.02.2020,0,Судебный приказ,10.01.2020,2-18/2020,Мировой судья,Налог,1.234,,Ленинский РОСП,,,,,,,,\n"
		before := s.bankSize()
		a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", bad)
		var res operator.ImportResult
		decodeInto(t, a, &res)
		if a.status != http.StatusUnprocessableEntity || res.Imported != 0 || len(res.BadRows) != 3 ||
			res.BadRows[0].Line != 3 || res.BadRows[1].Line != 4 || res.BadRows[2].Line != 5 ||
			!strings.Contains(res.BadRows[0].Message, "last_name") || !strings.Contains(res.BadRows[1].Message, "80001") || !strings.Contains(res.BadRows[2].Message, "amount") {
			t.Fatalf("bad file: %d %s", a.status, a.body)
		}
		if s.bankSize() != before {
			t.Fatal("a file with bad rows changed the bank")
		}
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import?skipBad=true", "text/csv", bad)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || res.Imported != 1 || len(res.BadRows) != 3 || s.bankSize() != before+1 {
			t.Fatalf("skip bad: %d %s", a.status, a.body)
		}
		r := s.result(alpha, s.submit("search/physical", "token", alpha, "region", "74", "lastname", "Сидоров", "firstname", "Олег"))
		want := item{Name: "СИДОРОВ ОЛЕГ 05.05.1975", ExeProduction: "15/20/74001-ИП от 01.02.2020 сводное", Details: "Судебный приказ от 10.01.2020 № 2-15/2020 Мировой судья",
			Subject: "Налог: 1500.50 руб.", Department: "Ленинский РОСП г. Челябинска 454000, Россия, г. Челябинск", Bailiff: "ИВАНОВА А. А.<br>+73511111111", IPEnd: "2021-01-01, 47, 1, 1"}
		if its := r.items(t, 0); len(its) != 1 || its[0] != want {
			t.Fatalf("imported proceeding: %+v", its)
		}
		// The open data layout: legal entities, headings by name, ';'.
		opendata := "\ufeffНаименование должника;Адрес должника;Номер ИП;Дата возбуждения ИП;Номер сводного ИП;Тип исполнительного документа;Дата исполнительного документа;Номер исполнительного документа;Предмет исполнения;Сумма долга;Отдел судебных приставов;Адрес отдела судебных приставов;ИНН должника\n" +
			"ООО \"ЛЮТИК\";\"454000, Россия, г. Челябинск, ул. Цвиллинга, д. 1\";77/21/74001-ИП;2021-03-03;76/21/74001-СД;Исполнительный лист;2021-02-02;ФС 012345678;Взыскание задолженности;120000.00;Ленинский РОСП г. Челябинска;454000, Россия, г. Челябинск;7451234567\n"
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import?layout=opendata", "text/csv", opendata)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || res.Imported != 1 {
			t.Fatalf("open data: %d %s", a.status, a.body)
		}
		r = s.result(alpha, s.submit("search/legal", "token", alpha, "region", "74", "name", "лютик"))
		if its := r.items(t, 0); len(its) != 1 || its[0].Name != `ООО "ЛЮТИК" 454000, РОССИЯ, Г. ЧЕЛЯБИНСК, УЛ. ЦВИЛЛИНГА, Д. 1` ||
			its[0].ExeProduction != "77/21/74001-ИП от 03.03.2021 76/21/74001-СД" || its[0].Department != "Ленинский РОСП г. Челябинска 454000, Россия, г. Челябинск" {
			t.Fatalf("open data proceeding: %+v", its)
		}
		// An unknown layout breaks the operator document; the open data
		// layout's columns are missing from the stand's header.
		if a := s.operatorMalformed(http.MethodPost, "/operator/v1/fssp/bank/import?layout=xml", "text/csv", csvHeader); a.status != http.StatusBadRequest {
			t.Fatalf("layout=xml: %d %s", a.status, a.body)
		}
		if a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import?layout=opendata", "text/csv", csvHeader); a.status != http.StatusBadRequest {
			t.Fatalf("layout=opendata: %d %s", a.status, a.body)
		}
		long := csvHeader + strings.Repeat("x", 2<<20)
		if a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", long); a.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("endless line: %d %s", a.status, a.body)
		}
	})
}

func (s *stand) bankSize() int64 {
	s.t.Helper()
	var out struct{ Proceedings int64 }
	decodeInto(s.t, s.operator(http.MethodGet, "/operator/v1/fssp/bank", "", ""), &out)
	return out.Proceedings
}

func TestGenerateAndSeed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		before := s.bankSize()
		a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/generate", "application/json", `{"count":3000,"seed":5}`)
		if a.status != http.StatusOK || a.body != `{"generated":3000}` || s.bankSize() != before+3000 {
			t.Fatalf("generate: %d %s", a.status, a.body)
		}
		// A seed on a fresh store: tokens, a generated bank and a file;
		// loading it again adds nothing.
		dir := t.TempDir()
		file := filepath.Join(dir, "bank.csv")
		if err := os.WriteFile(file, []byte(csvHeader+"legal,66,,,,,,\"ООО \"\"ЗАРЯ\"\"\",Екатеринбург,1/24/66001-ИП,01.01.2024,0,Исполнительный лист,01.12.2023,ФС 1,Суд,Долг,10,,РОСП,,,,,,,,\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		seedJSON := `{"fssp":{"tokens":[{"name":"seeded","token":"seeded-token-1"}],"bank":{"generate":{"count":500,"seed":9},"import":[{"file":"` + file + `","layout":"stend"}]}}}`
		path := filepath.Join(dir, "seed.json")
		_ = os.WriteFile(path, []byte(seedJSON), 0o600)
		seed, err := operator.ReadSeed(path)
		if err != nil {
			t.Fatal(err)
		}
		fresh := open(t)
		svc := &operator.Service{FSSP: fresh.FSSP(), Clock: s.clock, Keys: s.node.Keys}
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		for range 2 {
			if err := svc.LoadSeed(context.Background(), seed, logger); err != nil {
				t.Fatal(err)
			}
			if n, _ := svc.BankSize(context.Background()); n != 501 {
				t.Fatalf("seeded bank holds %d", n)
			}
			if ts, _ := svc.FSSPTokens(context.Background()); len(ts) != 1 {
				t.Fatalf("seeded tokens: %+v", ts)
			}
		}
	})
}
