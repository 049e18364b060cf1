package credential

import (
	"sync"
	"time"
)

// gate admits running callers at once and lets more wait for a turn while
// the wait it foresees (the turns ahead times a turn's recent duration)
// stays within maxWait; the rest are refused with ErrBusy. Bounded by time
// rather than by a count, because a turn's cost is the password cost: a
// queue of a hundred checks at a test's cost is shorter than one of four at
// full cost.
type gate struct {
	slots   chan struct{}
	maxWait time.Duration

	mu      sync.Mutex
	waiting int
	turn    time.Duration // a moving average of how long a turn takes
}

// maxWaitingTurns bounds the waiting checks a slot whatever their cost.
const maxWaitingTurns = 64

func newGate(running int, maxWait time.Duration) *gate {
	return &gate{slots: make(chan struct{}, running), maxWait: maxWait}
}

// enter takes a turn, waiting if it may; release gives it back.
func (g *gate) enter() (release func(), err error) {
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), nil
	default:
	}
	g.mu.Lock()
	// Until a turn has been timed (a flood right after start) the count
	// bounds the queue alone.
	ahead := time.Duration(g.waiting+1) * g.turn / time.Duration(cap(g.slots))
	if ahead > g.maxWait || g.waiting >= maxWaitingTurns*cap(g.slots) {
		g.mu.Unlock()
		return nil, ErrBusy
	}
	g.waiting++
	g.mu.Unlock()
	g.slots <- struct{}{}
	g.mu.Lock()
	g.waiting--
	g.mu.Unlock()
	return g.releaser(), nil
}

// releaser gives the turn back and learns how long it took.
func (g *gate) releaser() func() {
	start := time.Now()
	return func() {
		took := time.Since(start)
		g.mu.Lock()
		if g.turn == 0 {
			g.turn = took
		} else {
			g.turn += (took - g.turn) / 8
		}
		g.mu.Unlock()
		<-g.slots
	}
}
