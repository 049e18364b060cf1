package generate

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	fsspclient "stend/client/fssp"
	"stend/fssp"
)

func take(g *Generator, n int) []fssp.Proceeding {
	out := make([]fssp.Proceeding, 0, n)
	var p fssp.Proceeding
	for g.Next(&p) {
		out = append(out, p)
	}
	return out
}

func TestDeterministicForSeed(t *testing.T) {
	t.Parallel()
	a, b := take(New(42, 5000), 5000), take(New(42, 5000), 5000)
	if len(a) != 5000 {
		t.Fatalf("made %d proceedings, want 5000", len(a))
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two generators with one seed differ")
	}
	c := take(New(43, 5000), 5000)
	if reflect.DeepEqual(a, c) {
		t.Fatal("another seed made the same bank")
	}
}

func TestRecordsAreComplete(t *testing.T) {
	t.Parallel()
	kinds := map[fssp.DebtorKind]int{}
	ivanov := 0
	for _, p := range take(New(7, 20000), 20000) {
		kinds[p.Kind]++
		if _, ok := fsspclient.LookupRegion(p.Region); !ok {
			t.Fatalf("region %d not in the directory", p.Region)
		}
		if fssp.DepartmentRegion(p.Number.Department) != p.Region || p.Department.ID != p.Number.Department {
			t.Fatalf("department %d does not belong to region %d", p.Number.Department, p.Region)
		}
		// A bailiff without a phone, a document without an issuing body and
		// an empty subject are shapes of real answers (TestShapes), each
		// only where its shape says so.
		if p.Department.Name == "" || p.Department.Address == "" || p.Bailiff.Name == "" ||
			p.DocType == "" || p.DocNumber == "" || p.Date.IsZero() || p.DocDate.IsZero() ||
			p.Bailiff.Phone == "" && p.Bailiff.Format != fssp.BailiffTrailingBreak ||
			p.Subject == "" && (p.Amount != 0 || p.Fee != 0) {
			t.Fatalf("incomplete proceeding %+v", p)
		}
		switch p.Kind {
		case fssp.DebtorPhysical:
			if p.LastName == "" || p.FirstName == "" || p.BirthDate.IsZero() || p.BirthPlace == "" {
				t.Fatalf("incomplete person %+v", p)
			}
			if p.LastName == "ИВАНОВ" {
				ivanov++
			}
		case fssp.DebtorLegal:
			if p.LegalName == "" || p.LegalAddress == "" && !strings.Contains(p.LegalName, ", ") {
				t.Fatalf("incomplete legal entity %+v", p)
			}
		}
	}
	if kinds[fssp.DebtorPhysical] < 10000 || kinds[fssp.DebtorLegal] < 2000 {
		t.Fatalf("kinds %v: want mostly persons and some legal entities", kinds)
	}
	// Frequency skew: the commonest surname is far above the average.
	if ivanov < 20000/len(surnames)*3 {
		t.Fatalf("ИВАНОВ %d times in 20000: no frequency skew", ivanov)
	}
}

func TestGenderAgreement(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"Иванов": "Иванова", "Соловьёв": "Соловьёва", "Ильин": "Ильина", "Вишневский": "Вишневская",
		"Трубецкой": "Трубецкая", "Шевченко": "Шевченко", "Черных": "Черных", "Римский-Корсаков": "Римская-Корсакова",
	}
	for m, f := range cases {
		if got := feminine(m); got != f {
			t.Errorf("feminine(%s) = %s, want %s", m, got, f)
		}
	}
	for _, p := range take(New(3, 3000), 3000) {
		if p.Kind != fssp.DebtorPhysical || p.Patronymic == "" {
			continue
		}
		female := false
		for _, n := range femaleNames {
			if strings.ToUpper(n) == p.FirstName {
				female = true
			}
		}
		if female != strings.HasSuffix(p.Patronymic, "НА") {
			t.Fatalf("%s %s %s: first name and patronymic disagree in gender", p.LastName, p.FirstName, p.Patronymic)
		}
		if female && !strings.HasSuffix(p.LastName, "А") && !strings.HasSuffix(p.LastName, "АЯ") {
			last := []rune(p.LastName)
			if unicode.IsLetter(last[len(last)-1]) && strings.ContainsAny(string(last[len(last)-1]), "ВН") {
				t.Fatalf("%s %s: a woman with a masculine surname", p.LastName, p.FirstName)
			}
		}
	}
}

// BenchmarkGenerate is the generator alone, without a store: what `stend
// fssp generate` spends making proceedings (ns/op is one proceeding).
func BenchmarkGenerate(b *testing.B) {
	g := New(1, -1)
	var p fssp.Proceeding
	b.ReportAllocs()
	for b.Loop() {
		g.Next(&p)
	}
}

// TestShapes: the older and irregular shapes of real answers come in the
// shares docs/fssp.md gives, each consistent with what it says.
func TestShapes(t *testing.T) {
	t.Parallel()
	const n = 100_000
	count := map[string]int{}
	persons, legal, joined, monetary := 0, 0, 0, 0
	depts := map[int]fssp.BailiffFormat{}
	for _, p := range take(New(11, n), n) {
		if p.Number.Short != (p.Date.Year < 2013) {
			t.Fatalf("opened %v, short %v", p.Date, p.Number.Short)
		}
		if p.Number.Short {
			count["short"]++
		}
		if p.Joined {
			joined++
		}
		if c := p.Consolidated; c != nil {
			count["consolidated"]++
			if !p.Joined || c.Department != p.Number.Department || c.Year < p.Number.Year || c.Year > p.Number.Year+1 || c.Own <= 0 || c.Short {
				t.Fatalf("consolidated %+v of %+v", *c, p.Number)
			}
		}
		if f, ok := depts[p.Department.ID]; ok && f != p.Bailiff.Format {
			t.Fatalf("department %d writes its bailiffs two ways", p.Department.ID)
		}
		depts[p.Department.ID] = p.Bailiff.Format
		switch p.Bailiff.Format {
		case fssp.BailiffPhoneTwice:
			if !strings.HasPrefix(p.Bailiff.Phone, "+7(") {
				t.Fatalf("bailiff %+v", p.Bailiff)
			}
		case fssp.BailiffTrailingBreak:
			if p.Bailiff.Phone != "" {
				t.Fatalf("bailiff %+v", p.Bailiff)
			}
		}
		if p.Amount != 0 {
			monetary++
		}
		if p.AmountFormat == fssp.AmountTrimmed {
			if p.Amount == 0 {
				t.Fatalf("trimmed amounts without an amount: %+v", p)
			}
			switch {
			case p.Amount%100 == 0:
				count["rubles"]++
			case p.Amount%10 == 0:
				count["tenths"]++
			}
		}
		if p.Subject == "" {
			count["empty subject"]++
			if p.Amount != 0 || p.Fee != 0 {
				t.Fatalf("amounts without a subject: %+v", p)
			}
		} else if p.Amount == 0 {
			count["subject without amount"]++
		}
		if p.DocIssuer == "" {
			count["no issuer"]++
		}
		switch p.Kind {
		case fssp.DebtorPhysical:
			persons++
			if p.BirthPlace[0] >= '0' && p.BirthPlace[0] <= '9' {
				count["indexed birth place"]++
			}
		case fssp.DebtorLegal:
			legal++
			if p.LegalAddress == "" {
				count["address in name"]++
			}
		}
	}
	formats := map[fssp.BailiffFormat]int{}
	for _, f := range depts {
		formats[f]++
	}
	// Each share within a fifth of what docs/fssp.md says, or, where the
	// share follows from other draws, within the bounds given.
	near := func(what string, got, of int, percent float64) {
		t.Helper()
		if share := 100 * float64(got) / float64(of); share < percent*0.8 || share > percent*1.2 {
			t.Errorf("%s: %.2f%%, want about %.2f%%", what, share, percent)
		}
	}
	near("short numbers", count["short"], n, 100.0/14)
	near("consolidated numbers of joined proceedings", count["consolidated"], joined, shareConsolidatedNumber)
	near("departments writing the phone twice", formats[fssp.BailiffPhoneTwice], len(depts), sharePhoneTwice)
	near("departments with a trailing break", formats[fssp.BailiffTrailingBreak], len(depts), shareTrailingBreak)
	near("no issuing body", count["no issuer"], n, shareNoIssuer)
	near("empty subjects", count["empty subject"], n, shareEmptySubjectPerMille/10.0)
	near("indexed birth places", count["indexed birth place"], persons, shareIndexedBirthPlace)
	for _, what := range []string{"tenths", "rubles", "subject without amount"} {
		if count[what] < n/200 {
			t.Errorf("%s: %d in %d", what, count[what], n)
		}
	}
	if a := count["address in name"]; a < legal/50 || a > legal/5 {
		t.Errorf("names carrying the address: %d of %d legal proceedings", a, legal)
	}
	t.Logf("%v of %d (persons %d, legal %d, joined %d, with an amount %d; departments %v)", count, n, persons, legal, joined, monetary, formats)
}
