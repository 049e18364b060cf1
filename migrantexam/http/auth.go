package http

import (
	"context"
	"net/http"

	"stend"
	"stend/credential"
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
	decoy string
	keys  credential.KeyHasher
}

func newAuthenticator(store migrantexam.Store, iterations int, keys credential.KeyHasher) *authenticator {
	decoy, _ := credential.HashPassword(credential.NewSecret(16), iterations)
	return &authenticator{store: store, passwords: credential.NewPasswordCache(10_000), decoy: decoy, keys: keys}
}

// organization returns the caller's organization, or an Unauthenticated
// error without saying which credential was wrong.
func (a *authenticator) organization(ctx context.Context, r *http.Request) (migrantexam.Organization, error) {
	const op = "migrantexam.auth"
	username, password, ok := r.BasicAuth()
	apiKey := r.Header.Get("x-api-key")
	if !ok || username == "" || apiKey == "" {
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "missing credentials")
	}
	org, err := a.store.OrganizationByUsername(ctx, username)
	if stend.IsKind(err, stend.NotFound) {
		_, _ = a.passwords.Check(a.decoy, password)
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	if err != nil {
		return migrantexam.Organization{}, err
	}
	if !credential.EqualHash(a.keys.Hash(apiKey), org.APIKeyHash) {
		// The full, uncached check: answering faster for a right password
		// would confirm it to a caller who lacks the key.
		_, _ = credential.CheckPassword(org.PasswordHash, password)
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	passwordOK, err := a.passwords.Check(org.PasswordHash, password)
	if err != nil {
		return migrantexam.Organization{}, &stend.Error{Kind: stend.Internal, Op: op, Err: err}
	}
	if !passwordOK {
		return migrantexam.Organization{}, stend.Errorf(stend.Unauthenticated, op, "bad credentials")
	}
	return org, nil
}
