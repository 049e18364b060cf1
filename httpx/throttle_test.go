package httpx

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
)

// An attempt takes a token and a failed one keeps it (take, then settle
// as a failure, as Authenticate does).
func TestThrottleRefusesASourceThatKeepsFailingUntilATokenIsBack(t *testing.T) {
	th := NewThrottle(3, 10*time.Second, nil)
	now := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if _, ok, _ := th.take("a", now); !ok {
			t.Fatalf("refused after %d failures of a burst of 3", i)
		}
		th.settle("a", now, false)
	}
	if wait, ok, settled := th.take("a", now); ok || wait != 10*time.Second || settled != nil {
		t.Fatalf("after the burst: allowed %v, wait %v", ok, wait)
	}
	if _, ok, _ := th.take("b", now); !ok {
		t.Fatal("another source is refused")
	}
	th.settle("b", now, true)
	if wait, ok, _ := th.take("a", now.Add(4*time.Second)); ok || wait != 6*time.Second {
		t.Fatalf("4 s later: allowed %v, wait %v", ok, wait)
	}
	now = now.Add(10 * time.Second)
	if _, ok, _ := th.take("a", now); !ok {
		t.Fatal("still refused once a token is back")
	}
	th.settle("a", now, false)
	if _, ok, _ := th.take("a", now); ok {
		t.Fatal("one token back allows one failure, not more")
	}
	if got := RetryAfter(1500 * time.Millisecond); got != "2" {
		t.Fatalf("Retry-After %q", got)
	}
	if got := RetryAfter(0); got != "1" {
		t.Fatalf("Retry-After %q", got)
	}
}

// A flood from many addresses costs bounded memory.
func TestThrottleForgetsSourcesBeyondItsBound(t *testing.T) {
	th := NewThrottle(1, time.Hour, nil)
	th.maxSource = 2000
	now := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	for i := range 10_000 {
		th.take(fmt.Sprint("10.0.", i/256, ".", i%256), now)
	}
	if n := len(th.sources); n > th.maxSource {
		t.Fatalf("%d sources remembered, bound %d", n, th.maxSource)
	}
}

// Attempts sent all at once spend no more failures than the bucket holds:
// each takes its token before its credentials are looked at.
func TestThrottleHoldsAgainstAttemptsInFlight(t *testing.T) {
	now := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	clock := fixedClock{now}
	th := NewThrottle(20, time.Hour, clock)
	var checked atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 500 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = "198.51.100.7:40000"
			<-start
			_, _ = Authenticate(th, r, func() (struct{}, error) {
				checked.Add(1)
				return struct{}{}, stend.Errorf(stend.Unauthenticated, "test", "wrong")
			})
		}()
	}
	close(start)
	wg.Wait()
	if n := checked.Load(); n != 20 {
		t.Fatalf("%d of 500 simultaneous wrong attempts were checked, want the burst of 20", n)
	}
	// Right credentials give their token back.
	other := httptest.NewRequest(http.MethodGet, "/", nil)
	other.RemoteAddr = "198.51.100.8:40000"
	for range 100 {
		if _, err := Authenticate(th, other, func() (struct{}, error) { return struct{}{}, nil }); err != nil {
			t.Fatal(err)
		}
	}
}

// A client sending more right attempts at once than the burst is never
// refused: attempts in flight hold tokens only until they are checked.
func TestThrottleLetsManyRightAttemptsAtOnceThrough(t *testing.T) {
	clock := fixedClock{time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)}
	th := NewThrottle(20, time.Hour, clock)
	start := make(chan struct{})
	var refused atomic.Int64
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = "198.51.100.9:40000"
			<-start
			_, err := Authenticate(th, r, func() (struct{}, error) {
				time.Sleep(2 * time.Millisecond) // a credential looked up in the database
				return struct{}{}, nil
			})
			if err != nil {
				refused.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if n := refused.Load(); n != 0 {
		t.Fatalf("%d of 200 simultaneous right attempts refused", n)
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }
