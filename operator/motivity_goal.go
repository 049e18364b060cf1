package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"stend"
	"stend/motivity"
)

// Goals as operators provision and read them: goals in any state for
// demos and tests (seed, operator API, command), and every goal of a user,
// deleted ones too, with its whole history.

// GoalInput is a goal to add to a user, in the state it describes. Value
// and ValueUnit are ignored when it has key results (measured by them).
// Dates: DeadlineAt is a day (YYYY-MM-DD) and may be past; CreatedAt (RFC
// 3339 or a day, default now) lets a demo hold goals at risk.
type GoalInput struct {
	Title       string           `json:"title"`
	Value       int64            `json:"value,omitempty"`
	Progress    int64            `json:"progress,omitempty"`
	ValueUnit   string           `json:"valueUnit,omitempty"`
	Priority    string           `json:"priority"`
	DeadlineAt  string           `json:"deadlineAt"`
	CreatedAt   string           `json:"createdAt,omitempty"`
	ApprovedBy  string           `json:"approvedBy,omitempty"`
	CompletedBy string           `json:"completedBy,omitempty"`
	Deleted     bool             `json:"deleted,omitempty"`
	KeyResults  []KeyResultInput `json:"keyResults,omitempty"`
}

// KeyResultInput is a key result of a GoalInput.
type KeyResultInput struct {
	Title     string `json:"title"`
	Value     int64  `json:"value"`
	Progress  int64  `json:"progress,omitempty"`
	ValueUnit string `json:"valueUnit"`
	Deleted   bool   `json:"deleted,omitempty"`
}

// Goal is a goal or key result as operators see it: deleted ones too,
// and the values as stored (not as the public API shows them).
type Goal struct {
	ID          int64      `json:"id"`
	GoalID      int64      `json:"goalId,omitempty"` // a key result's goal
	Title       string     `json:"title"`
	Value       int64      `json:"value"`
	Progress    int64      `json:"progress"`
	ValueUnit   string     `json:"valueUnit"`
	Priority    string     `json:"priority"`
	DeadlineAt  string     `json:"deadlineAt"`
	CreatedAt   time.Time  `json:"createdAt"`
	ApprovedAt  *time.Time `json:"approvedAt"`
	ApprovedBy  string     `json:"approvedBy,omitempty"`
	CompletedAt *time.Time `json:"completedAt"`
	CompletedBy string     `json:"completedBy,omitempty"`
	DeletedAt   *time.Time `json:"deletedAt"`
	KeyResults  []Goal     `json:"keyResults,omitempty"`
}

// GoalEvent is one change of a goal: what changed ([old, new] per field;
// the goal as created), who (the author's identifier; none for an
// operator), through what (public-api, operator, seed), when.
type GoalEvent struct {
	ID        int64           `json:"id"`
	GoalID    int64           `json:"goalId"`
	Action    string          `json:"action"`
	Author    string          `json:"author,omitempty"`
	Actor     string          `json:"actor"`
	RequestID string          `json:"requestId,omitempty"`
	At        time.Time       `json:"at"`
	Changes   json.RawMessage `json:"changes"`
}

// UserGoals is every goal of a user with its history.
type UserGoals struct {
	User        string      `json:"user"`
	UserDeleted bool        `json:"userDeleted"`
	Goals       []Goal      `json:"goals"`
	History     []GoalEvent `json:"history"`
}

func goalView(g motivity.Goal, users map[int64]string) Goal {
	return Goal{ID: g.ID, GoalID: g.ParentID, Title: g.Title, Value: g.Value, Progress: g.Progress, ValueUnit: g.ValueUnit,
		Priority: g.Priority, DeadlineAt: g.Deadline.String(), CreatedAt: g.CreatedAt, ApprovedAt: g.ApprovedAt,
		ApprovedBy: users[g.ApprovedBy], CompletedAt: g.CompletedAt, CompletedBy: users[g.CompletedBy], DeletedAt: g.DeletedAt}
}

// MotivityGoals answers every goal and key result of the user (deleted
// ones too) and every change of them, oldest first.
//
// A deleted user's goals stay readable here (the public API no longer
// finds them): identifier then names the last user deleted that had it.
func (s *Service) MotivityGoals(ctx context.Context, identifier string) (UserGoals, error) {
	if !stend.StorableText(identifier) {
		return UserGoals{}, stend.Errorf(stend.NotFound, "operator", "no such user")
	}
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return UserGoals{}, err
	}
	u, err := s.Motivity.UserByIdentifierAny(ctx, motivity.NormalizeIdentifier(p.IdentifierKind, identifier))
	if err != nil {
		return UserGoals{}, err
	}
	goals, events, err := s.Motivity.GoalRecord(ctx, u.ID)
	if err != nil {
		return UserGoals{}, err
	}
	users := map[int64]string{u.ID: u.Identifier}
	name := func(id int64) (string, error) {
		if id == 0 {
			return "", nil
		}
		if n, ok := users[id]; ok {
			return n, nil
		}
		a, err := s.Motivity.UserByID(ctx, id)
		users[id] = a.Identifier
		return a.Identifier, err
	}
	for _, g := range goals {
		for _, id := range []int64{g.ApprovedBy, g.CompletedBy} {
			if _, err := name(id); err != nil {
				return UserGoals{}, err
			}
		}
	}
	out := UserGoals{User: u.Identifier, UserDeleted: u.Deleted, Goals: []Goal{}, History: make([]GoalEvent, len(events))}
	index := map[int64]int{}
	for _, g := range goals {
		if g.ParentID == 0 {
			index[g.ID] = len(out.Goals)
			out.Goals = append(out.Goals, goalView(g, users))
		} else if i, ok := index[g.ParentID]; ok {
			out.Goals[i].KeyResults = append(out.Goals[i].KeyResults, goalView(g, users))
		}
	}
	for i, e := range events {
		author, err := name(e.AuthorID)
		if err != nil {
			return UserGoals{}, err
		}
		out.History[i] = GoalEvent{ID: e.ID, GoalID: e.GoalID, Action: e.Action, Author: author, Actor: e.Actor,
			RequestID: e.RequestID, At: e.At, Changes: e.Changes}
	}
	return out, nil
}

// AddMotivityGoals adds goals to the user in the states they describe.
func (s *Service) AddMotivityGoals(ctx context.Context, identifier string, in []GoalInput) ([]Goal, error) {
	return s.addMotivityGoals(ctx, identifier, in, "operator")
}

func (s *Service) addMotivityGoals(ctx context.Context, identifier string, in []GoalInput, actor string) ([]Goal, error) {
	const op = "operator.AddMotivityGoals"
	if err := storable(op, in); err != nil {
		return nil, err
	}
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return nil, stend.Errorf(stend.KindOf(err), op, "user %q: %v", identifier, stend.KindOf(err))
	}
	now := s.now()
	users := map[int64]string{}
	userID := func(ident string) (int64, error) {
		if ident == "" {
			return 0, nil
		}
		a, err := s.motivityUser(ctx, ident)
		if err != nil {
			return 0, stend.Errorf(stend.KindOf(err), op, "user %q: %v", ident, stend.KindOf(err))
		}
		users[a.ID] = a.Identifier
		return a.ID, nil
	}
	goals := make([]motivity.Goal, len(in))
	for i, g := range in {
		d, ok := stend.ParseDate(g.DeadlineAt)
		if !ok {
			return nil, stend.Errorf(stend.Invalid, op, "goal %d: deadlineAt %q is not YYYY-MM-DD", i, g.DeadlineAt)
		}
		created := now
		if g.CreatedAt != "" {
			t, err := parseInstant(g.CreatedAt)
			if err != nil {
				return nil, stend.Errorf(stend.Invalid, op, "goal %d: createdAt: %v", i, err)
			}
			created = *t
		}
		m := motivity.Goal{Title: strings.TrimSpace(g.Title), Value: g.Value, Progress: g.Progress, ValueUnit: g.ValueUnit,
			Priority: g.Priority, Deadline: d, CreatedAt: created}
		if m.ApprovedBy, err = userID(g.ApprovedBy); err != nil {
			return nil, err
		}
		if m.CompletedBy, err = userID(g.CompletedBy); err != nil {
			return nil, err
		}
		if m.ApprovedBy != 0 {
			m.ApprovedAt = &created
		}
		if m.CompletedBy != 0 {
			m.CompletedAt = &now
		}
		if g.Deleted {
			m.DeletedAt = &now
		}
		for _, kr := range g.KeyResults {
			k := motivity.Goal{Title: strings.TrimSpace(kr.Title), Value: kr.Value, Progress: kr.Progress, ValueUnit: kr.ValueUnit}
			if kr.Deleted {
				k.DeletedAt = &now
			}
			m.KeyResults = append(m.KeyResults, k)
		}
		goals[i] = m
	}
	added, err := motivity.NewService(s.Motivity).ProvisionGoals(ctx, u.ID, goals, motivity.GoalChange{Actor: actor, At: now})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	out := make([]Goal, len(added))
	for i, g := range added {
		out[i] = goalView(g, users)
		for _, kr := range g.KeyResults {
			out[i].KeyResults = append(out[i].KeyResults, goalView(kr, users))
		}
	}
	return out, nil
}

// parseInstant reads RFC 3339, or a day (its 00:00 UTC).
func parseInstant(v string) (*time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	if d, ok := stend.ParseDate(v); ok {
		t := d.Time()
		return &t, nil
	}
	return nil, fmt.Errorf("%q is neither RFC 3339 nor YYYY-MM-DD", v)
}

// SeedGoals are the goals of one user in the seed file. They are added
// when the user has no goals at all (deleted ones included), so that the
// seed can be loaded at every start without adding them twice.
type SeedGoals struct {
	User  string      `json:"user"`
	Goals []GoalInput `json:"goals"`
}

func (s *Service) loadGoalsSeed(ctx context.Context, seeds []SeedGoals) error {
	for _, sg := range seeds {
		u, err := s.motivityUser(ctx, sg.User)
		if err != nil {
			return fmt.Errorf("seed: motivity goals of %q: %w", sg.User, err)
		}
		held, _, err := s.Motivity.GoalRecord(ctx, u.ID)
		if err != nil {
			return err
		}
		if len(held) > 0 {
			continue
		}
		if _, err := s.addMotivityGoals(ctx, sg.User, sg.Goals, "seed"); err != nil {
			return fmt.Errorf("seed: motivity goals of %q: %w", sg.User, err)
		}
	}
	return nil
}

// goalGenerateBatch is the goals of one import transaction.
const goalGenerateBatch = 10_000

// GoalGeneration is what GenerateMotivityGoals makes: Users users
// (user-000001@bench.example.ru …) managed by goals-manager@bench.example.ru,
// each with Active active goals (half approved) and Completed completed
// ones, created over the last year.
type GoalGeneration struct {
	Users     int
	Active    int
	Completed int
	Seed      uint64
}

// GenerateMotivityGoals provisions a platform of many users with goals, for
// benchmarks at volume. Generated goals have no history rows: the public
// API never reads them, and operators see what was generated by the users'
// names. It answers the number of goals made.
func (s *Service) GenerateMotivityGoals(ctx context.Context, g GoalGeneration, progress func(int64)) (int64, error) {
	const op = "operator.GenerateMotivityGoals"
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return 0, err
	}
	if g.Users < 1 || g.Users > 1_000_000 || g.Active < 0 || g.Active > p.GoalLimit || g.Completed < 0 || g.Completed > 10_000 {
		return 0, stend.Errorf(stend.Invalid, op, "users 1 to 1,000,000; active 0 to the limit (%d); completed 0 to 10,000", p.GoalLimit)
	}
	rng := rand.New(rand.NewPCG(g.Seed, g.Seed^0x9e3779b9))
	manager, err := s.PutMotivityUser(ctx, MotivityUserInput{Identifier: "goals-manager@bench.example.ru", Name: new("Руководитель"),
		ManagesGoals: new(true)})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	now := s.now().UTC().Truncate(time.Second)
	today := stend.DateOf(now)
	var done int64
	batch := make([]motivity.Goal, 0, goalGenerateBatch)
	flush := func() error {
		if err := s.Motivity.ImportGoals(ctx, batch); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		done += int64(len(batch))
		batch = batch[:0]
		if progress != nil {
			progress(done)
		}
		return nil
	}
	for i := 1; i <= g.Users; i++ {
		u, err := s.Motivity.CreateUser(ctx, motivity.User{Identifier: fmt.Sprintf("user-%06d@bench.example.ru", i),
			Email: fmt.Sprintf("user-%06d@bench.example.ru", i), Name: fmt.Sprintf("Сотрудник %d", i), Active: true,
			ManagerID: manager.ID, CreatedAt: now})
		if err != nil {
			return done, fmt.Errorf("%s: user %d: %w", op, i, err)
		}
		for k := range g.Completed + g.Active {
			created := now.Add(-time.Duration(1+rng.IntN(365*24)) * time.Hour)
			value := int64(1 + rng.IntN(1000))
			goal := motivity.Goal{UserID: u.ID, Title: fmt.Sprintf("Цель %d", k+1), Value: value, Progress: rng.Int64N(value + 1),
				ValueUnit: motivity.GoalValueUnits[rng.IntN(len(motivity.GoalValueUnits))],
				Priority:  motivity.GoalPriorities[rng.IntN(len(motivity.GoalPriorities))],
				Deadline:  today.AddDays(rng.IntN(365) - 60), CreatedAt: created}
			if k < g.Completed || rng.IntN(2) == 0 {
				goal.ApprovedAt, goal.ApprovedBy = &created, manager.ID
			}
			if k < g.Completed {
				goal.CompletedAt, goal.CompletedBy = &now, manager.ID
			}
			if batch = append(batch, goal); len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return done, err
				}
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return done, err
		}
	}
	return done, s.Motivity.RefreshGoalStatistics(ctx)
}
