package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"

	"stend"
)

// The tolerant field types of messages.go find every binding problem at
// once, at the cost of a custom unmarshaller per value: 5 µs a row. Almost
// every body binds, so it is first decoded into plain Go types, which
// encoding/json does several times faster, and only a body that fails to
// decode that way is decoded again, tolerantly, to say what is wrong.

type fastReport struct {
	ReportID                               *int64    `json:"reportId"`
	ExaminationAreaID                      *int64    `json:"examinationAreaId"`
	PeriodStartDate                        *string   `json:"periodStartDate"`
	PeriodEndDate                          *string   `json:"periodEndDate"`
	NoExamInSelectedPeriod                 *bool     `json:"noExamInSelectedPeriod"`
	ExaminationAreaDoesNotWork             *bool     `json:"examinationAreaDoesNotWork"`
	PatentNearestStartDate                 *string   `json:"patentNearestStartDate"`
	NoPatentExamType                       *bool     `json:"noPatentExamType"`
	TemporaryResidenceNearestStartDate     *string   `json:"temporaryResidenceNearestStartDate"`
	NoTemporaryResidenceExamType           *bool     `json:"noTemporaryResidenceExamType"`
	ResidencePermitNearestStartDate        *string   `json:"residencePermitNearestStartDate"`
	NoResidencePermitExamType              *bool     `json:"noResidencePermitExamType"`
	CitizenshipRussianLangNearestStartDate *string   `json:"citizenshipRussianLangNearestStartDate"`
	NoCitizenshipRussianLangExamType       *bool     `json:"noCitizenshipRussianLangExamType"`
	CitizenshipHistoryNearestStartDate     *string   `json:"citizenshipHistoryNearestStartDate"`
	NoCitizenshipHistoryExamType           *bool     `json:"noCitizenshipHistoryExamType"`
	Comment                                *string   `json:"comment"`
	Requests                               fastItems `json:"requests"`
}

// fastItems decodes the rows by hand: they are almost the whole body, and
// encoding/json spends 2–3 µs on each. The outer json.Unmarshal has already
// validated the whole document, so this parser may assume well-formed JSON;
// anything it does not expect (an escaped key, a non-integer number, a
// non-object row) makes it give up, and the tolerant decode takes over. It
// always fills a fresh slice, so a repeated "requests" key replaces the
// rows entirely, and a repeated key inside a row keeps the last value: both
// as the tolerant decode does.
type fastItems []*fastItem

var errNotFast = errors.New("migrantexam: not for the fast path")

func (f *fastItems) UnmarshalJSON(b []byte) error {
	*f = nil
	if string(b) == "null" {
		return nil
	}
	// A row of the document's shape is 150 bytes or so; the estimate only
	// saves regrowing the slice.
	items := make(fastItems, 0, len(b)/128+1)
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return errNotFast
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		*f = items
		return nil
	}
	for {
		it := &fastItem{}
		next, err := it.parse(b, i)
		if err != nil {
			return err
		}
		items = append(items, it)
		i = skipSpace(b, next)
		if i >= len(b) {
			return errNotFast
		}
		if b[i] == ']' {
			*f = items
			return nil
		}
		if b[i] != ',' {
			return errNotFast
		}
		i = skipSpace(b, i+1)
	}
}

// parse reads one row object starting at b[i] and returns the index after it.
func (it *fastItem) parse(b []byte, i int) (int, error) {
	if i >= len(b) || b[i] != '{' {
		return 0, errNotFast
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, errNotFast
		}
		end := skipString(b, i)
		if end < 0 {
			return 0, errNotFast
		}
		key := b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			return 0, errNotFast
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, errNotFast
		}
		i = skipSpace(b, i+1)
		valueEnd := skipValue(b, i)
		if valueEnd < 0 {
			return 0, errNotFast
		}
		value := b[i:valueEnd]
		var err error
		switch {
		case bytes.EqualFold(key, []byte("identityDocumentNumber")):
			it.IdentityDocumentNumber, err = fastString(value)
		case bytes.EqualFold(key, []byte("examDate")):
			it.ExamDate, err = fastString(value)
		case bytes.EqualFold(key, []byte("migrationExamType")):
			it.MigrationExamType, err = fastInt(value)
		case bytes.EqualFold(key, []byte("migrationExamStatus")):
			it.MigrationExamStatus, err = fastInt(value)
		}
		if err != nil {
			return 0, err
		}
		i = skipSpace(b, valueEnd)
		if i >= len(b) {
			return 0, errNotFast
		}
		if b[i] == '}' {
			return i + 1, nil
		}
		if b[i] != ',' {
			return 0, errNotFast
		}
		i = skipSpace(b, i+1)
	}
}

func fastString(v []byte) (*string, error) {
	if string(v) == "null" {
		return nil, nil
	}
	if len(v) < 2 || v[0] != '"' {
		return nil, errNotFast
	}
	if bytes.IndexByte(v, '\\') >= 0 || !utf8.Valid(v) {
		// Escapes and invalid UTF-8 (which encoding/json replaces) are
		// rare: let encoding/json have them.
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, errNotFast
		}
		return &s, nil
	}
	s := string(v[1 : len(v)-1])
	return &s, nil
}

func fastInt(v []byte) (*int64, error) {
	if string(v) == "null" {
		return nil, nil
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return nil, errNotFast
	}
	return &n, nil
}

type fastItem struct {
	IdentityDocumentNumber *string `json:"identityDocumentNumber"`
	ExamDate               *string `json:"examDate"`
	MigrationExamType      *int64  `json:"migrationExamType"`
	MigrationExamStatus    *int64  `json:"migrationExamStatus"`
}

// decodeFast fills req from body when body decodes into plain types, and
// reports whether it did. A false answer says nothing about why.
func decodeFast(body []byte, req *reportRequest) bool {
	var f fastReport
	if json.Unmarshal(body, &f) != nil {
		return false
	}
	// requests present but null cannot be told from absent here; both mean
	// "not passed", so the difference does not matter.
	ok := setInt(&req.ReportID, f.ReportID) &&
		setInt(&req.ExaminationAreaID, f.ExaminationAreaID) &&
		setDate(&req.PeriodStartDate, f.PeriodStartDate) &&
		setDate(&req.PeriodEndDate, f.PeriodEndDate) &&
		setBool(&req.NoExamInSelectedPeriod, f.NoExamInSelectedPeriod) &&
		setBool(&req.ExaminationAreaDoesNotWork, f.ExaminationAreaDoesNotWork) &&
		setDate(&req.PatentNearestStartDate, f.PatentNearestStartDate) &&
		setBool(&req.NoPatentExamType, f.NoPatentExamType) &&
		setDate(&req.TemporaryResidenceNearestStartDate, f.TemporaryResidenceNearestStartDate) &&
		setBool(&req.NoTemporaryResidenceExamType, f.NoTemporaryResidenceExamType) &&
		setDate(&req.ResidencePermitNearestStartDate, f.ResidencePermitNearestStartDate) &&
		setBool(&req.NoResidencePermitExamType, f.NoResidencePermitExamType) &&
		setDate(&req.CitizenshipRussianLangNearestStartDate, f.CitizenshipRussianLangNearestStartDate) &&
		setBool(&req.NoCitizenshipRussianLangExamType, f.NoCitizenshipRussianLangExamType) &&
		setDate(&req.CitizenshipHistoryNearestStartDate, f.CitizenshipHistoryNearestStartDate) &&
		setBool(&req.NoCitizenshipHistoryExamType, f.NoCitizenshipHistoryExamType)
	if !ok {
		return false
	}
	if f.Comment != nil {
		req.Comment = jsonString{present: true, v: *f.Comment}
	}
	if f.Requests != nil {
		req.Requests = jsonRequests{present: true, items: make([]jsonItem, len(f.Requests))}
		for i, it := range f.Requests {
			if it == nil {
				return false
			}
			dst := &req.Requests.items[i].examRequestItem
			if !setInt(&dst.MigrationExamType, it.MigrationExamType) || !setInt(&dst.MigrationExamStatus, it.MigrationExamStatus) ||
				!setDate(&dst.ExamDate, it.ExamDate) {
				return false
			}
			if it.IdentityDocumentNumber != nil {
				dst.IdentityDocumentNumber = jsonString{present: true, v: *it.IdentityDocumentNumber}
			}
		}
	}
	return true
}

func setInt(dst *jsonInt, v *int64) bool {
	if v != nil {
		*dst = jsonInt{present: true, v: *v}
	}
	return true
}

func setBool(dst *jsonBool, v *bool) bool {
	if v != nil {
		*dst = jsonBool{present: true, v: *v}
	}
	return true
}

// setDate refuses a string that is not a date, leaving the slow path to
// name the field.
func setDate(dst *jsonDate, v *string) bool {
	if v == nil {
		return true
	}
	d, ok := stend.ParseDate(*v)
	*dst = jsonDate{present: true, v: d}
	return ok
}
