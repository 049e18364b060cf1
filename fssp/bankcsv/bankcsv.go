// Package bankcsv reads proceedings for the FSSP data bank from CSV, in
// stend's own layout (every fact the API shows) or in the layout of the
// FSSP open data set of legal entities' proceedings. A bad row is reported
// by line number; see docs/fssp.md for the columns.
package bankcsv

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fssp"
)

// Layouts.
const (
	LayoutStend    = "stend"
	LayoutOpenData = "opendata"
)

// MaxLineBytes bounds one line: a file without line breaks must not be read
// into memory whole.
const MaxLineBytes = 1 << 20

// MaxErrors is how many bad rows are reported before reading stops.
const MaxErrors = 1000

// LineError is a bad row.
type LineError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Message) }

// BadRowsError ends a load that had bad rows and was not told to skip them.
type BadRowsError struct{ Rows []LineError }

func (e *BadRowsError) Error() string {
	return fmt.Sprintf("%d bad rows, nothing imported (first: %v)", len(e.Rows), e.Rows[0])
}

func (e *BadRowsError) ErrorKind() stend.Kind { return stend.Invalid }

// Reader yields the proceedings of a CSV stream; it is a
// fssp.ProceedingSource.
type Reader struct {
	csv     *csv.Reader
	layout  string
	skipBad bool
	col     map[string]int
	line    int
	bad     []LineError
	err     error
	rows    int64
	// depts holds the first text each department was given, with its line:
	// the bank keeps one text per department, so a later row that gives
	// another would silently replace it.
	depts map[int]deptSeen

	// replaced is written by the store's writer while Next runs in
	// another goroutine.
	replacedMu sync.Mutex
	replaced   []Replacement
}

// Replacement is a department whose texts the bank held an import replaced
// with the file's: reported, since proceedings loaded before now show the
// new texts.
type Replacement struct {
	Department int             `json:"department"`
	Was        DepartmentTexts `json:"was"`
	Now        DepartmentTexts `json:"now"`
}

// DepartmentTexts are what a department is written with.
type DepartmentTexts struct {
	Name        string `json:"name"`
	PostalIndex string `json:"postalIndex"`
	Address     string `json:"address"`
}

func textsOf(d fssp.Department) DepartmentTexts {
	return DepartmentTexts{Name: d.Name, PostalIndex: d.PostalIndex, Address: d.Address}
}

// DepartmentReplaced records a replacement (fssp.DepartmentReplacements).
func (r *Reader) DepartmentReplaced(was, now fssp.Department) {
	r.replacedMu.Lock()
	r.replaced = append(r.replaced, Replacement{Department: now.ID, Was: textsOf(was), Now: textsOf(now)})
	r.replacedMu.Unlock()
}

// Replaced lists the departments whose texts the load replaced.
func (r *Reader) Replaced() []Replacement {
	r.replacedMu.Lock()
	defer r.replacedMu.Unlock()
	return append([]Replacement{}, r.replaced...)
}

type deptSeen struct {
	dept fssp.Department
	line int
}

// NewReader reads the header line and checks that the layout's required
// columns are there. The delimiter (',' or ';') is taken from the header.
func NewReader(r io.Reader, layout string, skipBad bool) (*Reader, error) {
	br := bufio.NewReaderSize(&lineLimit{r: r}, 64<<10)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	first := string(head)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	c := csv.NewReader(br)
	c.ReuseRecord = true
	c.FieldsPerRecord = -1
	// Real files carry names like ООО "РОМАШКА" unquoted.
	c.LazyQuotes = true
	if strings.Count(first, ";") > strings.Count(first, ",") {
		c.Comma = ';'
	}
	header, err := c.Read()
	if err != nil {
		return nil, stend.Errorf(stend.Invalid, "bankcsv", "header: %v", err)
	}
	rd := &Reader{csv: c, layout: layout, skipBad: skipBad, col: map[string]int{}, line: 1, depts: map[int]deptSeen{}}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if canon, ok := headerNames[layout][h]; ok {
			rd.col[canon] = i
		}
	}
	var required []string
	switch layout {
	case LayoutStend:
		// doc_issuer and subject may be absent: real proceedings have
		// documents without an issuing body and empty subjects.
		required = []string{"kind", "number", "opened", "doc_type", "doc_date", "doc_number", "department_name"}
	case LayoutOpenData:
		required = []string{"legal_name", "number", "opened", "department_name"}
	default:
		return nil, stend.Errorf(stend.Invalid, "bankcsv", "no layout %q (stend or opendata)", layout)
	}
	for _, r := range required {
		if _, ok := rd.col[r]; !ok {
			return nil, stend.Errorf(stend.Invalid, "bankcsv", "header lacks the %s column", r)
		}
	}
	return rd, nil
}

// Bad lists the rows that could not be read.
func (r *Reader) Bad() []LineError { return r.bad }

// Rows is how many proceedings were yielded.
func (r *Reader) Rows() int64 { return r.rows }

func (r *Reader) Err() error {
	if r.err != nil {
		return r.err
	}
	if len(r.bad) > 0 && !r.skipBad {
		return &BadRowsError{Rows: r.bad}
	}
	return nil
}

func (r *Reader) Next(p *fssp.Proceeding) bool {
	for r.err == nil {
		rec, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.reject(pe.StartLine, pe.Err.Error())
				continue
			}
			r.err = err
			return false
		}
		line, _ := r.csv.FieldPos(0)
		r.line = line
		// Every store must keep what the bank holds: PostgreSQL refuses
		// text that is not UTF-8 or holds NUL, where SQLite would keep it.
		if i := slices.IndexFunc(rec, func(v string) bool { return !stend.StorableText(v) }); i >= 0 {
			r.reject(line, fmt.Sprintf("column %d is not UTF-8 text, or holds U+0000 (is the file in another encoding?)", i+1))
			continue
		}
		*p = fssp.Proceeding{}
		if msg := r.parse(rec, p); msg != "" {
			r.reject(line, msg)
			continue
		}
		if msg := r.sameDepartment(p.Department, line); msg != "" {
			r.reject(line, msg)
			continue
		}
		if len(r.bad) > 0 && !r.skipBad {
			// Nothing will be kept: read on only to report every bad row.
			continue
		}
		r.rows++
		return true
	}
	return false
}

// sameDepartment registers the department's text at its first row and
// refuses another text at a later one, which would otherwise replace it in
// the bank without a word; with --skip-bad the first text stays.
func (r *Reader) sameDepartment(d fssp.Department, line int) string {
	seen, ok := r.depts[d.ID]
	if !ok {
		r.depts[d.ID] = deptSeen{dept: d, line: line}
		return ""
	}
	if seen.dept == d {
		return ""
	}
	return fmt.Sprintf("department %05d is %q, %q, %q at line %d; this row gives it %q, %q, %q",
		d.ID, seen.dept.Name, seen.dept.PostalIndex, seen.dept.Address, seen.line, d.Name, d.PostalIndex, d.Address)
}

func (r *Reader) reject(line int, msg string) {
	r.bad = append(r.bad, LineError{Line: line, Message: msg})
	if len(r.bad) >= MaxErrors {
		r.err = &BadRowsError{Rows: r.bad}
		if r.skipBad {
			r.err = fmt.Errorf("bankcsv: %d bad rows, stopped reading: %w", len(r.bad), r.err)
		}
	}
}

func (r *Reader) field(rec []string, name string) string {
	i, ok := r.col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

var (
	// The two documented formats of a proceeding number, and the number
	// of a consolidated (сводное) proceeding, which ends in -СД.
	fullNumber         = regexp.MustCompile(`^(\d{1,10})/(\d{2})/(\d{5})-(?i:ип)$`)
	shortNumber        = regexp.MustCompile(`^(\d{1,10})/(\d{2})/(\d{2})/(\d{1,3})$`)
	consolidatedNumber = regexp.MustCompile(`^(\d{1,10})/(\d{2})/(\d{5})-(?i:сд)$`)
	indexFirst         = regexp.MustCompile(`^(\d{6}),\s*(.*)$`)
)

// proceedingNumber reads n/yy/ddddd-ИП or the short n/yy/dd/rr. A short
// number names only the department's last two digits: its department is
// dept when given (the stend layout's department_number), else the
// region's lowest one with those digits, rr·1000 + dd (departments are
// numbered from 1 within a region, and few regions have a hundred).
func proceedingNumber(v, dept string) (fssp.ProceedingNumber, string) {
	var n fssp.ProceedingNumber
	if m := fullNumber.FindStringSubmatch(v); m != nil {
		n.Own, _ = strconv.ParseInt(m[1], 10, 64)
		n.Year, _ = strconv.Atoi(m[2])
		n.Department, _ = strconv.Atoi(m[3])
		if dept != "" && dept != m[3] {
			return n, fmt.Sprintf("department_number %s is not the department of number %s", dept, v)
		}
	} else if m := shortNumber.FindStringSubmatch(v); m != nil {
		n.Own, _ = strconv.ParseInt(m[1], 10, 64)
		n.Year, _ = strconv.Atoi(m[2])
		suffix, _ := strconv.Atoi(m[3])
		region, _ := strconv.Atoi(m[4])
		n.Department, n.Short = region*1000+suffix, true
		if dept != "" {
			d, err := strconv.Atoi(dept)
			if err != nil || len(dept) != 5 || fssp.DepartmentRegion(d) != region || d%100 != suffix {
				return n, fmt.Sprintf("department_number %s is not a department of region %d ending in %02d", dept, region, suffix)
			}
			n.Department = d
		}
	} else {
		return n, fmt.Sprintf("number %q is neither n/yy/ddddd-ИП nor n/yy/dd/rr", v)
	}
	if _, ok := fsspclient.LookupRegion(fssp.DepartmentRegion(n.Department)); !ok {
		return n, fmt.Sprintf("department %05d is in no region of the directory", n.Department)
	}
	return n, ""
}

// consolidated reads the number of a consolidated proceeding,
// n/yy/ddddd-СД; ok is false for anything else.
func consolidated(v string) (*fssp.ProceedingNumber, bool) {
	m := consolidatedNumber.FindStringSubmatch(v)
	if m == nil {
		return nil, false
	}
	n := &fssp.ProceedingNumber{}
	n.Own, _ = strconv.ParseInt(m[1], 10, 64)
	n.Year, _ = strconv.Atoi(m[2])
	n.Department, _ = strconv.Atoi(m[3])
	_, ok := fsspclient.LookupRegion(fssp.DepartmentRegion(n.Department))
	return n, ok
}

func (r *Reader) parse(rec []string, p *fssp.Proceeding) string {
	f := func(name string) string { return r.field(rec, name) }
	var msg string
	if p.Number, msg = proceedingNumber(f("number"), f("department_number")); msg != "" {
		return msg
	}
	p.Region = fssp.DepartmentRegion(p.Number.Department)
	if v := f("region"); v != "" && v != strconv.Itoa(p.Region) && v != fmt.Sprintf("%02d", p.Region) {
		return fmt.Sprintf("region %s does not match department %05d", v, p.Number.Department)
	}
	var ok bool
	if p.Date, ok = date(f("opened"), true); !ok {
		return fmt.Sprintf("opened %q is not a date", f("opened"))
	}
	p.Department = fssp.Department{ID: p.Number.Department, Name: f("department_name"), PostalIndex: f("department_index"), Address: f("department_address")}
	if p.Department.PostalIndex == "" {
		// The open data set writes the index at the head of the address.
		if m := indexFirst.FindStringSubmatch(p.Department.Address); m != nil {
			p.Department.PostalIndex, p.Department.Address = m[1], m[2]
		}
	}
	if p.Department.Name == "" {
		return "department_name is empty"
	}
	p.DocType, p.DocNumber, p.DocIssuer, p.Subject = f("doc_type"), f("doc_number"), f("doc_issuer"), f("subject")
	if p.DocDate, ok = date(f("doc_date"), r.layout == LayoutOpenData); !ok {
		return fmt.Sprintf("doc_date %q is not a date", f("doc_date"))
	}
	amount, fee := amountOf(f("amount")), amountOf(f("fee"))
	if amount.err != nil {
		return "amount: " + amount.err.Error()
	}
	if fee.err != nil {
		return "fee: " + fee.err.Error()
	}
	p.Amount, p.Fee = amount.kopecks, fee.kopecks
	if p.Joined, ok = flag(f("joined")); !ok {
		return fmt.Sprintf("joined %q is not 0, 1, true or false", f("joined"))
	}
	if r.layout == LayoutOpenData {
		p.Kind = fssp.DebtorLegal
		p.LegalName, p.LegalAddress = f("legal_name"), f("legal_address")
		if p.LegalAddress == "" {
			p.LegalAddress = f("actual_address")
		}
		// The set writes amounts as the service answered them, with two
		// decimals or trimmed ("212776.4", "212776"), and has no other way
		// to say it.
		p.AmountFormat = amount.format
		// A consolidated proceeding's number present means the row is
		// joined; the service wrote the number itself when it was one.
		p.Joined = f("joined_number") != ""
		if c, ok := consolidated(f("joined_number")); ok {
			p.Consolidated = c
		}
		if p.LegalName == "" {
			return "the debtor's name is empty"
		}
		return r.end(f, p)
	}
	for _, v := range []struct{ name, value string }{{"doc_type", p.DocType}, {"doc_number", p.DocNumber}} {
		if v.value == "" {
			return v.name + " is empty"
		}
	}
	if p.Subject == "" && (p.Amount != 0 || p.Fee != 0) {
		return "an amount needs a subject"
	}
	if p.AmountFormat, msg = amountFormat(f("amount_format")); msg != "" {
		return msg
	}
	if v := f("consolidated"); v != "" {
		if p.Consolidated, ok = consolidated(v); !ok {
			return fmt.Sprintf("consolidated %q is not n/yy/ddddd-СД of a department of the directory", v)
		}
		if f("joined") != "" && !p.Joined {
			return fmt.Sprintf("joined %q contradicts consolidated %s", f("joined"), v)
		}
		p.Joined = true
	}
	if p.Bailiff, msg = bailiff(f("bailiff"), f("bailiff_name"), f("bailiff_phone")); msg != "" {
		return msg
	}
	switch strings.ToLower(f("kind")) {
	case "physical", "1":
		p.Kind = fssp.DebtorPhysical
		p.LastName, p.FirstName, p.Patronymic, p.BirthPlace = f("last_name"), f("first_name"), f("patronymic"), f("birth_place")
		if p.LastName == "" || p.FirstName == "" {
			return "a person needs last_name and first_name"
		}
		if p.BirthDate, ok = date(f("birth_date"), true); !ok {
			return fmt.Sprintf("birth_date %q is not a date", f("birth_date"))
		}
	case "legal", "2":
		p.Kind = fssp.DebtorLegal
		p.LegalName, p.LegalAddress = f("legal_name"), f("legal_address")
		if p.LegalName == "" {
			return "a legal entity needs legal_name"
		}
	default:
		return fmt.Sprintf("kind %q is not physical or legal", f("kind"))
	}
	return r.end(f, p)
}

// amountFormat reads the stend layout's amount_format: "2" (also when not
// given: files that have no such column answer as they always did), two
// decimals; "trimmed", each amount without the zeros its decimals end in,
// as older answers printed them.
func amountFormat(v string) (fssp.AmountFormat, string) {
	switch v {
	case "", "2":
		return fssp.AmountKopecks, ""
	case "trimmed":
		return fssp.AmountTrimmed, ""
	}
	return 0, fmt.Sprintf("amount_format %q is not 2 or trimmed", v)
}

// bailiff reads the bailiff either from the text the service answered
// (the bailiff column) or, as files have always given it, from a name and
// a phone, which the answer writes "name<br>phone".
func bailiff(raw, name, phone string) (fssp.Bailiff, string) {
	if raw == "" {
		return fssp.Bailiff{Name: name, Phone: phone}, ""
	}
	if name != "" || phone != "" {
		return fssp.Bailiff{}, "give bailiff, or bailiff_name and bailiff_phone, not both"
	}
	if b, ok := parseBailiff(raw); ok {
		return b, ""
	}
	return fssp.Bailiff{}, fmt.Sprintf("bailiff %q is none of the service's shapes (name<br>phone, name phone<br>phone<br>, name<br>, name)", raw)
}

// parseBailiff reads the shapes the real service wrote: "name<br>phone",
// "name", "name phone<br>phone<br>" and "name<br>".
func parseBailiff(raw string) (fssp.Bailiff, bool) {
	parts := strings.Split(raw, "<br>")
	switch {
	case len(parts) == 1:
		return fssp.Bailiff{Name: raw, Format: fssp.BailiffBreak}, true
	case len(parts) == 2 && parts[1] == "":
		return fssp.Bailiff{Name: parts[0], Format: fssp.BailiffTrailingBreak}, parts[0] != ""
	case len(parts) == 2:
		return fssp.Bailiff{Name: parts[0], Phone: parts[1], Format: fssp.BailiffBreak}, parts[0] != ""
	case len(parts) == 3 && parts[2] == "" && parts[1] != "":
		name, ok := strings.CutSuffix(parts[0], " "+parts[1])
		return fssp.Bailiff{Name: name, Phone: parts[1], Format: fssp.BailiffPhoneTwice}, ok && name != ""
	}
	return fssp.Bailiff{}, false
}

func (r *Reader) end(f func(string) string, p *fssp.Proceeding) string {
	if f("end_date") == "" {
		return ""
	}
	d, ok := date(f("end_date"), false)
	if !ok {
		return fmt.Sprintf("end_date %q is not a date", f("end_date"))
	}
	e := &fssp.ProceedingEnd{Date: d}
	for _, v := range []struct {
		name string
		dst  *int
	}{{"end_article", &e.Article}, {"end_part", &e.Part}, {"end_point", &e.Point}} {
		n, err := strconv.Atoi(f(v.name))
		if err != nil || n < 0 || n > 999 {
			return fmt.Sprintf("%s %q is not a number", v.name, f(v.name))
		}
		*v.dst = n
	}
	p.End = e
	return ""
}

// date reads ДД.ММ.ГГГГ or ГГГГ-ММ-ДД; empty is the zero date where
// allowed.
func date(v string, optional bool) (stend.Date, bool) {
	if v == "" {
		return stend.Date{}, optional
	}
	for _, layout := range []string{"02.01.2006", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1900 {
			return stend.DateOf(t), true
		}
	}
	return stend.Date{}, false
}

// amount is a ruble amount as a file writes it.
type amount struct {
	text    string
	kopecks int64
	format  fssp.AmountFormat // the decimals it is written with
	err     error
}

// amountOf reads a ruble amount: "1234.56", "1 234,56", "212776.4", "1234".
func amountOf(v string) amount {
	v = strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(v)
	a := amount{text: v, format: fssp.AmountTrimmed}
	if v == "" {
		return a
	}
	rub, kop, _ := strings.Cut(v, ".")
	if len(kop) > 2 || rub == "" || strings.Trim(rub+kop, "0123456789") != "" || len(rub) > 13 {
		a.err = fmt.Errorf("%q is not an amount in rubles", v)
		return a
	}
	if len(kop) == 2 {
		a.format = fssp.AmountKopecks
	}
	r, _ := strconv.ParseInt(rub, 10, 64)
	k, _ := strconv.ParseInt((kop + "00")[:2], 10, 64)
	a.kopecks = r*100 + k
	return a
}

func flag(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "", "0", "false", "нет":
		return false, true
	case "1", "true", "да":
		return true, true
	}
	return false, false
}

// lineLimit fails a stream with a line longer than MaxLineBytes.
type lineLimit struct {
	r   io.Reader
	run int
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.run = 0
		} else if l.run++; l.run > MaxLineBytes {
			return 0, stend.Errorf(stend.TooLarge, "bankcsv", "a line is longer than %d bytes", MaxLineBytes)
		}
	}
	return n, err
}
