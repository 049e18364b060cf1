package credential

import (
	"errors"
	"runtime"
	"testing"
	"time"
)

// Beyond the running and the waiting, callers are refused at once instead
// of queueing without bound.
func TestGateRefusesBeyondItsQueue(t *testing.T) {
	g := newGate(1, 2500*time.Millisecond)
	g.turn = time.Second // as if each check had taken a second
	first, err := g.enter()
	if err != nil {
		t.Fatal(err)
	}
	admitted := make(chan func(), 2)
	for range 2 {
		go func() {
			release, err := g.enter()
			if err != nil {
				t.Error(err)
				return
			}
			admitted <- release
		}()
	}
	// Wait until both wait: the refusal below must be because the wait
	// foreseen is too long, not because they have not arrived.
	for {
		g.mu.Lock()
		n := g.waiting
		g.mu.Unlock()
		if n == 2 {
			break
		}
		select {
		case <-admitted:
			t.Fatal("admitted while the only turn was taken")
		default:
		}
		runtime.Gosched()
	}
	// Two ahead and one running: three seconds foreseen, over 2.5.
	if _, err := g.enter(); !errors.Is(err, ErrBusy) {
		t.Fatalf("a third waiter: %v, want ErrBusy", err)
	}
	first()
	(<-admitted)()
	(<-admitted)()
	// Quick turns since: a long queue foresees a short wait.
	g.mu.Lock()
	g.turn = time.Millisecond
	g.mu.Unlock()
	release, err := g.enter()
	if err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
	release()
}

// Before any turn has been timed (a flood right after start), the count
// alone bounds the queue.
func TestGateBoundsAnUntimedQueue(t *testing.T) {
	g := newGate(1, time.Second)
	g.slots <- struct{}{} // the only turn, taken
	g.waiting = maxWaitingTurns
	if _, err := g.enter(); !errors.Is(err, ErrBusy) {
		t.Fatalf("past %d waiting with no turn timed: %v, want ErrBusy", maxWaitingTurns, err)
	}
}
