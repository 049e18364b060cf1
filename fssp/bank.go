package fssp

import (
	"hash/fnv"
	"strings"
	"unicode"

	"stend"
)

// DebtorKind tells a person from a legal entity.
type DebtorKind int

const (
	DebtorPhysical DebtorKind = 1
	DebtorLegal    DebtorKind = 2
)

// Proceeding is one enforcement proceeding of the data bank, with every fact
// the FSSP API shows about it.
type Proceeding struct {
	ID     int64
	Kind   DebtorKind
	Region int // of the bailiffs' department conducting it

	// A person debtor.
	LastName, FirstName, Patronymic string
	BirthDate                       stend.Date // zero when unknown
	BirthPlace                      string
	// A legal-entity debtor.
	LegalName, LegalAddress string

	Number ProceedingNumber
	Date   stend.Date // when it was opened
	Joined bool       // part of a consolidated (сводное) proceeding
	// Consolidated is the number of the consolidated proceeding this one
	// is joined into, when the bank knows it: the real service wrote it
	// after the date ("… от 16.07.2018 108234/19/54001-СД") where it
	// otherwise wrote " сводное". Set only with Joined.
	Consolidated *ProceedingNumber

	DocType, DocNumber, DocIssuer string // the executive document; DocIssuer may be empty
	DocDate                       stend.Date

	Subject     string // may be empty
	Amount, Fee int64  // kopecks: the debt and the enforcement fee
	// AmountFormat is how the amounts were written.
	AmountFormat AmountFormat

	Department Department
	Bailiff    Bailiff
	End        *ProceedingEnd // nil while the proceeding is open
}

// ProceedingNumber is "own/yy/ddddd-ИП": the own part, the two-digit year
// and the full five-digit department number, whose leading digits are the
// region. Older proceedings were numbered in the short format
// "own/yy/dd/rr" (the department's last two digits, then the region), which
// the real service kept answering for them: Short.
type ProceedingNumber struct {
	Own        int64
	Year       int // 0–99
	Department int // region*1000 + number within the region
	Short      bool
}

// AmountFormat is how a proceeding's amounts were written in its subject.
// Answers of the real service show both.
type AmountFormat uint8

const (
	// "1234.56 руб.", "120000.00 руб.": two decimals.
	AmountKopecks AmountFormat = iota
	// Each amount without the zeros its decimals end in, as older answers
	// printed numbers: "212776.4 руб. Исполнительский сбор: 14894.35 руб.",
	// "120000 руб.".
	AmountTrimmed
)

// BailiffFormat is how the bailiff was written. Answers of the real service
// show all three.
type BailiffFormat uint8

const (
	// "ФАМИЛИЯ И. О.<br>+7(499)558-16-04", or the name alone without a phone.
	BailiffBreak BailiffFormat = iota
	// "ФАМИЛИЯ И. О. +7(499)558-16-04<br>+7(499)558-16-04<br>".
	BailiffPhoneTwice
	// "ФАМИЛИЯ И. О.<br>": no phone.
	BailiffTrailingBreak
)

// Department is a bailiffs' department (ОСП).
type Department struct {
	ID          int // the full department number
	Name        string
	PostalIndex string
	Address     string
}

// Bailiff conducts proceedings in one department.
type Bailiff struct {
	Name   string // "ФАМИЛИЯ И. О."
	Phone  string
	Format BailiffFormat // how the proceeding writes the bailiff
}

// ProceedingEnd is how a proceeding ended: the date and the article, part
// and point of the law it ended under.
type ProceedingEnd struct {
	Date                 stend.Date
	Article, Part, Point int
}

// PhysicalQuery finds a person's proceedings; names are as the client sent
// them (the store normalizes).
type PhysicalQuery struct {
	Region                          int
	LastName, FirstName, Patronymic string
	BirthDate                       *stend.Date
	Limit                           int
}

// LegalQuery finds proceedings of legal entities whose name (and address,
// when given) contains the fragments.
type LegalQuery struct {
	Region        int
	Name, Address string
	Limit         int
}

// NumberQuery finds a proceeding by number: either the full department
// (Department) or only its last two digits and the region.
type NumberQuery struct {
	Own        int64
	Year       int
	Department int // full number, or 0
	DeptSuffix int // last two digits, when Department is 0
	Region     int
	Limit      int
}

// DepartmentRegion is the region a full department number belongs to.
func DepartmentRegion(dept int) int { return dept / 1000 }

// NumberKey is the indexed key of a proceeding number: both documented
// formats of a number determine it.
func NumberKey(own int64, year, region, deptSuffix int) int64 {
	return ((own*100+int64(year))*1000+int64(region))*100 + int64(deptSuffix)
}

// NormalizeName is the form names are compared in: upper case, ё as е,
// single spaces, every dash as "-" with no spaces around it, and every kind
// of quote as '"'.
func NormalizeName(s string) string {
	if isNormal(s) {
		return s // the common case of a bulk load, without allocating
	}
	return normalizeSlow(s)
}

func normalizeSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace, afterDash := false, false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			pendingSpace = b.Len() > 0
			continue
		case r == 'ё' || r == 'Ё':
			r = 'Е'
		case r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—' || r == '−':
			r = '-'
		case r == '«' || r == '»' || r == '“' || r == '”' || r == '„' || r == '\'' || r == '`':
			r = '"'
		default:
			r = unicode.ToUpper(r)
		}
		if r == '-' {
			pendingSpace, afterDash = false, true
			b.WriteRune(r)
			continue
		}
		if pendingSpace && !afterDash {
			b.WriteByte(' ')
		}
		pendingSpace, afterDash = false, false
		b.WriteRune(r)
	}
	return b.String()
}

// isNormal reports whether NormalizeName would return s unchanged.
func isNormal(s string) bool {
	prevSpace, prevDash := true, false
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace || prevDash {
				return false
			}
			prevSpace = true
			continue
		case r == '-':
			if prevSpace {
				return false
			}
			prevDash = true
			continue
		case r == 'Ё' || r == '"':
			// Ё changes; '"' is kept, but other quotes must be checked.
			if r == 'Ё' {
				return false
			}
		case r < 0x80:
			if r >= 'a' && r <= 'z' || r == '\'' || r == '`' || r < ' ' && r != ' ' {
				return false
			}
		case r >= 'А' && r <= 'Я':
		default:
			return false
		}
		prevSpace, prevDash = false, false
	}
	return !prevSpace || s == ""
}

// PersonKey is the indexed key of a person search: the region and the
// normalized last and first names. Collisions are harmless, matches are
// checked on the names themselves.
func PersonKey(region int, lastName, firstName string) int64 {
	h := fnv.New64a()
	var r [4]byte
	r[0], r[1], r[2], r[3] = byte(region>>24), byte(region>>16), byte(region>>8), byte(region)
	h.Write(r[:])
	h.Write([]byte(NormalizeName(lastName)))
	h.Write([]byte{0})
	h.Write([]byte(NormalizeName(firstName)))
	return int64(h.Sum64() >> 1) // non-negative, for both databases' signed integers
}

// NameKey is the indexed key of a single name (a patronymic): non-zero, so
// that 0 can stand for "none".
func NameKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(NormalizeName(name)))
	return int64(h.Sum64()>>1) | 1
}

// LegalKey identifies a legal entity within a region: the same name and
// address are one entity, whatever proceedings name it.
func LegalKey(region int, name, address string) int64 {
	h := fnv.New64a()
	var r [4]byte
	r[0], r[1], r[2], r[3] = byte(region>>24), byte(region>>16), byte(region>>8), byte(region)
	h.Write(r[:])
	h.Write([]byte(NormalizeName(name)))
	h.Write([]byte{0})
	h.Write([]byte(NormalizeName(address)))
	return int64(h.Sum64() >> 1)
}

// Trigrams lists the distinct trigrams of a normalized string, each packed
// into an integer (three runes of 21 bits).
func Trigrams(normalized string) []int64 {
	rs := []rune(normalized)
	if len(rs) < 3 {
		return nil
	}
	out := make([]int64, 0, len(rs)-2)
	seen := make(map[int64]struct{}, len(rs))
	for i := 0; i+3 <= len(rs); i++ {
		t := int64(rs[i])<<42 | int64(rs[i+1])<<21 | int64(rs[i+2])
		if _, dup := seen[t]; dup {
			continue
		}
		seen[t] = struct{}{}
		out = append(out, t)
	}
	return out
}
