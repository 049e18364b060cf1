// Package generate fills the FSSP data bank with realistic synthetic
// proceedings, deterministically for a seed and streaming, at any volume:
// it keeps only a small pool of recent legal entities in memory.
package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fssp"
)

// Generator yields proceedings; it implements fssp.ProceedingSource.
type Generator struct {
	rng *rand.Rand
	// shape draws the older and irregular shapes of real answers (docs/fssp.md)
	// from a stream of its own, so that a seed still makes the persons,
	// entities, numbers and dates it made before they were added.
	shape   *rand.Rand
	limit   int64
	made    int64
	regions *weighted
	surname *weighted
	male    *weighted
	female  *weighted
	subject *weighted
	// the person whose further proceedings come next
	pending []fssp.Proceeding
	// legal entities seen per region, reused by later proceedings
	legal    map[int][]legalEntity
	numbers  map[numberKey]int64
	depts    map[int][]fssp.Department
	bailiffs map[int][]fssp.Bailiff
}

type legalEntity struct{ name, address string }

type numberKey struct{ dept, year int }

// Departments per region and bailiffs per department.
const (
	departmentsPerRegion = 24
	bailiffsPerDept      = 12
	legalPoolPerRegion   = 4096
)

// New makes a generator of count proceedings (count < 0: no end) from seed.
func New(seed uint64, count int64) *Generator {
	g := &Generator{
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		shape:    rand.New(rand.NewPCG(seed^0x51a9e5, seed+0x18)),
		limit:    count,
		surname:  zipf(len(surnames), 0.9),
		male:     zipf(len(maleNames), 0.8),
		female:   zipf(len(femaleNames), 0.8),
		subject:  zipf(len(subjects), 0.7),
		legal:    map[int][]legalEntity{},
		numbers:  map[numberKey]int64{},
		depts:    map[int][]fssp.Department{},
		bailiffs: map[int][]fssp.Bailiff{},
	}
	w := make([]float64, len(fsspclient.Regions))
	for i, r := range fsspclient.Regions {
		w[i] = regionWeight[r.Code]
		if w[i] == 0 {
			w[i] = 1
		}
	}
	g.regions = newWeighted(w)
	return g
}

// regionWeight makes the populous regions hold more proceedings (millions of
// people, roughly); the rest weigh 1.
var regionWeight = map[int]float64{
	77: 13, 50: 8, 78: 5.6, 23: 5.8, 66: 4.2, 2: 4, 16: 4, 61: 4.1, 52: 3.1, 74: 3.4, 63: 3.1, 54: 2.8, 24: 2.8,
	59: 2.5, 26: 2.8, 34: 2.4, 36: 2.3, 42: 2.6, 5: 3.2, 38: 2.3, 64: 2.4, 22: 2.2, 55: 1.9, 56: 1.9, 72: 1.6,
}

func (g *Generator) Err() error { return nil }

// SyntheticDepartments: the generator's departments are made up, so they
// never replace the texts of one the bank holds (fssp.SyntheticDepartments).
func (g *Generator) SyntheticDepartments() {}

// Next fills p with the next proceeding.
func (g *Generator) Next(p *fssp.Proceeding) bool {
	if g.limit >= 0 && g.made >= g.limit {
		return false
	}
	g.made++
	if len(g.pending) > 0 {
		*p = g.pending[0]
		g.pending = g.pending[1:]
		g.fillCase(p)
		return true
	}
	*p = fssp.Proceeding{}
	p.Region = fsspclient.Regions[g.regions.pick(g.rng)].Code
	if g.rng.IntN(100) < 22 {
		g.legalDebtor(p)
	} else {
		g.person(p)
		// A debtor often has several proceedings.
		for n := g.extra(); n > 0; n-- {
			next := fssp.Proceeding{Kind: p.Kind, Region: p.Region, LastName: p.LastName, FirstName: p.FirstName,
				Patronymic: p.Patronymic, BirthDate: p.BirthDate, BirthPlace: p.BirthPlace}
			g.pending = append(g.pending, next)
		}
	}
	g.fillCase(p)
	return true
}

func (g *Generator) extra() int {
	switch r := g.rng.IntN(100); {
	case r < 60:
		return 0
	case r < 85:
		return 1
	case r < 95:
		return 2
	default:
		return 3 + g.rng.IntN(5)
	}
}

func (g *Generator) person(p *fssp.Proceeding) {
	p.Kind = fssp.DebtorPhysical
	father := upper.male[g.male.pick(g.rng)]
	if g.rng.IntN(100) < 55 { // more men than women are debtors
		p.LastName = upper.surnames[g.surname.pick(g.rng)]
		p.FirstName = upper.male[g.male.pick(g.rng)].name
		p.Patronymic = father.patrM
	} else {
		p.LastName = upper.feminine[g.surname.pick(g.rng)]
		p.FirstName = upper.female[g.female.pick(g.rng)]
		p.Patronymic = father.patrF
	}
	if g.rng.IntN(100) < 3 {
		p.Patronymic = "" // foreign citizens and old records have none
	}
	p.BirthDate = g.date(1945, 2006)
	home := p.Region
	if g.rng.IntN(100) < 30 {
		home = fsspclient.Regions[g.regions.pick(g.rng)].Code
	}
	r := upper.regions[home]
	if g.rng.IntN(100) < 70 {
		p.BirthPlace = r.city
	} else {
		p.BirthPlace = r.name + " " + upper.districts[g.rng.IntN(len(districts))] + " Р-Н"
	}
	if g.shape.IntN(100) < shareIndexedBirthPlace {
		// Some answers carried an address, postal index first, where the
		// birth place is.
		p.BirthPlace = fmt.Sprintf("%06d, РОССИЯ, %s, Г. %s", (home%90+10)*10000+g.shape.IntN(10000), r.name, r.capital)
	}
}

// upper holds the upper-case forms of the names and places persons are
// given, made once: upper-casing them for every person took a fifth of
// the generator's time.
var upper = func() (u struct {
	surnames, feminine, female, districts []string
	male                                  []struct{ name, patrM, patrF string }
	regions                               map[int]struct{ name, capital, city string }
}) {
	for _, s := range surnames {
		u.surnames = append(u.surnames, strings.ToUpper(s))
		u.feminine = append(u.feminine, strings.ToUpper(feminine(s)))
	}
	for _, m := range maleNames {
		u.male = append(u.male, struct{ name, patrM, patrF string }{strings.ToUpper(m.name), strings.ToUpper(m.patrM), strings.ToUpper(m.patrF)})
	}
	for _, f := range femaleNames {
		u.female = append(u.female, strings.ToUpper(f))
	}
	for _, d := range districts {
		u.districts = append(u.districts, strings.ToUpper(d))
	}
	u.regions = map[int]struct{ name, capital, city string }{}
	for _, r := range fsspclient.Regions {
		u.regions[r.Code] = struct{ name, capital, city string }{strings.ToUpper(r.Name), strings.ToUpper(r.Capital), "гор. " + strings.ToUpper(r.Capital)}
	}
	return u
}()

func (g *Generator) legalDebtor(p *fssp.Proceeding) {
	p.Kind = fssp.DebtorLegal
	pool := g.legal[p.Region]
	if len(pool) > 16 && g.rng.IntN(100) < 85 {
		e := pool[int(float64(len(pool))*math.Pow(g.rng.Float64(), 2))]
		p.LegalName, p.LegalAddress = e.name, e.address
		return
	}
	form := legalForms[g.rng.IntN(len(legalForms))]
	var name string
	switch g.rng.IntN(3) {
	case 0:
		name = legalWords[g.rng.IntN(len(legalWords))]
	default:
		name = legalStems1[g.rng.IntN(len(legalStems1))] + legalStems2[g.rng.IntN(len(legalStems2))]
	}
	if g.rng.IntN(100) < 35 {
		name += " " + legalStems1[g.rng.IntN(len(legalStems1))] + legalStems2[g.rng.IntN(len(legalStems2))]
	}
	if g.rng.IntN(100) < 20 {
		name += fmt.Sprintf("-%d", 1+g.rng.IntN(99))
	}
	e := legalEntity{name: fmt.Sprintf("%s \"%s\"", form, strings.ToUpper(name)), address: strings.ToUpper(g.address(p.Region, false))}
	if g.shape.IntN(100) < shareAddressInName {
		// The entity's record holds its address in the name, after a
		// comma, and no address of its own: every proceeding shows it so.
		e.name, e.address = e.name+", "+e.address, ""
	}
	if len(pool) < legalPoolPerRegion {
		g.legal[p.Region] = append(pool, e)
	} else {
		pool[g.rng.IntN(len(pool))] = e
	}
	p.LegalName, p.LegalAddress = e.name, e.address
}

func (g *Generator) postalIndex(region int) string {
	return fmt.Sprintf("%06d", (region%90+10)*10000+g.rng.IntN(10000))
}

func (g *Generator) address(region int, office bool) string {
	r, _ := fsspclient.LookupRegion(region)
	a := fmt.Sprintf("%s, Россия, %s, г. %s, ул. %s, д. %d", g.postalIndex(region), r.Name, r.Capital, streets[g.rng.IntN(len(streets))], 1+g.rng.IntN(150))
	if !office && g.rng.IntN(100) < 40 {
		a += fmt.Sprintf(", оф. %d", 1+g.rng.IntN(400))
	}
	return a
}

func (g *Generator) date(from, to int) stend.Date {
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(to, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return stend.DateOf(start.AddDate(0, 0, g.rng.IntN(days+1)))
}

func (g *Generator) departments(region int) []fssp.Department {
	if d, ok := g.depts[region]; ok {
		return d
	}
	r, _ := fsspclient.LookupRegion(region)
	// The departments of a region depend on the region alone, so the same
	// department is described alike by every generator run.
	rng := rand.New(rand.NewPCG(uint64(region), 0x5eed))
	out := make([]fssp.Department, departmentsPerRegion)
	for i := range out {
		district := districts[i%len(districts)]
		name := fmt.Sprintf("%s РОСП г. %s", district, r.Capital)
		if i >= len(districts) {
			name = fmt.Sprintf("ОСП по %s району", strings.TrimSuffix(district, "ий")+"ому")
		}
		out[i] = fssp.Department{
			ID:          region*1000 + i + 1,
			Name:        name,
			PostalIndex: fmt.Sprintf("%06d", (region%90+10)*10000+rng.IntN(10000)),
			Address:     fmt.Sprintf("Россия, %s, г. %s, ул. %s, д. %d", r.Name, r.Capital, streets[rng.IntN(len(streets))], 1+rng.IntN(120)),
		}
	}
	g.depts[region] = out
	return out
}

func (g *Generator) bailiff(dept int) fssp.Bailiff {
	i := g.rng.IntN(bailiffsPerDept)
	staff, ok := g.bailiffs[dept]
	if !ok {
		staff = make([]fssp.Bailiff, bailiffsPerDept)
		for j := range staff {
			staff[j] = makeBailiff(dept, j)
		}
		g.bailiffs[dept] = staff
	}
	return staff[i]
}

// makeBailiff depends on the department alone, like the departments.
func makeBailiff(dept, i int) fssp.Bailiff {
	rng := rand.New(rand.NewPCG(uint64(dept), uint64(i)))
	last := surnames[rng.IntN(len(surnames))]
	var first, patr string
	if rng.IntN(100) < 70 {
		last = feminine(last)
		first, patr = femaleNames[rng.IntN(len(femaleNames))], maleNames[rng.IntN(len(maleNames))].patrF
	} else {
		m := maleNames[rng.IntN(len(maleNames))]
		first, patr = m.name, maleNames[rng.IntN(len(maleNames))].patrM
	}
	name := fmt.Sprintf("%s %s. %s.", strings.ToUpper(last), string([]rune(first)[:1]), string([]rune(patr)[:1]))
	code, number := 300+dept%600, rng.IntN(10_000_000)
	b := fssp.Bailiff{Name: name, Phone: fmt.Sprintf("+7%03d%07d", code, number), Format: bailiffFormat(dept)}
	switch b.Format {
	case fssp.BailiffPhoneTwice:
		b.Phone = fmt.Sprintf("+7(%03d)%03d-%02d-%02d", code, number/10000, number/100%100, number%100)
	case fssp.BailiffTrailingBreak:
		b.Phone = ""
	}
	return b
}

// bailiffFormat is how a department writes its bailiffs: the same for all
// of them, and for every generator run, as the staff of a department
// filled the field alike.
func bailiffFormat(dept int) fssp.BailiffFormat {
	switch n := rand.New(rand.NewPCG(uint64(dept), 0xba11)).IntN(100); {
	case n < sharePhoneTwice:
		return fssp.BailiffPhoneTwice
	case n < sharePhoneTwice+shareTrailingBreak:
		return fssp.BailiffTrailingBreak
	}
	return fssp.BailiffBreak
}

// The shares of the older and irregular shapes of real answers, in percent
// (docs/fssp.md says why).
const (
	shareIndexedBirthPlace    = 5  // of persons
	shareAddressInName        = 3  // of legal entities
	shareConsolidatedNumber   = 50 // of joined proceedings
	sharePhoneTwice           = 20 // of departments
	shareTrailingBreak        = 10 // of departments
	shareNoIssuer             = 3
	shareMinimalAmounts       = 25 // of proceedings with an amount
	shareEmptySubjectPerMille = 10
)

// latestEnd keeps end dates in the past without reading a clock, which
// would make the output depend on the day it is made.
var latestEnd = stend.Date{Year: 2026, Month: 6, Day: 30}

var docTypes = []string{"Исполнительный лист", "Судебный приказ", "Постановление по делу об административном правонарушении",
	"Акт по делу об административном правонарушении", "Постановление судебного пристава-исполнителя", "Акт органа, осуществляющего контрольные функции"}

// fillCase fills the proceeding itself: number, document, subject, bailiff.
func (g *Generator) fillCase(p *fssp.Proceeding) {
	depts := g.departments(p.Region)
	p.Department = depts[g.rng.IntN(len(depts))]
	p.Bailiff = g.bailiff(p.Department.ID)
	p.Date = g.date(2012, 2025)
	key := numberKey{p.Department.ID, p.Date.Year % 100}
	g.numbers[key] += 1 + int64(g.rng.IntN(40))
	// Numbers took the full department from 2013; older proceedings kept
	// the short number they were given.
	p.Number = fssp.ProceedingNumber{Own: g.numbers[key], Year: p.Date.Year % 100, Department: p.Department.ID, Short: p.Date.Year < 2013}
	p.Joined = g.rng.IntN(100) < 15
	p.Consolidated = nil
	if p.Joined && g.shape.IntN(100) < shareConsolidatedNumber {
		// Joined in the year it was opened or the next, into a proceeding
		// of the same department.
		p.Consolidated = &fssp.ProceedingNumber{Own: 1 + g.shape.Int64N(g.numbers[key]+1000), Year: min(p.Number.Year+g.shape.IntN(2), latestEnd.Year%100), Department: p.Department.ID}
	}
	p.DocDate = stend.DateOf(p.Date.Time().AddDate(0, 0, -5-g.rng.IntN(120)))
	r, _ := fsspclient.LookupRegion(p.Region)
	district := districts[g.rng.IntN(len(districts))]
	switch t := g.rng.IntN(10); {
	case t < 4:
		p.DocType = docTypes[0]
		p.DocNumber = fmt.Sprintf("ФС %09d", g.rng.IntN(1_000_000_000))
		p.DocIssuer = fmt.Sprintf("%s районный суд г. %s", district, r.Capital)
	case t < 7:
		p.DocType = docTypes[1]
		p.DocNumber = fmt.Sprintf("2-%d/%d", 1+g.rng.IntN(9999), p.DocDate.Year)
		p.DocIssuer = fmt.Sprintf("Судебный участок № %d %s судебного района г. %s", 1+g.rng.IntN(12), strings.TrimSuffix(district, "ий")+"ого", r.Capital)
	case t < 9:
		p.DocType = docTypes[2]
		p.DocNumber = fmt.Sprintf("188101%02d%012d", p.Region%100, g.rng.Int64N(1_000_000_000_000))
		p.DocIssuer = fmt.Sprintf("ЦАФАП ГИБДД ГУ МВД России по %s", r.Name)
	default:
		p.DocType = docTypes[4]
		p.DocNumber = fmt.Sprintf("%d/%02d/%05d-ИП", g.numbers[key], p.Number.Year, p.Department.ID)
		p.DocIssuer = p.Department.Name
	}
	if g.shape.IntN(100) < shareNoIssuer {
		p.DocIssuer = ""
	}
	s := subjects[g.subject.pick(g.rng)]
	p.Subject = s.text
	p.Amount, p.Fee = 0, 0
	if s.max > 0 {
		// Log-uniform: small debts are far more common than large ones.
		rub := math.Exp(math.Log(float64(s.min)) + g.rng.Float64()*(math.Log(float64(s.max))-math.Log(float64(s.min))))
		if s.whole {
			rub = math.Round(rub)
		}
		p.Amount = int64(rub*100) / 1 // kopecks
		if g.rng.IntN(100) < 45 {
			p.Fee = max(p.Amount*7/100, 100_000)
		}
	}
	p.AmountFormat = fssp.AmountKopecks
	if p.Amount != 0 && g.shape.IntN(100) < shareMinimalAmounts {
		// Written without the zeros a decimal ends in, as older answers
		// printed numbers ("212776.4", "120000"), each amount on its own.
		p.AmountFormat = fssp.AmountTrimmed
	}
	if g.shape.IntN(1000) < shareEmptySubjectPerMille {
		p.Subject, p.Amount, p.Fee, p.AmountFormat = "", 0, 0, fssp.AmountKopecks
	}
	p.End = nil
	if g.rng.IntN(100) < 40 {
		end := stend.DateOf(p.Date.Time().AddDate(0, 0, 30+g.rng.IntN(900)))
		article, point := 46, 3+g.rng.IntN(2)
		if g.rng.IntN(100) < 35 {
			article, point = 47, 1
		}
		if end.Compare(latestEnd) <= 0 {
			p.End = &fssp.ProceedingEnd{Date: end, Article: article, Part: 1, Point: point}
		}
	}
}

// weighted draws indexes with given weights by binary search over the
// cumulative sums.
type weighted struct{ cum []float64 }

func newWeighted(w []float64) *weighted {
	cum := make([]float64, len(w))
	total := 0.0
	for i, v := range w {
		total += v
		cum[i] = total
	}
	return &weighted{cum: cum}
}

func zipf(n int, s float64) *weighted {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
	}
	return newWeighted(w)
}

func (w *weighted) pick(rng *rand.Rand) int {
	x := rng.Float64() * w.cum[len(w.cum)-1]
	return sort.SearchFloat64s(w.cum, x)
}
