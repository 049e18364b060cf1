package credential

import (
	"errors"
	"runtime"
	"testing"
)

// Beyond the running and the waiting, callers are refused at once instead
// of queueing without bound.
func TestGateRefusesBeyondItsQueue(t *testing.T) {
	g := newGate(1, 2)
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
	// Wait until both wait: the refusal below must be because the queue is
	// full, not because they have not arrived.
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
	if _, err := g.enter(); !errors.Is(err, ErrBusy) {
		t.Fatalf("a third waiter: %v, want ErrBusy", err)
	}
	first()
	(<-admitted)()
	(<-admitted)()
	release, err := g.enter()
	if err != nil {
		t.Fatalf("after the queue drained: %v", err)
	}
	release()
}
