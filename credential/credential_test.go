package credential

import (
	"fmt"
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := hashPasswordIter("s3cret", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPassword(h, "s3cret"); err != nil || !ok {
		t.Fatalf("right password rejected: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "s3cret "); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := CheckPassword("plain", "x"); err == nil {
		t.Fatal("malformed hash accepted")
	}
}

func TestPasswordCacheFollowsRotation(t *testing.T) {
	t.Parallel()
	c := NewPasswordCache(10)
	old, _ := hashPasswordIter("one", 1000)
	rotated, _ := hashPasswordIter("two", 1000)
	for range 2 {
		if ok, _ := c.Check(old, "one"); !ok {
			t.Fatal("cached password rejected")
		}
	}
	if ok, _ := c.Check(rotated, "one"); ok {
		t.Fatal("old password accepted after rotation")
	}
	if ok, _ := c.Check(old, "two"); ok {
		t.Fatal("cache accepted a different password for the same hash")
	}
}

// TestHashPasswordCost: the hash records the configured count, and an
// unset setting (below the least allowed) is the default cost.
func TestHashPasswordCost(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ asked, want int }{{MinPasswordIterations, MinPasswordIterations}, {0, DefaultPasswordIterations}} {
		h, err := HashPassword("s3cret", c.asked)
		if err != nil {
			t.Fatal(err)
		}
		if prefix := fmt.Sprintf("pbkdf2-sha256$%d$", c.want); !strings.HasPrefix(h, prefix) {
			t.Errorf("asked %d: %s, want %s…", c.asked, h, prefix)
		}
	}
}
