package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"stend"
	"stend/store/storetest"
)

// Leases: one owner at a time; a lease that ended is taken over, a live
// one is not; only the owner renews and releases; a request to let go
// reaches the owner and ends with its hold.
func TestLeases(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db, reopen := storetest.Reopenable(t, o.Name)
			other := reopen() // a second node
			ctx := context.Background()
			now := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
			take := func(s stend.LeaseStore, owner string, at time.Time) bool {
				t.Helper()
				ok, err := s.TakeLease(ctx, "x", owner, at, at.Add(time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				return ok
			}
			if !take(db, "a", now) {
				t.Fatal("a free lease was not taken")
			}
			if take(other, "b", now.Add(time.Minute-time.Microsecond)) || take(db, "a2", now) {
				t.Fatal("a live lease was taken")
			}
			if err := other.WantLease(ctx, "x"); err != nil {
				t.Fatal(err)
			}
			l, err := db.RenewLease(ctx, "x", "a", now.Add(2*time.Minute))
			if err != nil || l.Owner != "a" || !l.Wanted || !l.Until.Equal(now.Add(2*time.Minute)) {
				t.Fatalf("renewed: %+v %v", l, err)
			}
			if _, err := other.RenewLease(ctx, "x", "b", now.Add(time.Hour)); !stend.IsKind(err, stend.NotFound) {
				t.Fatalf("renewed by another: %v", err)
			}
			if err := other.ReleaseLease(ctx, "x", "b"); err != nil {
				t.Fatal(err)
			}
			if l, err := other.Lease(ctx, "x"); err != nil || l.Owner != "a" {
				t.Fatalf("released by another: %+v %v", l, err)
			}
			// a's node dies: its lease ends unrenewed and b takes it over,
			// without a's request to let go.
			if !take(other, "b", now.Add(2*time.Minute+time.Microsecond)) {
				t.Fatal("an ended lease was not taken over")
			}
			if l, err := db.Lease(ctx, "x"); err != nil || l.Owner != "b" || l.Wanted {
				t.Fatalf("taken over: %+v %v", l, err)
			}
			if _, err := db.RenewLease(ctx, "x", "a", now.Add(time.Hour)); !stend.IsKind(err, stend.NotFound) {
				t.Fatalf("renewed after it was lost: %v", err)
			}
			if err := other.ReleaseLease(ctx, "x", "b"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Lease(ctx, "x"); !stend.IsKind(err, stend.NotFound) {
				t.Fatalf("released: %v", err)
			}
			if !take(db, "c", now) {
				t.Fatal("a released lease was not taken")
			}
		})
	}
}
