package http

import (
	"context"
	"errors"
	"net/http"
	"time"

	"stend"
	"stend/credential"
	"stend/httpx"
	"stend/migrantexam"
)

// authenticator checks the three credentials of the document: Basic username
// and password, and the x-api-key header. All three must belong to one
// organization.
type authenticator struct {
	store     migrantexam.Store
	passwords *credential.PasswordCache
	// decoy is checked when the username is unknown, so that a wrong
	// username costs as much time as a wrong password and usernames cannot
	// be probed by timing.
	decoy    string
	keys     credential.KeyHasher
	throttle *httpx.Throttle
	orgs     *httpx.CredentialCache[string, migrantexam.Organization]
}

// orgTTL bounds how long a node keeps answering with an organization's
// credentials as it read them: a changed password or key applies on every
// node within a second, as FSSP tokens and Reestro keys do. Without the
// cache every report read its organization first, a round trip that was a
// sixth of a small report's cost on PostgreSQL (docs/benchmarks.md). An
// unknown username is not kept: a new organization can report at once.
const orgTTL = time.Second

// ClockMoved forgets the organizations cached until instants of the
// stand's clock, which a clock set back would keep for as long again.
func (h *Handler) ClockMoved() { h.auth.orgs.Forget() }

// DataReplaced forgets the cached organizations after a snapshot's restore
// replaced them.
func (h *Handler) DataReplaced() { h.auth.orgs.Forget() }

// CredentialsChanged forgets the cached organizations after an operator of
// this node changed credentials: they apply here at once.
func (h *Handler) CredentialsChanged() { h.auth.orgs.Forget() }

func newAuthenticator(store migrantexam.Store, iterations int, keys credential.KeyHasher, throttle *httpx.Throttle) *authenticator {
	decoy, _ := credential.HashPassword(credential.NewSecret(16), iterations)
	return &authenticator{store: store, passwords: credential.NewPasswordCache(10_000), decoy: decoy, keys: keys, throttle: throttle,
		orgs: &httpx.CredentialCache[string, migrantexam.Organization]{TTL: orgTTL, Limit: 100_000}}
}

// organization returns the caller's organization, or an Unauthenticated
// error without saying which credential was wrong. A source that keeps
// failing is refused for a while, and so is everyone while too many
// password checks wait (RateLimited, 429).
func (a *authenticator) organization(ctx context.Context, r *http.Request) (migrantexam.Organization, error) {
	org, err := httpx.Authenticate(a.throttle, r, func() (migrantexam.Organization, error) { return a.check(ctx, r) })
	if err == nil {
		err = httpx.Authenticated(ctx, "organization "+org.Username)
	}
	return org, err
}

// errHashingBusy refuses a login while too many password checks wait: a
// second later is better than a queue behind a flood.
var errHashingBusy = &stend.Error{Kind: stend.RateLimited, Op: "migrantexam.auth", Err: &httpx.Throttled{Wait: time.Second}}

func (a *authenticator) check(ctx context.Context, r *http.Request) (migrantexam.Organization, error) {
	const op = "migrantexam.auth"
	username, password, ok := r.BasicAuth()
	apiKey := r.Header.Get("x-api-key")
	httpx.NoteSecret(ctx, password)
	httpx.NoteSecret(ctx, apiKey)
	if !ok || username == "" || apiKey == "" {
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "missing credentials")
	}
	unknown := func() (migrantexam.Organization, error) {
		if _, err := a.passwords.Check(a.decoy, password); errors.Is(err, credential.ErrBusy) {
			return migrantexam.Organization{}, errHashingBusy
		}
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	// No organization has a username that is not text (a NUL, bytes that
	// are not UTF-8), and PostgreSQL would refuse to compare it.
	if !stend.StorableText(username) {
		return unknown()
	}
	now := httpx.Now(ctx)
	org, cached := a.orgs.Get(username, now)
	if !cached {
		var err error
		org, err = a.store.OrganizationByUsername(ctx, username)
		if stend.IsKind(err, stend.NotFound) {
			return unknown()
		}
		if err != nil {
			return migrantexam.Organization{}, err
		}
		a.orgs.Put(username, org, now)
	}
	if !credential.EqualHash(a.keys.Hash(apiKey), org.APIKeyHash) {
		// The full, uncached check: answering faster for a right password
		// would confirm it to a caller who lacks the key.
		if _, err := credential.CheckPassword(org.PasswordHash, password); errors.Is(err, credential.ErrBusy) {
			return migrantexam.Organization{}, errHashingBusy
		}
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	passwordOK, err := a.passwords.Check(org.PasswordHash, password)
	if errors.Is(err, credential.ErrBusy) {
		return migrantexam.Organization{}, errHashingBusy
	}
	if err != nil {
		return migrantexam.Organization{}, &stend.Error{Kind: stend.Internal, Op: op, Err: err}
	}
	if !passwordOK {
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	return org, nil
}
