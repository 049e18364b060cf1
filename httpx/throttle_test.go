package httpx

import (
	"fmt"
	"testing"
	"time"
)

func TestThrottleRefusesASourceThatKeepsFailingUntilATokenIsBack(t *testing.T) {
	th := NewThrottle(3, 10*time.Second, nil)
	now := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if _, blocked := th.Blocked("a", now); blocked {
			t.Fatalf("blocked after %d failures of a burst of 3", i)
		}
		th.Failed("a", now)
	}
	wait, blocked := th.Blocked("a", now)
	if !blocked || wait != 10*time.Second {
		t.Fatalf("after the burst: blocked %v for %v", blocked, wait)
	}
	if _, blocked := th.Blocked("b", now); blocked {
		t.Fatal("another source is blocked")
	}
	if wait, blocked := th.Blocked("a", now.Add(4*time.Second)); !blocked || wait != 6*time.Second {
		t.Fatalf("4 s later: blocked %v for %v", blocked, wait)
	}
	now = now.Add(10 * time.Second)
	if _, blocked := th.Blocked("a", now); blocked {
		t.Fatal("still blocked once a token is back")
	}
	th.Failed("a", now)
	if _, blocked := th.Blocked("a", now); !blocked {
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
		th.Failed(fmt.Sprint("10.0.", i/256, ".", i%256), now)
	}
	if n := len(th.sources); n > th.maxSource {
		t.Fatalf("%d sources remembered, bound %d", n, th.maxSource)
	}
}
