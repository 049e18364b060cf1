// Package stend holds the business types, error kinds and service interfaces
// shared by every published API of the stand. It imports only the standard
// library so that API packages and store packages can both depend on it
// without depending on each other.
package stend

import (
	"crypto/rand"
	"sync"
	"time"
)

// Clock is injected wherever "now" matters (validation against today,
// timestamps, expiry) so that tests and a sandbox can control time.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always answers the same instant; tests move it by assigning T.
type FixedClock struct{ T time.Time }

func (c *FixedClock) Now() time.Time { return c.T }

// IDSource makes the identifiers clients see, injectable so that tests and a
// sandbox can predict them.
type IDSource interface {
	NewGUID() string
}

// RandomIDs draws identifiers from crypto/rand.
type RandomIDs struct{}

// NewGUID returns an upper-case GUID, the form the FSSP samples use.
func (RandomIDs) NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 36)
	for i, v := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[v>>4], hex[v&0x0f])
	}
	return string(out)
}

// ManualClock is a clock that tests and sandboxes set while other
// goroutines (a job runner) read it.
type ManualClock struct {
	mu sync.Mutex
	t  time.Time
}

// NewManualClock starts a clock at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
