package http

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/reestro"
)

// listingFilter reads the query of GET /checks. Every wrong parameter is
// reported, each by name; an empty parameter is one not given, as ASP.NET
// binds it.
func listingFilter(q url.Values) (reestro.CheckFilter, error) {
	f := reestro.CheckFilter{Limit: reestro.MaxCheckCount}
	v := &validationError{}
	if s := q.Get("correlationId"); s != "" {
		if !clientID(s) {
			v.add("correlationId should match ^\\w{1,256}")
		}
		f.CorrelationID = s
	}
	if s := q.Get("externalId"); s != "" {
		if !clientID(s) {
			v.add("externalId should match ^\\w{1,256}")
		}
		f.ExternalID = s
	}
	if s := q.Get("subjectId"); s != "" {
		id, ok := reestro.ParseGUID(s)
		if !ok {
			v.add("subjectId should be guid")
		}
		f.SubjectID = id
	}
	// type repeats, and each value may also list several, comma-separated,
	// as ASP.NET binds an array.
	for _, s := range q["type"] {
		for name := range strings.SplitSeq(s, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			t, ok := reestro.ParseCheckType(name)
			if !ok {
				v.add("type should be CheckType")
				break
			}
			f.Types |= 1 << t
		}
	}
	if s := q.Get("state"); s != "" {
		st, ok := reestro.ParseCheckState(s)
		if !ok {
			v.add("state should be CheckState")
		}
		f.State = st
	}
	if s := q.Get("from"); s != "" {
		t, ok := parseDateTime(s)
		if !ok {
			v.add("from should be date-time")
		}
		f.From = t
	}
	if s := q.Get("to"); s != "" {
		t, ok := parseDateTime(s)
		if !ok {
			v.add("to should be date-time")
		}
		f.To = t
	}
	if s := q.Get("afterCheckId"); s != "" {
		id, ok := reestro.ParseGUID(s)
		if !ok {
			v.add("afterCheckId should be guid")
		}
		f.AfterID = id
	}
	if s := q.Get("count"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || strings.Trim(s, "0123456789") != "" || n > reestro.MaxCheckCount {
			v.add("count should be a number not greater than 30")
		}
		f.Limit = n
	}
	return f, v.err()
}

// clientID is the document's ^\w{1,256}: it starts with a word character
// (.NET's \w: letters, digits, marks and connectors such as _), and we bound
// its length.
func clientID(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > reestro.MaxClientID {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !wordRune(r) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || unicode.Is(unicode.Pc, r)
}

// dateTimeLayouts are the ISO 8601 forms accepted for from and to; one
// without an offset is UTC, the zone of creationDate.
var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	time.DateOnly,
}

// parseDateTime reads an ISO 8601 instant. A "+03:00" sent unencoded in a
// query arrives as " 03:00"; it is read as the client meant it.
func parseDateTime(s string) (time.Time, bool) {
	if i := strings.LastIndexByte(s, ' '); i > 0 && strings.Contains(s[:i], "T") {
		s = s[:i] + "+" + s[i+1:]
	}
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Subjects.

const maxNameRunes = 100

var (
	passportSeries = regexp.MustCompile(`^\d{2} ?\d{2}$`)
	passportNumber = regexp.MustCompile(`^\d{6}$`)
	issuerCode     = regexp.MustCompile(`^\d{3}-?\d{3}$`)
)

// validateSubject checks a person as the FSSP search needs it: surname,
// name and birth date are what a physical search is made of.
func validateSubject(req subjectRequest, today stend.Date) (reestro.Person, error) {
	v := &validationError{}
	if req.Person == nil {
		v.add("person should be an object")
		return reestro.Person{}, v
	}
	p := req.Person
	var out reestro.Person
	var ok bool
	if out.Surname, ok = nameField(p.Surname, true); !ok {
		v.add("person.surname should be a name of up to 100 characters")
	}
	if out.Name, ok = nameField(p.Name, true); !ok {
		v.add("person.name should be a name of up to 100 characters")
	}
	if out.Patronymic, ok = nameField(p.Patronymic, false); !ok {
		v.add("person.patronymic should be a name of up to 100 characters")
	}
	birth, ok := dateField(p.BirthDate, today)
	if !ok || birth == nil {
		v.add("person.birthDate should be a date YYYY-MM-DD not in the future")
	}
	out.BirthDate = birth
	if doc := p.IdentityDocument; doc != nil {
		d := &reestro.IdentityDocument{}
		if d.Series, ok = stringField(p.IdentityDocument.Series); !ok || !passportSeries.MatchString(d.Series) {
			v.add("person.identityDocument.series should be 4 digits")
		}
		if d.Number, ok = stringField(doc.Number); !ok || !passportNumber.MatchString(d.Number) {
			v.add("person.identityDocument.number should be 6 digits")
		}
		issued, ok := dateField(doc.IssueDate, today)
		if !ok || issued != nil && birth != nil && issued.Compare(*birth) < 0 {
			v.add("person.identityDocument.issueDate should be a date YYYY-MM-DD between the birth date and today")
		}
		d.IssueDate = issued
		if doc.Issuer != nil {
			if d.IssuerCode, ok = stringField(doc.Issuer.IssuerCode); !ok || d.IssuerCode != "" && !issuerCode.MatchString(d.IssuerCode) {
				v.add("person.identityDocument.issuer.issuerCode should be NNN-NNN")
			}
		}
		out.Document = d
	}
	return out, v.err()
}

// isNull is a field absent or null: "null means not passed".
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// stringField reads an optional JSON string ("" when absent).
func stringField(raw json.RawMessage) (string, bool) {
	if isNull(raw) {
		return "", true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// nameField reads a name the FSSP search accepts: printable, at most 100
// characters, with a letter or digit in it.
func nameField(raw json.RawMessage, required bool) (string, bool) {
	s, ok := stringField(raw)
	if !ok {
		return "", false
	}
	if s == "" {
		return "", !required
	}
	if utf8.RuneCountInString(s) > maxNameRunes {
		return "", false
	}
	meaningful := false
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", false
		}
		meaningful = meaningful || unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return s, meaningful
}

// dateField reads an optional "YYYY-MM-DD" of a real day from 1900 to
// today.
func dateField(raw json.RawMessage, today stend.Date) (*stend.Date, bool) {
	s, ok := stringField(raw)
	if !ok {
		return nil, false
	}
	if s == "" {
		return nil, true
	}
	d, ok := stend.ParseDate(s)
	if !ok || d.Year < 1900 || d.Compare(today) > 0 {
		return nil, false
	}
	return &d, true
}

// Checks.

// validateCheck reads POST /checks: an Fssp check of a subject in regions
// of the FSSP directory, each named once.
func validateCheck(req checkRequest) (reestro.Check, error) {
	v := &validationError{}
	c := reestro.Check{Type: reestro.CheckFssp, State: reestro.CheckProcessing}
	var ok bool
	if c.CorrelationID, ok = stringField(req.CorrelationID); !ok || c.CorrelationID != "" && !clientID(c.CorrelationID) {
		v.add("correlationId should match ^\\w{1,256}")
	}
	if c.ExternalID, ok = stringField(req.ExternalID); !ok || c.ExternalID != "" && !clientID(c.ExternalID) {
		v.add("externalId should match ^\\w{1,256}")
	}
	if req.Fssp == nil {
		v.add("fssp should be an object")
		return c, v
	}
	s, ok := stringField(req.Fssp.SubjectID)
	if c.SubjectID, _ = reestro.ParseGUID(s); !ok || c.SubjectID == "" {
		v.add("fssp.subjectId should be guid")
	}
	regions, ok := regionList(req.Fssp.Regions)
	if !ok {
		v.add("fssp.regions should be a non-empty array of distinct FSSP region codes")
	}
	c.Regions = regions
	return c, v.err()
}

// regionList reads the regions as the sample writes them, strings ("54");
// numbers are taken too. Codes are kept as the directory's, without a
// leading zero.
func regionList(raw json.RawMessage) ([]string, bool) {
	var items []json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &items) != nil || len(items) == 0 || len(items) > len(fsspclient.Regions) {
		return nil, false
	}
	seen := map[int]bool{}
	out := make([]string, 0, len(items))
	for _, item := range items {
		s := string(item)
		if len(item) > 0 && item[0] == '"' {
			if json.Unmarshal(item, &s) != nil {
				return nil, false
			}
		}
		if s == "" || len(s) > 3 || strings.Trim(s, "0123456789") != "" {
			return nil, false
		}
		code, _ := strconv.Atoi(s)
		if _, known := fsspclient.LookupRegion(code); !known || seen[code] {
			return nil, false
		}
		seen[code] = true
		out = append(out, strconv.Itoa(code))
	}
	return out, true
}
