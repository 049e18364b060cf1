package stend_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"stend"
)

// offsets is a ClockStore in memory; onAdvance runs inside AdvanceClock,
// after the new offset is stored, as another node's Follow could read it.
type offsets struct {
	mu        sync.Mutex
	st        stend.ClockState
	onAdvance func()
}

func (o *offsets) ClockState(context.Context) (stend.ClockState, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.st, nil
}

func (o *offsets) AdvanceClock(_ context.Context, by time.Duration) (stend.ClockState, error) {
	o.mu.Lock()
	o.st.Offset += by
	o.st.Version++
	st := o.st
	o.mu.Unlock()
	if o.onAdvance != nil {
		o.onAdvance()
	}
	return st, nil
}

func (o *offsets) SetClockOffset(_ context.Context, off time.Duration) (stend.ClockState, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.st.Offset = off
	o.st.Version++
	return o.st, nil
}

type fixed time.Time

func (f fixed) Now() time.Time { return time.Time(f) }

// TestAdvanceAnswersAfterItsHooks: when the node's own Follow sees a move
// first and runs the hooks, Advance still answers only once they are done,
// and they run once.
func TestAdvanceAnswersAfterItsHooks(t *testing.T) {
	start := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	store := &offsets{}
	ctx := context.Background()
	c, err := stend.NewStandClock(ctx, fixed(start), store)
	if err != nil {
		t.Fatal(err)
	}
	hookStarted, release := make(chan struct{}), make(chan struct{})
	var runs int
	c.OnMove(func(context.Context) {
		runs++
		close(hookStarted)
		<-release
	})
	store.onAdvance = func() {
		go func() { _ = c.Refresh(ctx) }() // Follow, reading the new offset first
		<-hookStarted
	}
	answered := make(chan time.Duration)
	go func() {
		off, err := c.Advance(ctx, 25*time.Hour)
		if err != nil {
			t.Error(err)
		}
		answered <- off
	}()
	<-hookStarted
	select {
	case <-answered:
		t.Fatal("Advance answered while the move's hooks were still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if off := <-answered; off != 25*time.Hour || runs != 1 || !c.Now().Equal(start.Add(25*time.Hour)) {
		t.Fatalf("offset %v, hooks run %d times, now %v", off, runs, c.Now())
	}
	if _, err := c.Advance(ctx, -time.Hour); !stend.IsKind(err, stend.Invalid) {
		t.Fatalf("moving back: %v", err)
	}
}

// The clock can be set to any time, back too, and released to real time;
// a node takes the latest change even when its offset is smaller, and a
// stale read never undoes a newer change.
func TestSetAndRelease(t *testing.T) {
	start := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	store := &offsets{}
	ctx := context.Background()
	c, err := stend.NewStandClock(ctx, fixed(start), store)
	if err != nil {
		t.Fatal(err)
	}
	moves := 0
	c.OnMove(func(context.Context) { moves++ })
	if _, err := c.Advance(ctx, 48*time.Hour); err != nil {
		t.Fatal(err)
	}
	back := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := c.Set(ctx, back); err != nil || !c.Now().Equal(back) {
		t.Fatalf("set back: now %v, %v", c.Now(), err)
	}
	// Another node, which saw only the first change, follows the second.
	other, err := stend.NewStandClock(ctx, fixed(start), store)
	if err != nil || !other.Now().Equal(back) {
		t.Fatalf("another node: %v, %v", other.Now(), err)
	}
	if _, err := c.Set(ctx, time.Time{}); err != nil || !c.Now().Equal(start) || c.Offset() != 0 {
		t.Fatalf("released: now %v, offset %v, %v", c.Now(), c.Offset(), err)
	}
	if err := other.Refresh(ctx); err != nil || !other.Now().Equal(start) {
		t.Fatalf("another node after the release: %v, %v", other.Now(), err)
	}
	if moves != 3 {
		t.Fatalf("hooks ran %d times for 3 moves", moves)
	}
}
