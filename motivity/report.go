package motivity

import (
	"context"
	"iter"
	"time"

	"stend"
)

// «Отчеты». A report is a table of the platform's data (users, the points
// ledger, balances, badges, goals, quests' tasks) narrowed by filters. The
// document names no report types; the decisions (specs/README.md,
// "Motivity reports") list them with their columns and filters, and
// docs/motivity.md "Reports" the rest. What a report holds is decided
// here (ReportPlan); the public API writes it, streaming, for generate
// and into the blob store for create.

// PublicAPIActor is who the ledger and histories name for changes made
// through the public API; reports show no author for them (the token is
// the platform's, not a person's).
const PublicAPIActor = "public-api"

// ReportAuthor is who a report names for a change by actor: nobody (nil)
// for the public API.
func ReportAuthor(actor string) *string {
	if actor == PublicAPIActor || actor == "" {
		return nil
	}
	return &actor
}

// ReportKind is a report's system name.
type ReportKind string

const (
	ReportUsers    ReportKind = "users"
	ReportPoints   ReportKind = "points"
	ReportBalances ReportKind = "balances"
	ReportBadges   ReportKind = "badges"
	ReportGoals    ReportKind = "goals"
	ReportQuests   ReportKind = "quests"
)

// UserStatus is a user's state as reports name it.
type UserStatus string

const (
	UserActive      UserStatus = "active"
	UserDeactivated UserStatus = "deactivated"
	UserDeleted     UserStatus = "deleted"
)

// Status is the user's state as reports name it.
func (u User) Status() UserStatus {
	switch {
	case u.Deleted:
		return UserDeleted
	case u.Active:
		return UserActive
	}
	return UserDeactivated
}

// ReportQuery is what a report reads, its filters checked: the store
// applies every field; nil slices do not narrow.
type ReportQuery struct {
	// Statuses are the user states reported (never empty: active only
	// unless the request asked for others).
	Statuses []UserStatus
	// Users are identifiers; nil: every user.
	Users []string
	// From and To bound the period: From included, To excluded (the
	// instant after the last day); for goals, FromDay and ToDay bound the
	// deadline's day, both included.
	From, To       time.Time
	FromDay, ToDay *stend.Date
	Balances       []BalanceType
	// Badges are badge ids: a badge names its grades too.
	Badges       []int64
	Quests       []int64
	TaskStatuses []TaskStatus
	// GoalStatus: "active", "completed"; nil: both.
	GoalStatus []string
}

// Rows of each report, as the store reads them. Times are instants; the
// API writes them in the platform's offset. Status is the user's (the
// student's for quests).

type UserReportRow struct {
	Identifier, Name, Email string
	Manager                 *string
	Status                  UserStatus
}

type PointsReportRow struct {
	At             time.Time
	User           string
	Status         UserStatus
	Balance        BalanceType
	Amount, After  int64
	Message, Actor string
}

type BalancesReportRow struct {
	User                  string
	Status                UserStatus
	Score, Karma, Payment int64
}

// BadgeReportRow is one assignment of a badge (or grade) and, when it
// ended, its removal (or replacement by another grade).
type BadgeReportRow struct {
	User       string
	Status     UserStatus
	BadgeID    int64
	AssignedAt time.Time
	AssignedBy string
	RemovedAt  *time.Time
	RemovedBy  string
}

// GoalReportRow is a goal or key result not deleted; the store reads them
// by user, each goal followed by its key results.
type GoalReportRow struct {
	User   string
	Status UserStatus
	Goal   Goal
}

// QuestReportRow is one task of one student.
type QuestReportRow struct {
	QuestID, TaskID int64
	Student         string
	Status          UserStatus
	TaskStatus      TaskStatus
	LastReviewAt    *time.Time
	Score           int64
}

// ReportStore reads reports' rows, in each report's order, and keeps
// created reports. Each row function streams: rows are yielded as the
// database returns them, never collected, so that a report of ten million
// rows costs a node a row at a time.
type ReportStore interface {
	UserReport(ctx context.Context, q ReportQuery) iter.Seq2[UserReportRow, error]
	PointsReport(ctx context.Context, q ReportQuery) iter.Seq2[PointsReportRow, error]
	BalancesReport(ctx context.Context, q ReportQuery) iter.Seq2[BalancesReportRow, error]
	BadgeReport(ctx context.Context, q ReportQuery) iter.Seq2[BadgeReportRow, error]
	// GoalReport yields goals not deleted by user identifier, then id, each
	// goal right before its key results (by id).
	GoalReport(ctx context.Context, q ReportQuery) iter.Seq2[GoalReportRow, error]
	// QuestReport yields assignments of the quests in q.Quests (nil: every
	// quest), by quest, task, then student identifier.
	QuestReport(ctx context.Context, q ReportQuery) iter.Seq2[QuestReportRow, error]
	// UnknownUsers returns those of identifiers that no user, deleted or
	// not, holds, in the order given.
	UnknownUsers(ctx context.Context, identifiers []string) ([]string, error)
	// LiveUsers yields the users not deleted, by identifier (bytes).
	LiveUsers(ctx context.Context) iter.Seq2[User, error]

	CreatedReportStore
}

// ReportState is where a created report is.
type ReportState string

const (
	ReportProcessing ReportState = "processing"
	ReportReady      ReportState = "ready"
	// ReportFailed: every attempt to build it failed.
	ReportFailed ReportState = "failed"
)

// CreatedReport is a report asked for with create/{type}: built by a job
// into the blob store, kept until ExpiresAt.
type CreatedReport struct {
	ID      int64
	Kind    ReportKind
	Locale  string
	Filters []byte // the request's "filters" as sent (JSON), or nil
	State   ReportState
	// Size, ETag and Blob (the key of its bytes) describe the built report
	// (State ready).
	Size       int64
	ETag       string
	Blob       string
	CreatedAt  time.Time
	FinishedAt *time.Time
	ExpiresAt  *time.Time
	// Error is why the build failed (State failed), for operators.
	Error string
}

// BlobKey is where a created report's bytes are kept ("" until built).
func (r CreatedReport) BlobKey() string { return r.Blob }

// NewReportBlobKey is where one run of report id's build writes: a key of
// its own, so that two runs of one build (a lease lost and the job run
// again) never write into each other's bytes; the one recorded wins.
func NewReportBlobKey(id int64, nonce string) string {
	return ReportBlobKeyPrefix(id) + nonce + ".json"
}

// ReportBlobPrefix holds every created report's bytes.
const ReportBlobPrefix = "motivity/reports/"

// Job kinds of created reports: building one, and removing it once it
// expired.
const (
	ReportBuildJobKind  = "motivity.report.build"
	ReportExpireJobKind = "motivity.report.expire"
)

// ReportJobArgs are both jobs' arguments.
type ReportJobArgs struct {
	Report int64 `json:"report"`
}

// CreatedReportStore keeps created reports.
type CreatedReportStore interface {
	// CreateReport records r (processing) and enqueues its build job in
	// the same transaction; it returns r with its id.
	CreateReport(ctx context.Context, r CreatedReport) (CreatedReport, error)
	// CreatedReport reads a report; NotFound when there is none.
	CreatedReport(ctx context.Context, id int64) (CreatedReport, error)
	// CreatedReports lists reports by id, after afterID.
	CreatedReports(ctx context.Context, afterID int64, limit int) ([]CreatedReport, error)
	// FinishReport records a processing report as built (ready, size,
	// etag, blob, finished and expiry times) or failed, and enqueues its
	// expiry job due at ExpiresAt. A report no longer processing (deleted,
	// or finished by another run) is left as it is and reported as false:
	// the caller removes the bytes it wrote.
	FinishReport(ctx context.Context, r CreatedReport) (bool, error)
	// ReportKeysHeld reports which of keys (under ReportBlobPrefix) are
	// still wanted: recorded as a report's bytes, or held by a snapshot of
	// the stand (whose restore brings the report back). The bytes of the
	// others are no report's.
	ReportKeysHeld(ctx context.Context, keys []string) (map[string]bool, error)
	// DeleteReport removes a report's record; its bytes are the caller's
	// to remove (unless ReportKeysHeld). A missing report is NotFound.
	DeleteReport(ctx context.Context, id int64) error
}
