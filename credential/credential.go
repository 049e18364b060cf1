// Package credential hashes and checks the secrets clients present: passwords
// (slow, salted PBKDF2, because people choose them) and API keys and tokens
// (a fast hash keyed with the deployment's secret, because they must be
// looked up by hash: see KeyHasher).
package credential

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPasswordIterations follows OWASP's 2023 advice for
// PBKDF2-HMAC-SHA256. The cost is a setting (server.Config), not a package
// variable: hashing costs about a fifth of a second at this count, which
// would dominate a test suite that creates hundreds of organizations, so
// tests configure less. The stored hash records its own count, so changing
// the setting never breaks verification.
const DefaultPasswordIterations = 600_000

// MinPasswordIterations is the least count a configuration may choose.
const MinPasswordIterations = 1000

// HashPassword returns "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64).
// A count below MinPasswordIterations (an unset setting) is the default.
func HashPassword(password string, iterations int) (string, error) {
	if iterations < MinPasswordIterations {
		iterations = DefaultPasswordIterations
	}
	return hashPasswordIter(password, iterations)
}

func hashPasswordIter(password string, iterations int) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("credential: salt: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, 32)
	if err != nil {
		return "", fmt.Errorf("credential: pbkdf2: %w", err)
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("pbkdf2-sha256$%d$%s$%s", iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

var errMalformedHash = errors.New("credential: malformed password hash")

// hashing admits at most half the cores into PBKDF2 at once: every request
// with wrong credentials costs a full hash, and a flood of them must not
// take the CPU from requests that authenticate from the cache. Behind them
// it lets checks wait up to maxPasswordWait, and refuses the rest at once
// (ErrBusy): an unbounded queue made a first legitimate login wait for
// every hash of a flood ahead of it (4.9 s with 40 clients flooding).
var hashing = newGate(max(1, runtime.GOMAXPROCS(0)/2), maxPasswordWait)

// maxPasswordWait bounds the wait a password check may foresee: at the
// default cost (about 0.2 s a check) four checks a slot.
const maxPasswordWait = time.Second

// ErrBusy says that too many password checks are waiting: the caller should
// answer "retry later" (429) rather than queue.
var ErrBusy = errors.New("credential: too many password checks waiting")

// CheckPassword reports whether password matches encoded, in constant time
// with respect to the stored hash; ErrBusy when too many checks wait.
func CheckPassword(encoded, password string) (bool, error) {
	release, err := hashing.enter()
	if err != nil {
		return false, err
	}
	defer release()
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false, errMalformedHash
	}
	iterations, err := strconv.Atoi(parts[1])
	if err != nil || iterations < 1 {
		return false, errMalformedHash
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errMalformedHash
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iterations, len(want))
	if err != nil {
		return false, fmt.Errorf("credential: pbkdf2: %w", err)
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// EqualHash compares two hashes in constant time.
func EqualHash(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// NewSecret returns a random secret of n bytes, hex-encoded, for generated
// passwords, API keys and tokens.
func NewSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// PasswordCache remembers passwords that were verified against a given stored
// hash, so that a client authenticating on every request pays PBKDF2 once,
// not per request. Entries are keyed by the stored hash, so rotating a
// password invalidates them; only a SHA-256 of the password is kept.
type PasswordCache struct {
	mu      sync.Mutex
	entries map[string][32]byte // stored hash -> SHA-256 of the accepted password
	max     int
}

// NewPasswordCache holds at most max entries; past that it starts afresh,
// which costs one PBKDF2 per client and keeps memory bounded.
func NewPasswordCache(max int) *PasswordCache {
	return &PasswordCache{entries: make(map[string][32]byte), max: max}
}

// Check is CheckPassword with the cache in front.
func (c *PasswordCache) Check(encoded, password string) (bool, error) {
	digest := sha256.Sum256([]byte(password))
	c.mu.Lock()
	known, ok := c.entries[encoded]
	c.mu.Unlock()
	if ok && subtle.ConstantTimeCompare(known[:], digest[:]) == 1 {
		return true, nil
	}
	match, err := CheckPassword(encoded, password)
	if err != nil || !match {
		return false, err
	}
	c.mu.Lock()
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
	c.entries[encoded] = digest
	c.mu.Unlock()
	return true, nil
}
