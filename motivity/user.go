package motivity

import (
	"context"
	"strings"
	"time"

	"stend"
)

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

// UserStore keeps users. Rules that must hold under concurrent writers (an
// identifier held once among users that are not deleted) are enforced
// inside its transactions.
type UserStore interface {
	// CreateUser adds a user with zero balances; an identifier held
	// by a user that is not deleted is a Conflict.
	CreateUser(ctx context.Context, u User) (User, error)
	// UpdateUser rewrites u.ID's fields (deleting is Deleted=true).
	UpdateUser(ctx context.Context, u User) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	// UserByIdentifier finds the user, not deleted, with identifier.
	UserByIdentifier(ctx context.Context, identifier string) (User, error)
	// UserByIdentifierAny finds the user with identifier, or, when none
	// that is not deleted has it, the last deleted one that had it.
	UserByIdentifierAny(ctx context.Context, identifier string) (User, error)
	Users(ctx context.Context, afterID int64, limit int) ([]User, error)
}

// Validate checks a user as the platform identifies users (kind): an
// identifier of at most 254 bytes, an e-mail address where users are
// identified by e-mail, bounded e-mail and name, no U+0000 (which
// PostgreSQL cannot store: refused on both stores alike), and not its own
// manager.
func (u User) Validate(kind string) error {
	const op = "motivity.User"
	switch {
	case u.Identifier == "" || len(u.Identifier) > 254:
		return stend.Errorf(stend.Invalid, op, "identifier is required, at most 254 bytes")
	case kind == IdentifierEmail && !strings.Contains(u.Identifier, "@"):
		return stend.Errorf(stend.Invalid, op, "users are identified by e-mail: %q is not one", u.Identifier)
	case len(u.Email) > 254 || len(u.Name) > 500:
		return stend.Errorf(stend.Invalid, op, "email or name too long")
	case hasNUL(u.Identifier, u.Email, u.Name):
		return stend.Errorf(stend.Invalid, op, "texts may not contain U+0000")
	case u.ID != 0 && u.ManagerID == u.ID:
		return stend.Errorf(stend.Invalid, op, "a user cannot be their own manager")
	}
	return nil
}
