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
