package http

import (
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

func join(parts ...string) string {
	return joinTo(parts, false)
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

// upperJoin is strings.ToUpper(join(parts...)) in one pass and one
// allocation: an item's name, joined and then upper-cased, was a fifth of
// a search's rendering on the node (docs/benchmarks.md, issue 20).
func upperJoin(parts ...string) string {
	return joinTo(parts, true)
}

func joinTo(parts []string, upper bool) string {
	size := 0
	for _, p := range parts {
		size += len(p) + 1
	}
	var b strings.Builder
	b.Grow(size)
	for _, p := range parts {
		if p = trimSpace(p); p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if !upper {
			b.WriteString(p)
			continue
		}
		for i := 0; i < len(p); {
			if c := p[i]; c < utf8.RuneSelf {
				if 'a' <= c && c <= 'z' {
					c -= 'a' - 'A'
				}
				b.WriteByte(c)
				i++
				continue
			}
			// Cyrillic а–я and ѐ–џ (U+0430–U+045F), most of a name, have
			// their capitals at U+0410–U+042F and U+0400–U+040F.
			if i+1 < len(p) && p[i+1]&0xc0 == 0x80 {
				switch c, d := p[i], p[i+1]; {
				case c == 0xd0 && d >= 0xb0:
					b.WriteByte(0xd0)
					b.WriteByte(d - 0x20)
					i += 2
					continue
				case c == 0xd1 && d < 0x90:
					b.WriteByte(0xd0)
					b.WriteByte(d + 0x20)
					i += 2
					continue
				case c == 0xd1 && d < 0xa0:
					b.WriteByte(0xd0)
					b.WriteByte(d - 0x10)
					i += 2
					continue
				}
			}
			// As strings.ToUpper (strings.Map): a byte that is not UTF-8
			// becomes U+FFFD.
			r, n := utf8.DecodeRuneInString(p[i:])
			b.WriteRune(unicode.ToUpper(r))
			i += n
		}
	}
	return b.String()
}

// rubles writes an amount as the proceeding's answers wrote it: with two
// decimals, or trimmed of the zeros its decimals end in ("212776.4",
// "120000", "14894.35").
func rubles(kopecks int64, format fssp.AmountFormat) string {
	b := strconv.AppendInt(make([]byte, 0, 24), kopecks/100, 10)
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
	return string(b) + " руб."
}

// writeNumber writes a proceeding number: "own/yy/dd/rr" in the short
// format, else "own/yy/ddddd" and kind ("-ИП", or "-СД" for a consolidated
// proceeding).
func writeNumber(b *strings.Builder, n fssp.ProceedingNumber, kind string) {
	b.WriteString(strconv.FormatInt(n.Own, 10))
	b.WriteByte('/')
	b.Write(append2(nil, n.Year))
	b.WriteByte('/')
	if n.Short {
		b.Write(append2(nil, n.Department%100))
		b.WriteByte('/')
		b.Write(append2(nil, fssp.DepartmentRegion(n.Department)))
		return
	}
	dept := strconv.Itoa(n.Department)
	b.WriteString(strings.Repeat("0", max(0, 5-len(dept))) + dept)
	b.WriteString(kind)
}

func render(p fssp.Proceeding) item {
	var it item
	if p.Kind == fssp.DebtorLegal {
		it.Name = upperJoin(p.LegalName, p.LegalAddress)
	} else {
		it.Name = upperJoin(p.LastName, p.FirstName, p.Patronymic, dotted(p.BirthDate), p.BirthPlace)
	}
	var b strings.Builder
	writeNumber(&b, p.Number, "-ИП")
	if !p.Date.IsZero() {
		b.WriteString(" от ")
		b.WriteString(dotted(p.Date))
	}
	switch {
	case p.Joined && p.Consolidated != nil:
		b.WriteByte(' ')
		writeNumber(&b, *p.Consolidated, "-СД")
	case p.Joined:
		b.WriteString(" сводное")
	}
	it.ExeProduction = b.String()
	doc := []string{p.DocType}
	if !p.DocDate.IsZero() {
		doc = append(doc, "от", dotted(p.DocDate))
	}
	if p.DocNumber != "" {
		doc = append(doc, "№", p.DocNumber)
	}
	it.Details = join(append(doc, p.DocIssuer)...)
	it.Subject = p.Subject
	if p.Amount != 0 || p.Fee != 0 {
		it.Subject = p.Subject + ": " + rubles(p.Amount, p.AmountFormat)
		if p.Fee != 0 {
			it.Subject += " Исполнительский сбор: " + rubles(p.Fee, p.AmountFormat)
		}
	}
	it.Department = join(p.Department.Name, p.Department.PostalIndex)
	if p.Department.Address != "" {
		it.Department = strings.TrimPrefix(it.Department+", "+p.Department.Address, ", ")
	}
	switch bf := p.Bailiff; {
	case bf.Format == fssp.BailiffPhoneTwice && bf.Phone != "":
		it.Bailiff = join(bf.Name, bf.Phone) + "<br>" + bf.Phone + "<br>"
	case bf.Format == fssp.BailiffTrailingBreak:
		it.Bailiff = bf.Name + "<br>"
	default:
		it.Bailiff = bf.Name
		if bf.Phone != "" {
			it.Bailiff = strings.TrimPrefix(it.Bailiff+"<br>"+bf.Phone, "<br>")
		}
	}
	if p.End != nil {
		e := p.End
		it.IPEnd = e.Date.String() + ", " + strconv.Itoa(e.Article) + ", " + strconv.Itoa(e.Part) + ", " + strconv.Itoa(e.Point)
	}
	return it
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
	b := make([]byte, 0, 256+450*len(found))
	b = append(b, `{"status":0,"query":`...)
	b = appendQuery(b, req)
	b = append(b, `,"result":[`...)
	for i, p := range found {
		if i > 0 {
			b = append(b, ',')
		}
		it := render(p)
		for j, f := range [...]struct{ key, value string }{
			{"name", it.Name}, {"exe_production", it.ExeProduction}, {"details", it.Details}, {"subject", it.Subject},
			{"department", it.Department}, {"bailiff", it.Bailiff}, {"ip_end", it.IPEnd},
		} {
			if j == 0 {
				b = append(b, '{')
			} else {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, f.key...)
			b = append(b, `":`...)
			b = httpx.AppendJSONString(b, f.value)
		}
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
