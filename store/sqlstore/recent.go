package sqlstore

import (
	"sync"
	"time"
)

// recentReads keeps what a node read from the database for a short span:
// values nearly every request needs and that rarely change (the platform's
// settings, a quest's definition). A change made through this store handle
// applies at once (put or forget); one made on another node, or by a command
// on the same SQLite file, within ttl.
//
// The span is real time, read here and nowhere else in the store: it bounds
// how stale a copy may be, which moving the stand's clock does not change,
// and it decides no rule of any API.
type recentReads[K comparable, V any] struct {
	ttl time.Duration
	mu  sync.Mutex
	// generation counts the changes made through this handle: a read that
	// began before one is not kept, so it cannot bring back what the change
	// replaced.
	generation uint64
	m          map[K]recentRead[V]
}

type recentRead[V any] struct {
	v    V
	read time.Time // when the read began
}

// get answers key's copy while it is younger than ttl, else read's result
// (kept unless a change came meanwhile). Errors are not kept.
func (c *recentReads[K, V]) get(key K, read func() (V, error)) (V, error) {
	c.mu.Lock()
	r, ok := c.m[key]
	generation := c.generation
	c.mu.Unlock()
	if ok && time.Since(r.read) < c.ttl {
		return r.v, nil
	}
	started := time.Now()
	v, err := read()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.generation == generation {
		if c.m == nil {
			c.m = map[K]recentRead[V]{}
		}
		c.m[key] = recentRead[V]{v, started}
	}
	c.mu.Unlock()
	return v, nil
}

// put keeps v, which a change through this handle has just written, as
// key's copy, and drops the others' reads in flight.
func (c *recentReads[K, V]) put(key K, v V) {
	c.mu.Lock()
	c.generation++
	if c.m == nil {
		c.m = map[K]recentRead[V]{}
	}
	c.m[key] = recentRead[V]{v, time.Now()}
	c.mu.Unlock()
}

// forget drops every copy (after a change that may alter any of them, and
// after a restore).
func (c *recentReads[K, V]) forget() {
	c.mu.Lock()
	c.generation++
	c.m = nil
	c.mu.Unlock()
}
