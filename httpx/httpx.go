// Package httpx is the thin HTTP machinery every published API shares:
// request ids, access logs, metrics and JSON writing. It knows no API's
// envelope: each API passes in how it answers a panic or an oversized body.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"stend"
)

type ctxKey int

const requestIDKey ctxKey = iota

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

// RequestID returns the id of the request being served, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

func newRequestID() string { return stend.RandomHex(8) }

// acceptableRequestID keeps a caller's id only when it cannot pollute logs.
func acceptableRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusRecorder remembers what a handler answered, for logs and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Observe gives every request an id, and after it is served logs one line
// and records metrics, labelled with the API that served it and the route
// pattern that matched (never the raw path, which would explode the label
// set).
func Observe(logger *slog.Logger, metrics *Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if !acceptableRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		info := &routeInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeInfoKey, info)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		elapsed := time.Since(start)
		api, route := info.api, info.route
		if api == "" {
			api = "none"
		}
		if route == "" {
			route = "unmatched"
		}
		metrics.observe(api, route, rec.status, elapsed)
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		logger.LogAttrs(ctx, level, "request",
			slog.String("request_id", id),
			slog.String("api", api),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", route),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("duration", elapsed),
			slog.String("remote", r.RemoteAddr),
		)
	})
}

const routeInfoKey ctxKey = 1

type routeInfo struct {
	api, route, credential string
	secrets                []string // presented credentials, for the journal to scrub
	fault                  int64    // the fault rule applied, if any
	cut                    bool     // the fault cut the connection
	// onCredential applies the fault rules on credentials (OnCredential).
	onCredential func(name string) error
}

// NoteSecret says that s is a secret the request presented (a token, a key,
// a password), right or wrong: the journal scrubs it wherever it appears,
// in every encoding, whatever shape the request had.
func NoteSecret(ctx context.Context, s string) {
	if s == "" {
		return
	}
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		info.secrets = append(info.secrets, s)
	}
}

// SecretsOf are the secrets the request presented (NoteSecret).
func SecretsOf(ctx context.Context) []string {
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		return info.secrets
	}
	return nil
}

type internalKey struct{}

// Internal marks a request the node makes to itself (its Reestro checks'
// FSSP searches): neither a client's request to journal nor one for faults
// to fail.
func Internal(ctx context.Context) context.Context {
	return context.WithValue(ctx, internalKey{}, true)
}

// IsInternal reports whether ctx is of a request the node made to itself.
func IsInternal(ctx context.Context) bool { v, _ := ctx.Value(internalKey{}).(bool); return v }

// NoteFault marks a request that a fault rule failed, for the journal.
func NoteFault(ctx context.Context, rule int64) {
	noteWatchedFault(ctx)
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		info.fault = rule
	}
}

// NoteCut marks a request whose connection a fault cut: it was answered
// nothing.
func NoteCut(ctx context.Context) {
	noteWatchedFault(ctx)
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		info.cut = true
	}
}

// FaultOf is the fault rule applied to a request (0: none) and whether it
// cut the connection.
func FaultOf(ctx context.Context) (rule int64, cut bool) {
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		return info.fault, info.cut
	}
	return 0, false
}

// Authenticated names the credential a request was authenticated with (an
// FSSP token's name, an organization's username; never its secret), for
// the journal, and lets the operators' fault rules on that credential act
// on the request (OnCredential). It answers ErrFaulted when a rule has
// answered the request: the API must then stop without answering. An API
// calls it only once the credential is proven, so that a wrong or unknown
// one never meets a rule, and a caller without one learns nothing of them.
func Authenticated(ctx context.Context, name string) error {
	info, ok := ctx.Value(routeInfoKey).(*routeInfo)
	if !ok {
		return nil
	}
	info.credential = name
	hook := info.onCredential
	// Once per request: an API that authenticates twice (a path it checks
	// before routing) must not count a rule's match twice.
	info.onCredential = nil
	if hook == nil {
		return nil
	}
	return hook(name)
}

// ErrFaulted says that a fault rule answered the request (or cut its
// connection) once its credential was known.
var ErrFaulted = &stend.Error{Kind: stend.Unavailable, Op: "httpx", Message: "answered by a fault rule"}

// OnCredential has hook run when the API names the request's credential
// (Authenticated); hook answers ErrFaulted when it answered the request.
func OnCredential(ctx context.Context, hook func(name string) error) {
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		info.onCredential = hook
	}
}

// RouteOf is what Observe and the APIs learnt of a request once it is
// served: its API, the route that matched and the credential.
func RouteOf(ctx context.Context) (api, route, credential string) {
	if info, ok := ctx.Value(routeInfoKey).(*routeInfo); ok {
		return info.api, info.route, info.credential
	}
	return "", "", ""
}

// API labels every request that reaches h with the API's name and, after
// routing, with the matched pattern of h's mux.
func API(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, _ := r.Context().Value(routeInfoKey).(*routeInfo)
		if info != nil {
			info.api = name
		}
		h.ServeHTTP(w, r)
		if info != nil && r.Pattern != "" {
			info.route = r.Pattern
		}
	})
}

// Recover turns a panic into onPanic's answer (in the API's own envelope)
// and logs it; http.ErrAbortHandler is left alone, as net/http expects.
func Recover(logger *slog.Logger, onPanic func(http.ResponseWriter, *http.Request), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "panic", "request_id", RequestID(r.Context()), "panic", v)
				onPanic(w, r)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// WriteJSON writes v as the whole answer with the given content type.
func WriteJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := MarshalJSON(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	WriteJSONBytes(w, status, contentType, b)
}

// WriteJSONBytes writes b, JSON already encoded, as the whole answer.
func WriteJSONBytes(w http.ResponseWriter, status int, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	// Known length: net/http then sends the body as it is instead of in
	// chunks, one write fewer for answers over its 4 KiB buffer.
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// MarshalJSON is json.Marshal without HTML escaping: the documents' values
// ("<br>" in an FSSP bailiff field) are sent as they are written, not as
// \u003cbr\u003e.
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

type nowKey struct{}

// AtNow decides a request's "now" once, at the edge, from clock: every
// rule of the request (a credential's expiry, dates that may not lie in
// the future, the instants it stores) then sees the same instant, even
// while an operator moves the stand's clock.
func AtNow(clock interface{ Now() time.Time }, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := r.WithContext(context.WithValue(r.Context(), nowKey{}, clock.Now()))
		next.ServeHTTP(w, at)
		// The router records the matched route on the request it was
		// given; API reads it from this one for the metrics.
		r.Pattern = at.Pattern
	})
}

// Now is the request's "now", as AtNow decided it.
func Now(ctx context.Context) time.Time {
	t, ok := ctx.Value(nowKey{}).(time.Time)
	if !ok {
		panic("httpx.Now: the handler is not behind httpx.AtNow")
	}
	return t
}

type faultWatchKey struct{}

// WatchFaults makes NoteFault and NoteCut also tell seen: a caller outside
// the node (a test that holds answers to the APIs' documents) learns that an
// operator's fault rule, not the API, answered.
func WatchFaults(ctx context.Context, seen *atomic.Bool) context.Context {
	return context.WithValue(ctx, faultWatchKey{}, seen)
}

func noteWatchedFault(ctx context.Context) {
	if seen, ok := ctx.Value(faultWatchKey{}).(*atomic.Bool); ok {
		seen.Store(true)
	}
}
