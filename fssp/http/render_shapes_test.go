package http

import (
	"testing"

	"stend"
	"stend/fssp"
)

// Each shape the real service answered is written byte for byte as it was
// (answers captured from it in public code, issue 18), beside today's.
func TestItemShapesAsTheRealServiceWroteThem(t *testing.T) {
	day := func(s string) stend.Date {
		d, ok := stend.ParseDate(s)
		if !ok {
			t.Fatalf("date %q", s)
		}
		return d
	}
	base := fssp.Proceeding{Kind: fssp.DebtorPhysical, LastName: "Иванов", FirstName: "Иван", Patronymic: "Иванович",
		Number: fssp.ProceedingNumber{Own: 108234, Year: 19, Department: 54001}, Date: day("2019-07-16"),
		DocType: "Судебный приказ", DocDate: day("2019-05-20"), DocNumber: "2-1234/2019", DocIssuer: "Судебный участок № 1",
		Subject: "Задолженность", Amount: 21277640, Fee: 1489435,
		Bailiff: fssp.Bailiff{Name: "ПЕТРОВА А. В.", Phone: "+7(499)558-16-04"}}
	for _, c := range []struct {
		name  string
		shape func(p *fssp.Proceeding)
		field func(it item) string
		want  string
	}{
		{"today's number", func(p *fssp.Proceeding) {}, exeOf, "108234/19/54001-ИП от 16.07.2019"},
		{"short number", func(p *fssp.Proceeding) {
			p.Number, p.Date = fssp.ProceedingNumber{Own: 27122, Year: 12, Department: 74020, Short: true}, day("2012-04-16")
		}, exeOf, "27122/12/20/74 от 16.04.2012"},
		{"joined", func(p *fssp.Proceeding) { p.Joined = true }, exeOf, "108234/19/54001-ИП от 16.07.2019 сводное"},
		{"joined into a numbered consolidated proceeding", func(p *fssp.Proceeding) {
			p.Number, p.Date, p.Joined = fssp.ProceedingNumber{Own: 12345, Year: 18, Department: 54001}, day("2018-07-16"), true
			p.Consolidated = &fssp.ProceedingNumber{Own: 108234, Year: 19, Department: 54001}
		}, exeOf, "12345/18/54001-ИП от 16.07.2018 108234/19/54001-СД"},
		{"amounts with kopecks", func(p *fssp.Proceeding) {}, subjectOf, "Задолженность: 212776.40 руб. Исполнительский сбор: 14894.35 руб."},
		{"each amount trimmed on its own", func(p *fssp.Proceeding) { p.AmountFormat = fssp.AmountTrimmed }, subjectOf,
			"Задолженность: 212776.4 руб. Исполнительский сбор: 14894.35 руб."},
		{"an amount with one decimal", func(p *fssp.Proceeding) { p.AmountFormat, p.Fee = fssp.AmountTrimmed, 0 }, subjectOf, "Задолженность: 212776.4 руб."},
		{"an amount without decimals", func(p *fssp.Proceeding) { p.AmountFormat, p.Amount, p.Fee = fssp.AmountTrimmed, 21277600, 100000 }, subjectOf,
			"Задолженность: 212776 руб. Исполнительский сбор: 1000 руб."},
		{"whole amounts with kopecks", func(p *fssp.Proceeding) { p.Amount, p.Fee = 21277600, 100000 }, subjectOf,
			"Задолженность: 212776.00 руб. Исполнительский сбор: 1000.00 руб."},
		{"a subject without an amount", func(p *fssp.Proceeding) { p.Amount, p.Fee = 0, 0 }, subjectOf, "Задолженность"},
		{"an empty subject", func(p *fssp.Proceeding) { p.Subject, p.Amount, p.Fee = "", 0, 0 }, subjectOf, ""},
		{"details with an issuing body", func(p *fssp.Proceeding) {}, detailsOf, "Судебный приказ от 20.05.2019 № 2-1234/2019 Судебный участок № 1"},
		{"details without an issuing body", func(p *fssp.Proceeding) { p.DocIssuer = "" }, detailsOf, "Судебный приказ от 20.05.2019 № 2-1234/2019"},
		{"today's bailiff", func(p *fssp.Proceeding) {}, bailiffOf, "ПЕТРОВА А. В.<br>+7(499)558-16-04"},
		{"a bailiff with the phone twice", func(p *fssp.Proceeding) { p.Bailiff.Format = fssp.BailiffPhoneTwice }, bailiffOf,
			"ПЕТРОВА А. В. +7(499)558-16-04<br>+7(499)558-16-04<br>"},
		{"a bailiff without a phone", func(p *fssp.Proceeding) { p.Bailiff.Format, p.Bailiff.Phone = fssp.BailiffTrailingBreak, "" }, bailiffOf, "ПЕТРОВА А. В.<br>"},
		{"a legal entity's name carrying its address", func(p *fssp.Proceeding) {
			p.Kind, p.LegalName = fssp.DebtorLegal, `ООО "РОМАШКА", 630099, РОССИЯ, НОВОСИБИРСКАЯ ОБЛ., Г. НОВОСИБИРСК, УЛ. ЛЕНИНА, Д. 1`
		}, nameOf, `ООО "РОМАШКА", 630099, РОССИЯ, НОВОСИБИРСКАЯ ОБЛ., Г. НОВОСИБИРСК, УЛ. ЛЕНИНА, Д. 1`},
		{"a birth place starting with a postal index", func(p *fssp.Proceeding) {
			p.BirthDate, p.BirthPlace = day("1980-01-02"), "630099, Г. НОВОСИБИРСК"
		}, nameOf, "ИВАНОВ ИВАН ИВАНОВИЧ 02.01.1980 630099, Г. НОВОСИБИРСК"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := base
			c.shape(&p)
			if got := c.field(render(p)); got != c.want {
				t.Fatalf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func exeOf(it item) string     { return it.ExeProduction }
func subjectOf(it item) string { return it.Subject }
func detailsOf(it item) string { return it.Details }
func bailiffOf(it item) string { return it.Bailiff }
func nameOf(it item) string    { return it.Name }
