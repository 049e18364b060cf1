package http

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fssp"
)

// Search types, as the group request numbers them.
const (
	typePhysical = 1
	typeLegal    = 2
	typeNumber   = 3
)

// MaxGroup is the document's limit of sub-requests in a group request.
const MaxGroup = 100

// Longest accepted values: longer ones are no name and would only cost a
// search.
const (
	maxNameRunes    = 100
	maxLegalRunes   = 250
	maxAddressRunes = 300
)

// search is a validated sub-request, ready to run.
type search struct {
	req      fssp.SubRequest
	physical fssp.PhysicalQuery
	legal    fssp.LegalQuery
	number   fssp.NumberQuery
}

var invalid = stend.Errorf(stend.Invalid, "fssp", "invalid request params")

// methodParams are the parameters each method knows, in the order the
// document's tables list them: /result echoes them in that order (see
// docs/fssp.md), and drops any other.
var methodParams = map[int][]string{
	typePhysical: {"region", "firstname", "secondname", "lastname", "birthdate"},
	typeLegal:    {"region", "name", "address"},
	typeNumber:   {"number"},
}

// validate checks one search's parameters by type, and keeps the ones the
// method knows as they were sent, to echo in the result: a key left out
// there was not sent, which the echo tells from one sent empty.
func validate(typ int, in map[string]string, today stend.Date) (search, error) {
	s := search{req: fssp.SubRequest{Type: typ, Params: map[string]string{}}}
	keep := func(k string) string {
		v, sent := in[k]
		if sent {
			s.req.Params[k] = v
		}
		return strings.TrimSpace(v)
	}
	switch typ {
	case typePhysical:
		region, ok := regionParam(keep("region"))
		last, first, second := keep("lastname"), keep("firstname"), keep("secondname")
		if !ok || !name(last, maxNameRunes, true) || !name(first, maxNameRunes, true) || !name(second, maxNameRunes, false) {
			return s, invalid
		}
		s.physical = fssp.PhysicalQuery{Region: region, LastName: last, FirstName: first, Patronymic: second}
		if bd := keep("birthdate"); bd != "" {
			d, ok := birthDate(bd, today)
			if !ok {
				return s, invalid
			}
			s.physical.BirthDate = &d
		}
	case typeLegal:
		region, ok := regionParam(keep("region"))
		n, address := keep("name"), keep("address")
		if !ok || !name(n, maxLegalRunes, true) || !name(address, maxAddressRunes, false) {
			return s, invalid
		}
		s.legal = fssp.LegalQuery{Region: region, Name: n, Address: address}
	case typeNumber:
		q, ok := proceedingNumber(keep("number"))
		if !ok {
			return s, invalid
		}
		s.number = q
	default:
		return s, invalid
	}
	return s, nil
}

// regionParam accepts a code of the FSSP region directory, with or without
// a leading zero.
func regionParam(v string) (int, bool) {
	if v == "" || len(v) > 3 || strings.Trim(v, "0123456789") != "" {
		return 0, false
	}
	code, _ := strconv.Atoi(v)
	_, ok := fsspclient.LookupRegion(code)
	return code, ok
}

// name accepts printable text of at most maxRunes with a letter or digit in
// it; required says whether it may be empty.
func name(v string, maxRunes int, required bool) bool {
	if v == "" {
		return !required
	}
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxRunes {
		return false
	}
	meaningful := false
	for _, r := range v {
		if unicode.IsControl(r) {
			return false
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			meaningful = true
		}
	}
	return meaningful
}

// birthDate parses "дд.мм.гггг": a real day, not after today, not before
// 1900.
func birthDate(v string, today stend.Date) (stend.Date, bool) {
	t, err := time.Parse("02.01.2006", v)
	if err != nil || len(v) != 10 {
		return stend.Date{}, false
	}
	d := stend.DateOf(t)
	if d.Year < 1900 || d.Compare(today) > 0 {
		return stend.Date{}, false
	}
	return d, true
}

// The two documented formats of a proceeding number: n…n/yy/dd/rr and
// n…n/yy/ddddd-ИП.
var (
	shortNumber = regexp.MustCompile(`^(\d{1,10})/(\d{2})/(\d{2})/(\d{1,3})$`)
	fullNumber  = regexp.MustCompile(`^(\d{1,10})/(\d{2})/(\d{5})-(?i:ип)$`)
)

func proceedingNumber(v string) (fssp.NumberQuery, bool) {
	if m := fullNumber.FindStringSubmatch(v); m != nil {
		own, _ := strconv.ParseInt(m[1], 10, 64)
		year, _ := strconv.Atoi(m[2])
		dept, _ := strconv.Atoi(m[3])
		if _, ok := fsspclient.LookupRegion(fssp.DepartmentRegion(dept)); !ok {
			return fssp.NumberQuery{}, false
		}
		return fssp.NumberQuery{Own: own, Year: year, Department: dept}, true
	}
	if m := shortNumber.FindStringSubmatch(v); m != nil {
		own, _ := strconv.ParseInt(m[1], 10, 64)
		year, _ := strconv.Atoi(m[2])
		suffix, _ := strconv.Atoi(m[3])
		region, ok := regionParam(m[4])
		if !ok {
			return fssp.NumberQuery{}, false
		}
		return fssp.NumberQuery{Own: own, Year: year, DeptSuffix: suffix, Region: region}, true
	}
	return fssp.NumberQuery{}, false
}

// groupItem is one element of a group's request array.
type groupItem struct {
	Type   json.RawMessage `json:"type"`
	Params json.RawMessage `json:"params"`
}

// validateGroup checks every sub-request before anything is accepted.
func validateGroup(items []json.RawMessage, today stend.Date) ([]search, error) {
	if len(items) == 0 || len(items) > MaxGroup {
		return nil, invalid
	}
	out := make([]search, 0, len(items))
	for _, raw := range items {
		var it groupItem
		if err := json.Unmarshal(raw, &it); err != nil || it.Type == nil || it.Params == nil {
			return nil, invalid
		}
		t, ok, err := scalar(it.Type)
		if err != nil || !ok {
			return nil, invalid
		}
		typ, err := strconv.Atoi(t)
		if err != nil {
			return nil, invalid
		}
		p, err := paramsOf(it.Params)
		if err != nil {
			return nil, invalid
		}
		s, err := validate(typ, p, today)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
