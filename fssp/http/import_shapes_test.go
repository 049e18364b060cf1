package http_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"stend"
	"stend/fssp"
	"stend/fssp/generate"
	"stend/operator"
	"stend/store/sqlstore"
)

// importShape is one shape of the real service's answers (issue 18) as a
// row of each layout that can say it, the searches that must find it, and
// the item the service wrote for it.
type importShape struct {
	name string
	// stendRow and openDataRow hold the cells that differ from the
	// layout's base row; openDataRow is nil where the set cannot say it.
	stendRow, openDataRow map[string]string
	// searches each find the row alone: a path and its parameters; "$n"
	// stands for the row's number, "$full" for a short one in the full
	// format, "$name" for the debtor's name of a legal entity.
	searches [][]string
	// want makes the layout's base item into the expected one.
	want func(it *item)
}

var (
	// Both layouts give the departments one text: the bank keeps one.
	stendBase = map[string]string{
		"kind": "physical", "last_name": "ЖУКОВ", "first_name": "ПАВЕЛ", "patronymic": "ИГОРЕВИЧ", "birth_date": "01.02.1980",
		"birth_place": "гор. Челябинск", "opened": "16.04.2012", "doc_type": "Судебный приказ", "doc_date": "10.01.2012",
		"doc_number": "2-1/2012", "doc_issuer": "Судебный участок № 1", "subject": "Налог", "amount": "1234.56",
		"department_name": "ОСП по Центральному району г. Челябинска", "department_index": "454091", "department_address": "г. Челябинск, ул. Кирова, д. 1",
		"bailiff_name": "ИВАНОВА А. А.", "bailiff_phone": "+73511111111",
	}
	openDataBase = map[string]string{
		"Наименование должника": `ООО "ЛУЧ"`, "Адрес должника": "454000, г. Челябинск", "Дата возбуждения ИП": "16.04.2012",
		"Тип исполнительного документа": "Судебный приказ", "Дата исполнительного документа": "10.01.2012",
		"Номер исполнительного документа": "2-1/2012", "Наименование органа, выдавшего исполнительный документ": "Судебный участок № 1",
		"Предмет исполнения": "Налог", "Сумма долга": "1234.56", "Отдел судебных приставов": "ОСП по Центральному району г. Челябинска",
		"Адрес отдела судебных приставов": "454091, г. Челябинск, ул. Кирова, д. 1",
	}
	stendItem = item{Name: "ЖУКОВ ПАВЕЛ ИГОРЕВИЧ 01.02.1980 ГОР. ЧЕЛЯБИНСК", ExeProduction: "$n от 16.04.2012", Details: "Судебный приказ от 10.01.2012 № 2-1/2012 Судебный участок № 1",
		Subject: "Налог: 1234.56 руб.", Department: "ОСП по Центральному району г. Челябинска 454091, г. Челябинск, ул. Кирова, д. 1",
		Bailiff: "ИВАНОВА А. А.<br>+73511111111"}
	openDataItem = item{Name: `ООО "ЛУЧ" 454000, Г. ЧЕЛЯБИНСК`, ExeProduction: stendItem.ExeProduction, Details: stendItem.Details, Subject: stendItem.Subject, Department: stendItem.Department}
	// The department of the consolidated proceeding's example.
	novosibirsk = map[string]string{"department_name": "ОСП по Дзержинскому району г. Новосибирска", "department_index": "630015",
		"department_address": "г. Новосибирск, ул. Королёва, д. 40", "Отдел судебных приставов": "ОСП по Дзержинскому району г. Новосибирска",
		"Адрес отдела судебных приставов": "630015, г. Новосибирск, ул. Королёва, д. 40"}
)

func cells(base map[string]string, more ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range append([]map[string]string{base}, more...) {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var byNumber = [][]string{{"search/ip", "number", "$n"}}

var importShapes = []importShape{
	{
		name:        "a short-format number, found by both formats",
		stendRow:    map[string]string{"number": "27122/12/20/74"},
		openDataRow: map[string]string{"Номер ИП": "27123/12/20/74"},
		searches:    [][]string{{"search/ip", "number", "$n"}, {"search/ip", "number", "$full"}},
		want:        func(it *item) {},
	},
	{
		name:        "joined into a numbered consolidated proceeding",
		stendRow:    cells(novosibirsk, map[string]string{"number": "4567/18/54001-ИП", "opened": "16.07.2018", "consolidated": "108234/19/54001-СД"}),
		openDataRow: cells(novosibirsk, map[string]string{"Номер ИП": "4568/18/54001-ИП", "Дата возбуждения ИП": "16.07.2018", "Номер сводного ИП": "108234/19/54001-СД"}),
		searches:    byNumber,
		want: func(it *item) {
			it.ExeProduction = "$n от 16.07.2018 108234/19/54001-СД"
			it.Department = "ОСП по Дзержинскому району г. Новосибирска 630015, г. Новосибирск, ул. Королёва, д. 40"
		},
	},
	{
		name:        "joined, the consolidated proceeding's number unknown",
		stendRow:    map[string]string{"number": "4569/18/74020-ИП", "opened": "16.07.2018", "joined": "1"},
		openDataRow: map[string]string{"Номер ИП": "4570/18/74020-ИП", "Дата возбуждения ИП": "16.07.2018", "Номер сводного ИП": "сводное"},
		searches:    byNumber,
		want:        func(it *item) { it.ExeProduction = "$n от 16.07.2018 сводное" },
	},
	{
		name:     "a bailiff with the phone twice",
		stendRow: map[string]string{"number": "11/12/74020-ИП", "bailiff_name": "", "bailiff_phone": "", "bailiff": "ФАМИЛИЯ И. О. +7(499)558-16-04<br>+7(499)558-16-04<br>"},
		searches: byNumber,
		want:     func(it *item) { it.Bailiff = "ФАМИЛИЯ И. О. +7(499)558-16-04<br>+7(499)558-16-04<br>" },
	},
	{
		name:     "a bailiff without a phone, with a break",
		stendRow: map[string]string{"number": "12/12/74020-ИП", "bailiff_name": "", "bailiff_phone": "", "bailiff": "ФАМИЛИЯ И. О.<br>"},
		searches: byNumber,
		want:     func(it *item) { it.Bailiff = "ФАМИЛИЯ И. О.<br>" },
	},
	{
		name:     "today's bailiff, as the service's text",
		stendRow: map[string]string{"number": "13/12/74020-ИП", "bailiff_name": "", "bailiff_phone": "", "bailiff": "ФАМИЛИЯ И. О.<br>+7(499)558-16-04"},
		searches: byNumber,
		want:     func(it *item) { it.Bailiff = "ФАМИЛИЯ И. О.<br>+7(499)558-16-04" },
	},
	{
		name:        "an amount with one decimal",
		stendRow:    map[string]string{"number": "21/12/74020-ИП", "amount": "212776.4", "amount_format": "trimmed"},
		openDataRow: map[string]string{"Номер ИП": "22/12/74020-ИП", "Сумма долга": "212776.4"},
		searches:    byNumber,
		want:        func(it *item) { it.Subject = "Налог: 212776.4 руб." },
	},
	{
		name:        "an amount without decimals, and a fee",
		stendRow:    map[string]string{"number": "23/12/74020-ИП", "amount": "212776", "fee": "14894.35", "amount_format": "trimmed"},
		openDataRow: map[string]string{"Номер ИП": "24/12/74020-ИП", "Сумма долга": "212776"},
		searches:    byNumber,
		want: func(it *item) {
			it.Subject = "Налог: 212776 руб."
			if it.Bailiff != "" { // the stend row
				it.Subject += " Исполнительский сбор: 14894.35 руб."
			}
		},
	},
	{
		name:        "a subject without an amount",
		stendRow:    map[string]string{"number": "25/12/74020-ИП", "subject": "Обязать совершить определённые действия", "amount": ""},
		openDataRow: map[string]string{"Номер ИП": "26/12/74020-ИП", "Предмет исполнения": "Обязать совершить определённые действия", "Сумма долга": ""},
		searches:    byNumber,
		want: func(it *item) {
			it.Subject = "Обязать совершить определённые действия"
		},
	},
	{
		name:        "an empty subject",
		stendRow:    map[string]string{"number": "27/12/74020-ИП", "subject": "", "amount": ""},
		openDataRow: map[string]string{"Номер ИП": "28/12/74020-ИП", "Предмет исполнения": "", "Сумма долга": ""},
		searches:    byNumber,
		want:        func(it *item) { it.Subject = "" },
	},
	{
		name:        "details without an issuing body",
		stendRow:    map[string]string{"number": "29/12/74020-ИП", "doc_issuer": ""},
		openDataRow: map[string]string{"Номер ИП": "30/12/74020-ИП", "Наименование органа, выдавшего исполнительный документ": ""},
		searches:    byNumber,
		want:        func(it *item) { it.Details = "Судебный приказ от 10.01.2012 № 2-1/2012" },
	},
	{
		name: "a legal entity's name carrying its address",
		stendRow: map[string]string{"number": "31/12/74020-ИП", "kind": "legal", "last_name": "", "first_name": "", "patronymic": "", "birth_date": "", "birth_place": "",
			"legal_name": `ООО "РАССВЕТ", 454000, Г. ЧЕЛЯБИНСК, УЛ. ЛЕНИНА, Д. 1`},
		openDataRow: map[string]string{"Номер ИП": "32/12/74020-ИП", "Наименование должника": `ООО "ЗАКАТ", 454000, Г. ЧЕЛЯБИНСК, УЛ. МИРА, Д. 2`, "Адрес должника": ""},
		searches:    [][]string{{"search/ip", "number", "$n"}, {"search/legal", "region", "74", "name", "$name"}},
		want:        func(it *item) { it.Name = "$name" },
	},
	{
		name:     "a birth place starting with a postal index",
		stendRow: map[string]string{"number": "33/12/74020-ИП", "last_name": "ПОЧТОВ", "birth_place": "454000, Г. ЧЕЛЯБИНСК"},
		searches: [][]string{{"search/ip", "number", "$n"}, {"search/physical", "region", "74", "lastname", "Почтов", "firstname", "Павел"}},
		want: func(it *item) {
			it.Name = "ПОЧТОВ ПАВЕЛ ИГОРЕВИЧ 01.02.1980 454000, Г. ЧЕЛЯБИНСК"
		},
	},
}

// csvFile writes rows as a file of the layout, every column the rows use.
func csvFile(t *testing.T, rows []map[string]string, comma rune) string {
	t.Helper()
	seen := map[string]bool{}
	var header []string
	for _, r := range rows {
		for k := range r {
			if !seen[k] {
				seen[k] = true
				header = append(header, k)
			}
		}
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = comma
	lines := [][]string{header}
	for _, r := range rows {
		line := make([]string, len(header))
		for i, k := range header {
			line[i] = r[k]
		}
		lines = append(lines, line)
	}
	if err := w.WriteAll(lines); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// fullNumber is a short number n/yy/dd/rr in the other documented format.
func fullNumber(short string) string {
	p := strings.Split(short, "/")
	if len(p) != 4 {
		return short
	}
	return p[0] + "/" + p[1] + "/" + p[3] + "0" + p[2] + "-ИП"
}

// Every shape the real service answered round-trips from an import file of
// each layout that can say it to /result, byte for byte; short numbers are
// found by both documented formats.
func TestImportedShapesAnswerAsTheServiceDid(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		layouts := []struct {
			layout string
			base   map[string]string
			item   item
			number string // the column of the number
			name   string // the column of a legal entity's name
			comma  rune
		}{
			{"stend", stendBase, stendItem, "number", "legal_name", ','},
			{"opendata", openDataBase, openDataItem, "Номер ИП", "Наименование должника", ';'},
		}
		for _, l := range layouts {
			var rows []map[string]string
			for _, sh := range importShapes {
				row := sh.stendRow
				if l.layout == "opendata" {
					row = sh.openDataRow
				}
				if row != nil {
					rows = append(rows, cells(l.base, row))
				}
			}
			a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import?layout="+l.layout, "text/csv", csvFile(t, rows, l.comma))
			var res operator.ImportResult
			decodeInto(t, a, &res)
			if a.status != http.StatusOK || res.Imported != int64(len(rows)) {
				t.Fatalf("%s: %d %s", l.layout, a.status, a.body)
			}
		}
		for _, sh := range importShapes {
			for _, l := range layouts {
				row := sh.stendRow
				if l.layout == "opendata" {
					row = sh.openDataRow
				}
				if row == nil {
					continue
				}
				row = cells(l.base, row)
				number := row[l.number]
				it := l.item
				sh.want(&it)
				vars := strings.NewReplacer("$full", fullNumber(number), "$name", row[l.name], "$n", number)
				it.ExeProduction, it.Name = vars.Replace(it.ExeProduction), vars.Replace(it.Name)
				var want bytes.Buffer
				enc := json.NewEncoder(&want)
				enc.SetEscapeHTML(false) // the service sends <br> as it is
				_ = enc.Encode([]item{it})
				for _, search := range sh.searches {
					kv := []string{"token", alpha}
					for _, v := range search[1:] {
						kv = append(kv, vars.Replace(v))
					}
					r := s.result(alpha, s.submit(search[0], kv...))
					if got := string(r.Result[0].Result); got != strings.TrimSpace(want.String()) {
						t.Errorf("%s, %s layout, %s %v:\ngot  %s\nwant %s", sh.name, l.layout, search[0], kv[2:], got, want.String())
					}
				}
			}
		}
	})
}

// Two rows of one import that give a department different texts: a bad
// row, never the second text replacing the first; skipped, the first
// stays and the row is counted.
func TestImportRefusesTwoTextsOfADepartment(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		file := csvFile(t, []map[string]string{
			cells(stendBase, map[string]string{"number": "1/20/74020-ИП"}),
			cells(stendBase, map[string]string{"number": "2/20/74020-ИП", "department_name": "ОСП по Центральному району"}),
			cells(stendBase, map[string]string{"number": "3/20/74020-ИП"}),
		}, ',')
		before := s.bankSize()
		a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", file)
		var res operator.ImportResult
		decodeInto(t, a, &res)
		if a.status != http.StatusUnprocessableEntity || res.Imported != 0 || len(res.BadRows) != 1 || res.BadRows[0].Line != 3 ||
			!strings.Contains(res.BadRows[0].Message, "department 74020") || s.bankSize() != before {
			t.Fatalf("%d %s", a.status, a.body)
		}
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import?skipBad=true", "text/csv", file)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || res.Imported != 2 || len(res.BadRows) != 1 || s.bankSize() != before+2 {
			t.Fatalf("skip bad: %d %s", a.status, a.body)
		}
		r := s.result(alpha, s.submit("search/physical", "token", alpha, "region", "74", "lastname", "Жуков", "firstname", "Павел"))
		for _, it := range r.items(t, 0) {
			if it.Department != stendItem.Department {
				t.Errorf("%+v", it)
			}
		}
		if n := len(r.items(t, 0)); n != 2 {
			t.Errorf("%d found", n)
		}
	})
}

// A generated bank answers every shape as the service wrote it: one
// proceeding of each, found by its number (a short one by both formats).
func TestGeneratedShapesAnswerAsTheServiceDid(t *testing.T) {
	t.Parallel()
	const seed, count = 5, 3000
	g := generate.New(seed, count)
	type example struct {
		p     fssp.Proceeding
		check func(p fssp.Proceeding, it item) bool
	}
	dotted := func(d stend.Date) string { return fmt.Sprintf("%02d.%02d.%d", d.Day, d.Month, d.Year) }
	amount := func(format string) func(p fssp.Proceeding, it item) bool {
		return func(p fssp.Proceeding, it item) bool { return regexp.MustCompile(format).MatchString(it.Subject) }
	}
	shapes := map[string]func(p fssp.Proceeding) bool{
		"short number":   func(p fssp.Proceeding) bool { return p.Number.Short },
		"consolidated":   func(p fssp.Proceeding) bool { return p.Consolidated != nil },
		"phone twice":    func(p fssp.Proceeding) bool { return p.Bailiff.Format == fssp.BailiffPhoneTwice },
		"trailing break": func(p fssp.Proceeding) bool { return p.Bailiff.Format == fssp.BailiffTrailingBreak },
		"one decimal": func(p fssp.Proceeding) bool {
			return p.AmountFormat == fssp.AmountTrimmed && p.Amount%100 != 0 && p.Amount%10 == 0 && p.Fee == 0
		},
		"no decimals": func(p fssp.Proceeding) bool {
			return p.AmountFormat == fssp.AmountTrimmed && p.Amount%100 == 0 && p.Fee%100 == 0 && p.Fee != 0
		},
		"empty subject":        func(p fssp.Proceeding) bool { return p.Subject == "" },
		"no issuer":            func(p fssp.Proceeding) bool { return p.DocIssuer == "" },
		"address in the name":  func(p fssp.Proceeding) bool { return p.Kind == fssp.DebtorLegal && p.LegalAddress == "" },
		"indexed birth places": func(p fssp.Proceeding) bool { return p.Kind == fssp.DebtorPhysical && p.BirthPlace[0] <= '9' },
	}
	checks := map[string]func(p fssp.Proceeding, it item) bool{
		"short number": func(p fssp.Proceeding, it item) bool {
			return it.ExeProduction == fmt.Sprintf("%d/%02d/%02d/%02d от %s", p.Number.Own, p.Number.Year, p.Number.Department%100, p.Region, dotted(p.Date))
		},
		"consolidated": func(p fssp.Proceeding, it item) bool {
			c := p.Consolidated
			return strings.HasSuffix(it.ExeProduction, fmt.Sprintf(" от %s %d/%02d/%05d-СД", dotted(p.Date), c.Own, c.Year, c.Department))
		},
		"phone twice": func(p fssp.Proceeding, it item) bool {
			return it.Bailiff == p.Bailiff.Name+" "+p.Bailiff.Phone+"<br>"+p.Bailiff.Phone+"<br>"
		},
		"trailing break": func(p fssp.Proceeding, it item) bool { return it.Bailiff == p.Bailiff.Name+"<br>" },
		"one decimal":    amount(`: \d+\.\d руб\.$`),
		"no decimals":    amount(`: \d+ руб\. Исполнительский сбор: \d+ руб\.$`),
		"empty subject":  func(p fssp.Proceeding, it item) bool { return it.Subject == "" },
		"no issuer": func(p fssp.Proceeding, it item) bool {
			return it.Details == p.DocType+" от "+dotted(p.DocDate)+" № "+p.DocNumber
		},
		"address in the name": func(p fssp.Proceeding, it item) bool {
			return it.Name == p.LegalName && strings.Contains(it.Name, ", ")
		},
		"indexed birth places": func(p fssp.Proceeding, it item) bool { return strings.HasSuffix(it.Name, " "+p.BirthPlace) },
	}
	found := map[string]fssp.Proceeding{}
	var p fssp.Proceeding
	for g.Next(&p) {
		for name, is := range shapes {
			if _, ok := found[name]; !ok && is(p) {
				found[name] = p
			}
		}
	}
	if len(found) != len(shapes) {
		t.Fatalf("%d proceedings of seed %d show %d of the %d shapes", count, seed, len(found), len(shapes))
	}
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		if a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/generate", "application/json", fmt.Sprintf(`{"count":%d,"seed":%d}`, count, seed)); a.status != http.StatusOK {
			t.Fatalf("generate: %d %s", a.status, a.body)
		}
		for name, p := range found {
			n := p.Number
			numbers := []string{fmt.Sprintf("%d/%02d/%05d-ИП", n.Own, n.Year, n.Department)}
			if n.Short {
				numbers = append(numbers, fmt.Sprintf("%d/%02d/%02d/%02d", n.Own, n.Year, n.Department%100, p.Region))
			}
			for _, number := range numbers {
				its := s.result(alpha, s.submit("search/ip", "token", alpha, "number", number)).items(t, 0)
				if len(its) != 1 || !checks[name](p, its[0]) {
					t.Errorf("%s, %s: %+v", name, number, its)
				}
			}
		}
	})
}

// A file that gives a department the bank holds other texts replaces them,
// and the import says so: proceedings loaded before now show the new texts.
func TestImportSaysWhichDepartmentsItReplaced(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		first := csvFile(t, []map[string]string{cells(stendBase, map[string]string{"number": "1/20/74020-ИП"})}, ',')
		var res operator.ImportResult
		a := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", first)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || len(res.ReplacedDepartments) != 0 || !strings.Contains(a.body, `"replacedDepartments":[]`) {
			t.Fatalf("first import: %d %s", a.status, a.body)
		}
		again := csvFile(t, []map[string]string{cells(stendBase, map[string]string{"number": "2/20/74020-ИП"})}, ',')
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", again)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || len(res.ReplacedDepartments) != 0 {
			t.Fatalf("the same texts again: %d %s", a.status, a.body)
		}
		renamed := csvFile(t, []map[string]string{cells(stendBase, map[string]string{"number": "3/20/74020-ИП", "department_name": "ОСП по Центральному району"})}, ',')
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", renamed)
		decodeInto(t, a, &res)
		if a.status != http.StatusOK || len(res.ReplacedDepartments) != 1 {
			t.Fatalf("new texts: %d %s", a.status, a.body)
		}
		d := res.ReplacedDepartments[0]
		if d.Department != 74020 || d.Now.Name != "ОСП по Центральному району" || d.Was.Name == d.Now.Name || d.Was.Name == "" {
			t.Fatalf("replacement %+v", d)
		}
		// An import that stores nothing replaced nothing, whatever its
		// first rows gave.
		failed := csvFile(t, []map[string]string{
			cells(stendBase, map[string]string{"number": "4/20/74020-ИП", "department_name": "ОСП № 3"}),
			cells(stendBase, map[string]string{"number": "not a number"}),
		}, ',')
		a = s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", failed)
		res = operator.ImportResult{}
		decodeInto(t, a, &res)
		if a.status != http.StatusUnprocessableEntity || res.Imported != 0 || len(res.ReplacedDepartments) != 0 {
			t.Fatalf("a refused import: %d %s", a.status, a.body)
		}
	})
}
