package operator

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"stend"
	"stend/credential"
	"stend/motivity"
)

// The Motivity platform as operators provision it: settings, the public
// token, users, badges; and what they read: balances, badges held, the
// ledger.

// MotivityPlatform is the platform's settings as operators see them: never
// the token, only whether one is set.
type MotivityPlatform struct {
	DefaultLocale     string     `json:"defaultLocale"`
	Locales           []string   `json:"locales"`
	IdentifierKind    string     `json:"identifierKind"`
	PublicTokenSet    bool       `json:"publicTokenSet"`
	PrizeCatalogUntil *time.Time `json:"prizeCatalogUntil"`
	PrizeCatalogValid bool       `json:"prizeCatalogValid"`
	GoalLimit         int        `json:"goalLimit"`
	TimeZone          string     `json:"timeZone"`
	UpdatedAt         time.Time  `json:"updatedAt"`
}

// MotivitySettings changes the platform; absent fields stay as they are.
// PrizeCatalogUntil is an RFC 3339 instant or a day (YYYY-MM-DD, the
// licence then runs to the end of that day, UTC); "" removes the licence.
type MotivitySettings struct {
	DefaultLocale     *string  `json:"defaultLocale,omitempty"`
	Locales           []string `json:"locales,omitempty"`
	IdentifierKind    *string  `json:"identifierKind,omitempty"`
	PrizeCatalogUntil *string  `json:"prizeCatalogUntil,omitempty"`
	// GoalLimit is the most active goals a user may have (1–1000).
	GoalLimit *int `json:"goalLimit,omitempty"`
	// TimeZone (IANA) makes goal deadlines its calendar days and answers
	// goal dates in its offset.
	TimeZone *string `json:"timeZone,omitempty"`
}

// PublicToken is the platform's PUBLIC_API_TOKEN, shown once when set.
type PublicToken struct {
	Token string `json:"token"`
}

func platformView(p motivity.Platform, now time.Time) MotivityPlatform {
	return MotivityPlatform{DefaultLocale: p.DefaultLocale, Locales: p.Locales, IdentifierKind: p.IdentifierKind,
		PublicTokenSet: p.PublicTokenHash != nil, PrizeCatalogUntil: p.PrizeCatalogUntil,
		PrizeCatalogValid: p.PrizeCatalogValid(now), GoalLimit: p.GoalLimit, TimeZone: p.TimeZone, UpdatedAt: p.UpdatedAt}
}

func (s *Service) MotivityPlatform(ctx context.Context) (MotivityPlatform, error) {
	p, err := s.Motivity.Platform(ctx)
	return platformView(p, s.now()), err
}

// UpdateMotivityPlatform applies settings.
func (s *Service) UpdateMotivityPlatform(ctx context.Context, set MotivitySettings) (MotivityPlatform, error) {
	const op = "operator.UpdateMotivityPlatform"
	if err := storable(op, set); err != nil {
		return MotivityPlatform{}, err
	}
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return MotivityPlatform{}, err
	}
	if set.Locales != nil {
		p.Locales = nil
		for _, l := range set.Locales {
			if !slices.Contains(p.Locales, l) {
				p.Locales = append(p.Locales, l)
			}
		}
	}
	if set.DefaultLocale != nil {
		p.DefaultLocale = *set.DefaultLocale
	}
	if set.IdentifierKind != nil {
		p.IdentifierKind = *set.IdentifierKind
	}
	if set.GoalLimit != nil {
		p.GoalLimit = *set.GoalLimit
	}
	if set.TimeZone != nil {
		p.TimeZone = *set.TimeZone
	}
	if set.PrizeCatalogUntil != nil {
		if p.PrizeCatalogUntil, err = parseUntil(*set.PrizeCatalogUntil); err != nil {
			return MotivityPlatform{}, err
		}
	}
	if err := p.Validate(); err != nil {
		return MotivityPlatform{}, fmt.Errorf("%s: %w", op, err)
	}
	p.UpdatedAt = s.now()
	p, err = s.Motivity.UpdatePlatform(ctx, p)
	return platformView(p, s.now()), err
}

func parseUntil(v string) (*time.Time, error) {
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		end := d.AddDate(0, 0, 1)
		return &end, nil
	}
	return nil, stend.Errorf(stend.Invalid, "operator", "prizeCatalogUntil %q is neither RFC 3339 nor YYYY-MM-DD", v)
}

// SetPublicToken makes token the platform's public token, generating one
// when empty; only its hash is kept, so it is shown once.
func (s *Service) SetPublicToken(ctx context.Context, token string) (PublicToken, error) {
	if token == "" {
		token = credential.NewSecret(24)
	}
	if _, err := s.ensurePublicToken(ctx, token); err != nil {
		return PublicToken{}, err
	}
	return PublicToken{Token: token}, nil
}

// ensurePublicToken sets token unless it is the platform's already, and
// reports whether it wrote.
func (s *Service) ensurePublicToken(ctx context.Context, token string) (bool, error) {
	if len(token) < 8 || len(token) > 200 || strings.TrimSpace(token) != token {
		return false, stend.Errorf(stend.Invalid, "operator.SetPublicToken", "the public token must be 8 to 200 characters without surrounding spaces")
	}
	if err := storable("operator.SetPublicToken", map[string]string{"token": token}); err != nil {
		return false, err
	}
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return false, err
	}
	if p.PublicTokenHash != nil && credential.EqualHash(p.PublicTokenHash, s.Keys.Hash(token)) {
		return false, nil
	}
	p.PublicTokenHash = s.Keys.Hash(token)
	p.UpdatedAt = s.now()
	_, err = s.Motivity.UpdatePlatform(ctx, p)
	return err == nil, err
}

// MotivityUserInput creates or updates the user with Identifier. A field
// left out (nil) keeps its value on an update and takes the default on a
// creation (active; no e-mail, name or manager; no goals permission).
// Manager is the manager's identifier; "" removes the manager.
type MotivityUserInput struct {
	Identifier   string  `json:"identifier"`
	Email        *string `json:"email,omitempty"`
	Name         *string `json:"name,omitempty"`
	Active       *bool   `json:"active,omitempty"`
	Manager      *string `json:"manager,omitempty"`
	ManagesGoals *bool   `json:"managesGoals,omitempty"`
}

// replacing is in with every field left out set to its default, so that
// an update makes the user exactly what in describes (the seed's reading).
func (in MotivityUserInput) replacing() MotivityUserInput {
	for _, f := range []**string{&in.Email, &in.Name, &in.Manager} {
		if *f == nil {
			*f = new(string)
		}
	}
	if in.Active == nil {
		in.Active = new(true)
	}
	if in.ManagesGoals == nil {
		in.ManagesGoals = new(false)
	}
	return in
}

// MotivityUser is a user as operators see it.
type MotivityUser struct {
	ID           int64     `json:"id"`
	Identifier   string    `json:"identifier"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Active       bool      `json:"active"`
	Deleted      bool      `json:"deleted"`
	ManagerID    int64     `json:"managerId,omitempty"`
	ManagesGoals bool      `json:"managesGoals"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// MotivityUserDetail adds what the user holds and how the badges came
// and went.
type MotivityUserDetail struct {
	MotivityUser
	Balances     map[motivity.BalanceType]int64 `json:"balances"`
	Badges       []HeldBadge                    `json:"badges"`
	BadgeHistory []BadgeEvent                   `json:"badgeHistory"`
}

// BadgeEvent is one change of a user's badges.
type BadgeEvent struct {
	BadgeID int64     `json:"badgeId"`
	Action  string    `json:"action"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// HeldBadge is a badge a user holds.
type HeldBadge struct {
	BadgeID    int64     `json:"badgeId"`
	AssignedAt time.Time `json:"assignedAt"`
}

func userView(u motivity.User) MotivityUser {
	return MotivityUser(u)
}

// PutMotivityUser creates the user or changes the fields in gives; writing
// nothing when it already matches, so that a seed can be loaded at every
// start.
func (s *Service) PutMotivityUser(ctx context.Context, in MotivityUserInput) (MotivityUser, error) {
	const op = "operator.PutMotivityUser"
	if err := storable(op, in); err != nil {
		return MotivityUser{}, err
	}
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return MotivityUser{}, err
	}
	in.Identifier = motivity.NormalizeIdentifier(p.IdentifierKind, in.Identifier)
	email, name := strings.TrimSpace(deref(in.Email)), strings.TrimSpace(deref(in.Name))
	if err := (motivity.User{Identifier: in.Identifier, Email: email, Name: name}).Validate(p.IdentifierKind); err != nil {
		return MotivityUser{}, fmt.Errorf("%s: %w", op, err)
	}
	if p.IdentifierKind == motivity.IdentifierEmail && email == "" {
		email = in.Identifier
	}
	var managerID int64
	if m := deref(in.Manager); m != "" {
		mu, err := s.Motivity.UserByIdentifier(ctx, motivity.NormalizeIdentifier(p.IdentifierKind, m))
		if err != nil {
			return MotivityUser{}, stend.Errorf(stend.KindOf(err), op, "manager %q: %v", m, stend.KindOf(err))
		}
		managerID = mu.ID
	}
	u, err := s.Motivity.UserByIdentifier(ctx, in.Identifier)
	if stend.IsKind(err, stend.NotFound) {
		u, err = s.Motivity.CreateUser(ctx, motivity.User{Identifier: in.Identifier, Email: email, Name: name,
			Active: in.Active == nil || *in.Active, ManagerID: managerID, ManagesGoals: deref(in.ManagesGoals), CreatedAt: s.now()})
		if stend.IsKind(err, stend.Conflict) {
			return MotivityUser{}, stend.Errorf(stend.Conflict, op, "user %q exists already", in.Identifier)
		}
		return userView(u), err
	}
	if err != nil {
		return MotivityUser{}, err
	}
	want := u
	if in.Email != nil {
		want.Email = email
	}
	if in.Name != nil {
		want.Name = name
	}
	if in.Manager != nil {
		want.ManagerID = managerID
	}
	if in.ManagesGoals != nil {
		want.ManagesGoals = *in.ManagesGoals
	}
	if in.Active != nil {
		want.Active = *in.Active
	}
	if want == u {
		return userView(u), nil
	}
	if err := want.Validate(p.IdentifierKind); err != nil {
		return MotivityUser{}, fmt.Errorf("%s: %w", op, err)
	}
	want.UpdatedAt = s.now()
	u, err = s.Motivity.UpdateUser(ctx, want)
	return userView(u), err
}

// DeleteMotivityUser marks the user deleted: the public API no longer
// finds it; its ledger and badges stay.
func (s *Service) DeleteMotivityUser(ctx context.Context, identifier string) (MotivityUser, error) {
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return MotivityUser{}, err
	}
	u.Deleted, u.UpdatedAt = true, s.now()
	u, err = s.Motivity.UpdateUser(ctx, u)
	return userView(u), err
}

func (s *Service) motivityUser(ctx context.Context, identifier string) (motivity.User, error) {
	if !stend.StorableText(identifier) {
		// No user has such an identifier, and PostgreSQL would refuse to
		// compare it: it is as unknown as any other.
		return motivity.User{}, stend.Errorf(stend.NotFound, "operator", "no such user")
	}
	p, err := s.Motivity.Platform(ctx)
	if err != nil {
		return motivity.User{}, err
	}
	return s.Motivity.UserByIdentifier(ctx, motivity.NormalizeIdentifier(p.IdentifierKind, identifier))
}

func (s *Service) MotivityUsers(ctx context.Context, afterID int64, limit int) ([]MotivityUser, error) {
	us, err := s.Motivity.Users(ctx, afterID, limit)
	return views(us, userView), err
}

// MotivityUser shows a user that is not deleted with balances and badges.
func (s *Service) MotivityUser(ctx context.Context, identifier string) (MotivityUserDetail, error) {
	u, err := s.motivityUser(ctx, identifier)
	if err != nil {
		return MotivityUserDetail{}, err
	}
	bal, err := s.Motivity.Balances(ctx, u.ID)
	if err != nil {
		return MotivityUserDetail{}, err
	}
	held, err := s.Motivity.UserBadges(ctx, u.ID)
	if err != nil {
		return MotivityUserDetail{}, err
	}
	events, err := s.Motivity.BadgeEvents(ctx, u.ID)
	if err != nil {
		return MotivityUserDetail{}, err
	}
	d := MotivityUserDetail{MotivityUser: userView(u), Balances: map[motivity.BalanceType]int64{},
		Badges: views(held, func(b motivity.UserBadge) HeldBadge { return HeldBadge(b) }),
		BadgeHistory: views(events, func(e motivity.BadgeEvent) BadgeEvent {
			return BadgeEvent{BadgeID: e.BadgeID, Action: e.Action, Actor: e.Actor, At: e.At}
		})}
	for _, b := range bal {
		d.Balances[b.Type] = b.Amount
	}
	return d, nil
}

// BadgeInput is a badge with its grades, as the seed file, the operator
// API and `stend motivity badge put --json` take it. ID 0 picks the next
// free id; Texts are by locale and replace the badge's texts.
type BadgeInput struct {
	ID    int64                    `json:"id"`
	Grade int                      `json:"grade,omitempty"`
	Texts map[string]BadgeTextJSON `json:"texts"`
	Image string                   `json:"image"`
	// ImagePath (the seed file's) makes the image one of the platform's
	// files, uploaded from the path (relative to the seed file) unless
	// held already; Image is then "file:<id>".
	ImagePath string       `json:"imagePath,omitempty"`
	Color     *string      `json:"color,omitempty"`
	Active    *bool        `json:"active,omitempty"`
	System    bool         `json:"system,omitempty"`
	Deleted   bool         `json:"deleted,omitempty"`
	Grades    []BadgeInput `json:"grades,omitempty"`
}

// BadgeTextJSON is a badge's wording in one language.
type BadgeTextJSON struct {
	Title            string  `json:"title"`
	Description      *string `json:"description,omitempty"`
	PopupDescription string  `json:"popupDescription"`
}

// Badge is a badge as operators see it.
type Badge struct {
	ID        int64                    `json:"id"`
	ParentID  int64                    `json:"parentId,omitempty"`
	Grade     int                      `json:"grade,omitempty"`
	Texts     map[string]BadgeTextJSON `json:"texts"`
	Image     string                   `json:"image"`
	Color     *string                  `json:"color"`
	Active    bool                     `json:"active"`
	System    bool                     `json:"system"`
	Deleted   bool                     `json:"deleted"`
	Grades    []Badge                  `json:"grades,omitempty"`
	UpdatedAt time.Time                `json:"updatedAt"`
}

func badgeView(b motivity.Badge) Badge {
	v := Badge{ID: b.ID, ParentID: b.ParentID, Grade: b.Grade, Texts: map[string]BadgeTextJSON{}, Image: b.Image, Color: b.Color,
		Active: b.Active, System: b.System, Deleted: b.Deleted, UpdatedAt: b.UpdatedAt}
	for l, t := range b.Texts {
		v.Texts[l] = BadgeTextJSON(t)
	}
	for _, c := range b.Children {
		v.Grades = append(v.Grades, badgeView(c))
	}
	return v
}

// PutBadge creates or rewrites a badge and, recursively, the grades given
// with it.
func (s *Service) PutBadge(ctx context.Context, in BadgeInput) (Badge, error) {
	if err := storable("operator.PutBadge", in); err != nil {
		return Badge{}, err
	}
	return s.putBadge(ctx, in, 0)
}

func (s *Service) putBadge(ctx context.Context, in BadgeInput, parent int64) (Badge, error) {
	const op = "operator.PutBadge"
	if parent != 0 && len(in.Grades) > 0 {
		return Badge{}, stend.Errorf(stend.Invalid, op, "grades nest one level deep")
	}
	b := motivity.Badge{ID: in.ID, ParentID: parent, Grade: in.Grade, Texts: map[string]motivity.BadgeText{}, Image: in.Image, Color: in.Color,
		Active: in.Active == nil || *in.Active, System: in.System, Deleted: in.Deleted}
	for _, l := range slices.Sorted(maps.Keys(in.Texts)) {
		t := in.Texts[l]
		// An empty description is none (null).
		if t.Description != nil && strings.TrimSpace(*t.Description) == "" {
			t.Description = nil
		}
		b.Texts[l] = motivity.BadgeText(t)
	}
	if err := b.Validate(); err != nil {
		return Badge{}, fmt.Errorf("%s: %w", op, err)
	}
	if id, ok := b.ImageFile(); ok {
		if _, err := s.Motivity.File(ctx, id); err != nil {
			return Badge{}, stend.Errorf(stend.Invalid, op, "image %q: the platform holds no file %d", b.Image, id)
		}
	} else if strings.HasPrefix(b.Image, motivity.ImageFilePrefix) {
		return Badge{}, stend.Errorf(stend.Invalid, op, "image %q: a file is named file:<id>", b.Image)
	}
	saved, err := s.Motivity.Badge(ctx, b.ID)
	if b.ID == 0 || err != nil || !sameBadge(saved, b) {
		// Written only when different, so that a seed loaded at every
		// start leaves the badges as they were.
		b.UpdatedAt = s.now()
		if saved, err = s.Motivity.PutBadge(ctx, b); err != nil {
			return Badge{}, err
		}
	}
	out := badgeView(saved)
	for _, g := range in.Grades {
		child, err := s.putBadge(ctx, g, saved.ID)
		if err != nil {
			return Badge{}, err
		}
		out.Grades = append(out.Grades, child)
	}
	return out, nil
}

// sameBadge reports whether stored already holds what b asks for.
func sameBadge(stored, b motivity.Badge) bool {
	stored.Children, stored.CreatedAt, stored.UpdatedAt = nil, time.Time{}, time.Time{}
	return reflect.DeepEqual(stored, b)
}

// Badges lists the badges that are not deleted, with their grades.
func (s *Service) Badges(ctx context.Context) ([]Badge, error) {
	bs, err := s.Motivity.Badges(ctx)
	return views(bs, badgeView), err
}

// views converts what a store returned into what operators see.
func views[T, V any](in []T, view func(T) V) []V {
	out := make([]V, len(in))
	for i, v := range in {
		out[i] = view(v)
	}
	return out
}

// Badge shows one badge, deleted or not.
func (s *Service) Badge(ctx context.Context, id int64) (Badge, error) {
	b, err := s.Motivity.Badge(ctx, id)
	return badgeView(b), err
}

// LedgerEntry is one change of a balance.
type LedgerEntry struct {
	ID           int64                `json:"id"`
	UserID       int64                `json:"userId"`
	BalanceType  motivity.BalanceType `json:"balanceType"`
	Amount       int64                `json:"amount"`
	BalanceAfter int64                `json:"balanceAfter"`
	Message      string               `json:"message"`
	Actor        string               `json:"actor"`
	RequestID    string               `json:"requestId"`
	At           time.Time            `json:"at"`
}

// Ledger lists changes of balances, oldest first, in pages; identifier
// (optional) narrows it to one user.
func (s *Service) Ledger(ctx context.Context, identifier string, balance motivity.BalanceType, afterID int64, limit int) ([]LedgerEntry, error) {
	f := motivity.LedgerFilter{Balance: balance, AfterID: afterID, Limit: limit}
	if balance != "" && !balance.Valid() {
		return nil, stend.Errorf(stend.Invalid, "operator.Ledger", "balanceType must be score, karma or payment")
	}
	if identifier != "" {
		u, err := s.motivityUser(ctx, identifier)
		if err != nil {
			return nil, err
		}
		f.UserID = u.ID
	}
	es, err := s.Motivity.Ledger(ctx, f)
	return views(es, func(e motivity.LedgerEntry) LedgerEntry {
		return LedgerEntry{e.ID, e.UserID, e.Balance, e.Amount, e.BalanceAfter, e.Message, e.Actor, e.RequestID, e.At}
	}), err
}

// deref is *v, or the zero value when v is nil.
func deref[T any](v *T) T {
	if v == nil {
		var zero T
		return zero
	}
	return *v
}

// SeedMotivity is the seed file's Motivity section.
type SeedMotivity struct {
	Platform *SeedMotivityPlatform `json:"platform,omitempty"`
	// Users are created in order; a manager may come after the user.
	Users  []MotivityUserInput `json:"users"`
	Badges []BadgeInput        `json:"badges"`
	// Goals are added to users who have none (see SeedGoals).
	Goals []SeedGoals `json:"goals"`
	// Files are uploaded from paths (relative to the seed file) unless a
	// file of the same name and content is held already.
	Files []SeedFile `json:"files"`
	// Quests are put after the users, badges and goals; a student's steps
	// are played when the seed first assigns them.
	Quests []QuestInput `json:"quests"`
}

// SeedMotivityPlatform is the platform's settings plus its public token
// (generated, and logged once, when the platform has none and the seed
// gives none).
type SeedMotivityPlatform struct {
	MotivitySettings
	PublicToken string `json:"publicToken,omitempty"`
}

func (s *Service) loadMotivitySeed(ctx context.Context, seed SeedMotivity, logger interface{ Info(string, ...any) }) error {
	if seed.Platform != nil {
		if _, err := s.UpdateMotivityPlatform(ctx, seed.Platform.MotivitySettings); err != nil {
			return fmt.Errorf("seed: motivity platform: %w", err)
		}
		if seed.Platform.PublicToken != "" {
			if _, err := s.ensurePublicToken(ctx, seed.Platform.PublicToken); err != nil {
				return fmt.Errorf("seed: motivity public token: %w", err)
			}
		}
	}
	if seed.Platform != nil || len(seed.Users) > 0 || len(seed.Badges) > 0 || len(seed.Goals) > 0 {
		p, err := s.Motivity.Platform(ctx)
		if err != nil {
			return err
		}
		if p.PublicTokenHash == nil {
			t, err := s.SetPublicToken(ctx, "")
			if err != nil {
				return err
			}
			logger.Info("seed: generated the Motivity public token (X-Auth-Token), shown once", "api", "motivity", "token", t.Token)
		}
	}
	// New users first without their managers, so that a manager may come
	// after the user in the file.
	// A user in the seed is what the seed says: a field left out there is
	// its default, not kept.
	for _, u := range seed.Users {
		if _, err := s.motivityUser(ctx, u.Identifier); stend.IsKind(err, stend.NotFound) {
			u = u.replacing()
			u.Manager = nil
			if _, err := s.PutMotivityUser(ctx, u); err != nil {
				return fmt.Errorf("seed: motivity user %q: %w", u.Identifier, err)
			}
		}
	}
	for _, u := range seed.Users {
		if _, err := s.PutMotivityUser(ctx, u.replacing()); err != nil {
			return fmt.Errorf("seed: motivity user %q: %w", u.Identifier, err)
		}
	}
	for _, b := range seed.Badges {
		if _, err := s.PutBadge(ctx, b); err != nil {
			return fmt.Errorf("seed: motivity badge %d: %w", b.ID, err)
		}
	}
	if err := s.loadGoalsSeed(ctx, seed.Goals); err != nil {
		return err
	}
	return s.loadQuestsSeed(ctx, seed.Quests)
}
