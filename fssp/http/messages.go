package http

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"stend"
	"stend/fssp"
	"stend/httpx"
)

// item is one proceeding as /result lists it: every field a string, in the
// shapes the real service answers (see shared/specs/README.md).
type item struct {
	Name          string `json:"name"`
	ExeProduction string `json:"exe_production"`
	Details       string `json:"details"`
	Subject       string `json:"subject"`
	Department    string `json:"department"`
	Bailiff       string `json:"bailiff"`
	IPEnd         string `json:"ip_end"`
}

func dotted(d stend.Date) string {
	if d.IsZero() {
		return ""
	}
	b := make([]byte, 0, 10)
	b = append2(b, d.Day)
	b = append(b, '.')
	b = append2(b, int(d.Month))
	b = append(b, '.')
	return string(strconv.AppendInt(b, int64(d.Year), 10))
}

func append2(b []byte, n int) []byte {
	if n < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// trimSpace is strings.TrimSpace without its rune-by-rune path when the
// text begins and ends with a letter that is not a space: an ASCII one or a
// Cyrillic one, the texts of the bank.
func trimSpace(s string) string {
	n := len(s)
	if n >= 2 && notSpaceFirst(s[0]) && (s[n-1] < utf8.RuneSelf && !asciiSpace(s[n-1]) ||
		(s[n-2] == 0xd0 || s[n-2] == 0xd1) && s[n-1]&0xc0 == 0x80) {
		return s
	}
	return strings.TrimSpace(s)
}

func notSpaceFirst(c byte) bool {
	return c < utf8.RuneSelf && !asciiSpace(c) || c == 0xd0 || c == 0xd1
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// appendJoin writes the parts trimmed of spaces, the empty ones left out,
// one space apart, upper-cased when upper is set: an item's name is
// upper-cased as it is joined, in one pass (joined, then upper-cased, it was
// a fifth of a search's rendering on the node: docs/benchmarks.md, issue 20).
func appendJoin(b []byte, upper bool, parts ...string) []byte {
	start := len(b)
	for _, p := range parts {
		if p = trimSpace(p); p == "" {
			continue
		}
		if len(b) > start {
			b = append(b, ' ')
		}
		if upper {
			b = appendUpper(b, p)
		} else {
			b = append(b, p...)
		}
	}
	return b
}

// appendUpper writes p upper-cased as strings.ToUpper would. The letters of
// the bank's names (ASCII, Cyrillic А–я, Ѐ–џ) keep their length when
// upper-cased, so p is copied whole and its lower-case letters changed where
// they lie: a byte at a time through append was nearly half of rendering a
// group on the node (issue 20's sixteenth part).
func appendUpper(b []byte, p string) []byte {
	at := len(b)
	b = append(b, p...)
	q := b[at:]
	for i := 0; i < len(q); {
		c := q[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				q[i] = c - ('a' - 'A')
			}
			i++
			continue
		}
		if i+1 < len(q) && q[i+1]&0xc0 == 0x80 {
			// Cyrillic а–я and ѐ–џ (U+0430–U+045F) have their capitals at
			// U+0410–U+042F and U+0400–U+040F; Ѐ–я (U+0400–U+043F) is
			// 0xd0 followed by 0x80–0xbf.
			switch d := q[i+1]; {
			case c == 0xd0:
				if d >= 0xb0 {
					q[i+1] = d - 0x20
				}
				i += 2
				continue
			case c == 0xd1 && d < 0x90:
				q[i], q[i+1] = 0xd0, d+0x20
				i += 2
				continue
			case c == 0xd1 && d < 0xa0:
				q[i], q[i+1] = 0xd0, d-0x10
				i += 2
				continue
			}
		}
		// Another letter may change its length: the rest goes rune by rune,
		// as strings.ToUpper (strings.Map) goes, a byte that is not UTF-8
		// becoming U+FFFD.
		b = b[:at+i]
		for _, r := range p[i:] {
			b = utf8.AppendRune(b, unicode.ToUpper(r))
		}
		return b
	}
	return b
}

// appendRubles writes an amount as the proceeding's answers wrote it: with
// two decimals, or trimmed of the zeros its decimals end in ("212776.4",
// "120000", "14894.35").
func appendRubles(b []byte, kopecks int64, format fssp.AmountFormat) []byte {
	b = strconv.AppendInt(b, kopecks/100, 10)
	switch kop := kopecks % 100; {
	case format == fssp.AmountKopecks:
		b = append(b, '.')
		b = append2(b, int(kop))
	case kop == 0:
	case kop%10 == 0:
		b = append(b, '.')
		b = strconv.AppendInt(b, kop/10, 10)
	default:
		b = append(b, '.')
		b = append2(b, int(kop))
	}
	return append(b, " руб."...)
}

// appendNumber writes a proceeding number: "own/yy/dd/rr" in the short
// format, else "own/yy/ddddd" and kind ("-ИП", or "-СД" for a consolidated
// proceeding).
func appendNumber(b []byte, n fssp.ProceedingNumber, kind string) []byte {
	b = strconv.AppendInt(b, n.Own, 10)
	b = append(b, '/')
	b = append2(b, n.Year)
	b = append(b, '/')
	if n.Short {
		b = append2(b, n.Department%100)
		b = append(b, '/')
		return append2(b, fssp.DepartmentRegion(n.Department))
	}
	var digits [20]byte
	dept := strconv.AppendInt(digits[:0], int64(n.Department), 10)
	for range 5 - len(dept) {
		b = append(b, '0')
	}
	return append(append(b, dept...), kind...)
}

// itemKeys are an item's fields in the order /result lists them, as item's
// tags name them.
var itemKeys = [...]string{"name", "exe_production", "details", "subject", "department", "bailiff", "ip_end"}

// itemFields writes each field of p's item in turn into s and hands it to
// field with its place in itemKeys; s is returned to be used again. A
// group's results, written so into one buffer, no longer make a string a
// field: rendering took a fifth of a group's CPU on the node, most of it
// allocating (docs/benchmarks.md, issue 20's fifteenth part).
func itemFields(p fssp.Proceeding, s []byte, field func(i int, text []byte)) []byte {
	if p.Kind == fssp.DebtorLegal {
		s = appendJoin(s[:0], true, p.LegalName, p.LegalAddress)
	} else {
		s = appendJoin(s[:0], true, p.LastName, p.FirstName, p.Patronymic, dotted(p.BirthDate), p.BirthPlace)
	}
	field(0, s)

	s = appendNumber(s[:0], p.Number, "-ИП")
	if !p.Date.IsZero() {
		s = append(s, " от "...)
		s = append(s, dotted(p.Date)...)
	}
	switch {
	case p.Joined && p.Consolidated != nil:
		s = appendNumber(append(s, ' '), *p.Consolidated, "-СД")
	case p.Joined:
		s = append(s, " сводное"...)
	}
	field(1, s)

	// The document's type, "от" and its date, "№" and its number, its
	// issuer: a part the proceeding lacks is left out with its word.
	from, number := "", ""
	if !p.DocDate.IsZero() {
		from = "от"
	}
	if p.DocNumber != "" {
		number = "№"
	}
	s = appendJoin(s[:0], false, p.DocType, from, dotted(p.DocDate), number, p.DocNumber, p.DocIssuer)
	field(2, s)

	s = append(s[:0], p.Subject...)
	if p.Amount != 0 || p.Fee != 0 {
		s = appendRubles(append(s, ": "...), p.Amount, p.AmountFormat)
		if p.Fee != 0 {
			s = appendRubles(append(s, " Исполнительский сбор: "...), p.Fee, p.AmountFormat)
		}
	}
	field(3, s)

	s = appendJoin(s[:0], false, p.Department.Name, p.Department.PostalIndex)
	text := s
	if p.Department.Address != "" {
		s = append(append(s, ", "...), p.Department.Address...)
		text = bytes.TrimPrefix(s, []byte(", "))
	}
	field(4, text)

	switch bf := p.Bailiff; {
	case bf.Format == fssp.BailiffPhoneTwice && bf.Phone != "":
		s = appendJoin(s[:0], false, bf.Name, bf.Phone)
		s = append(append(append(s, "<br>"...), bf.Phone...), "<br>"...)
		text = s
	case bf.Format == fssp.BailiffTrailingBreak:
		s = append(append(s[:0], bf.Name...), "<br>"...)
		text = s
	default:
		s = append(s[:0], bf.Name...)
		text = s
		if bf.Phone != "" {
			s = append(append(s, "<br>"...), bf.Phone...)
			text = bytes.TrimPrefix(s, []byte("<br>"))
		}
	}
	field(5, text)

	s = s[:0]
	if e := p.End; e != nil {
		s = append(s, e.Date.String()...)
		for _, n := range [...]int{e.Article, e.Part, e.Point} {
			s = strconv.AppendInt(append(s, ", "...), int64(n), 10)
		}
	}
	field(6, s)
	return s
}

// render is p's item, each field a string of its own.
func render(p fssp.Proceeding) item {
	var f [len(itemKeys)]string
	itemFields(p, nil, func(i int, text []byte) { f[i] = string(text) })
	return item{Name: f[0], ExeProduction: f[1], Details: f[2], Subject: f[3], Department: f[4], Bailiff: f[5], IPEnd: f[6]}
}

// subResult is one element of /result's list.
type subResult struct {
	Status int       `json:"status"`
	Query  queryEcho `json:"query"`
	Result any       `json:"result"`
}

// queryEcho is a sub-result's "query": the sub-request as it was sent.
type queryEcho fssp.SubRequest

func (q queryEcho) MarshalJSON() ([]byte, error) { return appendQuery(nil, fssp.SubRequest(q)), nil }

// subError is the result of a sub-request that failed.
type subError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// renderResult writes a sub-result's JSON by hand: with up to a hundred
// items a search, encoding/json's reflection was a tenth of a search's time.
// The output is what encoding/json writes without HTML escaping.
func renderResult(req fssp.SubRequest, found []fssp.Proceeding) []byte {
	// A person's item is about 750 bytes on average in the generated
	// bank, up to 1,178: room for 450 grew the buffer once or twice.
	b := make([]byte, 0, 256+800*len(found))
	b = append(b, `{"status":0,"query":`...)
	b = appendQuery(b, req)
	b = append(b, `,"result":[`...)
	var s []byte
	for i, p := range found {
		if i > 0 {
			b = append(b, ',')
		}
		s = itemFields(p, s, func(j int, text []byte) {
			if j == 0 {
				b = append(b, '{')
			} else {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, itemKeys[j]...)
			b = append(b, `":`...)
			b = httpx.AppendJSONString(b, text)
		})
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendQuery lists every parameter the method knows, null for one not
// sent: the real service does, and clients read them without looking first.
func appendQuery(b []byte, req fssp.SubRequest) []byte {
	b = append(b, `{"type":`...)
	b = strconv.AppendInt(b, int64(req.Type), 10)
	b = append(b, `,"params":{`...)
	for i, k := range methodParams[req.Type] {
		if i > 0 {
			b = append(b, ',')
		}
		b = httpx.AppendJSONString(b, k)
		b = append(b, ':')
		if v, sent := req.Params[k]; sent {
			b = httpx.AppendJSONString(b, v)
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, "}}"...)
}

func renderFailure(req fssp.SubRequest, message string) []byte {
	b, _ := httpx.MarshalJSON(subResult{Status: fssp.TaskDoneErrors, Query: queryEcho(req), Result: subError{Code: 0, Message: message}})
	return b
}

// taskStatus is /status's answer.
type taskStatus struct {
	Status   int    `json:"status"`
	Progress string `json:"progress"`
}

// taskResult is /result's answer; Result holds the stored sub-results as
// they are.
type taskResult struct {
	Status    int               `json:"status"`
	TaskStart *string           `json:"task_start"`
	TaskEnd   *string           `json:"task_end"`
	Result    []json.RawMessage `json:"result"`
}

type taskCreated struct {
	Task string `json:"task"`
}
