// Package migrantexam is the migrant-exam weekly report intake domain:
// organizations, their examination areas, and reports with every version.
// Its published API is migrantexam/http.
package migrantexam

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"time"

	"stend"
)

// Organization is a party that sends migrant-exam weekly reports. Its three
// credentials are stored only as hashes.
type Organization struct {
	ID           int64
	Name         string
	Username     string
	PasswordHash string // credential.HashPassword format
	APIKeyHash   []byte // SHA-256 of the x-api-key: keys are random, so a fast hash is enough
	CreatedAt    time.Time
}

// ExaminationArea is a place where exams are held, granted to one
// organization at a time. Its ID is the examinationAreaId of the document.
type ExaminationArea struct {
	ID             int64
	OrganizationID int64
	Name           string
	CreatedAt      time.Time
}

// ExamLevel indexes the five exam levels that a report describes with a
// "nearest start date" and a "no exams of this level" flag.
type ExamLevel int

const (
	LevelPatent ExamLevel = iota
	LevelTemporaryResidence
	LevelResidencePermit
	LevelCitizenshipRussianLang
	LevelCitizenshipHistory
	ExamLevelCount
)

// LevelOutlook is what a report says about the coming exams of one level.
// Both fields are optional: which of them must be present depends on other
// fields, and nil means "not passed".
type LevelOutlook struct {
	NoExamType       *bool
	NearestStartDate *stend.Date
}

// ExamRequest is one row of a report: one exam taken by one person. The
// identity document number is a SHA-256 hex digest, never the raw number.
type ExamRequest struct {
	IdentityDocumentNumber string
	ExamDate               stend.Date
	ExamType               int
	ExamStatus             int
}

// ReportContent is everything a client sends for one report.
type ReportContent struct {
	ExaminationAreaID          int64
	PeriodStart                stend.Date
	PeriodEnd                  stend.Date
	NoExamInSelectedPeriod     bool
	ExaminationAreaDoesNotWork bool
	Levels                     [ExamLevelCount]LevelOutlook
	Comment                    *string
	Requests                   []ExamRequest
}

// ReportVersion is one accepted submission of a report. Replacing a report
// adds a version; earlier versions are never deleted.
type ReportVersion struct {
	Version      int
	ReceivedAt   time.Time
	RequestCount int
	ReportContent
}

// Report is the current state of a report plus, when loaded in full, every
// version it has had.
type Report struct {
	ID                int64
	OrganizationID    int64
	ExaminationAreaID int64
	PeriodStart       stend.Date
	CurrentVersion    int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Versions          []ReportVersion // oldest first; empty in listings
}

// MaxReportID is the largest report id: the largest 32-bit signed integer,
// so that a client that holds the real service's ids in an int (ASP.NET's
// is 32 bits) or reads them from JSON as a double holds them exactly.
const MaxReportID = 1<<31 - 1

// NewReportID draws a new report's id at random from 1 to MaxReportID.
// Ids used to be one sequence for every organization, so an organization
// could count everyone else's reports between two of its own; a random id
// tells nothing about anyone else. The store draws again while the id is
// taken.
func NewReportID() int64 {
	for {
		var b [4]byte
		rand.Read(b[:])
		if id := int64(binary.BigEndian.Uint32(b[:]) & MaxReportID); id != 0 {
			return id
		}
	}
}

// ReportSubmission asks the store to create a report, or to replace the one
// named by ReplaceReportID (0 for a new report).
type ReportSubmission struct {
	OrganizationID  int64
	ReplaceReportID int64
	ReceivedAt      time.Time
	Content         ReportContent
}

// ReportFilter narrows an operator's listing, oldest report first; zero
// fields do not filter.
type ReportFilter struct {
	OrganizationID    int64
	ExaminationAreaID int64
	Limit             int
	// AfterID is the last report of the previous page: ids are random, so
	// the page goes on from that report's place in the order, not from
	// greater ids.
	AfterID int64
}

// DuplicateReportError says a report for the same area and week exists
// already; the client has to name it to replace it.
type DuplicateReportError struct {
	ReportID          int64
	ExaminationAreaID int64
	PeriodStart       stend.Date
}

func (e *DuplicateReportError) Error() string {
	return "a report for this area and week exists already"
}

func (e *DuplicateReportError) ErrorKind() stend.Kind { return stend.Conflict }

// Errors a store wraps so that the API can tell which rule failed without
// learning anything it may not show.
var (
	ErrAreaNotGranted = &stend.Error{Kind: stend.NotFound, Op: "migrantexam", Message: "examination area not granted to the organization"}
	ErrReportNotFound = &stend.Error{Kind: stend.NotFound, Op: "migrantexam", Message: "report not found"}
)

// Store persists organizations, their areas and their reports.
// Ownership checks that must be atomic with a write (area held by the
// organization, one report per area and week, replacing only one's own
// report) happen inside SubmitReport's transaction.
type Store interface {
	CreateOrganization(ctx context.Context, org Organization) (Organization, error)
	// UpdateOrganization rewrites name and credential hashes of org.ID.
	UpdateOrganization(ctx context.Context, org Organization) (Organization, error)
	OrganizationByID(ctx context.Context, id int64) (Organization, error)
	OrganizationByUsername(ctx context.Context, username string) (Organization, error)
	Organizations(ctx context.Context) ([]Organization, error)

	// GrantArea gives an area to an organization, creating the area when
	// needed (ID 0 picks the next free id). An area held by another
	// organization is a Conflict.
	GrantArea(ctx context.Context, area ExaminationArea) (ExaminationArea, error)
	// RevokeArea takes an area away; its reports stay with the organization.
	RevokeArea(ctx context.Context, organizationID, areaID int64) error
	Areas(ctx context.Context, organizationID int64) ([]ExaminationArea, error)

	// SubmitReport stores a new report, under an id drawn by NewReportID,
	// or a new version of an existing one, and returns the report id.
	// Errors: ErrAreaNotGranted, ErrReportNotFound (also for another
	// organization's report, looked up with the organization so that it is
	// not read), *DuplicateReportError.
	SubmitReport(ctx context.Context, sub ReportSubmission) (int64, error)
	// Report loads one report with all its versions and their rows.
	Report(ctx context.Context, id int64) (Report, error)
	Reports(ctx context.Context, filter ReportFilter) ([]Report, error)
}
