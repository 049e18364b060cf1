package reestro

import (
	"net/url"
	"strconv"
	"time"
)

// CheckType is a check's type; the document shows one.
type CheckType string

const CheckFssp CheckType = "Fssp"

// CheckState is where a check is.
type CheckState string

const (
	// Processing: the check runs.
	Processing CheckState = "Processing"
	// Processed: it ran; Fssp.Results holds what it found.
	Processed CheckState = "Processed"
	// Failed: it could not run; Check.Failure says why.
	Failed CheckState = "Failed"
)

// Finished reports whether the check will not change any more.
func (s CheckState) Finished() bool { return s == Processed || s == Failed }

func (s CheckState) known() bool { return s == Processing || s == Processed || s == Failed }

// Person is a subject: who a check is about (POST /subjects).
type Person struct {
	// Surname and Name are required: what an FSSP search is made of.
	Surname, Name string
	// Patronymic narrows the search; empty is not sent.
	Patronymic string
	// BirthDate is required, from 1900 to today; only its calendar day
	// (in its location) is sent. The zero time is not sent.
	BirthDate time.Time
	// IdentityDocument is the passport, optional.
	IdentityDocument *IdentityDocument
}

// IdentityDocument is a subject's passport.
type IdentityDocument struct {
	// Series is 4 digits ("4506" or "45 06"), Number 6.
	Series, Number string
	// IssueDate, between the birth date and today; zero is not sent.
	IssueDate time.Time
	// IssuerCode is "NNN-NNN"; empty is not sent.
	IssuerCode string
}

// NewCheck is an Fssp check to create (POST /checks).
type NewCheck struct {
	// SubjectID is a subject of the organization (CreateSubject).
	SubjectID string
	// Regions are distinct codes of the FSSP region directory ("66",
	// "77"), at least one.
	Regions []string
	// CorrelationID groups checks and ExternalID is the caller's own id,
	// both ^\w{1,256}; empty is not sent.
	CorrelationID, ExternalID string
}

// Check is a check as the API answers it.
type Check struct {
	ID string
	// CorrelationID and ExternalID are as the check was created with, ""
	// when none (null).
	CorrelationID, ExternalID string
	// CreatedAt is the check's creation time, UTC, to the microsecond.
	CreatedAt time.Time
	Type      CheckType
	State     CheckState
	// Fssp is set for an Fssp check.
	Fssp *FsspCheck
	// Failure says why a check Failed; only Check (one check) carries it,
	// the listing does not.
	Failure *CheckFailure
}

// Err is Failure as an error, nil unless the check Failed.
func (c Check) Err() error {
	if c.Failure != nil {
		return c.Failure
	}
	return nil
}

// FsspCheck is the Fssp part of a check.
type FsspCheck struct {
	SubjectID string
	// Regions as the server keeps them: the directory's codes, without
	// leading zeros.
	Regions []string
	// Results are what a Processed check found, one per region in the
	// order of Regions; only Check (one check) carries them.
	Results []RegionResult
}

// RegionResult is what an Fssp check found in one region.
type RegionResult struct {
	Region string
	// Items are the enforcement proceedings found, as the FSSP API
	// answered them; empty when none.
	Items []Item
}

// Item is one enforcement proceeding, every field the FSSP service's
// display text (client/fssp's Item, docs/fssp-client.md).
type Item struct {
	Name          string `json:"name"`           // the debtor
	ExeProduction string `json:"exe_production"` // "N/ГГ/NNNNN-ИП от ДД.ММ.ГГГГ"
	Details       string `json:"details"`        // the executive document
	Subject       string `json:"subject"`        // what is enforced, with the amounts
	Department    string `json:"department"`     // the bailiffs' department
	Bailiff       string `json:"bailiff"`        // "ФАМИЛИЯ И. О.<br>+7…"
	IPEnd         string `json:"ip_end"`         // how it ended, "" while open
}

// CheckFailure is why a check Failed: code CheckFailed and the server's
// message.
type CheckFailure struct {
	Code, Message string
}

func (f *CheckFailure) Error() string { return "reestro: check failed: " + f.Message }

// Query selects checks for ListChecks and All; the zero Query is the 30
// newest checks.
type Query struct {
	// CorrelationID, ExternalID and SubjectID select the checks that have
	// them.
	CorrelationID, ExternalID, SubjectID string
	// Types selects checks of any of these types.
	Types []CheckType
	// State selects checks in this state.
	State CheckState
	// From and To select checks created after From and before To
	// (both exclusive); the zero time is not sent.
	From, To time.Time
	// AfterCheckID continues a listing after that check.
	AfterCheckID string
	// Count is how many checks a page holds, at most 30; 0 is not sent
	// (the server's default, 30).
	Count int
}

func (q Query) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("correlationId", q.CorrelationID)
	set("externalId", q.ExternalID)
	set("subjectId", q.SubjectID)
	for _, t := range q.Types {
		v.Add("type", string(t))
	}
	set("state", string(q.State))
	if !q.From.IsZero() {
		v.Set("from", q.From.UTC().Format(time.RFC3339Nano))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.UTC().Format(time.RFC3339Nano))
	}
	set("afterCheckId", q.AfterCheckID)
	if q.Count != 0 {
		v.Set("count", strconv.Itoa(q.Count))
	}
	return v
}

// Page is one answer of the listing, newest first.
type Page struct {
	Checks []Check
	// LastCheckID is the last check's id, the AfterCheckID of the next
	// page; "" when the page is empty.
	LastCheckID string
}
