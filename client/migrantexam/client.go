package migrantexam

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Path is the API's documented endpoint, appended to the base URL.
const Path = "/Reports/Report"

// DefaultTimeout bounds one HTTP exchange of the default HTTP client; the
// caller's context bounds everything else.
const DefaultTimeout = time.Minute

// maxAnswerBytes bounds what is read of an answer: the largest is a
// validation problem listing every row of a report.
const maxAnswerBytes = 16 << 20

// Credentials are an organization's three: the Basic username and
// password and the x-api-key header. All three must be the same
// organization's.
type Credentials struct {
	Username, Password, APIKey string
}

// Client calls the API. It is safe for concurrent use.
type Client struct {
	url   string
	creds Credentials
	http  *http.Client
	now   func() time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (transport, proxy, TLS, timeouts).
// The default is a client with DefaultTimeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// New returns a client of the API at baseURL ("https://api.migrant-exam.ru",
// "http://127.0.0.1:8080"). The documented path /Reports/Report is
// appended; a baseURL that already ends with it is taken as is.
func New(baseURL string, creds Credentials, opts ...Option) *Client {
	u := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(u, Path) {
		u += Path
	}
	c := &Client{url: u, creds: creds, http: &http.Client{Timeout: DefaultTimeout}, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Submit sends a report and returns its reportId: a new one, or r.ReportID
// when r replaces that report. The server stores the report whole or not
// at all: after an error answer nothing was stored. After a network error
// it may have been, its answer lost: sending it again then answers
// ErrDuplicateReport with its id.
func (c *Client) Submit(ctx context.Context, r Report) (int64, error) {
	body, err := json.Marshal(r.wire())
	if err != nil {
		return 0, fmt.Errorf("migrantexam: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("migrantexam: %w", err)
	}
	req.SetBasicAuth(c.creds.Username, c.creds.Password)
	req.Header.Set("x-api-key", c.creds.APIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("migrantexam: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return 0, fmt.Errorf("migrantexam: read answer: %w", err)
	}
	if len(data) > maxAnswerBytes {
		return 0, malformed("answer over %d bytes", maxAnswerBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, answerError(resp, data, c.now())
	}
	return decodeReportID(resp.Header.Get("Content-Type"), data)
}

// reportJSON is the request body. A field left out is "not passed"; the
// document forbids some fields under conditions, so only those the report
// needs are sent.
type reportJSON struct {
	ReportID                               *int64        `json:"reportId,omitempty"`
	ExaminationAreaID                      int64         `json:"examinationAreaId"`
	PeriodStartDate                        string        `json:"periodStartDate,omitempty"`
	PeriodEndDate                          string        `json:"periodEndDate,omitempty"`
	NoExamInSelectedPeriod                 bool          `json:"noExamInSelectedPeriod"`
	ExaminationAreaDoesNotWork             bool          `json:"examinationAreaDoesNotWork"`
	PatentNearestStartDate                 string        `json:"patentNearestStartDate,omitempty"`
	NoPatentExamType                       *bool         `json:"noPatentExamType,omitempty"`
	TemporaryResidenceNearestStartDate     string        `json:"temporaryResidenceNearestStartDate,omitempty"`
	NoTemporaryResidenceExamType           *bool         `json:"noTemporaryResidenceExamType,omitempty"`
	ResidencePermitNearestStartDate        string        `json:"residencePermitNearestStartDate,omitempty"`
	NoResidencePermitExamType              *bool         `json:"noResidencePermitExamType,omitempty"`
	CitizenshipRussianLangNearestStartDate string        `json:"citizenshipRussianLangNearestStartDate,omitempty"`
	NoCitizenshipRussianLangExamType       *bool         `json:"noCitizenshipRussianLangExamType,omitempty"`
	CitizenshipHistoryNearestStartDate     string        `json:"citizenshipHistoryNearestStartDate,omitempty"`
	NoCitizenshipHistoryExamType           *bool         `json:"noCitizenshipHistoryExamType,omitempty"`
	Comment                                string        `json:"comment,omitempty"`
	Requests                               []requestJSON `json:"requests,omitempty"`
}

type requestJSON struct {
	IdentityDocumentNumber string     `json:"identityDocumentNumber"`
	ExamDate               string     `json:"examDate,omitempty"`
	MigrationExamType      ExamType   `json:"migrationExamType"`
	MigrationExamStatus    ExamStatus `json:"migrationExamStatus"`
}

// dateField is d as sent: the zero Date is not sent, so that the server
// names the missing field.
func dateField(d Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func (r Report) wire() reportJSON {
	w := reportJSON{
		ExaminationAreaID:          r.ExaminationAreaID,
		PeriodStartDate:            dateField(r.PeriodStart),
		PeriodEndDate:              dateField(r.PeriodEnd),
		NoExamInSelectedPeriod:     r.NoExamInSelectedPeriod,
		ExaminationAreaDoesNotWork: r.ExaminationAreaDoesNotWork,
		Comment:                    r.Comment,
	}
	if r.ReportID != 0 {
		w.ReportID = &r.ReportID
	}
	if !r.ExaminationAreaDoesNotWork {
		// The flag is always sent; the date is sent when given, so that a
		// date with NoExams reaches the server, which names the mistake.
		for _, l := range []struct {
			o    Outlook
			date *string
			flag **bool
		}{
			{r.Patent, &w.PatentNearestStartDate, &w.NoPatentExamType},
			{r.TemporaryResidence, &w.TemporaryResidenceNearestStartDate, &w.NoTemporaryResidenceExamType},
			{r.ResidencePermit, &w.ResidencePermitNearestStartDate, &w.NoResidencePermitExamType},
			{r.CitizenshipRussianLang, &w.CitizenshipRussianLangNearestStartDate, &w.NoCitizenshipRussianLangExamType},
			{r.CitizenshipHistory, &w.CitizenshipHistoryNearestStartDate, &w.NoCitizenshipHistoryExamType},
		} {
			no := l.o.NoExams
			*l.flag = &no
			*l.date = dateField(l.o.NearestStart)
		}
	}
	for _, q := range r.Requests {
		w.Requests = append(w.Requests, requestJSON{
			IdentityDocumentNumber: q.IdentityDocumentNumber,
			ExamDate:               dateField(q.ExamDate),
			MigrationExamType:      q.Type,
			MigrationExamStatus:    q.Status,
		})
	}
	return w
}
