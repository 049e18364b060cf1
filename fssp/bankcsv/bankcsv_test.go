package bankcsv

import (
	"errors"
	"os"
	"strings"
	"testing"

	"stend/fssp"
)

// read yields every proceeding of a file, the bad rows and the reader's
// error.
func read(t *testing.T, layout string, skipBad bool, file string) ([]fssp.Proceeding, []LineError, error) {
	t.Helper()
	rd, err := NewReader(strings.NewReader(file), layout, skipBad)
	if err != nil {
		t.Fatal(err)
	}
	var out []fssp.Proceeding
	var p fssp.Proceeding
	for rd.Next(&p) {
		out = append(out, p)
	}
	return out, rd.Bad(), rd.Err()
}

// readGood fails unless every row of the file is good.
func readGood(t *testing.T, layout, file string) []fssp.Proceeding {
	t.Helper()
	ps, bad, err := read(t, layout, false, file)
	if err != nil || len(bad) > 0 {
		t.Fatalf("%v %v", bad, err)
	}
	return ps
}

// refused fails unless each row is refused alone.
func refused(t *testing.T, rows []map[string]string) {
	t.Helper()
	for _, row := range rows {
		if _, bad, err := read(t, LayoutStend, false, stendHeader+"\n"+stendRow(row)); len(bad) != 1 || err == nil {
			t.Errorf("%v: %v %v", row, bad, err)
		}
	}
}

// stendRow is a row of the stend layout: the columns of stendHeader with
// the values given by name.
const stendHeader = "kind,last_name,first_name,legal_name,number,department_number,opened,joined,consolidated,doc_type,doc_date,doc_number,doc_issuer,subject,amount,fee,amount_format,department_name,department_index,department_address,bailiff,bailiff_name,bailiff_phone"

func stendRow(values map[string]string) string {
	row := map[string]string{
		"kind": "physical", "last_name": "ПЕТРОВ", "first_name": "ОЛЕГ", "number": "1/20/74001-ИП", "opened": "01.02.2020",
		"doc_type": "Судебный приказ", "doc_date": "10.01.2020", "doc_number": "2-1/2020", "doc_issuer": "Мировой судья",
		"subject": "Налог", "amount": "100", "department_name": "Ленинский РОСП", "department_index": "454000", "department_address": "г. Челябинск",
	}
	for k, v := range values {
		row[k] = v
	}
	var cells []string
	for _, col := range strings.Split(stendHeader, ",") {
		cells = append(cells, `"`+strings.ReplaceAll(row[col], `"`, `""`)+`"`)
	}
	return strings.Join(cells, ",") + "\n"
}

const openDataHeader = "Наименование должника;Адрес должника;Номер ИП;Дата возбуждения ИП;Номер сводного ИП;Тип исполнительного документа;Дата исполнительного документа;Номер исполнительного документа;Наименование органа, выдавшего исполнительный документ;Предмет исполнения;Сумма долга;Отдел судебных приставов;Адрес отдела судебных приставов\n"

// openDataRow is a row of the open data layout with the number, the
// consolidated proceeding's number, the issuing body, the subject and the
// amount given.
func openDataRow(number, joined, issuer, subject, amount string) string {
	return `ООО "ЛЮТИК";"454000, г. Челябинск";` + number + ";2012-04-16;" + joined + ";Исполнительный лист;2012-03-20;ФС 1;" +
		issuer + ";" + subject + ";" + amount + ";Ленинский РОСП;454000, г. Челябинск\n"
}

func TestShortNumbers(t *testing.T) {
	t.Parallel()
	ps := readGood(t, LayoutStend, stendHeader+"\n"+
		stendRow(map[string]string{"number": "27122/12/20/74"})+
		stendRow(map[string]string{"number": "27123/12/20/74", "department_number": "74120", "department_name": "другой"})+
		stendRow(map[string]string{"number": "5/12/01/02", "department_number": ""}))
	want := []fssp.ProceedingNumber{{Own: 27122, Year: 12, Department: 74020, Short: true}, {Own: 27123, Year: 12, Department: 74120, Short: true}, {Own: 5, Year: 12, Department: 2001, Short: true}}
	for i, p := range ps {
		if p.Number != want[i] || p.Department.ID != want[i].Department || p.Region != want[i].Department/1000 {
			t.Errorf("row %d: %+v, department %d, region %d; want %+v", i, p.Number, p.Department.ID, p.Region, want[i])
		}
	}
	ps = readGood(t, LayoutOpenData, openDataHeader+openDataRow("27122/12/20/74", "", "Суд", "Долг", "1"))
	if ps[0].Number != want[0] {
		t.Errorf("open data: %+v", ps[0].Number)
	}
	refused(t, []map[string]string{
		{"number": "1/12/20/80"},                                  // region 80 is not in the directory
		{"number": "1/12/20/74", "department_number": "74121"},    // another ending
		{"number": "1/12/20/74", "department_number": "66020"},    // another region
		{"number": "1/20/74001-ИП", "department_number": "74002"}, // another department
		{"number": "1/12/2/74"},
	})
}

func TestConsolidatedNumbers(t *testing.T) {
	t.Parallel()
	ps := readGood(t, LayoutStend, stendHeader+"\n"+
		stendRow(map[string]string{"consolidated": "108234/19/54001-СД"})+
		stendRow(map[string]string{"consolidated": "108234/19/54001-сд", "joined": "1"})+
		stendRow(map[string]string{"joined": "1"}))
	cons := fssp.ProceedingNumber{Own: 108234, Year: 19, Department: 54001}
	if !ps[0].Joined || ps[0].Consolidated == nil || *ps[0].Consolidated != cons || !ps[1].Joined || *ps[1].Consolidated != cons {
		t.Errorf("consolidated: %+v %+v", ps[0], ps[1])
	}
	if !ps[2].Joined || ps[2].Consolidated != nil {
		t.Errorf("joined without a number: %+v", ps[2])
	}
	refused(t, []map[string]string{
		{"consolidated": "108234/19/54001-ИП"},
		{"consolidated": "108234/19/80001-СД"},
		{"consolidated": "108234/19/54001-СД", "joined": "0"},
	})
	// The open data set's column: a number when it is one, else joined.
	ps = readGood(t, LayoutOpenData, openDataHeader+openDataRow("1/18/54001-ИП", "108234/19/54001-СД", "Суд", "Долг", "1")+
		openDataRow("2/18/54001-ИП", "да", "Суд", "Долг", "1")+openDataRow("3/18/54001-ИП", "", "Суд", "Долг", "1"))
	if !ps[0].Joined || ps[0].Consolidated == nil || *ps[0].Consolidated != cons || !ps[1].Joined || ps[1].Consolidated != nil || ps[2].Joined {
		t.Errorf("open data: %+v %+v %+v", ps[0], ps[1], ps[2])
	}
}

func TestAmountFormats(t *testing.T) {
	t.Parallel()
	ps := readGood(t, LayoutStend, stendHeader+"\n"+
		stendRow(map[string]string{"amount": "212776.4", "fee": "14894.35", "amount_format": "trimmed"})+
		stendRow(map[string]string{"amount": "212776", "fee": "", "amount_format": "trimmed"})+
		stendRow(map[string]string{"amount": "212776", "amount_format": ""})+
		stendRow(map[string]string{"amount": "212776.4", "amount_format": "2"}))
	want := []struct {
		amount, fee int64
		format      fssp.AmountFormat
	}{{21277640, 1489435, fssp.AmountTrimmed}, {21277600, 0, fssp.AmountTrimmed}, {21277600, 0, fssp.AmountKopecks}, {21277640, 0, fssp.AmountKopecks}}
	for i, p := range ps {
		if p.Amount != want[i].amount || p.Fee != want[i].fee || p.AmountFormat != want[i].format {
			t.Errorf("row %d: %d %d %d, want %+v", i, p.Amount, p.Fee, p.AmountFormat, want[i])
		}
	}
	refused(t, []map[string]string{
		{"amount": "1", "amount_format": "1"},
		{"amount": "1", "amount_format": "3"},
	})
	// The open data set: two decimals, or trimmed when it writes fewer.
	ps = readGood(t, LayoutOpenData, openDataHeader+openDataRow("1/18/54001-ИП", "", "Суд", "Долг", "212776.4")+
		openDataRow("2/18/54001-ИП", "", "Суд", "Долг", "212776")+openDataRow("3/18/54001-ИП", "", "Суд", "Долг", "1 234,56")+
		openDataRow("4/18/54001-ИП", "", "Суд", "Долг", "1234.50"))
	for i, f := range []fssp.AmountFormat{fssp.AmountTrimmed, fssp.AmountTrimmed, fssp.AmountKopecks, fssp.AmountKopecks} {
		if ps[i].AmountFormat != f {
			t.Errorf("open data row %d: format %d, want %d", i, ps[i].AmountFormat, f)
		}
	}
}

func TestBailiffShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		raw  string
		want fssp.Bailiff
	}{
		{"ФАМИЛИЯ И. О. +7(499)558-16-04<br>+7(499)558-16-04<br>", fssp.Bailiff{Name: "ФАМИЛИЯ И. О.", Phone: "+7(499)558-16-04", Format: fssp.BailiffPhoneTwice}},
		{"ФАМИЛИЯ И. О.<br>", fssp.Bailiff{Name: "ФАМИЛИЯ И. О.", Format: fssp.BailiffTrailingBreak}},
		{"ФАМИЛИЯ И. О.<br>+74951234567", fssp.Bailiff{Name: "ФАМИЛИЯ И. О.", Phone: "+74951234567", Format: fssp.BailiffBreak}},
		{"НИТОЧКИНА B. И. 73434246653", fssp.Bailiff{Name: "НИТОЧКИНА B. И. 73434246653", Format: fssp.BailiffBreak}},
	}
	file := stendHeader + "\n"
	for _, c := range cases {
		file += stendRow(map[string]string{"bailiff": c.raw})
	}
	file += stendRow(map[string]string{"bailiff_name": "ИВАНОВА А. А.", "bailiff_phone": "+73511111111"})
	ps := readGood(t, LayoutStend, file)
	for i, c := range cases {
		if ps[i].Bailiff != c.want {
			t.Errorf("%q: %+v, want %+v", c.raw, ps[i].Bailiff, c.want)
		}
	}
	if b := ps[len(cases)].Bailiff; b != (fssp.Bailiff{Name: "ИВАНОВА А. А.", Phone: "+73511111111"}) {
		t.Errorf("name and phone: %+v", b)
	}
	refused(t, []map[string]string{
		{"bailiff": "ФАМИЛИЯ И. О. +7(499)558-16-04<br>+7(499)558-16-05<br>"},
		{"bailiff": "<br>+74951234567"},
		{"bailiff": "А<br>Б<br>В"},
		{"bailiff": "ФАМИЛИЯ И. О.<br>", "bailiff_name": "ФАМИЛИЯ И. О."},
	})
}

func TestNoIssuerAndEmptySubjects(t *testing.T) {
	t.Parallel()
	ps := readGood(t, LayoutStend, stendHeader+"\n"+
		stendRow(map[string]string{"doc_issuer": ""})+
		stendRow(map[string]string{"subject": "", "amount": ""})+
		stendRow(map[string]string{"subject": "Обязать совершить действия", "amount": ""}))
	if ps[0].DocIssuer != "" || ps[1].Subject != "" || ps[1].Amount != 0 || ps[2].Amount != 0 {
		t.Errorf("%+v", ps)
	}
	// Nor need a file have the columns.
	file := "kind,last_name,first_name,number,opened,doc_type,doc_date,doc_number,department_name\n" +
		"physical,ПЕТРОВ,ОЛЕГ,1/20/74001-ИП,01.02.2020,Судебный приказ,10.01.2020,2-1/2020,Ленинский РОСП\n"
	if ps := readGood(t, LayoutStend, file); ps[0].DocIssuer != "" || ps[0].Subject != "" {
		t.Errorf("%+v", ps)
	}
	// An amount with nothing to name it would answer ": 100.00 руб.".
	if _, rows, err := read(t, LayoutStend, false, stendHeader+"\n"+stendRow(map[string]string{"subject": ""})); len(rows) != 1 || err == nil {
		t.Errorf("an amount without a subject: %v %v", rows, err)
	}
	ps = readGood(t, LayoutOpenData, openDataHeader+openDataRow("1/18/54001-ИП", "", "", "", ""))
	if ps[0].DocIssuer != "" || ps[0].Subject != "" || ps[0].Amount != 0 {
		t.Errorf("open data: %+v", ps[0])
	}
}

func TestOneTextADepartment(t *testing.T) {
	t.Parallel()
	file := stendHeader + "\n" +
		stendRow(nil) +
		stendRow(map[string]string{"number": "2/20/74001-ИП"}) +
		stendRow(map[string]string{"number": "3/20/74001-ИП", "department_name": "Ленинский РОСП г. Челябинска"}) +
		stendRow(map[string]string{"number": "4/20/01/74", "department_index": "454001"}) +
		stendRow(map[string]string{"number": "5/20/74002-ИП", "department_name": "Другой"})
	_, rows, err := read(t, LayoutStend, false, file)
	var bad *BadRowsError
	if !errors.As(err, &bad) || len(rows) != 2 || rows[0].Line != 4 || rows[1].Line != 5 ||
		!strings.Contains(rows[0].Message, "department 74001") || !strings.Contains(rows[0].Message, "line 2") {
		t.Fatalf("%v %v", rows, err)
	}
	// Skipping them, the first text stays and the others are counted.
	ps, rows, err := read(t, LayoutStend, true, file)
	if err != nil || len(rows) != 2 || len(ps) != 3 {
		t.Fatalf("%d read, %v %v", len(ps), rows, err)
	}
	for _, p := range ps[:2] {
		if p.Department.Name != "Ленинский РОСП" || p.Department.PostalIndex != "454000" {
			t.Errorf("%+v", p.Department)
		}
	}
	// The open data layout, whose address carries the index: the same
	// text written both ways is one text.
	_, rows, _ = read(t, LayoutOpenData, false, openDataHeader+openDataRow("1/18/54001-ИП", "", "Суд", "Долг", "1")+
		strings.Replace(openDataRow("2/18/54001-ИП", "", "Суд", "Долг", "1"), "454000, г. Челябинск\n", "454001, г. Челябинск\n", 1))
	if len(rows) != 1 || rows[0].Line != 3 {
		t.Errorf("open data: %v", rows)
	}
}

// Files of today read as they did: the demo bank's amounts answer with two
// decimals and its bailiffs as name<br>phone.
func TestDemoBankReadsAsBefore(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../demo/fssp-bank.csv")
	if err != nil {
		t.Fatal(err)
	}
	ps := readGood(t, LayoutStend, string(b))
	if len(ps) != 4 {
		t.Fatalf("%d proceedings", len(ps))
	}
	for _, p := range ps {
		if p.AmountFormat != fssp.AmountKopecks || p.Bailiff.Format != fssp.BailiffBreak || p.Number.Short || p.Consolidated != nil {
			t.Errorf("%+v", p)
		}
	}
}
