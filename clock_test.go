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
	off       time.Duration
	onAdvance func()
}

func (o *offsets) ClockOffset(context.Context) (time.Duration, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.off, nil
}

func (o *offsets) AdvanceClock(_ context.Context, by time.Duration) (time.Duration, error) {
	o.mu.Lock()
	o.off += by
	off := o.off
	o.mu.Unlock()
	if o.onAdvance != nil {
		o.onAdvance()
	}
	return off, nil
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
