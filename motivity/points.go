package motivity

import (
	"context"
	"time"
)

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

// PointsStore keeps balances and their ledger; a balance never goes below zero
// under concurrent writers.
type PointsStore interface {
	// ApplyPoints applies a batch in order, each item alone: one failing
	// item does not undo the others. Items on one balance apply one after
	// another in request order. Every applied item is one ledger entry.
	ApplyPoints(ctx context.Context, b PointsBatch) ([]PointsOutcome, error)
	Balances(ctx context.Context, userID int64) ([]Balance, error)
	Ledger(ctx context.Context, f LedgerFilter) ([]LedgerEntry, error)
}
