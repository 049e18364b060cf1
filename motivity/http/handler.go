// Package http serves the public API of the Motivity platform
// (/public/api/v1/), as documented in shared/specs/motivity-public.ru.md,
// with the project's decisions (docs/motivity.md): the token and Locale
// headers, badges and points. One file per section of the document.
package http

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"stend"
	"stend/blob"
	"stend/credential"
	"stend/fault"
	"stend/httpx"
	"stend/motivity"
)

// Prefix is the API's documented base path.
const Prefix = "/public/api/v1/"

// Config holds the limits of the API; zero fields take the defaults.
type Config struct {
	// MaxBodyBytes bounds a request body; a larger one gets 413.
	MaxBodyBytes int64
	// MaxBadgeUsers bounds the userId array of a badge assignment or
	// removal.
	MaxBadgeUsers int
	// MaxPointsItems bounds the items of one points batch.
	MaxPointsItems int
	// Keys hashes the public token as the operator stored it.
	Keys credential.KeyHasher
	// Throttle refuses, for a while, a source that keeps presenting wrong
	// tokens (429); nil refuses nothing.
	Throttle *httpx.Throttle
	// Blobs keeps uploaded files.
	Blobs blob.Store
	// FileLinkTTL is how long a download link works (24 hours by default);
	// PublicURL is the base of links ("https://stand.example"), empty: the
	// scheme and host the request came by.
	FileLinkTTL time.Duration
	PublicURL   string
	// MaxFileBytes bounds an uploaded file: the document's 10 GB by
	// default; tests set less.
	MaxFileBytes int64
	// ReportKeep is how long a created report is kept once built (24
	// hours by default).
	ReportKeep time.Duration
	// Faults are the operators' fault rules, which may fail a created
	// report's build (motivity.ReportBuildJobKind).
	Faults *fault.Injector
}

// Defaults: a badge for a whole company of a few thousand people in one
// request, a points batch of a thousand changes.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxBadgeUsers  = 5000
	DefaultMaxPointsItems = 1000
	// DefaultReportKeep: the decisions' 24 hours.
	DefaultReportKeep = 24 * time.Hour
)

// actor is who the ledger and the badge history name for changes made
// through this API: the token is the platform's, not a person's.
const actor = motivity.PublicAPIActor

// Handler serves the API.
type Handler struct {
	cfg     Config
	store   Store
	service *motivity.Service
	clock   stend.Clock
	logger  *slog.Logger
	mux     *http.ServeMux
}

// Store is what the public API reads and writes: the platform's settings
// (token, locales), badges and points. Users are reached only through
// these sections, by identifier.
type Store interface {
	motivity.PlatformStore
	motivity.BadgeStore
	motivity.PointsStore
	motivity.FileStore
	// Leases lock tus uploads across the nodes of one database.
	stend.LeaseStore
}

// New builds the API's handler.
func New(cfg Config, store Store, service *motivity.Service, clock stend.Clock, logger *slog.Logger) *Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBadgeUsers <= 0 {
		cfg.MaxBadgeUsers = DefaultMaxBadgeUsers
	}
	if cfg.MaxPointsItems <= 0 {
		cfg.MaxPointsItems = DefaultMaxPointsItems
	}
	if cfg.MaxFileBytes <= 0 {
		cfg.MaxFileBytes = motivity.MaxFileSize
	}
	if cfg.ReportKeep <= 0 {
		cfg.ReportKeep = DefaultReportKeep
	}
	if cfg.FileLinkTTL <= 0 {
		cfg.FileLinkTTL = DefaultFileLinkTTL
	}
	h := &Handler{cfg: cfg, store: store, service: service, clock: clock, logger: logger, mux: http.NewServeMux()}
	routes := []route{
		{http.MethodGet, "badge", h.listBadges},
		{http.MethodGet, "badge/{$}", h.listBadges},
		{http.MethodPost, "badge/{badgeId}/assign", h.assignBadge},
		{http.MethodPost, "badge/{badgeId}/remove", h.removeBadge},
		// The document writes "/points/"; clients that drop the slash
		// are served too.
		{http.MethodPost, "points/{$}", h.changePoints},
		{http.MethodPost, "points", h.changePoints},
		{http.MethodPut, "goals/{goalId}", h.editGoal},
		// goals/user/{userId} and goals/{goalId}/approve overlap as
		// patterns (goals/user/approve); goalRoute tells them apart.
		{http.MethodGet, "goals/{first}/{second}", h.goalRoute},
		{http.MethodPost, "goals/{first}/{second}", h.goalRoute},
		// file/upload and file/{fileId} overlap as patterns; fileRoute
		// tells them apart.
		{http.MethodPost, "file/{fileId}", h.fileRoute},
		{http.MethodGet, "quest/{questId}/task", h.listQuestTasks},
		{http.MethodGet, "quest/{questId}/task/{taskId}/student/{studentId}", h.questThread},
		{http.MethodPost, "quest/{questId}/task/{taskId}/student/{studentId}", h.reviewTask},
	}
	routes = append(routes, h.reportRoutes()...)
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range routes {
		h.mux.HandleFunc(rt.method+" "+Prefix+rt.path, h.guard(rt.serve))
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for _, path := range paths {
		allow := strings.Join(allowed[path], ", ")
		h.mux.HandleFunc(Prefix+path, h.guard(func(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
			if path == "goals/{first}/{second}" {
				h.goalRoute(w, r, p)
				return
			}
			w.Header().Set("Allow", allow)
			writeMessage(w, http.StatusMethodNotAllowed, msgMethodNotAllowed)
		}))
	}
	h.mux.HandleFunc(Prefix, h.guard(func(w http.ResponseWriter, r *http.Request, _ motivity.Platform) {
		writeMessage(w, http.StatusNotFound, msgNotFound)
	}))
	return h
}

type route struct {
	method, path string
	serve        func(http.ResponseWriter, *http.Request, motivity.Platform)
}

// ServeHTTP checks the token first on the paths the router would redirect
// instead of routing (//badge, /./points/, the prefix without its slash):
// without a valid token they get the 401 of every path; with one, the
// router redirects them as it does.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Recover(h.logger, writeInternal, httpx.AtNow(h.clock, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p != path.Clean(p) && p != path.Clean(p)+"/" || p+"/" == Prefix {
			if _, err := h.authenticate(r); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		h.mux.ServeHTTP(w, r)
	}))).ServeHTTP(w, r)
}

// guard checks the token before every handler, the catch-all ones too:
// the document asks for it on every path ("при отправке запросов по урлам
// вида api/public/*"), so an unknown path without the token is a 401, not
// a 404.
func (h *Handler) guard(serve func(http.ResponseWriter, *http.Request, motivity.Platform)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := h.authenticate(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		serve(w, r, p)
	}
}

// fail answers an error that no rule of the document describes.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrFaulted) {
		return // a fault rule on the token answered already
	}
	switch stend.KindOf(err) {
	case stend.Invalid:
		// Input the API let through and the store refused (text it cannot
		// hold): "not filled in or filled in incorrectly", never a 500.
		writeMessage(w, http.StatusBadRequest, msgRequired)
	case stend.Unauthenticated:
		writeMessage(w, http.StatusUnauthorized, msgInvalidToken)
	case stend.Unavailable:
		writeMessage(w, http.StatusServiceUnavailable, msgUnavailable)
	case stend.RateLimited:
		httpx.SetRetryAfter(w.Header(), err)
		writeMessage(w, http.StatusTooManyRequests, msgTooManyAttempts)
	case stend.TooLarge:
		writeMessage(w, http.StatusRequestEntityTooLarge, msgTooLarge)
	default:
		if r.Context().Err() != nil {
			return // the client went away; nothing to answer
		}
		h.logger.ErrorContext(r.Context(), "motivity", "request_id", httpx.RequestID(r.Context()), "err", err)
		writeInternal(w, r)
	}
}

var errTooLarge = &stend.Error{Kind: stend.TooLarge, Op: "motivity", Message: "body over the limit"}

// readBody reads the whole body within the limit; an oversized body is
// refused before it is read when it declares its length.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > h.cfg.MaxBodyBytes {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errTooLarge
	}
	// A body cut short by the client is judged as far as it arrived: it is
	// not valid JSON, which every route answers as documented.
	return body, nil
}
