package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/httpx"
	"stend/reestro"
)

// credentials are the parts of "ReestroAuth apiKey=…&portal.orgid=…".
type credentials struct {
	apiKey, orgID string
}

// parseAuthorization reads the header; the scheme and the parameter names
// are matched case-insensitively, so portal.orgId is portal.orgid.
func parseAuthorization(h string) (credentials, bool) {
	scheme, params, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "ReestroAuth") {
		return credentials{}, false
	}
	var c credentials
	for part := range strings.SplitSeq(strings.TrimSpace(params), "&") {
		k, v, _ := strings.Cut(part, "=")
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		switch {
		case strings.EqualFold(k, "apiKey"):
			c.apiKey = strings.TrimSpace(v)
		case strings.EqualFold(k, "portal.orgid"):
			c.orgID = strings.TrimSpace(v)
		}
	}
	return c, c.apiKey != "" && c.orgID != ""
}

// hashKey is how a key is stored and looked up.
func (h *Handler) hashKey(key string) []byte {
	return h.cfg.Keys.Hash(reestro.CanonicalKey(key))
}

// accessTTL bounds how long a revoked key or grant keeps working on a node;
// without the cache every listing page would read the key first.
const accessTTL = time.Second

type accessKey struct {
	hash  [32]byte
	orgID string
}

// cachedAccess is what a node learned of a key, an unknown one included
// (found false), so that a repeated wrong key reads the key table once a
// second.
type cachedAccess struct {
	access reestro.Access
	found  bool
}

const accessCacheLimit = 100_000

// organization authenticates a request: 401 without a live key, 403 when
// the key is not granted to the organization it names (an unknown
// organization included, so that ids cannot be probed); a source that
// keeps getting either is refused for a while (429).
func (h *Handler) organization(ctx context.Context, r *http.Request) (int64, error) {
	g, err := httpx.Authenticate(h.cfg.Throttle, r, func() (granted, error) { return h.grantedOrganization(ctx, r) })
	if err == nil {
		// Outside the throttle: a fault rule's latency must not hold the
		// source's attempt in flight.
		err = httpx.Authenticated(ctx, g.credential)
	}
	return g.organization, err
}

// granted is an authenticated request's organization and its credential's
// name.
type granted struct {
	organization int64
	credential   string
}

func (h *Handler) grantedOrganization(ctx context.Context, r *http.Request) (granted, error) {
	const op = "reestro.auth"
	c, ok := parseAuthorization(r.Header.Get("Authorization"))
	httpx.NoteSecret(ctx, c.apiKey)
	if !ok {
		return granted{}, stend.Errorf(stend.Unauthenticated, op, "missing or malformed Authorization")
	}
	var key accessKey
	copy(key.hash[:], h.hashKey(c.apiKey))
	key.orgID, _ = reestro.ParseGUID(c.orgID)
	now := httpx.Now(ctx)
	e, cached := h.access.Get(key, now)
	if !cached {
		orgID := key.orgID
		if orgID == "" {
			// A malformed organization is granted to no key, but the key
			// still decides between 401 and 403.
			orgID = "00000000-0000-0000-0000-000000000000"
		}
		a, err := h.store.Access(ctx, key.hash[:], orgID)
		switch {
		case err == nil:
			e.access, e.found = a, true
		case !stend.IsKind(err, stend.NotFound):
			return granted{}, err
		}
		h.access.Put(key, e, now)
	}
	switch {
	case !e.found:
		return granted{}, stend.Errorf(stend.Unauthenticated, op, "unknown or revoked key")
	case !e.access.Granted || key.orgID == "":
		return granted{}, stend.Errorf(stend.PermissionDenied, op, "key not granted to the organization")
	}
	return granted{e.access.OrganizationRef, "key " + strconv.FormatInt(e.access.KeyID, 10) + " for " + key.orgID}, nil
}

// ClockMoved forgets the keys' access cached until instants of the stand's
// clock, which a clock set back would keep for as long again.
func (h *Handler) ClockMoved() { h.access.Forget() }

// CredentialsChanged forgets the keys' access after an operator of this
// node changed keys or grants: the change applies here at once.
func (h *Handler) CredentialsChanged() { h.access.Forget() }

// DataReplaced forgets the keys' access after a snapshot's restore
// replaced the keys and grants.
func (h *Handler) DataReplaced() { h.ClockMoved() }
