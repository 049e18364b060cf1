package http

import (
	"net/http"

	"stend"
	"stend/credential"
	"stend/httpx"
	"stend/motivity"
)

// authenticate checks X-Auth-Token against the platform's PUBLIC_API_TOKEN
// and returns the platform's settings. Only the token's keyed hash is stored;
// the comparison takes the same time whatever the token. The settings are
// read on every request through the store's short cache (platformTTL), so
// a token rotated on any node applies within a second.
//
// A source that keeps sending wrong tokens is refused for a while (429).
func (h *Handler) authenticate(r *http.Request) (motivity.Platform, error) {
	p, err := httpx.Authenticate(h.cfg.Throttle, r, func() (motivity.Platform, error) { return h.checkToken(r) })
	if err == nil {
		err = httpx.Authenticated(r.Context(), "PUBLIC_API_TOKEN")
	}
	return p, err
}

func (h *Handler) checkToken(r *http.Request) (motivity.Platform, error) {
	const op = "motivity.auth"
	token := r.Header.Get("X-Auth-Token")
	httpx.NoteSecret(r.Context(), token)
	p, err := h.store.Platform(r.Context())
	if err != nil {
		return p, err
	}
	if token == "" || p.PublicTokenHash == nil || !credential.EqualHash(h.cfg.Keys.Hash(token), p.PublicTokenHash) {
		return p, stend.Errorf(stend.Unauthenticated, op, "invalid public API token")
	}
	return p, nil
}
