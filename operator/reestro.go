package operator

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"stend"
	"stend/reestro"
)

// NewReestroOrganization asks for a Reestro organization; an empty ID is
// generated. The ID is the portal.orgid clients send.
type NewReestroOrganization struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// ReestroOrganization is an operator's view of an organization.
type ReestroOrganization struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"createdAt"`
}

func reestroOrganizationView(o reestro.Organization) ReestroOrganization {
	return ReestroOrganization{ID: o.ID, Name: o.Name, CreatedAt: o.CreatedAt}
}

func (s *Service) CreateReestroOrganization(ctx context.Context, n NewReestroOrganization) (ReestroOrganization, error) {
	const op = "operator.CreateReestroOrganization"
	if err := storable(op, n); err != nil {
		return ReestroOrganization{}, err
	}
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" {
		return ReestroOrganization{}, stend.Errorf(stend.Invalid, op, "name is required")
	}
	id := stend.RandomIDs{}.NewGUID()
	if n.ID != "" {
		id = n.ID
	}
	id, ok := reestro.ParseGUID(strings.TrimSpace(id))
	if !ok {
		return ReestroOrganization{}, stend.Errorf(stend.Invalid, op, "id must be a GUID")
	}
	o, err := s.Reestro.CreateOrganization(ctx, reestro.Organization{ID: id, Name: n.Name, CreatedAt: s.now().UTC().Truncate(time.Microsecond)})
	if stend.KindOf(err) == stend.Conflict {
		return ReestroOrganization{}, stend.Errorf(stend.Conflict, op, "organization %s exists", id)
	}
	if err != nil {
		return ReestroOrganization{}, fmt.Errorf("%s: %w", op, err)
	}
	return reestroOrganizationView(o), nil
}

// EnsureReestroOrganization creates the organization unless one with its ID
// exists: the seed names organizations by ID.
func (s *Service) EnsureReestroOrganization(ctx context.Context, n NewReestroOrganization) (ReestroOrganization, error) {
	if id, ok := reestro.ParseGUID(strings.TrimSpace(n.ID)); ok {
		orgs, err := s.Reestro.Organizations(ctx)
		if err != nil {
			return ReestroOrganization{}, err
		}
		for _, o := range orgs {
			if o.ID == id {
				return reestroOrganizationView(o), nil
			}
		}
	}
	return s.CreateReestroOrganization(ctx, n)
}

func (s *Service) ReestroOrganizations(ctx context.Context) ([]ReestroOrganization, error) {
	orgs, err := s.Reestro.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ReestroOrganization, len(orgs))
	for i, o := range orgs {
		out[i] = reestroOrganizationView(o)
	}
	return out, nil
}

// NewReestroKey asks for an apiKey; an empty Key is generated (a GUID, the
// form of the document's sample). Organizations are granted at once.
type NewReestroKey struct {
	Name          string   `json:"name"`
	Key           string   `json:"key,omitempty"`
	Organizations []string `json:"organizations,omitempty"`
}

// ReestroKey is what an operator sees of a key: never its hash.
type ReestroKey struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	CreatedAt     time.Time  `json:"createdAt"`
	RevokedAt     *time.Time `json:"revokedAt,omitempty"`
	Organizations []string   `json:"organizations"`
}

// IssuedReestroKey answers an issue: the key is shown this once.
type IssuedReestroKey struct {
	ReestroKey
	Key string `json:"key"`
}

func reestroKeyView(k reestro.Key) ReestroKey {
	orgs := k.Organizations
	if orgs == nil {
		orgs = []string{}
	}
	return ReestroKey{ID: k.ID, Name: k.Name, CreatedAt: k.CreatedAt, RevokedAt: k.RevokedAt, Organizations: orgs}
}

// minReestroKey keeps operator-chosen keys from being guessable.
const minReestroKey = 16

func (s *Service) reestroKeyHash(key string) []byte {
	return s.Keys.Hash(reestro.CanonicalKey(key))
}

// IssueReestroKey issues a key and grants it the organizations named.
func (s *Service) IssueReestroKey(ctx context.Context, n NewReestroKey) (IssuedReestroKey, error) {
	const op = "operator.IssueReestroKey"
	if err := storable(op, n); err != nil {
		return IssuedReestroKey{}, err
	}
	n.Name, n.Key = strings.TrimSpace(n.Name), reestro.CanonicalKey(n.Key)
	if n.Name == "" {
		return IssuedReestroKey{}, stend.Errorf(stend.Invalid, op, "name is required")
	}
	if n.Key == "" {
		n.Key, _ = reestro.ParseGUID(stend.RandomIDs{}.NewGUID())
	} else if len(n.Key) < minReestroKey {
		return IssuedReestroKey{}, stend.Errorf(stend.Invalid, op, "a key has at least %d characters", minReestroKey)
	}
	orgs, err := s.reestroOrganizationIDs(ctx, n.Organizations)
	if err != nil {
		return IssuedReestroKey{}, err
	}
	k, err := s.Reestro.CreateKey(ctx, reestro.Key{Name: n.Name, Hash: s.reestroKeyHash(n.Key), CreatedAt: s.now().UTC().Truncate(time.Microsecond)})
	if stend.KindOf(err) == stend.Conflict {
		return IssuedReestroKey{}, stend.Errorf(stend.Conflict, op, "that key is already issued")
	}
	if err != nil {
		return IssuedReestroKey{}, fmt.Errorf("%s: %w", op, err)
	}
	for _, o := range orgs {
		if err := s.Reestro.GrantKey(ctx, k.ID, o); err != nil {
			return IssuedReestroKey{}, fmt.Errorf("%s: %w", op, err)
		}
	}
	k.Organizations = orgs
	// A node keeps a key it did not know as unknown for a second.
	s.credentialsChanged()
	return IssuedReestroKey{ReestroKey: reestroKeyView(k), Key: n.Key}, nil
}

// reestroOrganizationIDs canonicalizes ids and checks that each exists, so
// that a key is issued with all its grants or not at all.
func (s *Service) reestroOrganizationIDs(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	orgs, err := s.Reestro.Organizations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ids))
	for _, raw := range ids {
		id, ok := reestro.ParseGUID(strings.TrimSpace(raw))
		if !ok || !slices.ContainsFunc(orgs, func(o reestro.Organization) bool { return o.ID == id }) {
			return nil, stend.Errorf(stend.NotFound, "operator", "no organization %q", raw)
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// noOrganization is a GUID no organization has: a key is looked up for it
// only to learn whether the key is live.
const noOrganization = "00000000-0000-0000-0000-000000000000"

// EnsureReestroKey issues the key unless it is live already, and grants it
// the organizations named either way: loading a seed again changes nothing.
func (s *Service) EnsureReestroKey(ctx context.Context, n NewReestroKey) (IssuedReestroKey, bool, error) {
	if n.Key != "" {
		a, err := s.Reestro.Access(ctx, s.reestroKeyHash(n.Key), noOrganization)
		if err == nil {
			orgs, err := s.reestroOrganizationIDs(ctx, n.Organizations)
			if err != nil {
				return IssuedReestroKey{}, false, err
			}
			for _, o := range orgs {
				if err := s.Reestro.GrantKey(ctx, a.KeyID, o); err != nil {
					return IssuedReestroKey{}, false, err
				}
			}
			if len(orgs) > 0 {
				s.credentialsChanged()
			}
			k, err := s.reestroKey(ctx, a.KeyID)
			return IssuedReestroKey{ReestroKey: k, Key: reestro.CanonicalKey(n.Key)}, false, err
		}
		if !stend.IsKind(err, stend.NotFound) {
			return IssuedReestroKey{}, false, err
		}
	}
	k, err := s.IssueReestroKey(ctx, n)
	return k, err == nil, err
}

func (s *Service) ReestroKeys(ctx context.Context) ([]ReestroKey, error) {
	keys, err := s.Reestro.Keys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ReestroKey, len(keys))
	for i, k := range keys {
		out[i] = reestroKeyView(k)
	}
	return out, nil
}

func (s *Service) reestroKey(ctx context.Context, id int64) (ReestroKey, error) {
	keys, err := s.ReestroKeys(ctx)
	if err != nil {
		return ReestroKey{}, err
	}
	for _, k := range keys {
		if k.ID == id {
			return k, nil
		}
	}
	return ReestroKey{}, stend.Errorf(stend.NotFound, "operator", "no key %d", id)
}

// RevokeReestroKey ends a key: at once on this node, within a second on
// the others (their access cache).
func (s *Service) RevokeReestroKey(ctx context.Context, id int64) (ReestroKey, error) {
	k, err := s.Reestro.RevokeKey(ctx, id, s.now().UTC())
	if err != nil {
		return ReestroKey{}, err
	}
	s.credentialsChanged()
	return s.reestroKey(ctx, k.ID)
}

// GrantReestroKey lets a key act for an organization.
func (s *Service) GrantReestroKey(ctx context.Context, keyID int64, orgID string) (ReestroKey, error) {
	id, ok := reestro.ParseGUID(strings.TrimSpace(orgID))
	if !ok {
		return ReestroKey{}, stend.Errorf(stend.NotFound, "operator", "no organization %q", orgID)
	}
	if err := s.Reestro.GrantKey(ctx, keyID, id); err != nil {
		return ReestroKey{}, err
	}
	s.credentialsChanged()
	return s.reestroKey(ctx, keyID)
}

// RevokeReestroGrant takes an organization from a key.
func (s *Service) RevokeReestroGrant(ctx context.Context, keyID int64, orgID string) (ReestroKey, error) {
	id, ok := reestro.ParseGUID(strings.TrimSpace(orgID))
	if !ok {
		return ReestroKey{}, stend.Errorf(stend.NotFound, "operator", "no organization %q", orgID)
	}
	if err := s.Reestro.RevokeGrant(ctx, keyID, id); err != nil {
		return ReestroKey{}, err
	}
	s.credentialsChanged()
	return s.reestroKey(ctx, keyID)
}

// SeedReestro provisions the Reestro API: organizations, then keys with
// their grants.
type SeedReestro struct {
	Organizations []NewReestroOrganization `json:"organizations"`
	Keys          []NewReestroKey          `json:"keys"`
}

func (s *Service) loadReestroSeed(ctx context.Context, seed SeedReestro, logger *slog.Logger) error {
	for _, o := range seed.Organizations {
		if strings.TrimSpace(o.ID) == "" {
			// Without an id every load would add another organization.
			return fmt.Errorf("seed: reestro organization %q: id is required in a seed", o.Name)
		}
		if _, err := s.EnsureReestroOrganization(ctx, o); err != nil {
			return fmt.Errorf("seed: reestro organization %q: %w", o.Name, err)
		}
	}
	for _, n := range seed.Keys {
		k, created, err := s.EnsureReestroKey(ctx, n)
		if err != nil {
			return fmt.Errorf("seed: reestro key %q: %w", n.Name, err)
		}
		if created && n.Key == "" {
			logger.Info("seed: generated credentials, shown once", "api", "reestro", "name", k.Name, "apiKey", k.Key)
		}
	}
	return nil
}

// HTTP routes.

func (h *HTTP) registerReestro(m *http.ServeMux) {
	m.HandleFunc("GET /operator/v1/reestro/organizations", h.listReestroOrganizations)
	m.HandleFunc("POST /operator/v1/reestro/organizations", h.createReestroOrganization)
	m.HandleFunc("GET /operator/v1/reestro/keys", h.listReestroKeys)
	m.HandleFunc("POST /operator/v1/reestro/keys", h.issueReestroKey)
	m.HandleFunc("DELETE /operator/v1/reestro/keys/{id}", h.revokeReestroKey)
	m.HandleFunc("PUT /operator/v1/reestro/keys/{id}/organizations/{orgId}", h.grantReestroKey)
	m.HandleFunc("DELETE /operator/v1/reestro/keys/{id}/organizations/{orgId}", h.revokeReestroGrant)
}

func (h *HTTP) listReestroOrganizations(w http.ResponseWriter, r *http.Request) {
	orgs, err := h.svc.ReestroOrganizations(r.Context())
	h.reply(w, r, http.StatusOK, map[string]any{"organizations": nonNil(orgs)}, err)
}

func (h *HTTP) createReestroOrganization(w http.ResponseWriter, r *http.Request) {
	var n NewReestroOrganization
	if err := decode(w, r, &n); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	o, err := h.svc.CreateReestroOrganization(r.Context(), n)
	h.reply(w, r, http.StatusCreated, o, err)
}

func (h *HTTP) listReestroKeys(w http.ResponseWriter, r *http.Request) {
	keys, err := h.svc.ReestroKeys(r.Context())
	h.reply(w, r, http.StatusOK, map[string]any{"keys": nonNil(keys)}, err)
}

func (h *HTTP) issueReestroKey(w http.ResponseWriter, r *http.Request) {
	var n NewReestroKey
	if err := decode(w, r, &n); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	k, err := h.svc.IssueReestroKey(r.Context(), n)
	h.reply(w, r, http.StatusCreated, k, err)
}

func (h *HTTP) revokeReestroKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	k, err := h.svc.RevokeReestroKey(r.Context(), id)
	h.reply(w, r, http.StatusOK, k, err)
}

func (h *HTTP) grantReestroKey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	k, err := h.svc.GrantReestroKey(r.Context(), id, r.PathValue("orgId"))
	h.reply(w, r, http.StatusOK, k, err)
}

func (h *HTTP) revokeReestroGrant(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	k, err := h.svc.RevokeReestroGrant(r.Context(), id, r.PathValue("orgId"))
	h.reply(w, r, http.StatusOK, k, err)
}
