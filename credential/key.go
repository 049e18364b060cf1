package credential

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"
)

// MinSecretLen is the least length of the deployment's secret: it is the
// only thing between a copied database and an offline guess of a weak key
// an operator chose.
const MinSecretLen = 16

// KeyScheme names what KeyHasher stores, so that a database records which
// hashes it holds.
const KeyScheme = "hmac-sha256(secret, sha256(key))"

// verifierLabel is what Verifier authenticates: a fixed input, so that the
// stored verifier says whether a secret is the one that keyed a database
// without being the hash of any key.
const verifierLabel = "stend: the secret that keyed this database's key hashes"

// KeyHasher makes the lookup hash of API keys and tokens: HMAC-SHA256, under
// the deployment's secret, of the key's SHA-256. A plain hash would let a
// weak key an operator chose be guessed offline from a copied database; a
// salted slow one could not be looked up. The inner SHA-256 is what
// databases held before keys were keyed, so those hashes are converted
// without knowing the keys (Rekey). The zero value has no secret and
// panics when used: hashing without one would silently store what the
// keying exists to prevent.
type KeyHasher struct {
	// macs holds HMACs keyed with the secret: keying one costs more than
	// the hash itself, on every request that presents a key.
	macs *sync.Pool
}

// NewKeyHasher keys hashes with secret.
func NewKeyHasher(secret []byte) (KeyHasher, error) {
	if len(secret) < MinSecretLen {
		return KeyHasher{}, fmt.Errorf("credential: the secret must be at least %d bytes", MinSecretLen)
	}
	secret = append([]byte(nil), secret...)
	return KeyHasher{macs: &sync.Pool{New: func() any { return hmac.New(sha256.New, secret) }}}, nil
}

// Hash is the stored and looked-up hash of key.
func (k KeyHasher) Hash(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return k.Rekey(sum[:])
}

// Rekey converts the plain SHA-256 of a key, as databases stored it before,
// into the key's Hash.
func (k KeyHasher) Rekey(plain []byte) []byte {
	if k.macs == nil {
		panic("credential: a KeyHasher without a secret")
	}
	m := k.macs.Get().(hash.Hash)
	m.Reset()
	m.Write(plain)
	sum := m.Sum(nil)
	k.macs.Put(m)
	return sum
}

// Scheme is KeyScheme.
func (KeyHasher) Scheme() string { return KeyScheme }

// Verifier is stored beside the hashes a secret keyed, so that a node
// given another secret refuses to start rather than reject every key.
func (k KeyHasher) Verifier() []byte { return k.Rekey([]byte(verifierLabel)) }
