package http

import (
	"encoding/json"
	"strconv"

	"stend"
	"stend/migrantexam"
)

// The request fields are decoded into types that never fail the decoder:
// they record whether the key was present, whether it was null and whether
// its JSON type was wrong, so that one pass yields every problem at once,
// as ASP.NET's model binding reports them. Each UnmarshalJSON starts from a
// clean value: when a key repeats (keys match case-insensitively), the last
// one wins entirely, as it does in the plain decode of fastdecode.go and in
// System.Text.Json.

type jsonInt struct {
	present, null, bad bool
	v                  int64
}

func (f *jsonInt) UnmarshalJSON(b []byte) error {
	*f = jsonInt{present: true}
	if string(b) == "null" {
		f.null = true
		return nil
	}
	// ParseInt accepts exactly the JSON integers: no fraction, no exponent,
	// no quotes.
	v, err := strconv.ParseInt(string(b), 10, 64)
	f.v, f.bad = v, err != nil
	return nil
}

func (f jsonInt) given() bool { return f.present && !f.null }

type jsonBool struct {
	present, null, bad bool
	v                  bool
}

func (f *jsonBool) UnmarshalJSON(b []byte) error {
	*f = jsonBool{present: true}
	switch string(b) {
	case "null":
		f.null = true
	case "true":
		f.v = true
	case "false":
	default:
		f.bad = true
	}
	return nil
}

func (f jsonBool) given() bool { return f.present && !f.null }

func (f jsonBool) ptr() *bool {
	if !f.given() {
		return nil
	}
	v := f.v
	return &v
}

type jsonString struct {
	present, null, bad bool
	v                  string
}

func (f *jsonString) UnmarshalJSON(b []byte) error {
	*f = jsonString{present: true}
	if string(b) == "null" {
		f.null = true
		return nil
	}
	if len(b) == 0 || b[0] != '"' || json.Unmarshal(b, &f.v) != nil {
		f.bad = true
	}
	return nil
}

func (f jsonString) given() bool { return f.present && !f.null }

// jsonDate is a string holding a calendar day as YYYY-MM-DD; any other
// string is a binding error, as an unparseable DateTime is in ASP.NET.
type jsonDate struct {
	present, null, bad bool
	v                  stend.Date
}

func (f *jsonDate) UnmarshalJSON(b []byte) error {
	var s jsonString
	_ = s.UnmarshalJSON(b)
	*f = jsonDate{present: true, null: s.null}
	if s.null {
		return nil
	}
	d, ok := stend.ParseDate(s.v)
	f.v, f.bad = d, s.bad || !ok
	return nil
}

func (f jsonDate) given() bool { return f.present && !f.null }

func (f jsonDate) ptr() *stend.Date {
	if !f.given() {
		return nil
	}
	v := f.v
	return &v
}

// reportRequest is the body of POST /Reports/Report, with the document's
// field names.
type reportRequest struct {
	ReportID                               jsonInt      `json:"reportId"`
	ExaminationAreaID                      jsonInt      `json:"examinationAreaId"`
	PeriodStartDate                        jsonDate     `json:"periodStartDate"`
	PeriodEndDate                          jsonDate     `json:"periodEndDate"`
	NoExamInSelectedPeriod                 jsonBool     `json:"noExamInSelectedPeriod"`
	ExaminationAreaDoesNotWork             jsonBool     `json:"examinationAreaDoesNotWork"`
	PatentNearestStartDate                 jsonDate     `json:"patentNearestStartDate"`
	NoPatentExamType                       jsonBool     `json:"noPatentExamType"`
	TemporaryResidenceNearestStartDate     jsonDate     `json:"temporaryResidenceNearestStartDate"`
	NoTemporaryResidenceExamType           jsonBool     `json:"noTemporaryResidenceExamType"`
	ResidencePermitNearestStartDate        jsonDate     `json:"residencePermitNearestStartDate"`
	NoResidencePermitExamType              jsonBool     `json:"noResidencePermitExamType"`
	CitizenshipRussianLangNearestStartDate jsonDate     `json:"citizenshipRussianLangNearestStartDate"`
	NoCitizenshipRussianLangExamType       jsonBool     `json:"noCitizenshipRussianLangExamType"`
	CitizenshipHistoryNearestStartDate     jsonDate     `json:"citizenshipHistoryNearestStartDate"`
	NoCitizenshipHistoryExamType           jsonBool     `json:"noCitizenshipHistoryExamType"`
	Comment                                jsonString   `json:"comment"`
	Requests                               jsonRequests `json:"requests"`
}

// level pairs the two fields that describe one exam level, with the names
// the error texts use.
type level struct {
	dateName, flagName string
	date               *jsonDate
	flag               *jsonBool
}

func (r *reportRequest) levels() [migrantexam.ExamLevelCount]level {
	return [migrantexam.ExamLevelCount]level{
		migrantexam.LevelPatent:                 {"patentNearestStartDate", "noPatentExamType", &r.PatentNearestStartDate, &r.NoPatentExamType},
		migrantexam.LevelTemporaryResidence:     {"temporaryResidenceNearestStartDate", "noTemporaryResidenceExamType", &r.TemporaryResidenceNearestStartDate, &r.NoTemporaryResidenceExamType},
		migrantexam.LevelResidencePermit:        {"residencePermitNearestStartDate", "noResidencePermitExamType", &r.ResidencePermitNearestStartDate, &r.NoResidencePermitExamType},
		migrantexam.LevelCitizenshipRussianLang: {"citizenshipRussianLangNearestStartDate", "noCitizenshipRussianLangExamType", &r.CitizenshipRussianLangNearestStartDate, &r.NoCitizenshipRussianLangExamType},
		migrantexam.LevelCitizenshipHistory:     {"citizenshipHistoryNearestStartDate", "noCitizenshipHistoryExamType", &r.CitizenshipHistoryNearestStartDate, &r.NoCitizenshipHistoryExamType},
	}
}

type examRequestItem struct {
	IdentityDocumentNumber jsonString `json:"identityDocumentNumber"`
	ExamDate               jsonDate   `json:"examDate"`
	MigrationExamType      jsonInt    `json:"migrationExamType"`
	MigrationExamStatus    jsonInt    `json:"migrationExamStatus"`
}

// jsonItem is one element of requests; an element that is not an object is
// recorded, not fatal.
type jsonItem struct {
	bad bool
	examRequestItem
}

func (f *jsonItem) UnmarshalJSON(b []byte) error {
	*f = jsonItem{}
	if len(b) == 0 || b[0] != '{' {
		f.bad = true
		return nil
	}
	return json.Unmarshal(b, &f.examRequestItem)
}

type jsonRequests struct {
	present, null, bad bool
	items              []jsonItem
}

func (f *jsonRequests) UnmarshalJSON(b []byte) error {
	*f = jsonRequests{present: true}
	switch {
	case string(b) == "null":
		f.null = true
		return nil
	case len(b) == 0 || b[0] != '[':
		f.bad = true
		return nil
	}
	return json.Unmarshal(b, &f.items)
}

// reportResponse is the 200 answer.
type reportResponse struct {
	ReportID int64 `json:"reportId"`
}
