package http

import (
	"encoding/json"

	fsspclient "stend/client/fssp"
	"stend/httpx"
	"stend/reestro"
)

// checkItem is the document's Check. The sample spells corelationId; both
// spellings are sent (a product decision), null when the client gave none.
type checkItem struct {
	CheckID       string      `json:"checkId"`
	CorelationID  *string     `json:"corelationId"`
	CorrelationID *string     `json:"correlationId"`
	ExternalID    *string     `json:"externalId"`
	CreationDate  string      `json:"creationDate"`
	CheckType     string      `json:"checkType"`
	CheckState    string      `json:"checkState"`
	Fssp          *fsspCheck  `json:"fssp,omitempty"`
	Error         *checkError `json:"error,omitempty"`
}

// fsspCheck is the Fssp part of a check. Results appear only in the answer
// of GET /checks/{checkId}, once the check is Processed.
type fsspCheck struct {
	SubjectID string          `json:"subjectId"`
	Regions   []string        `json:"regions"`
	Results   json.RawMessage `json:"results,omitempty"`
}

// checkError says why a check Failed.
type checkError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// checksAnswer is the listing's answer as a type; appendChecksAnswer writes
// it by hand, and a test holds the two equal.
type checksAnswer struct {
	Items       []checkItem `json:"items"`
	LastCheckID string      `json:"lastCheckId,omitempty"`
}

// creationDateLayout is the sample's: microseconds, UTC.
const creationDateLayout = "2006-01-02T15:04:05.000000Z"

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func itemOf(c reestro.Check, full bool) checkItem {
	it := checkItem{
		CheckID:       c.ID,
		CorelationID:  optional(c.CorrelationID),
		CorrelationID: optional(c.CorrelationID),
		ExternalID:    optional(c.ExternalID),
		CreationDate:  c.CreatedAt.UTC().Format(creationDateLayout),
		CheckType:     c.Type.String(),
		CheckState:    c.State.String(),
	}
	if c.Type == reestro.CheckFssp {
		it.Fssp = &fsspCheck{SubjectID: c.SubjectID, Regions: c.Regions}
		if it.Fssp.Regions == nil {
			it.Fssp.Regions = []string{}
		}
		if full && len(c.Result) > 0 {
			it.Fssp.Results = c.Result
		}
	}
	if full && c.State == reestro.CheckFailed {
		it.Error = &checkError{Code: "CheckFailed", Message: c.Failure}
	}
	return it
}

// appendChecksAnswer writes the listing's answer as encoding/json writes
// checksAnswer (a test holds them equal): without reflection, a page costs
// a tenth less CPU, and the listing is the API's hot path.
func appendChecksAnswer(b []byte, checks []reestro.Check) []byte {
	b = append(b, `{"items":[`...)
	for i, c := range checks {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"checkId":`...)
		b = httpx.AppendJSONString(b, c.ID)
		b = append(b, `,"corelationId":`...)
		b = appendOptional(b, c.CorrelationID)
		b = append(b, `,"correlationId":`...)
		b = appendOptional(b, c.CorrelationID)
		b = append(b, `,"externalId":`...)
		b = appendOptional(b, c.ExternalID)
		b = append(b, `,"creationDate":"`...)
		b = c.CreatedAt.UTC().AppendFormat(b, creationDateLayout)
		b = append(b, `","checkType":`...)
		b = httpx.AppendJSONString(b, c.Type.String())
		b = append(b, `,"checkState":`...)
		b = httpx.AppendJSONString(b, c.State.String())
		if c.Type == reestro.CheckFssp {
			b = append(b, `,"fssp":{"subjectId":`...)
			b = httpx.AppendJSONString(b, c.SubjectID)
			b = append(b, `,"regions":[`...)
			for j, r := range c.Regions {
				if j > 0 {
					b = append(b, ',')
				}
				b = httpx.AppendJSONString(b, r)
			}
			b = append(b, "]}"...)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if n := len(checks); n > 0 {
		b = append(b, `,"lastCheckId":`...)
		b = httpx.AppendJSONString(b, checks[n-1].ID)
	}
	return append(b, '}')
}

func appendOptional(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return httpx.AppendJSONString(b, s)
}

// subjectRequest is the body of POST /subjects, the shape clients of the
// real service send. Fields are raw so that a wrong type is reported with
// its name instead of failing the whole body.
type subjectRequest struct {
	Person *struct {
		Surname          json.RawMessage `json:"surname"`
		Name             json.RawMessage `json:"name"`
		Patronymic       json.RawMessage `json:"patronymic"`
		BirthDate        json.RawMessage `json:"birthDate"`
		IdentityDocument *struct {
			Series    json.RawMessage `json:"series"`
			Number    json.RawMessage `json:"number"`
			IssueDate json.RawMessage `json:"issueDate"`
			Issuer    *struct {
				IssuerCode json.RawMessage `json:"issuerCode"`
			} `json:"issuer"`
		} `json:"identityDocument"`
	} `json:"person"`
}

type subjectAnswer struct {
	SubjectID string `json:"subjectId"`
}

// checkRequest is the body of POST /checks.
type checkRequest struct {
	CorrelationID json.RawMessage `json:"correlationId"`
	ExternalID    json.RawMessage `json:"externalId"`
	Fssp          *struct {
		SubjectID json.RawMessage `json:"subjectId"`
		Regions   json.RawMessage `json:"regions"`
	} `json:"fssp"`
}

type checkAnswer struct {
	CheckID string `json:"checkId"`
}

// fsspRegionResult is what a check keeps of one region: the FSSP items as
// the FSSP API answered them.
type fsspRegionResult struct {
	Region string            `json:"region"`
	Items  []fsspclient.Item `json:"items"`
}
