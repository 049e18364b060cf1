package httpx

import (
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"stend"
)

// Throttle slows down the sources that keep failing authentication, so that
// a key or password cannot be guessed at thousands of tries a second. Each
// failure takes a token from the source's bucket, which refills one token
// every Every up to Burst; a source whose bucket is empty is refused, before
// its credentials are looked at, until a token is back. Successes cost
// nothing. Each API keeps its own throttle and answers a refusal in its own
// envelope (429 with Retry-After).
type Throttle struct {
	burst float64
	every time.Duration
	clock interface{ Now() time.Time }

	mu        sync.Mutex
	sources   map[string]*bucket
	swept     int // the map's size at the last sweep
	maxSource int
}

type bucket struct {
	tokens float64
	at     time.Time
	// inFlight counts the attempts that took a token and are being
	// checked; settled is closed (and dropped) when one of them ends, so
	// that an attempt waiting for a token looks again.
	inFlight int
	settled  chan struct{}
}

// maxSettleWait bounds how long an attempt waits for the attempts in flight
// of its source to end before it is refused: they are checks of
// credentials, which take milliseconds.
const maxSettleWait = time.Second

// maxThrottled bounds the sources remembered: beyond it the full buckets
// are forgotten, and if that is not enough, the oldest half.
const maxThrottled = 100_000

// NewThrottle allows burst failures from one source, then one every every,
// on clock (the node's: tests move it).
func NewThrottle(burst int, every time.Duration, clock interface{ Now() time.Time }) *Throttle {
	return &Throttle{burst: float64(max(burst, 1)), every: max(every, time.Millisecond), clock: clock, sources: map[string]*bucket{}, maxSource: maxThrottled}
}

// Authenticate runs authenticate unless the request's source is refused,
// and counts its failures (Unauthenticated, PermissionDenied) against the
// source. A refusal is a RateLimited error that wraps a *Throttled. A nil
// throttle refuses nothing.
//
// Each attempt takes its token before its credentials are looked at and
// gives it back when they were right: requests sent all at once cannot
// spend more failures than the bucket holds (looking first and counting
// after let every request in flight through). An attempt that finds the
// bucket empty while attempts of its source are in flight waits for them
// (at most maxSettleWait): right ones give their tokens back, so a client
// sending more requests at once than the burst is not refused, while wrong
// ones keep theirs and the waiting attempts are then refused.
func Authenticate[T any](t *Throttle, r *http.Request, authenticate func() (T, error)) (T, error) {
	if t == nil {
		return authenticate()
	}
	source := Source(r)
	if wait, ok := t.acquire(r, source); !ok {
		var none T
		return none, &stend.Error{Kind: stend.RateLimited, Op: "httpx.throttle", Err: &Throttled{Wait: wait}}
	}
	v, err := authenticate()
	k := stend.KindOf(err)
	t.settle(source, t.clock.Now(), err == nil || k != stend.Unauthenticated && k != stend.PermissionDenied)
	return v, err
}

// acquire takes a token for an attempt of source, waiting while the bucket
// is empty only because of attempts in flight.
func (t *Throttle) acquire(r *http.Request, source string) (time.Duration, bool) {
	var deadline <-chan time.Time
	for {
		wait, ok, settled := t.take(source, t.clock.Now())
		if ok || settled == nil {
			return wait, ok
		}
		if deadline == nil {
			timer := time.NewTimer(maxSettleWait)
			defer timer.Stop()
			deadline = timer.C
		}
		select {
		case <-settled:
		case <-deadline:
			return wait, false
		case <-r.Context().Done():
			return wait, false
		}
	}
}

// take spends a token of source's bucket, or says how long until one is
// back and, when attempts of source are in flight, answers a channel
// closed when one of them ends.
func (t *Throttle) take(source string, now time.Time) (time.Duration, bool, <-chan struct{}) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.sources[source]
	if !ok {
		t.sweep(now)
		b = &bucket{tokens: t.burst, at: now}
		t.sources[source] = b
	}
	t.refill(b, now)
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) * float64(t.every))
		if b.inFlight == 0 {
			return wait, false, nil
		}
		if b.settled == nil {
			b.settled = make(chan struct{})
		}
		return wait, false, b.settled
	}
	b.tokens--
	b.inFlight++
	return 0, true, nil
}

// settle ends an attempt of source: one that did not fail gives its token
// back.
func (t *Throttle) settle(source string, now time.Time, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, found := t.sources[source]
	if !found {
		return
	}
	t.refill(b, now)
	b.inFlight = max(b.inFlight-1, 0)
	if ok {
		b.tokens = math.Min(b.tokens+1, t.burst)
	}
	if b.settled != nil {
		close(b.settled)
		b.settled = nil
	}
}

// Throttled says how long a refused source, or a caller refused because
// too many password checks wait, should wait before it tries again.
type Throttled struct{ Wait time.Duration }

func (e *Throttled) Error() string {
	return "too many failed attempts; retry in " + RetryAfter(e.Wait) + " s"
}

// SetRetryAfter sets Retry-After when err is a refusal that says how long
// to wait; each API calls it when it answers 429.
func SetRetryAfter(h http.Header, err error) {
	var th *Throttled
	if errors.As(err, &th) {
		h.Set("Retry-After", RetryAfter(th.Wait))
	}
}

// Source is who a request comes from: the peer's address without its port.
// Behind a proxy that is the proxy, so run the throttle where clients
// connect, or give each proxy its own node.
func Source(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// refill brings b to now.
func (t *Throttle) refill(b *bucket, now time.Time) {
	switch elapsed := now.Sub(b.at); {
	case elapsed > 0:
		b.tokens = math.Min(t.burst, b.tokens+float64(elapsed)/float64(t.every))
		b.at = now
	case elapsed < 0:
		// The stand's clock was set back: count from now, rather than
		// refuse the source until time catches up with its last failure.
		b.at = now
	}
}

// sweep forgets sources whose buckets are full again once the map has
// doubled since the last sweep, so that a flood from many addresses costs
// bounded memory.
func (t *Throttle) sweep(now time.Time) {
	if len(t.sources) < max(2*t.swept, 1024) && len(t.sources) < t.maxSource {
		return
	}
	for s, b := range t.sources {
		if t.refill(b, now); b.tokens >= t.burst && b.inFlight == 0 {
			delete(t.sources, s)
		}
	}
	if len(t.sources) >= t.maxSource {
		// Still full of failing sources: forget arbitrary ones (map order),
		// which at worst lets them start a burst again.
		for s := range t.sources {
			if len(t.sources) < t.maxSource/2 {
				break
			}
			delete(t.sources, s)
		}
	}
	t.swept = len(t.sources)
}

// RetryAfter is the Retry-After value of a wait: whole seconds, at least 1.
func RetryAfter(wait time.Duration) string {
	s := int64(math.Ceil(wait.Seconds()))
	return strconv.FormatInt(max(s, 1), 10)
}
