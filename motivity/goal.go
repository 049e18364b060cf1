package motivity

import (
	"context"
	"encoding/json"
	"math/big"
	"slices"
	"time"

	"stend"
)

// «План развития»: a user's goals and their key results. A key result is a
// goal of its own (its own id, edited and deleted as one) whose ParentID is
// its goal; it takes its goal's priority, deadline, approval, completion
// and risk. Nothing is ever removed: a deleted goal keeps its row, and
// every change is a GoalEvent.

// The document's enumerations, in its order.
var (
	GoalPriorities = []string{"high", "medium", "low"}
	GoalValueUnits = []string{"percents", "numbers", "roubles", "dollars", "euros", "hours"}
)

// MaxGoalValue is the largest value or progress: "до 10 символов".
const MaxGoalValue = 9_999_999_999

// DefaultGoalLimit is the platform's limit of active goals per user unless
// an operator sets another (the document's sample shows 10).
const DefaultGoalLimit = 10

// Goal is a goal or, with ParentID set, a key result.
type Goal struct {
	ID        int64
	UserID    int64
	ParentID  int64
	Title     string
	Value     int64
	Progress  int64
	ValueUnit string
	// Priority and Deadline of a key result are its goal's.
	Priority string
	// Deadline is a calendar day of the platform: it passes at 00:00 of
	// the next day in the platform's time zone.
	Deadline    stend.Date
	CreatedAt   time.Time
	ApprovedAt  *time.Time
	ApprovedBy  int64 // user id; 0 while not approved
	CompletedAt *time.Time
	CompletedBy int64
	DeletedAt   *time.Time
	// ApprovedByIdentifier and CompletedByIdentifier are the approver's
	// and completer's platform identifiers, filled in by reads.
	ApprovedByIdentifier  string
	CompletedByIdentifier string
	// KeyResults are the goal's key results not deleted, in creation
	// order, filled in by reads of goals.
	KeyResults []Goal
	// Goal is set on a key result answered on its own (Shown): its goal,
	// shown, whose risk it takes.
	Goal *Goal
}

// Active reports whether g counts against the limit: a goal (not a key
// result) neither completed nor deleted.
func (g Goal) Active() bool { return g.ParentID == 0 && g.CompletedAt == nil && g.DeletedAt == nil }

// Shown is g as the API answers it: a goal with key results has value 100
// in percents and their mean progress; a key result takes its goal's
// priority, deadline, approval and completion.
func (g Goal) Shown() Goal {
	if len(g.KeyResults) == 0 {
		return g
	}
	g.Value, g.ValueUnit = 100, "percents"
	g.Progress = meanPercent(g.KeyResults)
	krs := make([]Goal, len(g.KeyResults))
	for i, kr := range g.KeyResults {
		kr.Priority, kr.Deadline = g.Priority, g.Deadline
		kr.ApprovedAt, kr.ApprovedBy, kr.ApprovedByIdentifier = g.ApprovedAt, g.ApprovedBy, g.ApprovedByIdentifier
		kr.CompletedAt, kr.CompletedBy, kr.CompletedByIdentifier = g.CompletedAt, g.CompletedBy, g.CompletedByIdentifier
		krs[i] = kr
	}
	g.KeyResults = krs
	return g
}

// meanPercent is the mean over krs of min(progress / value, 1) × 100,
// rounded down, computed exactly: a float mean of thirds lands just below
// a whole percent and would round it down one too far.
func meanPercent(krs []Goal) int64 {
	sum := new(big.Rat)
	for _, kr := range krs {
		if kr.Value <= 0 || kr.Progress >= kr.Value {
			sum.Add(sum, big.NewRat(1, 1))
		} else {
			sum.Add(sum, big.NewRat(kr.Progress, kr.Value))
		}
	}
	sum.Mul(sum, big.NewRat(100, int64(len(krs))))
	return new(big.Int).Quo(sum.Num(), sum.Denom()).Int64()
}

// progressShare is min(progress / value, 1).
func progressShare(progress, value int64) float64 {
	if value <= 0 || progress >= value {
		return 1
	}
	return float64(progress) / float64(value)
}

// DeadlineEnd is when a deadline day has passed: 00:00 of the next day
// in loc.
func DeadlineEnd(d stend.Date, loc *time.Location) time.Time {
	n := d.AddDays(1)
	return time.Date(n.Year, n.Month, n.Day, 0, 0, 0, 0, loc)
}

// InRisk is the decisions' rule for a shown goal (Shown) at now: never
// when completed or deleted; when its deadline has passed (00:00 of the
// next day); or when its progress share (capped at 1) is below the share of
// the time from its creation to its deadline (00:00 of the deadline day, as
// answered) that has elapsed, capped at 1, minus 0.1. A goal created on its
// deadline day has no time left: all of it has elapsed.
func (g Goal) InRisk(now time.Time, loc *time.Location) bool {
	if g.Goal != nil {
		return g.Goal.InRisk(now, loc)
	}
	if g.CompletedAt != nil || g.DeletedAt != nil {
		return false
	}
	if !now.Before(DeadlineEnd(g.Deadline, loc)) {
		return true
	}
	deadline := time.Date(g.Deadline.Year, g.Deadline.Month, g.Deadline.Day, 0, 0, 0, 0, loc)
	elapsed := 1.0
	if span := deadline.Sub(g.CreatedAt); span > 0 {
		elapsed = min(max(float64(now.Sub(g.CreatedAt))/float64(span), 0), 1)
	}
	return progressShare(g.Progress, g.Value) < elapsed-0.1
}

// GoalFilter is the document's type parameter.
type GoalFilter string

const (
	GoalsAll       GoalFilter = "all"
	GoalsActive    GoalFilter = "active"
	GoalsCompleted GoalFilter = "completed"
)

// GoalEvent is one change of a goal: who (Author, a user; Actor, the
// channel: public-api, operator, seed), when, and what changed.
type GoalEvent struct {
	ID        int64
	GoalID    int64
	UserID    int64
	Action    string // created, edited, approved, completed, deleted
	AuthorID  int64  // 0: an operator acting on no user's behalf
	Actor     string
	RequestID string
	At        time.Time
	// Changes maps each field changed to [old, new]; a creation holds
	// the goal as created.
	Changes json.RawMessage
}

// Goal actions, as GoalEvent.Action names them.
const (
	GoalWasCreated   = "created"
	GoalWasEdited    = "edited"
	GoalWasApproved  = "approved"
	GoalWasCompleted = "completed"
	GoalWasDeleted   = "deleted"
)

// GoalStore reads goals.
type GoalStore interface {
	// UserGoals answers the user's goals (not key results) that are not
	// deleted, oldest first, each with its key results not deleted and its
	// approver's and completer's identifiers. The service filters them (it
	// counts the active ones whatever the filter).
	UserGoals(ctx context.Context, userID int64) ([]Goal, error)
	// GoalsVersion changes whenever the user's goals do.
	GoalsVersion(ctx context.Context, userID int64) (GoalsVersion, error)
	// GoalRecord answers every goal and key result of the user, deleted
	// ones too, by id, and every event of them, oldest first: what
	// operators read.
	GoalRecord(ctx context.Context, userID int64) ([]Goal, []GoalEvent, error)
	// ImportGoals adds generated goals (no key results, no history) for
	// benchmarks and demos at volume; RefreshGoalStatistics then lets the
	// database plan over them.
	ImportGoals(ctx context.Context, goals []Goal) error
	RefreshGoalStatistics(ctx context.Context) error
}

// GoalsVersion tells whether a user's goals changed: the last goal and the
// last event of the user.
type GoalsVersion struct{ LastGoal, LastEvent int64 }

// GoalTx is the steps of a change of goals. Every change of a user's
// goals first locks the user (LockGoalOwner or LockGoal), so that changes
// of one user's goals, on any node, happen one after another: the limit
// holds, and what a change read stays true until it commits.
type GoalTx interface {
	// GoalUser finds the user, not deleted, with identifier (NotFound).
	GoalUser(ctx context.Context, identifier string) (User, error)
	// LockGoalOwner locks the user, not deleted, with identifier.
	LockGoalOwner(ctx context.Context, identifier string) (User, error)
	// LockGoalOwnerByID locks the user, not deleted, with id.
	LockGoalOwnerByID(ctx context.Context, id int64) (User, error)
	// LockGoal locks the owner of goal id and answers the goal, its parent
	// when it is a key result (zero otherwise), each with its key results
	// not deleted, and the owner; NotFound when no such id.
	LockGoal(ctx context.Context, id int64) (goal, parent Goal, owner User, err error)
	// TxUserGoals is UserGoals inside the change.
	TxUserGoals(ctx context.Context, userID int64) ([]Goal, error)
	TxGoalsVersion(ctx context.Context, userID int64) (GoalsVersion, error)
	// InsertGoal adds g (ID ignored) and answers its id.
	InsertGoal(ctx context.Context, g Goal) (int64, error)
	// UpdateGoal rewrites every field of g.ID.
	UpdateGoal(ctx context.Context, g Goal) error
	InsertGoalEvents(ctx context.Context, events []GoalEvent) error
}

// ValidGoalPriority and ValidGoalValueUnit check the enumerations.
func ValidGoalPriority(p string) bool  { return slices.Contains(GoalPriorities, p) }
func ValidGoalValueUnit(u string) bool { return slices.Contains(GoalValueUnits, u) }
