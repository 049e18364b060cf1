package http

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/store/storetest"
)

// The holder of a tus lock whose renewal hangs (a database behind a
// partition) is asked to stop a third of a lease before the lease it was
// sent ends, without waiting for the call; another node takes the lock
// once the lease has ended, and the holder's Unlock does not wait for the
// hung call either. The lease is timed from the value sent to TakeLease,
// not from when its answer arrived (the take here takes a second). Before:
// the holder waited for the hung renewal for ever, never asked its request
// to stop, and two nodes wrote the upload.
func TestTusLockHungRenewal(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db, reopen := storetest.Reopenable(t, o.Name)
			other := reopen()
			clock := &lockClock{t: start}
			leases := &hungLeases{LeaseStore: db, clock: clock, renewing: make(chan struct{}), hang: make(chan struct{})}
			t.Cleanup(func() { close(leases.hang) })
			a := newTusLocker(leases, clock, quietLogger())
			b := newTusLocker(other, clock, quietLogger())
			la, _ := a.NewLock("u1")
			asked := make(chan struct{})
			if err := la.Lock(context.Background(), sync.OnceFunc(func() { close(asked) })); err != nil {
				t.Fatal(err)
			}
			// Sent: start+15 s. A renewal is due two thirds of a lease
			// before that.
			clock.Set(start.Add(tusLease/3 + time.Second/2))
			await(t, leases.renewing, "the renewal")
			clock.Set(start.Add(tusLease - tusRenewMargin))
			await(t, asked, "the holder asked to stop")
			clock.Set(start.Add(tusLease + time.Second))
			lb, _ := b.NewLock("u1")
			if err := lb.Lock(context.Background(), func() {}); err != nil {
				t.Fatalf("b: %v", err)
			}
			unlocked := make(chan struct{})
			go func() { _ = la.Unlock(); close(unlocked) }()
			await(t, unlocked, "a's Unlock beside the hung renewal")
			if l, err := other.Lease(context.Background(), tusLockName("u1")); err != nil || l.Owner != lb.(*tusLock).owner {
				t.Fatalf("b's lease after a's Unlock: %+v %v", l, err)
			}
			if err := lb.Unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A renewal that fails is logged (warn), and the holder is asked to stop
// a third of a lease before it ends when none has succeeded.
func TestTusLockFailedRenewal(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := &lockClock{t: start}
			logged := make(chan slog.Record, 16)
			a := newTusLocker(failingRenewals{o.Open(t)}, clock, slog.New(recordHandler(logged)))
			la, _ := a.NewLock("u1")
			asked := make(chan struct{})
			if err := la.Lock(context.Background(), sync.OnceFunc(func() { close(asked) })); err != nil {
				t.Fatal(err)
			}
			clock.Set(start.Add(tusLease/3 + time.Second))
			awaitLog(t, logged, "could not be renewed")
			clock.Set(start.Add(tusLease - tusRenewMargin))
			await(t, asked, "the holder asked to stop")
			awaitLog(t, logged, "not renewed in time")
			if err := la.Unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A take that committed but whose answer came after the request's context
// had ended leaves no lease behind: the lock is released at once, not 15 s
// later.
func TestTusLockTakeAnswerLost(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx, cancel := context.WithCancel(context.Background())
			a := newTusLocker(lostTakes{db, cancel}, &lockClock{t: start}, quietLogger())
			la, _ := a.NewLock("u1")
			if err := la.Lock(ctx, func() {}); err == nil {
				t.Fatal("locked with the request gone")
			}
			if l, err := db.Lease(context.Background(), tusLockName("u1")); !stend.IsKind(err, stend.NotFound) {
				t.Fatalf("the lease left: %+v %v", l, err)
			}
			// And this node's next request has the lock.
			b := newTusLocker(db, &lockClock{t: start}, quietLogger())
			lb, _ := b.NewLock("u1")
			if err := lb.Lock(context.Background(), func() {}); err != nil {
				t.Fatal(err)
			}
			_ = lb.Unlock()
		})
	}
}

var start = time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)

// hungLeases is a node whose database takes a second (of its clock) to
// take a lease and stops answering renewals: a renewal returns only when
// the test ends, whatever its context says.
type hungLeases struct {
	stend.LeaseStore
	clock    *lockClock
	renewing chan struct{} // closed at the first renewal
	once     sync.Once
	hang     chan struct{}
}

func (h *hungLeases) TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	ok, err := h.LeaseStore.TakeLease(ctx, name, owner, now, until)
	h.clock.Set(now.Add(time.Second))
	return ok, err
}

func (h *hungLeases) RenewLease(ctx context.Context, name, owner string, until time.Time) (stend.Lease, error) {
	h.once.Do(func() { close(h.renewing) })
	<-h.hang
	return stend.Lease{}, stend.Errorf(stend.Unavailable, "hungLeases", "no answer")
}

// failingRenewals is a database that refuses renewals at once.
type failingRenewals struct{ stend.LeaseStore }

func (failingRenewals) RenewLease(context.Context, string, string, time.Time) (stend.Lease, error) {
	return stend.Lease{}, stend.Errorf(stend.Unavailable, "failingRenewals", "connection refused")
}

// lostTakes commits a take, then the request's context ends before the
// answer arrives.
type lostTakes struct {
	stend.LeaseStore
	endRequest context.CancelFunc
}

func (l lostTakes) TakeLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	if _, err := l.LeaseStore.TakeLease(context.Background(), name, owner, now, until); err != nil {
		return false, err
	}
	l.endRequest()
	return false, stend.Errorf(stend.Unavailable, "lostTakes", "%v", ctx.Err())
}

type lockClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *lockClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *lockClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// recordHandler hands the records logged to a channel (dropping those it
// has no room for).
type recordHandler chan slog.Record

func (h recordHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h <- r:
	default:
	}
	return nil
}
func (h recordHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h recordHandler) WithGroup(string) slog.Handler      { return h }

// await waits for ch to close; the bound only ends a test that would
// otherwise hang (the signal comes within a poll of 100 ms).
func await(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: not within 10 s", what)
	}
}

// awaitLog waits for a warning whose message holds text.
func awaitLog(t *testing.T, logged <-chan slog.Record, text string) {
	t.Helper()
	bound := time.After(10 * time.Second)
	for {
		select {
		case r := <-logged:
			if r.Level == slog.LevelWarn && strings.Contains(r.Message, text) {
				return
			}
		case <-bound:
			t.Fatalf("no warning %q within 10 s", text)
		}
	}
}
