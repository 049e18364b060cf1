package httpx

import (
	"sync"
	"time"
)

// CredentialCache keeps what an API read of a credential (a token's
// record, an organization's hashes) until an instant of the stand's clock,
// so that a busy client does not make every request read it again. Its TTL
// is how long a revocation takes to reach every node; an API empties it
// when its own node changed credentials, when the clock moved (a clock set
// back would keep entries for as long again) and after a restore.
type CredentialCache[K comparable, V any] struct {
	TTL time.Duration
	// Limit bounds the entries; a full cache is emptied and refilled, which
	// costs one read per entry and no bookkeeping per call.
	Limit int

	mu sync.Mutex
	m  map[K]cachedCredential[V]
}

type cachedCredential[V any] struct {
	value V
	until time.Time
}

// Get answers key's value while it is younger than the TTL at now.
func (c *CredentialCache[K, V]) Get(key K, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.until) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// Put keeps v for key from now.
func (c *CredentialCache[K, V]) Put(key K, v V, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.Limit {
		c.m = make(map[K]cachedCredential[V])
	}
	c.m[key] = cachedCredential[V]{value: v, until: now.Add(c.TTL)}
}

// Forget empties the cache.
func (c *CredentialCache[K, V]) Forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
