package motivity

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"stend"
)

// The rules of goals that need the store: who may do what (rights), the
// state a goal must be in, the limit of active goals. The API parses and
// checks fields; a request with field problems still comes here (Invalid
// set) so that the problems only the store can tell are reported beside
// them, and nothing is changed.

// GoalFaultCode is a refusal of the document, named by what went wrong; the
// API words it for its method.
type GoalFaultCode int

const (
	// FaultUserNotFound: the user (Cause userId) or the author (Cause
	// authorId) does not exist, is deleted, or (the author, or the owner of
	// goals being created) deactivated.
	FaultUserNotFound GoalFaultCode = iota + 1
	// FaultNoRights: the author may not do this to this user's goal.
	FaultNoRights
	// FaultGoalNotFound: no such goal, deleted, its user deleted, or not in
	// a state the action allows ("…not found or cannot be …").
	FaultGoalNotFound
	FaultAlreadyApproved
	FaultAlreadyCompleted
	// FaultLimitReached: Cause is the limit.
	FaultLimitReached
	// FaultField: a field the API found missing or wrong, with the API's
	// Message; reported only where the field is not ignored.
	FaultField
)

// GoalFault is one refusal with the field it names.
type GoalFault struct {
	Code    GoalFaultCode
	Cause   string
	Message string // FaultField's
}

// KeyResultDraft is a key result to add.
type KeyResultDraft struct {
	Title     string
	Value     int64
	ValueUnit string
}

// GoalDraft is one goal to create. Value and ValueUnit are ignored when it
// has key results (a goal with key results is measured in percents of
// them).
type GoalDraft struct {
	Author     string // identifier, normalized
	Title      string
	Value      int64
	ValueUnit  string
	Priority   string
	Deadline   stend.Date
	KeyResults []KeyResultDraft
	// Invalid: the API found field problems; checked, never created.
	Invalid bool
	// AuthorMissing: no usable authorId; the author is not looked up.
	AuthorMissing bool
}

// GoalChange is who asks for a change, for the history.
type GoalChange struct {
	Actor     string
	RequestID string
	At        time.Time
}

// GoalCreation asks for goals of one user, applied in order.
type GoalCreation struct {
	GoalChange
	Owner  string // identifier, normalized; "" when not usable
	Drafts []GoalDraft
}

// GoalCreated is the fate of one draft: its faults, or the user's goals not
// deleted after it was created, oldest first.
type GoalCreated struct {
	Faults []GoalFault
	Goals  []Goal
}

// CreateGoals applies c's drafts one after another in one transaction, the
// owner locked: of simultaneous creations on any node, never more than the
// limit are active. A draft is refused, with every fault found, when the
// owner is not an active user, the author is not one, the author has no
// rights on the owner's goals, or the limit is reached.
func (s *Service) CreateGoals(ctx context.Context, c GoalCreation) ([]GoalCreated, Platform, error) {
	p, err := s.Store.Platform(ctx)
	if err != nil {
		return nil, p, err
	}
	out := make([]GoalCreated, len(c.Drafts))
	snapshot := s.goalsSnapshot(ctx, c.Owner)
	err = s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		owner, err := tx.LockGoalOwner(ctx, c.Owner)
		ownerFound := err == nil && owner.Active
		if err != nil && !stend.IsKind(err, stend.NotFound) {
			return err
		}
		var goals []Goal
		active := 0
		if ownerFound {
			if goals, err = snapshot.current(ctx, tx, owner.ID); err != nil {
				return err
			}
			for _, g := range goals {
				if g.Active() {
					active++
				}
			}
		}
		authors := map[string]*User{}
		var events []GoalEvent
		for i, d := range c.Drafts {
			var faults []GoalFault
			if !ownerFound {
				faults = append(faults, GoalFault{Code: FaultUserNotFound, Cause: "userId"})
			}
			var author *User
			if !d.AuthorMissing {
				if author, err = s.goalAuthor(ctx, tx, authors, d.Author); err != nil {
					return err
				}
				if author == nil {
					faults = append(faults, GoalFault{Code: FaultUserNotFound, Cause: "authorId"})
				}
			}
			manages := false
			if author != nil && ownerFound {
				manages = canManageGoals(*author, owner)
				if !manages && author.ID != owner.ID {
					faults = append(faults, GoalFault{Code: FaultNoRights, Cause: "authorId"})
				}
			}
			if ownerFound && active >= p.GoalLimit {
				faults = append(faults, GoalFault{Code: FaultLimitReached, Cause: strconv.Itoa(p.GoalLimit)})
			}
			if len(faults) > 0 || d.Invalid || d.AuthorMissing {
				out[i].Faults = faults
				continue
			}
			g := Goal{UserID: owner.ID, Title: d.Title, Value: d.Value, ValueUnit: d.ValueUnit, Priority: d.Priority,
				Deadline: d.Deadline, CreatedAt: c.At}
			if len(d.KeyResults) > 0 {
				g.Value, g.ValueUnit = 100, "percents"
			}
			if manages {
				// Created by the manager or a permission holder: approved
				// at once, as the document says.
				at := c.At
				g.ApprovedAt, g.ApprovedBy, g.ApprovedByIdentifier = &at, author.ID, author.Identifier
			}
			if g.ID, err = tx.InsertGoal(ctx, g); err != nil {
				return err
			}
			events = append(events, creationEvent(g, author.ID, c.GoalChange))
			if events, err = addKeyResults(ctx, tx, &g, d.KeyResults, author.ID, c.GoalChange, events); err != nil {
				return err
			}
			active++
			goals = append(goals, g)
			out[i].Goals = goals[:len(goals):len(goals)]
		}
		if len(events) == 0 {
			return nil
		}
		return tx.InsertGoalEvents(ctx, events)
	})
	if err != nil {
		return nil, p, err
	}
	return out, p, nil
}

// addKeyResults creates drafts as key results of g, after those it has,
// and records their creation.
func addKeyResults(ctx context.Context, tx Tx, g *Goal, drafts []KeyResultDraft, authorID int64, c GoalChange, events []GoalEvent) ([]GoalEvent, error) {
	for _, kd := range drafts {
		kr := Goal{UserID: g.UserID, ParentID: g.ID, Title: kd.Title, Value: kd.Value, ValueUnit: kd.ValueUnit,
			Priority: g.Priority, Deadline: g.Deadline, CreatedAt: c.At}
		var err error
		if kr.ID, err = tx.InsertGoal(ctx, kr); err != nil {
			return nil, err
		}
		events = append(events, creationEvent(kr, authorID, c))
		g.KeyResults = append(g.KeyResults, kr)
	}
	return events, nil
}

// goalsSnapshot is a user's goals read before a change, outside its
// transaction. The answer of a creation lists every goal of the user, and
// reading them inside the transaction held the single writer of SQLite (and
// the user's lock) for most of the creation's time; the snapshot is used
// when the user's goals have not changed since it was read.
type goalsSnapshot struct {
	userID  int64
	version GoalsVersion
	goals   []Goal
}

func (s *Service) goalsSnapshot(ctx context.Context, identifier string) goalsSnapshot {
	if identifier == "" {
		return goalsSnapshot{}
	}
	u, err := s.Store.UserByIdentifier(ctx, identifier)
	if err != nil {
		return goalsSnapshot{} // read again in the transaction, which reports what is wrong
	}
	// The version first: a change that lands while the goals are read
	// moves it past the one kept, and the snapshot is not used.
	v, err := s.Store.GoalsVersion(ctx, u.ID)
	if err != nil {
		return goalsSnapshot{}
	}
	goals, err := s.Store.UserGoals(ctx, u.ID)
	if err != nil {
		return goalsSnapshot{}
	}
	return goalsSnapshot{userID: u.ID, version: v, goals: goals}
}

// current answers the user's goals as they are in tx, the user locked:
// the snapshot when nothing changed since, else read again.
func (sn goalsSnapshot) current(ctx context.Context, tx Tx, userID int64) ([]Goal, error) {
	if sn.userID == userID {
		v, err := tx.TxGoalsVersion(ctx, userID)
		if err != nil {
			return nil, err
		}
		if v == sn.version {
			return sn.goals, nil
		}
	}
	return tx.TxUserGoals(ctx, userID)
}

// goalAuthor finds an author, active and not deleted, remembering each
// identifier looked up; nil when there is none.
func (s *Service) goalAuthor(ctx context.Context, tx Tx, seen map[string]*User, identifier string) (*User, error) {
	if u, ok := seen[identifier]; ok {
		return u, nil
	}
	u, err := tx.GoalUser(ctx, identifier)
	switch {
	case stend.IsKind(err, stend.NotFound):
		seen[identifier] = nil
		return nil, nil
	case err != nil:
		return nil, err
	case !u.Active:
		seen[identifier] = nil
		return nil, nil
	}
	seen[identifier] = &u
	return &u, nil
}

// canManageGoals: the owner's manager, or a holder of the permission «План
// развития \ Управление целями и планами» (for every user).
func canManageGoals(author, owner User) bool {
	return author.ManagesGoals || owner.ManagerID != 0 && owner.ManagerID == author.ID
}

// GoalEdit asks for a change of a goal or key result; nil fields stay.
// Value, Progress and ValueUnit are ignored for a goal with key results;
// Priority, Deadline and KeyResults for a key result.
type GoalEdit struct {
	GoalChange
	GoalID        int64
	Author        string
	AuthorMissing bool
	// Problems are the fields the API found missing or wrong
	// (FaultField); those the goal ignores are dropped.
	Problems   []GoalFault
	Title      *string
	Value      *int64
	Progress   *int64
	ValueUnit  *string
	Priority   *string
	Deadline   *stend.Date
	KeyResults []KeyResultDraft
}

// GoalAction is approve, complete or delete.
type GoalAction string

const (
	ActionCreate   GoalAction = "create"
	ActionEdit     GoalAction = "edit"
	ActionApprove  GoalAction = "approve"
	ActionComplete GoalAction = "complete"
	ActionDelete   GoalAction = "delete"
)

// EditGoal changes a goal or key result. Faults, in the order found: the
// author not a user; the goal not found, deleted, completed (its goal's,
// for a key result) or of a deleted user; the author without rights (the
// owner may edit only goals not approved). The answer is the goal or key
// result as shown (Shown).
func (s *Service) EditGoal(ctx context.Context, e GoalEdit) (Goal, []GoalFault, error) {
	var shown Goal
	var faults []GoalFault
	err := s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		goal, parent, _, author, f, err := s.lockForChange(ctx, tx, e.GoalID, e.Author, e.AuthorMissing, ActionEdit)
		if err != nil {
			return err
		}
		faults = append(relevantProblems(e, goal, f), f...)
		if len(faults) > 0 || author == nil {
			return nil
		}
		before := goal
		root := goal
		if goal.ParentID != 0 {
			root = parent
		}
		if e.Title != nil {
			goal.Title = *e.Title
		}
		// A goal measured by key results (those it has, or gets now)
		// ignores its own measure.
		if goal.ParentID != 0 || len(goal.KeyResults)+len(e.KeyResults) == 0 {
			if e.Value != nil {
				goal.Value = *e.Value
			}
			if e.Progress != nil {
				goal.Progress = *e.Progress
			}
			if e.ValueUnit != nil {
				goal.ValueUnit = *e.ValueUnit
			}
		}
		var events []GoalEvent
		if goal.ParentID == 0 {
			if e.Priority != nil {
				goal.Priority = *e.Priority
			}
			if e.Deadline != nil {
				goal.Deadline = *e.Deadline
			}
			if len(e.KeyResults) > 0 && len(goal.KeyResults) == 0 {
				// The first key results: the goal is measured by them
				// from now on.
				goal.Value, goal.ValueUnit = 100, "percents"
			}
			if events, err = addKeyResults(ctx, tx, &goal, e.KeyResults, author.ID, e.GoalChange, events); err != nil {
				return err
			}
		}
		if changes := goalChanges(before, goal); changes != nil {
			if err := tx.UpdateGoal(ctx, goal); err != nil {
				return err
			}
			events = append([]GoalEvent{goalEvent(goal, GoalWasEdited, author.ID, e.GoalChange, changes)}, events...)
		}
		if len(events) > 0 {
			if err := tx.InsertGoalEvents(ctx, events); err != nil {
				return err
			}
		}
		if goal.ParentID != 0 {
			// A key result is answered with what it takes from its goal,
			// its risk too, which depends on every key result.
			for i, kr := range root.KeyResults {
				if kr.ID == goal.ID {
					root.KeyResults[i] = goal
				}
			}
			root = root.Shown()
			for _, kr := range root.KeyResults {
				if kr.ID == goal.ID {
					shown = kr
				}
			}
			shown.Goal = &root
			return nil
		}
		shown = goal.Shown()
		return nil
	})
	return shown, faults, err
}

// relevantProblems drops the problems of fields the goal ignores: a key
// result's priority, deadline and key results; the measure of a goal
// measured by key results (those it has, or gets with this change). Of a
// goal not found, every problem stands.
func relevantProblems(e GoalEdit, goal Goal, faults []GoalFault) []GoalFault {
	for _, f := range faults {
		if f.Code == FaultGoalNotFound {
			return e.Problems
		}
	}
	var out []GoalFault
	for _, p := range e.Problems {
		field, _, _ := strings.Cut(p.Cause, ".")
		switch {
		case goal.ParentID != 0 && (field == "priority" || field == "deadlineAt" || field == "keyResults"):
		case goal.ParentID == 0 && len(goal.KeyResults)+len(e.KeyResults) > 0 &&
			(field == "value" || field == "progress" || field == "valueUnit"):
		default:
			out = append(out, p)
		}
	}
	return out
}

// ActOnGoal approves, completes or deletes a goal (a key result may only
// be deleted). Faults as for EditGoal, then, with rights, "already
// approved" or "already completed".
func (s *Service) ActOnGoal(ctx context.Context, a GoalAction, id int64, authorIdent string, authorMissing bool, c GoalChange) (Goal, []GoalFault, error) {
	var shown Goal
	var faults []GoalFault
	err := s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		goal, _, _, author, f, err := s.lockForChange(ctx, tx, id, authorIdent, authorMissing, a)
		if faults = f; err != nil || len(faults) > 0 || author == nil {
			// author nil without a fault: no authorId, which the API
			// reports.
			return err
		}
		before := goal
		at := c.At
		var events []GoalEvent
		switch a {
		case ActionApprove:
			goal.ApprovedAt, goal.ApprovedBy, goal.ApprovedByIdentifier = &at, author.ID, author.Identifier
		case ActionComplete:
			goal.CompletedAt, goal.CompletedBy, goal.CompletedByIdentifier = &at, author.ID, author.Identifier
		case ActionDelete:
			goal.DeletedAt = &at
			// Deleting a goal deletes its key results.
			for _, kr := range goal.KeyResults {
				before := kr
				kr.DeletedAt = &at
				if err := tx.UpdateGoal(ctx, kr); err != nil {
					return err
				}
				events = append(events, goalEvent(kr, GoalWasDeleted, author.ID, c, goalChanges(before, kr)))
			}
		}
		if err := tx.UpdateGoal(ctx, goal); err != nil {
			return err
		}
		action := map[GoalAction]string{ActionApprove: GoalWasApproved, ActionComplete: GoalWasCompleted, ActionDelete: GoalWasDeleted}[a]
		events = append([]GoalEvent{goalEvent(goal, action, author.ID, c, goalChanges(before, goal))}, events...)
		if err := tx.InsertGoalEvents(ctx, events); err != nil {
			return err
		}
		shown = goal.Shown()
		return nil
	})
	return shown, faults, err
}

// lockForChange finds and checks what a change of goal id needs, the
// owner locked, and answers the faults found in the documented order: the
// author, the goal, then rights and the goal's state.
func (s *Service) lockForChange(ctx context.Context, tx Tx, id int64, authorIdent string, authorMissing bool, a GoalAction) (
	goal, parent Goal, owner User, author *User, faults []GoalFault, err error) {
	if !authorMissing {
		if author, err = s.goalAuthor(ctx, tx, map[string]*User{}, authorIdent); err != nil {
			return
		}
		if author == nil {
			faults = append(faults, GoalFault{Code: FaultUserNotFound, Cause: "authorId"})
		}
	}
	goal, parent, owner, err = tx.LockGoal(ctx, id)
	found := err == nil
	if err != nil && !stend.IsKind(err, stend.NotFound) {
		return
	}
	err = nil
	root := goal
	if goal.ParentID != 0 {
		root = parent
	}
	switch {
	case !found || owner.Deleted || goal.DeletedAt != nil || root.DeletedAt != nil:
		found = false
	case a == ActionApprove || a == ActionComplete:
		// These act on goals, not key results; approving a completed goal
		// is "cannot be approved", as the document words it.
		found = goal.ParentID == 0 && !(a == ActionApprove && goal.CompletedAt != nil)
	case a == ActionEdit:
		found = root.CompletedAt == nil
	}
	if !found {
		faults = append(faults, GoalFault{Code: FaultGoalNotFound, Cause: "goalId"})
	}
	if author == nil || !found {
		return
	}
	manages := canManageGoals(*author, owner)
	self := author.ID == owner.ID
	var allowed bool
	switch a {
	case ActionEdit:
		allowed = manages || self && root.ApprovedAt == nil
	default:
		allowed = manages
	}
	switch {
	case !allowed:
		faults = append(faults, GoalFault{Code: FaultNoRights, Cause: "authorId"})
	case a == ActionApprove && goal.ApprovedAt != nil:
		faults = append(faults, GoalFault{Code: FaultAlreadyApproved, Cause: "goalId"})
	case a == ActionComplete && goal.CompletedAt != nil:
		faults = append(faults, GoalFault{Code: FaultAlreadyCompleted, Cause: "goalId"})
	}
	return
}

// GoalList is a user's goals as the API answers them.
type GoalList struct {
	Goals       []Goal // as stored: Shown is how they are answered
	CountActive int
	Limit       int
	Platform    Platform
}

// UserGoals lists the goals of the user with identifier that match f: a
// deactivated user's too; a deleted or unknown user is NotFound.
func (s *Service) UserGoals(ctx context.Context, identifier string, f GoalFilter) (GoalList, error) {
	p, err := s.Store.Platform(ctx)
	if err != nil {
		return GoalList{}, err
	}
	u, err := s.Store.UserByIdentifier(ctx, identifier)
	if err != nil {
		return GoalList{}, err
	}
	goals, err := s.Store.UserGoals(ctx, u.ID)
	if err != nil {
		return GoalList{}, err
	}
	// Filtered in place: a list is read whole for every request.
	l := GoalList{Limit: p.GoalLimit, Platform: p, Goals: goals[:0]}
	for _, g := range goals {
		if g.Active() {
			l.CountActive++
		}
		if f == GoalsActive && g.CompletedAt != nil || f == GoalsCompleted && g.CompletedAt == nil {
			continue
		}
		l.Goals = append(l.Goals, g)
	}
	return l, nil
}

// goalEvent records one change of g.
func goalEvent(g Goal, action string, authorID int64, c GoalChange, changes json.RawMessage) GoalEvent {
	if changes == nil {
		changes = json.RawMessage("{}")
	}
	return GoalEvent{GoalID: g.ID, UserID: g.UserID, Action: action, AuthorID: authorID, Actor: c.Actor,
		RequestID: c.RequestID, At: c.At, Changes: changes}
}

// creationEvent records g as created.
func creationEvent(g Goal, authorID int64, c GoalChange) GoalEvent {
	return goalEvent(g, GoalWasCreated, authorID, c, goalFields(g).json())
}

// goalFieldValues is what the history records of a goal, by field name as
// the API names it.
type goalFieldValues map[string]any

func goalFields(g Goal) goalFieldValues {
	v := goalFieldValues{"title": g.Title, "value": g.Value, "progress": g.Progress, "valueUnit": g.ValueUnit,
		"priority": g.Priority, "deadlineAt": g.Deadline.String(), "approvedAt": g.ApprovedAt, "approvedById": g.ApprovedBy,
		"completedAt": g.CompletedAt, "completedById": g.CompletedBy, "deletedAt": g.DeletedAt}
	if g.ParentID != 0 {
		v["goalId"] = g.ParentID
	}
	return v
}

func (v goalFieldValues) json() json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// goalChanges is each field that differs between before and after, as
// [old, new]; nil when none does.
func goalChanges(before, after Goal) json.RawMessage {
	b, a := goalFields(before), goalFields(after)
	changes := map[string][2]any{}
	for k, old := range b {
		ob, _ := json.Marshal(old)
		nb, _ := json.Marshal(a[k])
		if string(ob) != string(nb) {
			changes[k] = [2]any{old, a[k]}
		}
	}
	if len(changes) == 0 {
		return nil
	}
	out, _ := json.Marshal(changes)
	return out
}

// ProvisionGoals adds goals to a user as an operator describes them, in
// any state (approved, completed, deleted, with key results and progress),
// for demos and integrators' tests. goals hold their key results; the
// user must exist and not be deleted, and must not end up with more active
// goals than the limit. Each goal and key result is recorded as created
// with the state it was given.
func (s *Service) ProvisionGoals(ctx context.Context, userID int64, goals []Goal, c GoalChange) ([]Goal, error) {
	const op = "motivity.ProvisionGoals"
	p, err := s.Store.Platform(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range goals {
		if err := g.validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
	}
	out := make([]Goal, len(goals))
	err = s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		u, err := tx.LockGoalOwnerByID(ctx, userID)
		if err != nil {
			return err
		}
		held, err := tx.TxUserGoals(ctx, u.ID)
		if err != nil {
			return err
		}
		active := 0
		for _, g := range append(held, goals...) {
			if g.Active() {
				active++
			}
		}
		if active > p.GoalLimit {
			return stend.Errorf(stend.Invalid, op, "%s would have %d active goals, over the limit of %d", u.Identifier, active, p.GoalLimit)
		}
		var events []GoalEvent
		for i, g := range goals {
			g.UserID, g.ParentID = u.ID, 0
			krs := g.KeyResults
			g.KeyResults = nil
			if len(krs) > 0 {
				g.Value, g.ValueUnit = 100, "percents"
			}
			if g.ID, err = tx.InsertGoal(ctx, g); err != nil {
				return err
			}
			events = append(events, creationEvent(g, 0, c))
			for _, kr := range krs {
				kr.UserID, kr.ParentID, kr.Priority, kr.Deadline, kr.CreatedAt = u.ID, g.ID, g.Priority, g.Deadline, g.CreatedAt
				if kr.DeletedAt == nil {
					kr.DeletedAt = g.DeletedAt
				}
				if kr.ID, err = tx.InsertGoal(ctx, kr); err != nil {
					return err
				}
				events = append(events, creationEvent(kr, 0, c))
				g.KeyResults = append(g.KeyResults, kr)
			}
			out[i] = g
		}
		return tx.InsertGoalEvents(ctx, events)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate checks a provisioned goal or key result by the API's rules on
// fields (except that a deadline may be past: demos need goals at risk).
func (g Goal) validate() error {
	const op = "motivity.Goal"
	title := strings.TrimSpace(g.Title)
	switch {
	case title == "" || utf8.RuneCountInString(title) > 3000 || hasNUL(title) || title != g.Title:
		return stend.Errorf(stend.Invalid, op, "title: 1 to 3000 characters, trimmed, no U+0000")
	case len(g.KeyResults) == 0 && (g.Value < 1 || g.Value > MaxGoalValue):
		return stend.Errorf(stend.Invalid, op, "%q: value must be 1 to %d", g.Title, int64(MaxGoalValue))
	case g.Progress < 0 || g.Progress > MaxGoalValue:
		return stend.Errorf(stend.Invalid, op, "%q: progress must be 0 to %d", g.Title, int64(MaxGoalValue))
	case len(g.KeyResults) == 0 && !ValidGoalValueUnit(g.ValueUnit):
		return stend.Errorf(stend.Invalid, op, "%q: valueUnit must be one of %v", g.Title, GoalValueUnits)
	case g.ParentID == 0 && !ValidGoalPriority(g.Priority):
		return stend.Errorf(stend.Invalid, op, "%q: priority must be one of %v", g.Title, GoalPriorities)
	case g.ParentID == 0 && g.Deadline.IsZero():
		return stend.Errorf(stend.Invalid, op, "%q: deadline is required", g.Title)
	case g.CreatedAt.IsZero():
		return stend.Errorf(stend.Internal, op, "no creation time given")
	case g.ApprovedAt != nil && g.ApprovedBy == 0 || g.CompletedAt != nil && g.CompletedBy == 0:
		return stend.Errorf(stend.Invalid, op, "%q: approval and completion need who did them", g.Title)
	}
	for _, kr := range g.KeyResults {
		kr.ParentID = -1 // a key result: no priority or deadline of its own
		kr.CreatedAt = g.CreatedAt
		if err := kr.validate(); err != nil {
			return err
		}
	}
	return nil
}
