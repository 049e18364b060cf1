package stend

import (
	"context"
	"time"
)

// Lease is a lock by name that nodes sharing one database respect: one
// owner holds it until a time and renews it while it works; a node that
// dies stops renewing, and once the time has passed another node takes it.
type Lease struct {
	Name  string
	Owner string
	Until time.Time
	// Wanted says that another has asked the owner to let go.
	Wanted bool
}

// LeaseStore keeps leases in the database every node shares. The times
// are the callers': every node must read them from clocks that agree (the
// wall clock, which the stand clock's moves do not touch).
type LeaseStore interface {
	// TakeLease makes owner hold name until until, when no one holds it
	// or its holder's lease ended before now; it answers whether owner
	// now holds it.
	TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error)
	// RenewLease extends owner's hold of name to until and answers the
	// lease; NotFound when owner no longer holds it.
	RenewLease(ctx context.Context, name, owner string, until time.Time) (Lease, error)
	// Lease reads name's lease; NotFound when no one holds it.
	Lease(ctx context.Context, name string) (Lease, error)
	// WantLease asks whoever holds name to let go.
	WantLease(ctx context.Context, name string) error
	// ReleaseLease ends owner's hold of name; nothing when owner does not
	// hold it.
	ReleaseLease(ctx context.Context, name, owner string) error
}
