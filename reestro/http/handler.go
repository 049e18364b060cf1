// Package http serves the Reestro realty assessment checks API
// (/realty/assessment/v1/), as documented in
// shared/specs/reestro-checks.ru.md, with the project's decisions
// (docs/reestro.md): the documented listing, and the subjects and checks
// clients of the real service create. An Fssp check runs as a job that
// searches the FSSP data bank through its HTTP API.
package http

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"sync/atomic"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/credential"
	"stend/fault"
	"stend/httpx"
	"stend/reestro"
)

// Prefix is the API's documented base path.
const Prefix = "/realty/assessment/v1/"

// Config holds the limits of the API; zero fields take the defaults.
type Config struct {
	// MaxBodyBytes bounds a request body; a larger one gets 413.
	MaxBodyBytes int64
	// CheckDeadline is how long a check may stay in Processing before it
	// is Failed, whatever its job is doing.
	CheckDeadline time.Duration
	// FSSPPollMin and FSSPPollMax bound the pause between a check's looks
	// at its FSSP tasks (JobHandler); the pause is half the check's age.
	FSSPPollMin, FSSPPollMax time.Duration
	// Throttle refuses, for a while, a source that keeps failing to
	// authenticate (429); nil refuses nothing.
	Throttle *httpx.Throttle
	// Keys hashes API keys as the operator stored them.
	Keys credential.KeyHasher
	// Faults are the operators' fault rules, which may fail checks on
	// request; nil: none.
	Faults *fault.Injector
}

const (
	DefaultMaxBodyBytes  = 64 << 10
	DefaultCheckDeadline = time.Hour
	DefaultFSSPPollMin   = 100 * time.Millisecond
	DefaultFSSPPollMax   = 5 * time.Second
)

// Handler serves the API and runs its checks.
type Handler struct {
	cfg     Config
	store   reestro.Store
	service *reestro.Service
	clock   stend.Clock
	ids     stend.IDSource
	logger  *slog.Logger
	mux     *http.ServeMux
	access  *httpx.CredentialCache[accessKey, cachedAccess]
	fssp    atomic.Pointer[fsspclient.Client]
}

// New builds the API's handler. Checks cannot run until UseFSSP names the
// FSSP API to search.
func New(cfg Config, store reestro.Store, clock stend.Clock, ids stend.IDSource, logger *slog.Logger) *Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.CheckDeadline <= 0 {
		cfg.CheckDeadline = DefaultCheckDeadline
	}
	if cfg.FSSPPollMin <= 0 {
		cfg.FSSPPollMin = DefaultFSSPPollMin
	}
	if cfg.FSSPPollMax <= 0 {
		cfg.FSSPPollMax = DefaultFSSPPollMax
	}
	h := &Handler{cfg: cfg, store: store, service: reestro.NewService(store), clock: clock, ids: ids, logger: logger, mux: http.NewServeMux(),
		access: &httpx.CredentialCache[accessKey, cachedAccess]{TTL: accessTTL, Limit: accessCacheLimit}}
	routes := []struct {
		method, path string
		serve        func(http.ResponseWriter, *http.Request, int64)
	}{
		{http.MethodGet, "checks", h.listChecks},
		{http.MethodPost, "checks", h.createCheck},
		{http.MethodGet, "checks/{checkId}", h.getCheck},
		{http.MethodPost, "subjects", h.createSubject},
	}
	allowed := map[string]string{}
	for _, rt := range routes {
		h.mux.HandleFunc(rt.method+" "+Prefix+rt.path, h.guard(rt.serve))
		if a, ok := allowed[rt.path]; ok {
			allowed[rt.path] = a + ", " + rt.method
		} else {
			allowed[rt.path] = rt.method
		}
	}
	for p, allow := range allowed {
		h.mux.HandleFunc(Prefix+p, h.guard(func(w http.ResponseWriter, r *http.Request, _ int64) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, errMethod)
		}))
	}
	h.mux.HandleFunc(Prefix, h.guard(func(w http.ResponseWriter, r *http.Request, _ int64) {
		writeError(w, http.StatusNotFound, errNotFound)
	}))
	return h
}

// UseFSSP sets the FSSP API that checks search; it may change while the
// node runs (the node learns its own address only when it listens).
func (h *Handler) UseFSSP(c *fsspclient.Client) { h.fssp.Store(c) }

// ServeHTTP checks the credentials first on the paths the router would
// redirect instead of routing, so that they too answer 401 without them.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Recover(h.logger, writeInternal, httpx.AtNow(h.clock, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p != path.Clean(p) && p != path.Clean(p)+"/" || p+"/" == Prefix {
			if _, err := h.organization(r.Context(), r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		h.mux.ServeHTTP(w, r)
	}))).ServeHTTP(w, r)
}

// guard authenticates before every handler, the catch-all ones too, so that
// a caller without access learns nothing, not even which paths exist.
func (h *Handler) guard(serve func(http.ResponseWriter, *http.Request, int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		org, err := h.organization(r.Context(), r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		serve(w, r, org)
	}
}

func (h *Handler) listChecks(w http.ResponseWriter, r *http.Request, org int64) {
	f, err := listingFilter(r.URL.Query())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var checks []reestro.Check
	if f.Limit > 0 {
		f.OrganizationRef = org
		if checks, err = h.store.Checks(r.Context(), f); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	httpx.WriteJSONBytes(w, http.StatusOK, contentType, appendChecksAnswer(make([]byte, 0, 512+400*len(checks)), checks))
}

func (h *Handler) getCheck(w http.ResponseWriter, r *http.Request, org int64) {
	id, ok := reestro.ParseGUID(r.PathValue("checkId"))
	if !ok {
		h.fail(w, r, wrongField("checkId should be guid"))
		return
	}
	c, err := h.store.Check(r.Context(), org, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, contentType, itemOf(c, true))
}

func (h *Handler) createSubject(w http.ResponseWriter, r *http.Request, org int64) {
	var req subjectRequest
	if err := h.readJSON(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	person, err := validateSubject(req, stend.DateOf(httpx.Now(r.Context())))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := h.store.CreateSubject(r.Context(), reestro.Subject{
		ID: newID(h.ids), OrganizationRef: org, Person: person, CreatedAt: httpx.Now(r.Context()),
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, contentType, subjectAnswer{SubjectID: s.ID})
}

func (h *Handler) createCheck(w http.ResponseWriter, r *http.Request, org int64) {
	var req checkRequest
	if err := h.readJSON(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := validateCheck(req)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c.ID, c.OrganizationRef, c.CreatedAt = newID(h.ids), org, httpx.Now(r.Context())
	_, _, credential := httpx.RouteOf(r.Context())
	c, err = h.service.CreateCheck(r.Context(), c, credential)
	if errors.Is(err, reestro.ErrSubjectNotFound) {
		// The same answer for another organization's subject as for none.
		err = wrongField("fssp.subjectId should be the id of a subject of the organization")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, contentType, checkAnswer{CheckID: c.ID})
}

// newID makes a lower-case GUID, the form of the document's samples.
func newID(ids stend.IDSource) string {
	id, _ := reestro.ParseGUID(ids.NewGUID())
	return id
}

var errBodyTooLarge = &stend.Error{Kind: stend.TooLarge, Op: "reestro", Message: "body over the limit"}

// readJSON reads a JSON body within the limit into v. A body that is not a
// JSON object is a validation error naming the body.
func (h *Handler) readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return errMediaTypeKind
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return errBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errBodyTooLarge
	}
	if err != nil {
		return wrongField("body should be a JSON object")
	}
	if err := json.Unmarshal(body, v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field != "" {
			// Only the objects of a body are typed; its values are read
			// raw and judged by the validation that names them.
			return wrongField(typ.Field + " should be an object")
		}
		return wrongField("body should be a JSON object")
	}
	return nil
}

// errMediaTypeKind is a body that does not say it is JSON; ASP.NET, which
// the real service runs on, answers it 415.
var errMediaTypeKind = &stend.Error{Kind: stend.Invalid, Op: "reestro", Message: "body is not application/json"}

// fsspClient is the FSSP client checks use, or an Unavailable error while
// the node has none.
func (h *Handler) fsspClient() (*fsspclient.Client, error) {
	c := h.fssp.Load()
	if c == nil {
		return nil, stend.Errorf(stend.Unavailable, "reestro.check", "no FSSP API configured")
	}
	return c, nil
}
