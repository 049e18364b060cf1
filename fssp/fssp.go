// Package fssp is the FSSP data bank (БДИП) domain: tokens and their
// limits, asynchronous tasks of searches, and the bank of enforcement
// proceedings with its normalization and index keys. Its published API is
// fssp/http; its store interface is Store, its rules that take more than
// one store step are Service's.
package fssp

import (
	"context"
	"time"

	"stend"
)

// Token is a key to the FSSP data bank API. Only its SHA-256 is stored.
type Token struct {
	ID        int64
	Name      string // whom the operator issued it to
	Hash      []byte
	IssuedAt  time.Time
	ExpiresAt time.Time // a year after issue, as the document says
	RevokedAt *time.Time
	Limits    Limits
}

// Active reports whether the token may be used at t.
func (t Token) Active(at time.Time) bool {
	return t.RevokedAt == nil && at.Before(t.ExpiresAt) && !at.Before(t.IssuedAt.Add(-time.Minute))
}

// Limits caps the searches one token may submit on sliding windows. Zero
// means no limit on that window.
type Limits struct {
	SinglePerHour int `json:"singlePerHour"`
	SinglePerDay  int `json:"singlePerDay"`
	GroupPerDay   int `json:"groupPerDay"`
}

// DefaultLimits are the old service's limits.
var DefaultLimits = Limits{SinglePerHour: 100, SinglePerDay: 1000, GroupPerDay: 5000}

// TaskClass is what a task counts against: single searches and group
// requests have separate limits.
type TaskClass int

const (
	Single TaskClass = 1
	Group  TaskClass = 2
)

// RateWindow is one sliding-window limit.
type RateWindow struct {
	Class TaskClass
	Span  time.Duration
	Limit int
}

// Windows lists the token's limits that apply to class.
func (l Limits) Windows(class TaskClass) []RateWindow {
	var out []RateWindow
	add := func(c TaskClass, span time.Duration, limit int) {
		if c == class && limit > 0 {
			out = append(out, RateWindow{Class: c, Span: span, Limit: limit})
		}
	}
	add(Single, time.Hour, l.SinglePerHour)
	add(Single, 24*time.Hour, l.SinglePerDay)
	add(Group, 24*time.Hour, l.GroupPerDay)
	return out
}

// RateUsage is where a token stands on one window after a submission was
// accepted or refused.
type RateUsage struct {
	Window RateWindow
	Used   int       // submissions inside the window, this one included when accepted
	Reset  time.Time // when the oldest submission inside the window leaves it
}

// RateLimitError refuses a submission over a limit.
type RateLimitError struct {
	Usage      []RateUsage
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string         { return "fssp: request limit exceeded" }
func (e *RateLimitError) ErrorKind() stend.Kind { return stend.RateLimited }

// FSSP task states, as /status reports them.
const (
	TaskDone       = 0
	TaskRunning    = 1
	TaskQueued     = 2
	TaskDoneErrors = 3
)

// TaskRetention is how long a task and its results are kept from
// submission.
const TaskRetention = 24 * time.Hour

// SubRequest is one search of a task, as validated: Params holds each
// parameter of the method the client sent, as text the way it was sent
// (a JSON number as its digits), to be echoed in the result; a parameter
// not sent has no key, one sent empty is "".
type SubRequest struct {
	Type   int               `json:"type"`
	Params map[string]string `json:"params"`
}

// Task is one submitted search, single or group.
type Task struct {
	ID         string // upper-case GUID
	TokenID    int64
	Class      TaskClass
	Requests   []SubRequest
	State      int
	Done       int // sub-requests finished successfully
	Failed     int
	N          int // sub-requests, when Requests was not read
	CreatedAt  time.Time
	StartedAt  *time.Time
	FinishedAt *time.Time
}

// Size is the number of sub-requests.
func (t Task) Size() int {
	if len(t.Requests) > 0 {
		return len(t.Requests)
	}
	return t.N
}

// SubResult is the stored answer to one sub-request: Body is the JSON
// object the /result method lists, rendered when the search ran.
type SubResult struct {
	Index  int
	Failed bool
	Body   []byte
}

// TaskFilter selects tasks for operators. Zero fields do not filter.
type TaskFilter struct {
	TokenID int64
	State   *int
	From    time.Time
	To      time.Time
	Limit   int
}

// TaskJobKind is the job that runs a task's searches.
const TaskJobKind = "fssp.task"

// JobArgs are a task job's arguments. A single search carries its
// request, so that its job does not read the task.
type JobArgs struct {
	Task   string      `json:"task"`
	Single *SubRequest `json:"single,omitempty"`
	// Credential names the token that submitted the task, as the journal
	// names it: the operators' fault rules on a credential match it.
	Credential string `json:"credential,omitempty"`
	// Own says that the node submitted the task itself (a Reestro check's
	// search, through its in-process client): the operators' fault rules
	// leave it to fail only as the real service would, as they leave the
	// node's own requests, so that it spends none of their counts.
	Own bool `json:"own,omitempty"`
}

// Store keeps tokens, tasks and the data bank.
type Store interface {
	CreateToken(ctx context.Context, t Token) (Token, error)
	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	Token(ctx context.Context, id int64) (Token, error)
	Tokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id int64, at time.Time) error

	// InTx runs fn in one write transaction: Service.Submit composes a
	// task's submission of its steps.
	InTx(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	// Task returns a task of tokenID (any token when 0) that has not
	// expired at now. A token's task is found by token and id together:
	// another token's task is never read, so that it answers as fast as a
	// missing one.
	Task(ctx context.Context, tokenID int64, id string, now time.Time) (Task, error)
	// TaskState is Task of tokenID's task without its Requests (N counts
	// them): what /status and /result answer from. A group's requests are
	// kilobytes that every poll of its status would otherwise read and
	// decode.
	TaskState(ctx context.Context, tokenID int64, id string, now time.Time) (Task, error)
	// TaskResults lists the stored sub-results of a task by index.
	TaskResults(ctx context.Context, id string) ([]SubResult, error)
	// InsertEndedTask is Tx.InsertEndedTask when no limit is counted: it
	// needs no transaction of the caller's.
	InsertEndedTask(ctx context.Context, t Task, result SubResult) error
	StartTask(ctx context.Context, id string, at time.Time) error
	// SaveSubResults stores sub-results of a task in one transaction;
	// one stored already is kept as it is.
	SaveSubResults(ctx context.Context, id string, rs []SubResult) error
	// FinishTask ends a task, storing last first when it is not nil
	// (a task with one search left ends in one transaction); startedAt is
	// recorded unless the task has a start already.
	FinishTask(ctx context.Context, id string, last *SubResult, startedAt, at time.Time) error
	Tasks(ctx context.Context, f TaskFilter) ([]Task, error)
	// AbandonedTasks lists unfinished tasks whose job will not run any
	// more (discarded after its last attempt, or pruned).
	AbandonedTasks(ctx context.Context, limit int) ([]string, error)
	// PurgeTasks deletes tasks submitted before t, with their results.
	PurgeTasks(ctx context.Context, before time.Time) (int, error)

	// LoadProceedings writes what src yields into the data bank, in one
	// transaction, or in one per commitEvery proceedings when that is
	// positive. It stops at src's error and returns how many it committed.
	LoadProceedings(ctx context.Context, src ProceedingSource, commitEvery int) (int64, error)
	CountProceedings(ctx context.Context) (int64, error)
	SearchPhysical(ctx context.Context, q PhysicalQuery) ([]Proceeding, error)
	SearchLegal(ctx context.Context, q LegalQuery) ([]Proceeding, error)
	SearchProceedingNumber(ctx context.Context, q NumberQuery) ([]Proceeding, error)
}

// Tx is a write transaction of the store, with the steps that a
// submission composes.
type Tx interface {
	stend.JobInserter
	// CountRate counts the token's submissions in each window at now; it
	// is the store's primitive because only the database's transaction can
	// make concurrent submitters on several nodes count each other.
	CountRate(ctx context.Context, tokenID int64, windows []RateWindow, now time.Time) ([]RateCount, error)
	// InsertTask stores a task whose searches are the job jobID.
	InsertTask(ctx context.Context, t Task, jobID int64) error
	// InsertEndedTask stores a task of one search that ended as it was
	// submitted (its State, Done, Failed, StartedAt and FinishedAt set),
	// with that search's result, and no job.
	InsertEndedTask(ctx context.Context, t Task, result SubResult) error
}

// RateCount is what a window held before a submission: Used earlier
// submissions, and the moment the one that brings the count below the
// limit leaves the window.
type RateCount struct {
	Window  RateWindow
	Used    int
	FreesAt time.Time
}

// ProceedingSource yields proceedings one by one. Next fills p and reports
// whether it did; Err, once Next is done, says whether the source ended well.
type ProceedingSource interface {
	Next(p *Proceeding) bool
	Err() error
}

// DepartmentReplacements is implemented by a source that wants to hear when
// its load replaces the texts the bank held for a department (the first
// text a load gives a department wins over the bank's: a newer file is the
// truth), so that the replacement is reported, never silent.
type DepartmentReplacements interface {
	DepartmentReplaced(was, now Department)
}

// SyntheticDepartments is implemented by a source whose departments are
// made up (the generator): it never replaces the texts of a department the
// bank holds, which came from a real file or an earlier run; its
// proceedings show those.
type SyntheticDepartments interface {
	SyntheticDepartments()
}

// MaxItemsCap bounds the operator's item cap of a sub-request: the
// candidate queries read at most this many rows with a literal LIMIT (a
// bound LIMIT makes SQLite prepare the statement again at every new value).
const MaxItemsCap = 10_000

// ErrTaskNotFound is returned for a task that does not exist, expired,
// or belongs to another token: the three must look alike to a client.
var ErrTaskNotFound = &stend.Error{Kind: stend.NotFound, Op: "fssp", Message: "task not found"}
