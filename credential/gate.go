package credential

import "sync"

// gate admits running callers at once and lets at most waiting more wait
// for a turn; the rest are refused with ErrBusy.
type gate struct {
	slots chan struct{}

	mu         sync.Mutex
	waiting    int
	maxWaiting int
}

func newGate(running, waiting int) *gate {
	return &gate{slots: make(chan struct{}, running), maxWaiting: waiting}
}

// enter takes a turn, waiting if it may; release gives it back.
func (g *gate) enter() (release func(), err error) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, nil
	default:
	}
	g.mu.Lock()
	if g.waiting >= g.maxWaiting {
		g.mu.Unlock()
		return nil, ErrBusy
	}
	g.waiting++
	g.mu.Unlock()
	g.slots <- struct{}{}
	g.mu.Lock()
	g.waiting--
	g.mu.Unlock()
	return release, nil
}
