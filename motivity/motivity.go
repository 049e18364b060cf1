package motivity

import (
	"context"
	"stend"
	"strings"
	"time"
)

// The Motivity platform: one per deployment. Its public API
// (motivity-public.ru.md) acts on users, badges and points balances that an
// operator provisions; goals, files, quests and reports of the same document
// build on the users defined here (manager, goals permission).

// Locales a new platform accepts in the Locale header, and its default.
// An operator may add languages ("При добавлении на платформу новых языков
// появляется возможность указывать и их в заголовке").
var (
	DefaultLocales = []string{"en", "ru", "uz", "ky"}
	DefaultLocale  = "ru"
)

// Identifier kinds: what the platform's "unique identifier" of a user is.
// The document leaves the choice to the platform; e-mail is the default.
const (
	IdentifierEmail           = "email"
	IdentifierLogin           = "login"
	IdentifierPersonnelNumber = "personnelNumber"
)

// NormalizeIdentifier is how identifiers of kind are compared: e-mail
// addresses without regard to case, as mail systems do; other kinds as
// given, without surrounding spaces.
func NormalizeIdentifier(kind, s string) string {
	s = strings.TrimSpace(s)
	if kind == IdentifierEmail {
		return strings.ToLower(s)
	}
	return s
}

// Platform is the platform's settings. It always exists (a fresh
// store holds the defaults); with no public token set every public request
// is refused.
type Platform struct {
	DefaultLocale string
	Locales       []string
	// IdentifierKind names what User.Identifier holds (IdentifierEmail…).
	IdentifierKind string
	// PublicTokenHash is the SHA-256 of PUBLIC_API_TOKEN; nil: none set.
	PublicTokenHash []byte
	// PrizeCatalogUntil is when the prize-catalog licence expires (the
	// "payment" balance needs it); nil: no licence.
	PrizeCatalogUntil *time.Time
	UpdatedAt         time.Time
}

// PrizeCatalogValid reports whether the prize-catalog licence is held and
// not expired at now.
func (p Platform) PrizeCatalogValid(now time.Time) bool {
	return p.PrizeCatalogUntil != nil && now.Before(*p.PrizeCatalogUntil)
}

// HasLocale reports whether loc is one of the platform's languages.
func (p Platform) HasLocale(loc string) bool {
	for _, l := range p.Locales {
		if l == loc {
			return true
		}
	}
	return false
}

// User is a platform user. Identifier is unique among users that are
// not deleted; a deleted user keeps its rows (ledger, badges) but is "not
// found" to the public API. An inactive (deactivated) user is still found
// where the document says the activity status does not matter.
type User struct {
	ID         int64
	Identifier string
	Email      string
	Name       string
	Active     bool
	Deleted    bool
	// ManagerID is the user's manager (0: none); goals created by the
	// manager are approved at once.
	ManagerID int64
	// ManagesGoals is the permission «План развития \ Управление целями и
	// планами».
	ManagesGoals bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

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

// BalanceType is one of a user's points balances.
type BalanceType string

const (
	BalanceScore   BalanceType = "score"
	BalanceKarma   BalanceType = "karma"
	BalancePayment BalanceType = "payment" // the prize catalog's: needs its licence
)

// BalanceTypes lists every balance a user has, in display order.
var BalanceTypes = []BalanceType{BalanceScore, BalanceKarma, BalancePayment}

// Valid reports whether t names a balance.
func (t BalanceType) Valid() bool {
	for _, b := range BalanceTypes {
		if b == t {
			return true
		}
	}
	return false
}

// PointsItem is one change of a batch. The API validates it first; an item
// it found wrong still goes to the store with Rejected set, so that "User
// not found", which only the store can tell and which comes first, is still
// reported, and the current balance is answered.
type PointsItem struct {
	Identifier string
	Balance    BalanceType // "" when the item names no valid balance
	Amount     int64
	Message    string
	Rejected   bool
}

// PointsBatch is a request's changes, applied in order.
type PointsBatch struct {
	Items     []PointsItem
	Actor     string // who: "public-api", "operator"
	RequestID string
	At        time.Time
}

// PointsOutcome is the fate of one item.
type PointsOutcome struct {
	UserFound bool
	// Balance is the value after the change, or the current one when the
	// change was not made; meaningful when UserFound and the item had a
	// balance type.
	Balance int64
	Applied bool
	// Insufficient: the change would have taken the balance below zero.
	Insufficient bool
}

// Balance is one balance of a user.
type Balance struct {
	Type   BalanceType
	Amount int64
}

// LedgerEntry records one change of a balance: nothing changes a balance
// without one, so a balance always equals the sum of its entries.
type LedgerEntry struct {
	ID           int64
	UserID       int64
	Balance      BalanceType
	Amount       int64
	BalanceAfter int64
	Message      string
	Actor        string
	RequestID    string
	At           time.Time
}

// LedgerFilter narrows a ledger listing; zero fields do not filter.
type LedgerFilter struct {
	UserID  int64
	Balance BalanceType
	AfterID int64
	Limit   int
}

// Store persists the platform. Rules that must hold under
// concurrent writers (a balance never below zero, one grade of a badge per
// user) are enforced inside the store's transactions.
type Store interface {
	MotivityPlatform(ctx context.Context) (Platform, error)
	// UpdateMotivityPlatform replaces the settings. Changing the identifier
	// kind while users exist is a Conflict.
	UpdateMotivityPlatform(ctx context.Context, p Platform) (Platform, error)

	// CreateMotivityUser adds a user with zero balances; an identifier held
	// by a user that is not deleted is a Conflict.
	CreateMotivityUser(ctx context.Context, u User) (User, error)
	// UpdateMotivityUser rewrites u.ID's fields (deleting is Deleted=true).
	UpdateMotivityUser(ctx context.Context, u User) (User, error)
	MotivityUserByID(ctx context.Context, id int64) (User, error)
	// MotivityUserByIdentifier finds the user, not deleted, with identifier.
	MotivityUserByIdentifier(ctx context.Context, identifier string) (User, error)
	MotivityUsers(ctx context.Context, afterID int64, limit int) ([]User, error)

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

	// ApplyPoints applies a batch in order, each item alone: one failing
	// item does not undo the others. Items on one balance apply one after
	// another in request order. Every applied item is one ledger entry.
	ApplyPoints(ctx context.Context, b PointsBatch) ([]PointsOutcome, error)
	Balances(ctx context.Context, userID int64) ([]Balance, error)
	Ledger(ctx context.Context, f LedgerFilter) ([]LedgerEntry, error)
}
