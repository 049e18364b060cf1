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
		if p.Department.Name == "" || p.Department.Address == "" || p.Bailiff.Name == "" || p.Bailiff.Phone == "" ||
			p.DocType == "" || p.DocNumber == "" || p.DocIssuer == "" || p.Subject == "" || p.Date.IsZero() || p.DocDate.IsZero() {
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
			if p.LegalName == "" || p.LegalAddress == "" {
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
