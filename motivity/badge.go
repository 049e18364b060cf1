package motivity

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"stend"
)

// BadgeText is a badge's wording in one language.
type BadgeText struct {
	Title            string
	Description      *string // nil: no description (the API answers null)
	PopupDescription string
}

// Badge is a badge, or one grade of a multi-level badge (ParentID set, Grade
// from 1). A badge with grades is a parent: it is never assigned itself.
type Badge struct {
	ID       int64
	ParentID int64
	Grade    int
	Texts    map[string]BadgeText // by locale
	Image    string               // URL of the picture
	Color    *string              // nil: no colour
	Active   bool
	System   bool
	Deleted  bool
	// Children are the grades, by grade, when loaded through Badges.
	Children  []Badge
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ImageFilePrefix marks a badge image kept as one of the platform's files:
// "file:12" is file 12, answered as a link to it.
const ImageFilePrefix = "file:"

// ImageFile is the file a badge's image names, if it names one.
func (b Badge) ImageFile() (int64, bool) {
	rest, ok := strings.CutPrefix(b.Image, ImageFilePrefix)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// BadgeRefusal says why a badge cannot be assigned or removed; several may
// hold at once and the API reports each.
type BadgeRefusal struct {
	NotFound bool // no such badge, or deleted
	Inactive bool
	System   bool
	Parent   bool // has grades: one of them must be chosen
}

func (r *BadgeRefusal) Error() string { return "badge cannot be assigned or removed" }

func (r *BadgeRefusal) ErrorKind() stend.Kind { return stend.Invalid }

// BadgeOutcome is the result for one requested user, in request order.
type BadgeOutcome struct {
	Identifier string
	Found      bool // false: no such user, or deleted
	// HigherGrade: the user holds a higher grade of the same badge, so a
	// lower one was not assigned.
	HigherGrade bool
}

// BadgeChange asks for a badge to be assigned to or removed from users.
type BadgeChange struct {
	BadgeID     int64
	Identifiers []string
	// AllowInactive lets an inactive badge through (removal: the document's
	// conditions for removal do not mention activity).
	AllowInactive bool
	Actor         string
	At            time.Time
}

// UserBadge is a badge a user holds.
type UserBadge struct {
	BadgeID    int64
	AssignedAt time.Time
}

// BadgeEvent is one change of the badges a user holds: "assigned",
// "replaced" (a grade taken away by another grade of the same badge) or
// "removed".
type BadgeEvent struct {
	ID      int64
	UserID  int64
	BadgeID int64
	Action  string
	Actor   string
	At      time.Time
}

// HeldBadge is a badge, or a grade of one, that a user holds, as a change
// of its badge sees it.
type HeldBadge struct {
	UserID, BadgeID int64
	Grade           int
	// Deleted: the held badge was deleted since.
	Deleted bool
}

// Holding is one badge of one user.
type Holding struct{ UserID, BadgeID int64 }

// BadgeTx holds the steps of a badge change, run in one transaction by
// Service.AssignBadge and Service.RemoveBadge.
type BadgeTx interface {
	// ChangedBadge reads the badge a change names, a grade deleted when
	// its badge is, and how many live grades it has. NotFound when there
	// is no such badge.
	ChangedBadge(ctx context.Context, id int64) (b Badge, grades int, err error)
	// LockUsers finds the users, not deleted, with these identifiers and
	// locks them in one order, so that changes on the same users (badges or
	// points, on any node) wait for each other. ids maps each found
	// identifier to its user; users lists them in lock order.
	LockUsers(ctx context.Context, identifiers []string) (ids map[string]int64, users []int64, err error)
	// HeldBadges lists what users hold of badgeID and, when parentID is
	// not 0, of the other grades of parentID.
	HeldBadges(ctx context.Context, users []int64, badgeID, parentID int64) ([]HeldBadge, error)
	DeleteHoldings(ctx context.Context, h []Holding) error
	InsertHoldings(ctx context.Context, users []int64, badgeID int64, at time.Time) error
	// InsertBadgeEvents records changes (UserID, BadgeID, Action of each).
	InsertBadgeEvents(ctx context.Context, events []BadgeEvent, actor string, at time.Time) error
}

// BadgeStore keeps badges and who holds them.
type BadgeStore interface {
	// PutBadge creates (ID 0: the next free id) or rewrites a badge,
	// texts included.
	PutBadge(ctx context.Context, b Badge) (Badge, error)
	Badge(ctx context.Context, id int64) (Badge, error)
	// Badges lists badges that are not deleted, top level first by id, each
	// with its grades that are not deleted.
	Badges(ctx context.Context) ([]Badge, error)

	UserBadges(ctx context.Context, userID int64) ([]UserBadge, error)
	// BadgeEvents is the user's badge history, oldest first.
	BadgeEvents(ctx context.Context, userID int64) ([]BadgeEvent, error)
}

// Validate checks a badge or a grade: a grade (ParentID set) has a grade
// from 1, a badge none; texts in at least one language, each with a title
// and a popup description (the API picks one language per badge and must
// never show an empty one); bounded lengths; no U+0000.
func (b Badge) Validate() error {
	const op = "motivity.Badge"
	switch {
	case b.ID < 0:
		return stend.Errorf(stend.Invalid, op, "id must be positive (0: the next free id)")
	case b.ParentID < 0 || b.ParentID != 0 && b.ParentID == b.ID:
		return stend.Errorf(stend.Invalid, op, "bad badge or parent id")
	case b.ParentID != 0 && b.Grade < 1:
		return stend.Errorf(stend.Invalid, op, "a grade needs grade 1 or more")
	case b.ParentID == 0 && b.Grade != 0:
		return stend.Errorf(stend.Invalid, op, "grade is for the grades of a badge (in its grades)")
	case len(b.Texts) == 0:
		return stend.Errorf(stend.Invalid, op, "texts: at least one language is required")
	case len(b.Image) > 2000 || b.Color != nil && len(*b.Color) > 32:
		return stend.Errorf(stend.Invalid, op, "image or color too long")
	case hasNUL(b.Image) || b.Color != nil && hasNUL(*b.Color):
		return stend.Errorf(stend.Invalid, op, "texts may not contain U+0000")
	}
	for _, l := range slices.Sorted(maps.Keys(b.Texts)) {
		t := b.Texts[l]
		description := ""
		if t.Description != nil {
			description = *t.Description
		}
		if !ValidLocale(l) || strings.TrimSpace(t.Title) == "" || strings.TrimSpace(t.PopupDescription) == "" || len(t.Title) > 500 ||
			len(t.PopupDescription) > 2000 || len(description) > 2000 || hasNUL(t.Title, t.PopupDescription, description) {
			return stend.Errorf(stend.Invalid, op, "texts.%s: a language code, a title and a popup description are required; title at most 500 bytes, descriptions 2000, no U+0000", l)
		}
	}
	return nil
}

// AssignBadge gives a badge to users, in one transaction. It answers a
// *BadgeRefusal when the badge cannot be assigned (not found or deleted,
// inactive, system, or a badge with grades, of which one must be chosen),
// and else one outcome per identifier, in order. One grade of a badge per
// user: a lower grade held is replaced (and recorded as such), a higher one
// keeps the user from getting this one (HigherGrade); a grade whose badge
// was deleted since is replaced whatever its grade.
func (s *Service) AssignBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error) {
	return s.changeBadge(ctx, c, func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error) {
		held, err := tx.HeldBadges(ctx, users, badge.ID, badge.ParentID)
		if err != nil {
			return nil, err
		}
		has := map[int64]bool{}
		higher := map[int64]bool{}
		others := map[int64][]int64{}
		for _, h := range held {
			switch {
			case h.BadgeID == badge.ID:
				has[h.UserID] = true
			case !h.Deleted && h.Grade > badge.Grade:
				higher[h.UserID] = true
			default:
				others[h.UserID] = append(others[h.UserID], h.BadgeID)
			}
		}
		var assign []int64
		var replaced []Holding
		var events []BadgeEvent
		for _, u := range users {
			if higher[u] {
				continue
			}
			for _, old := range others[u] {
				replaced = append(replaced, Holding{u, old})
				events = append(events, BadgeEvent{UserID: u, BadgeID: old, Action: "replaced"})
			}
			if !has[u] {
				assign = append(assign, u)
				events = append(events, BadgeEvent{UserID: u, BadgeID: badge.ID, Action: "assigned"})
			}
		}
		if len(replaced) > 0 {
			if err := tx.DeleteHoldings(ctx, replaced); err != nil {
				return nil, err
			}
		}
		if len(assign) > 0 {
			if err := tx.InsertHoldings(ctx, assign, badge.ID, c.At); err != nil {
				return nil, err
			}
		}
		if len(events) > 0 {
			if err := tx.InsertBadgeEvents(ctx, events, c.Actor, c.At); err != nil {
				return nil, err
			}
		}
		return higher, nil
	})
}

// RemoveBadge takes a badge from users, in one transaction; refusals and
// outcomes as for AssignBadge (an inactive badge may be removed when
// c.AllowInactive says so).
func (s *Service) RemoveBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error) {
	return s.changeBadge(ctx, c, func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error) {
		held, err := tx.HeldBadges(ctx, users, badge.ID, 0)
		if err != nil || len(held) == 0 {
			return nil, err
		}
		holdings := make([]Holding, len(held))
		events := make([]BadgeEvent, len(held))
		for i, h := range held {
			holdings[i] = Holding{h.UserID, h.BadgeID}
			events[i] = BadgeEvent{UserID: h.UserID, BadgeID: h.BadgeID, Action: "removed"}
		}
		if err := tx.DeleteHoldings(ctx, holdings); err != nil {
			return nil, err
		}
		return nil, tx.InsertBadgeEvents(ctx, events, c.Actor, c.At)
	})
}

// changeBadge checks the badge, finds and locks the users, and runs apply
// with the live ones; apply answers the users it refused for holding a
// higher grade.
func (s *Service) changeBadge(ctx context.Context, c BadgeChange,
	apply func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error)) ([]BadgeOutcome, error) {
	out := make([]BadgeOutcome, len(c.Identifiers))
	err := s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		badge, grades, err := tx.ChangedBadge(ctx, c.BadgeID)
		if stend.IsKind(err, stend.NotFound) || err == nil && badge.Deleted {
			return &BadgeRefusal{NotFound: true}
		}
		if err != nil {
			return err
		}
		r := BadgeRefusal{Inactive: !badge.Active && !c.AllowInactive, System: badge.System, Parent: grades > 0}
		if r != (BadgeRefusal{}) {
			return &r
		}
		ids, users, err := tx.LockUsers(ctx, c.Identifiers)
		var higher map[int64]bool
		if err == nil && len(users) > 0 {
			higher, err = apply(ctx, tx, badge, users)
		}
		for i, ident := range c.Identifiers {
			id, ok := ids[ident]
			out[i] = BadgeOutcome{Identifier: ident, Found: ok, HigherGrade: ok && higher[id]}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
