// Package stend holds what every domain of the stand shares: the closed
// set of error kinds, the stand's clock, the ID source, civil dates and
// the job queue's types. It imports only the standard library, so that
// domains, their published APIs and the stores can all depend on it
// (docs/architecture.md).
package stend

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"sync/atomic"
	"time"
)

// Clock answers "now". The stand runs on one: StandClock; its base is the
// wall clock (SystemClock), or in tests a clock the test sets.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// IDSource makes the identifiers clients see, injectable so that tests and a
// sandbox can predict them.
type IDSource interface {
	NewGUID() string
}

// RandomHex is n bytes from crypto/rand in lower-case hex: names that must
// not collide (request ids, owners of leases and pauses, scratch stands).
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RandomIDs draws identifiers from crypto/rand.
type RandomIDs struct{}

// NewGUID returns an upper-case GUID, the form the FSSP samples use.
func (RandomIDs) NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 36)
	for i, v := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, digits[v>>4], digits[v&0x0f])
	}
	return string(out)
}

// ClockState is the stand clock's offset from real time and the number of
// changes made to it, by which nodes tell a newer offset from an older one
// (the offset alone does not say: the clock can be set back).
type ClockState struct {
	Offset  time.Duration
	Version int64
}

// ClockStore keeps the stand clock's offset from real time where every
// node of a deployment reads it: the database.
type ClockStore interface {
	ClockState(ctx context.Context) (ClockState, error)
	// AdvanceClock adds by to the offset in one statement, so that two
	// operators moving the clock at once both count, and answers the new
	// state. In the same transaction it moves the leases of running jobs
	// by as much: on the moved clock they would all look expired, and
	// another node would take over jobs that are running.
	AdvanceClock(ctx context.Context, by time.Duration) (ClockState, error)
	// SetClockOffset makes the offset off, of either sign (0: real time),
	// moving the running jobs' leases by the difference, and answers the
	// new state.
	SetClockOffset(ctx context.Context, off time.Duration) (ClockState, error)
}

// StandClock is the stand's one clock: the time of base (the wall clock in
// production) moved by an offset kept in the database, so that every node
// agrees on "now" and an operator can move the whole stand's time at once.
// Each node caches the offset and refreshes it (Follow); after a move, what
// depends on time on this node (purges, deadlines, the job runner) is told
// through OnMove.
type StandClock struct {
	base    Clock
	store   ClockStore
	offset  atomic.Int64 // nanoseconds
	version int64        // of the offset taken (-1: none yet); guarded by moving

	mu    sync.Mutex
	hooks []func(ctx context.Context)
	// moving is held while a new offset is taken and its hooks run, so
	// that a move Follow noticed first has run its hooks before Advance,
	// which waits here, answers.
	moving sync.Mutex
}

// NewStandClock reads the offset kept in store; base nil is the wall clock.
func NewStandClock(ctx context.Context, base Clock, store ClockStore) (*StandClock, error) {
	if base == nil {
		base = SystemClock{}
	}
	c := &StandClock{base: base, store: store, version: -1}
	return c, c.Refresh(ctx)
}

func (c *StandClock) Now() time.Time { return c.base.Now().Add(c.Offset()) }

// Offset is how far the stand's time is ahead of base's.
func (c *StandClock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// Base is the clock the stand's time is moved from: the wall clock, which
// measures what moving the stand's time must not change (leases).
func (c *StandClock) Base() Clock { return c.base }

// OnMove registers fn to run each time this node learns that the clock
// moved: at once after Advance here, within FollowEvery on the others.
func (c *StandClock) OnMove(fn func(ctx context.Context)) {
	c.mu.Lock()
	c.hooks = append(c.hooks, fn)
	c.mu.Unlock()
}

// Advance moves the stand's time forward by by, for every node, and runs
// this node's OnMove hooks before it returns: when it answers, what the
// move made due here (a purge, a deadline, a job) has run or been woken.
func (c *StandClock) Advance(ctx context.Context, by time.Duration) (time.Duration, error) {
	if by <= 0 {
		return c.Offset(), Errorf(Invalid, "stend.Advance", "the clock moves forward by a positive duration (got %s); set it to go back", by)
	}
	st, err := c.store.AdvanceClock(ctx, by)
	if err != nil {
		return c.Offset(), err
	}
	c.apply(ctx, st)
	return st.Offset, nil
}

// Set makes the stand's time at for every node (at zero: real time again),
// and runs this node's OnMove hooks before it returns. Setting it back is
// the operator's choice: instants stored meanwhile (expiries, retention,
// jobs due) then lie ahead, and come due again as time catches up.
func (c *StandClock) Set(ctx context.Context, at time.Time) (time.Duration, error) {
	var off time.Duration
	if !at.IsZero() {
		off = at.Sub(c.base.Now()).Truncate(time.Microsecond)
	}
	st, err := c.store.SetClockOffset(ctx, off)
	if err != nil {
		return c.Offset(), err
	}
	c.apply(ctx, st)
	return st.Offset, nil
}

// Refresh reads the offset again and runs the hooks if it changed.
func (c *StandClock) Refresh(ctx context.Context) error {
	st, err := c.store.ClockState(ctx)
	if err != nil {
		return err
	}
	c.apply(ctx, st)
	return nil
}

func (c *StandClock) apply(ctx context.Context, st ClockState) {
	c.moving.Lock()
	defer c.moving.Unlock()
	// A stale read (Refresh racing a newer change) never undoes a change:
	// only a later version is taken.
	if st.Version <= c.version {
		return
	}
	c.version = st.Version
	if c.offset.Swap(int64(st.Offset)) == int64(st.Offset) {
		return
	}
	c.mu.Lock()
	hooks := append([]func(context.Context){}, c.hooks...)
	c.mu.Unlock()
	for _, fn := range hooks {
		fn(ctx)
	}
}

// FollowEvery is how often a node reads the offset again: another node's
// move reaches it within this time (and one database round trip).
const FollowEvery = 500 * time.Millisecond

// Follow refreshes the offset every FollowEvery until ctx ends.
func (c *StandClock) Follow(ctx context.Context, onError func(error)) {
	t := time.NewTicker(FollowEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.Refresh(ctx); err != nil && ctx.Err() == nil && onError != nil {
				onError(err)
			}
		}
	}
}
