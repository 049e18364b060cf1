package migrantexam

import (
	"encoding/json"

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

// fastItems decodes into a fresh slice: encoding/json would decode a
// repeated "requests" key into the elements of the first, keeping fields the
// second does not have.
type fastItems []*fastItem

func (f *fastItems) UnmarshalJSON(b []byte) error {
	var items []*fastItem
	err := json.Unmarshal(b, &items)
	*f = items
	return err
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
