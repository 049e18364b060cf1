package motivity

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Goal is a goal of a development plan («План развития»), or one of its
// key results (a goal of its own with a parent).
type Goal struct {
	ID       int64    `json:"id"`
	Title    string   `json:"title"`
	Value    int64    `json:"value"`
	Progress int64    `json:"progress"`
	Priority Priority `json:"priority"`
	// DeadlineAt is 00:00 of the deadline day in the platform's zone.
	DeadlineAt time.Time `json:"deadlineAt"`
	ValueUnit  ValueUnit `json:"valueUnit"`
	InRisk     bool      `json:"inRisk"`
	// ApprovedAt and ApprovedByID (the approver's identifier) are nil
	// while the goal is not approved; CompletedAt and CompletedByID while
	// it is not completed.
	ApprovedAt    *time.Time `json:"approvedAt"`
	ApprovedByID  *string    `json:"approvedById"`
	CompletedAt   *time.Time `json:"completedAt"`
	CompletedByID *string    `json:"completedById"`
	// KeyResults are nil for a goal without them and for a key result. A
	// goal with key results is measured by them: Value 100, ValueUnit
	// percents, Progress their mean.
	KeyResults []Goal `json:"keyResults" null:"ok"`
}

// Priority of a goal.
type Priority string

const (
	High   Priority = "high"
	Medium Priority = "medium"
	Low    Priority = "low"
)

// ValueUnit is what a goal's value counts.
type ValueUnit string

const (
	Percents ValueUnit = "percents"
	Numbers  ValueUnit = "numbers"
	Roubles  ValueUnit = "roubles"
	Dollars  ValueUnit = "dollars"
	Euros    ValueUnit = "euros"
	Hours    ValueUnit = "hours"
)

// GoalFilter chooses the goals UserGoals lists.
type GoalFilter string

const (
	AllGoals       GoalFilter = "all" // every goal not deleted (also "")
	ActiveGoals    GoalFilter = "active"
	CompletedGoals GoalFilter = "completed"
)

// GoalList is a user's goals.
type GoalList struct {
	Items []Goal `json:"items"`
	// Limit is the platform's limit of goals neither completed nor
	// deleted; CountActive how many the user has.
	Limit       int `json:"limit"`
	CountActive int `json:"countActive"`
}

type goalListJSON struct {
	Result bool `json:"result"`
	GoalList
}

// UserGoals lists a user's goals with their key results. An unknown or
// deleted user is ErrInvalidUserID.
func (c *Client) UserGoals(ctx context.Context, userID string, filter GoalFilter) (*GoalList, error) {
	path := "goals/user/" + seg(userID)
	if filter != "" {
		path += "?type=" + url.QueryEscape(string(filter))
	}
	var raw goalListJSON
	if err := c.call(ctx, "UserGoals", http.MethodGet, path, nil, &raw); err != nil {
		return nil, err
	}
	if !raw.Result {
		return nil, malformed("UserGoals", "result false")
	}
	return &raw.GoalList, nil
}

// KeyResult is a key result of a new goal.
type KeyResult struct {
	Title     string    `json:"title"`
	Value     int64     `json:"value"`
	ValueUnit ValueUnit `json:"valueUnit"`
}

// NewGoal is a goal to create. The author is the owner (a goal to be
// approved), the owner's manager, or a holder of the goals permission
// (approved at once).
type NewGoal struct {
	AuthorID string
	Title    string
	// Value and ValueUnit are ignored when the goal has key results.
	Value     int64
	ValueUnit ValueUnit
	Priority  Priority
	// Deadline is sent in its own zone: its date there must be today or
	// later in the platform's zone.
	Deadline   time.Time
	KeyResults []KeyResult
}

type newGoalJSON struct {
	AuthorID   string    `json:"authorId"`
	Title      string    `json:"title"`
	Value      int64     `json:"value"`
	ValueUnit  ValueUnit `json:"valueUnit"`
	Priority   Priority  `json:"priority"`
	DeadlineAt string    `json:"deadlineAt"`
	// The key is required; [] for none.
	KeyResults []KeyResult `json:"keyResults"`
}

// GoalCreated is the outcome of one goal of CreateGoals.
type GoalCreated struct {
	Success bool `json:"success"`
	// Goals is every goal of the user after this one was created, oldest
	// first (the API's "goal"); nil when it failed.
	Goals []Goal `json:"goal" null:"ok"`
	// Errors are why it failed (ErrGoalLimit, ErrNoRights, ErrUserNotFound,
	// field problems such as ErrInvalidDate with the field as cause).
	Errors []Problem `json:"errors" null:"ok"`
}

// Err is the first of Errors, nil on success.
func (g GoalCreated) Err() error {
	if len(g.Errors) == 0 {
		return nil
	}
	return g.Errors[0]
}

type createGoalsJSON struct {
	Result bool          `json:"result"`
	UserID string        `json:"userId"`
	Data   []GoalCreated `json:"data"`
}

// CreateGoals creates goals for a user, one outcome per goal, in order.
// The call fails (ErrRequired) when the batch cannot be processed (empty,
// over 100 goals).
func (c *Client) CreateGoals(ctx context.Context, userID string, goals []NewGoal) ([]GoalCreated, error) {
	const op = "CreateGoals"
	body := make([]newGoalJSON, len(goals))
	for i, g := range goals {
		if g.KeyResults == nil {
			g.KeyResults = []KeyResult{}
		}
		body[i] = newGoalJSON{AuthorID: g.AuthorID, Title: g.Title, Value: g.Value, ValueUnit: g.ValueUnit, Priority: g.Priority,
			DeadlineAt: g.Deadline.Format(time.RFC3339), KeyResults: g.KeyResults}
	}
	var raw createGoalsJSON
	if err := c.call(ctx, op, http.MethodPost, "goals/user/"+seg(userID), body, &raw); err != nil {
		return nil, err
	}
	if !raw.Result || len(raw.Data) != len(goals) {
		return nil, malformed(op, "result %v with %d answers for %d goals", raw.Result, len(raw.Data), len(goals))
	}
	for i, d := range raw.Data {
		if d.Success == (len(d.Errors) > 0) || d.Success == (d.Goals == nil) {
			return nil, malformed(op, "goal %d: success %v with %d errors", i, d.Success, len(d.Errors))
		}
	}
	return raw.Data, nil
}

// GoalEdit changes a goal or a key result; nil fields stay as they are.
type GoalEdit struct {
	AuthorID  string
	Title     *string
	Value     *int64
	Progress  *int64
	ValueUnit *ValueUnit
	Priority  *Priority
	Deadline  *time.Time
	// KeyResults are added after those the goal has.
	KeyResults []KeyResult
}

type goalEditJSON struct {
	AuthorID   string      `json:"authorId"`
	Title      *string     `json:"title,omitempty"`
	Value      *int64      `json:"value,omitempty"`
	Progress   *int64      `json:"progress,omitempty"`
	ValueUnit  *ValueUnit  `json:"valueUnit,omitempty"`
	Priority   *Priority   `json:"priority,omitempty"`
	DeadlineAt *string     `json:"deadlineAt,omitempty"`
	KeyResults []KeyResult `json:"keyResults,omitempty"`
}

type goalAnswerJSON struct {
	Result bool `json:"result"`
	Goal   Goal `json:"goal"`
}

// EditGoal changes a goal (PUT /goals/{goalId}) and returns it as it is
// now. The owner edits only a goal not yet approved.
func (c *Client) EditGoal(ctx context.Context, goalID int64, e GoalEdit) (*Goal, error) {
	body := goalEditJSON{AuthorID: e.AuthorID, Title: e.Title, Value: e.Value, Progress: e.Progress, ValueUnit: e.ValueUnit,
		Priority: e.Priority, KeyResults: e.KeyResults}
	if e.Deadline != nil {
		s := e.Deadline.Format(time.RFC3339)
		body.DeadlineAt = &s
	}
	return c.goalAnswer(ctx, "EditGoal", http.MethodPut, "goals/"+strconv.FormatInt(goalID, 10), body)
}

// ApproveGoal approves a goal; the author must be the owner's manager or
// hold the goals permission.
func (c *Client) ApproveGoal(ctx context.Context, goalID int64, authorID string) (*Goal, error) {
	return c.goalAnswer(ctx, "ApproveGoal", http.MethodPost, "goals/"+strconv.FormatInt(goalID, 10)+"/approve", map[string]string{"authorId": authorID})
}

// CompleteGoal completes a goal, whatever its progress.
func (c *Client) CompleteGoal(ctx context.Context, goalID int64, authorID string) (*Goal, error) {
	return c.goalAnswer(ctx, "CompleteGoal", http.MethodPost, "goals/"+strconv.FormatInt(goalID, 10)+"/complete", map[string]string{"authorId": authorID})
}

func (c *Client) goalAnswer(ctx context.Context, op, method, path string, body any) (*Goal, error) {
	var raw goalAnswerJSON
	if err := c.call(ctx, op, method, path, body, &raw); err != nil {
		return nil, err
	}
	if !raw.Result {
		return nil, malformed(op, "result false")
	}
	return &raw.Goal, nil
}

// DeleteGoal deletes a goal and its key results; the server reports only
// the first error.
func (c *Client) DeleteGoal(ctx context.Context, goalID int64, authorID string) error {
	const op = "DeleteGoal"
	var raw struct {
		Result  bool   `json:"result"`
		Message string `json:"message"`
	}
	if err := c.call(ctx, op, http.MethodPost, "goals/"+strconv.FormatInt(goalID, 10)+"/delete", map[string]string{"authorId": authorID}, &raw); err != nil {
		return err
	}
	if !raw.Result {
		return malformed(op, "result false: %s", raw.Message)
	}
	return nil
}
