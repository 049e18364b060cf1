// Package reestro is the Reestro realty-checks domain: organizations, API
// keys and their grants, subjects and the checks about them. Its published
// API is reestro/http; a check of type Fssp reaches the FSSP data bank only
// through client/fssp, over HTTP.
package reestro

import (
	"context"
	"strings"
	"time"

	"stend"
)

// ParseGUID accepts the forms .NET's Guid.Parse does (32 digits, with
// hyphens, in braces or parentheses, either case) and returns the
// lower-case hyphenated form the answers and the store use.
func ParseGUID(s string) (string, bool) {
	if len(s) == 38 && (s[0] == '{' && s[37] == '}' || s[0] == '(' && s[37] == ')') {
		s = s[1:37]
	}
	var digits [32]byte
	n := 0
	switch len(s) {
	case 36:
		for i := 0; i < 36; i++ {
			c := s[i]
			if i == 8 || i == 13 || i == 18 || i == 23 {
				if c != '-' {
					return "", false
				}
				continue
			}
			digits[n] = c
			n++
		}
	case 32:
		copy(digits[:], s)
		n = 32
	default:
		return "", false
	}
	out := make([]byte, 0, 36)
	for i, c := range digits {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		default:
			return "", false
		}
		if i == 8 || i == 12 || i == 16 || i == 20 {
			out = append(out, '-')
		}
		out = append(out, c)
	}
	return string(out), true
}

// CanonicalKey is the form of a Reestro apiKey that is hashed: a key
// that is a GUID in any of its spellings is one key.
func CanonicalKey(key string) string {
	key = strings.TrimSpace(key)
	if g, ok := ParseGUID(key); ok {
		return g
	}
	return key
}

// Organization is a Reestro portal organization: the portal.orgid of
// the Authorization header. Its ID is a lower-case GUID.
type Organization struct {
	Ref       int64 // the store's key, never shown to clients
	ID        string
	Name      string
	CreatedAt time.Time
}

// Key is an apiKey of the Authorization header. Only its SHA-256 is
// stored; a key acts for the organizations it is granted to.
type Key struct {
	ID            int64
	Name          string
	Hash          []byte
	CreatedAt     time.Time
	RevokedAt     *time.Time
	Organizations []string // granted organization ids, sorted
}

// Access is what the API learns of a key for one organization.
type Access struct {
	KeyID   int64
	Granted bool
	// OrganizationRef is the store's key of the organization when granted.
	OrganizationRef int64
}

// IdentityDocument is a subject's passport as the client sent it.
type IdentityDocument struct {
	Series     string
	Number     string
	IssueDate  *stend.Date
	IssuerCode string
}

// Person is who a check is about.
type Person struct {
	Surname    string
	Name       string
	Patronymic string
	BirthDate  *stend.Date
	Document   *IdentityDocument
}

// Subject is a person an organization checks.
type Subject struct {
	ID              string
	OrganizationRef int64
	Person          Person
	CreatedAt       time.Time
}

// CheckType is the kind of a check; the document shows one, Fssp.
type CheckType uint8

const (
	CheckFssp CheckType = 1
)

// CheckTypes is every type, in the spelling clients expect; a new type is a
// new line here.
var CheckTypes = map[CheckType]string{CheckFssp: "Fssp"}

// ParseCheckType reads a type name case-insensitively, as ASP.NET binds
// enumerations.
func ParseCheckType(s string) (CheckType, bool) {
	for t, name := range CheckTypes {
		if strings.EqualFold(s, name) {
			return t, true
		}
	}
	return 0, false
}

func (t CheckType) String() string { return CheckTypes[t] }

// CheckState is where a check is.
type CheckState uint8

const (
	CheckProcessing CheckState = 1
	CheckProcessed  CheckState = 2
	CheckFailed     CheckState = 3
)

var checkStateNames = map[CheckState]string{CheckProcessing: "Processing", CheckProcessed: "Processed", CheckFailed: "Failed"}

func (s CheckState) String() string { return checkStateNames[s] }

// ParseCheckState reads a state name case-insensitively.
func ParseCheckState(s string) (CheckState, bool) {
	for st, name := range checkStateNames {
		if strings.EqualFold(s, name) {
			return st, true
		}
	}
	return 0, false
}

// Check is one check. Result is the JSON of what was found, kept
// opaque below the API; Failure says why a Failed check failed.
type Check struct {
	ID              string
	Seq             int64 // creation order, the tie-breaker of equal creation times
	OrganizationRef int64
	CorrelationID   string
	ExternalID      string
	Type            CheckType
	State           CheckState
	CreatedAt       time.Time
	FinishedAt      *time.Time
	SubjectID       string
	Regions         []string
	// FSSPTasks are the FSSP tasks submitted for the check and not yet
	// collected: a retried job polls them instead of searching again.
	FSSPTasks []string
	Result    []byte
	Failure   string
}

// MaxClientID bounds a check's correlationId and externalId, which the
// client chooses: the document's ^\w{1,256}.
const MaxClientID = 256

// CheckFilter is the listing's query. Zero fields do not filter.
type CheckFilter struct {
	OrganizationRef int64
	CorrelationID   string
	ExternalID      string
	SubjectID       string
	// Types is a set of CheckType bits (1<<type); zero is every type.
	Types    uint64
	State    CheckState
	From, To time.Time // exclusive bounds on CreatedAt
	// AfterID continues a listing after that check, which must be the
	// organization's: another id finds nothing.
	AfterID string
	Limit   int
}

// CheckJobKind is the job that runs a check.
const CheckJobKind = "reestro.check"

// CheckJobArgs are the job's arguments.
type CheckJobArgs struct {
	Check string `json:"check"`
	// Credential names the key that created the check, as the journal
	// names it: the operators' fault rules on a credential match it.
	Credential string `json:"credential,omitempty"`
}

// Errors of the Reestro store that callers tell apart.
var (
	ErrSubjectNotFound = &stend.Error{Kind: stend.NotFound, Op: "reestro", Message: "subject not found"}
	ErrCheckNotFound   = &stend.Error{Kind: stend.NotFound, Op: "reestro", Message: "check not found"}
)

// Store persists Reestro organizations, keys, subjects and checks.
// Every read a client can cause is scoped by organization, so that one
// organization cannot learn whether another's object exists.
type Store interface {
	CreateOrganization(ctx context.Context, org Organization) (Organization, error)
	Organizations(ctx context.Context) ([]Organization, error)
	CreateKey(ctx context.Context, key Key) (Key, error)
	Keys(ctx context.Context) ([]Key, error)
	RevokeKey(ctx context.Context, id int64, at time.Time) (Key, error)
	// GrantKey lets a key act for an organization; granting twice
	// is no change.
	GrantKey(ctx context.Context, keyID int64, orgID string) error
	RevokeGrant(ctx context.Context, keyID int64, orgID string) error
	// Access looks a key up by hash: NotFound for an unknown or
	// revoked key, else whether it is granted to orgID.
	Access(ctx context.Context, keyHash []byte, orgID string) (Access, error)

	CreateSubject(ctx context.Context, s Subject) (Subject, error)
	// Subject finds a subject of the organization (orgRef 0: any).
	Subject(ctx context.Context, orgRef int64, id string) (Subject, error)

	// InTx runs fn in one write transaction: Service.CreateCheck composes
	// a check's creation of its steps.
	InTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	// Check finds a check of the organization (orgRef 0: any), with
	// its result.
	Check(ctx context.Context, orgRef int64, id string) (Check, error)
	// Checks lists newest first, without results.
	Checks(ctx context.Context, f CheckFilter) ([]Check, error)
	// ImportChecks stores finished checks as they are, without
	// jobs: generated histories for demos and benchmarks. A check in
	// Processing is refused, since nothing would ever run it.
	ImportChecks(ctx context.Context, checks []Check) error
	// RefreshStatistics brings the query planner's statistics up to
	// date after an import, where the database plans by them.
	RefreshStatistics(ctx context.Context) error
	// SetFSSPTasks records the FSSP tasks of a check in Processing.
	SetFSSPTasks(ctx context.Context, id string, tasks []string) error
	// FinishCheck moves a check in Processing to state; a check
	// already finished is left as it is.
	FinishCheck(ctx context.Context, id string, state CheckState, result []byte, failure string, at time.Time) error
	// FailAbandonedChecks fails the checks in Processing created
	// before deadline or whose job will not run again, so that no check
	// stays in Processing for ever.
	FailAbandonedChecks(ctx context.Context, deadline, at time.Time, failure string) (int, error)
}

// MaxCheckCount is the document's: "Максимальное значение 30. Значение по
// умолчанию 30".
const MaxCheckCount = 30

// Tx is a write transaction of the store, with the steps that creating a
// check composes.
type Tx interface {
	stend.JobInserter
	// Subject finds a subject of the organization: ErrSubjectNotFound
	// when it holds none with that id.
	Subject(ctx context.Context, orgRef int64, id string) (Subject, error)
	// InsertCheck stores a check whose work is the job jobID, and answers
	// it with its place in the listing (Seq).
	InsertCheck(ctx context.Context, c Check, jobID int64) (Check, error)
}
