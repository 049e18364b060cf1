package motivity

import (
	"context"
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

// BadgeStore keeps badges and who holds them; one grade of a badge per user is
// enforced inside its transactions.
type BadgeStore interface {
	// PutBadge creates (ID 0: the next free id) or rewrites a badge,
	// texts included.
	PutBadge(ctx context.Context, b Badge) (Badge, error)
	Badge(ctx context.Context, id int64) (Badge, error)
	// Badges lists badges that are not deleted, top level first by id, each
	// with its grades that are not deleted.
	Badges(ctx context.Context) ([]Badge, error)

	// AssignBadge and RemoveBadge answer a *BadgeRefusal when the badge
	// cannot be used, else one outcome per identifier in order.
	AssignBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error)
	RemoveBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error)
	UserBadges(ctx context.Context, userID int64) ([]UserBadge, error)
	// BadgeEvents is the user's badge history, oldest first.
	BadgeEvents(ctx context.Context, userID int64) ([]BadgeEvent, error)
}
