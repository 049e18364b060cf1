package credential

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// TestKeyHasher: a stored hash is neither the key nor its plain SHA-256,
// depends on the secret, and is what converting the plain SHA-256 that
// databases held before gives.
func TestKeyHasher(t *testing.T) {
	t.Parallel()
	a, err := NewKeyHasher([]byte("deployment secret one"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewKeyHasher([]byte("deployment secret two"))
	if err != nil {
		t.Fatal(err)
	}
	const key = "weak-key"
	plain := sha256.Sum256([]byte(key))
	h := a.Hash(key)
	switch {
	case bytes.Equal(h, []byte(key)), bytes.Equal(h, plain[:]):
		t.Fatalf("hash %x is the key or its SHA-256", h)
	case bytes.Equal(h, b.Hash(key)):
		t.Fatal("two secrets hash a key alike")
	case !bytes.Equal(a.Rekey(plain[:]), h):
		t.Fatal("a converted plain hash is not the key's hash")
	case !EqualHash(a.Hash(key), h) || EqualHash(a.Hash(key+" "), h):
		t.Fatal("hashing is not a function of the key")
	case bytes.Equal(a.Verifier(), b.Verifier()):
		t.Fatal("two secrets have one verifier")
	}
	if _, err := NewKeyHasher([]byte("short")); err == nil {
		t.Fatal("a secret shorter than MinSecretLen was accepted")
	}
}

// TestZeroKeyHasherPanics: hashing without a secret must not quietly store
// an unkeyed hash.
func TestZeroKeyHasherPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Fatal("the zero KeyHasher hashed")
		}
	}()
	KeyHasher{}.Hash("key")
}
