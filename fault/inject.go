package fault

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"stend/httpx"
)

// Injector applies the rules to the requests of the APIs it wraps. It keeps
// the rules in memory and looks at their version in the database at most
// every followEvery, so that a stand without faults pays a lock per
// request; a rule put through this node applies at once (Changed).
type Injector struct {
	store  Store
	logger *slog.Logger

	mu         sync.Mutex
	rules      []Rule
	version    int64
	read       time.Time // zero: read again
	refreshing bool
}

// followEvery is how stale a node's rules may be: another node's new rule
// applies here within it. A failed read is tried again after it too.
const followEvery = 500 * time.Millisecond

// maxMatchedBody bounds the body read to match a rule's Field: larger
// bodies match no such rule, rather than being held in memory.
const maxMatchedBody = 1 << 20

// NewInjector applies store's rules.
func NewInjector(store Store, logger *slog.Logger) *Injector {
	return &Injector{store: store, logger: logger}
}

// Changed makes the next request read the rules again.
func (in *Injector) Changed() {
	in.mu.Lock()
	in.read = time.Time{}
	in.mu.Unlock()
}

// current is the rules; one request at a time reads them again when they
// are stale, outside the lock, while the others go on with those held (a
// slow database must not queue every API behind the lock). The first read
// of a node, and one after Changed, is waited for.
func (in *Injector) current(ctx context.Context) []Rule {
	in.mu.Lock()
	fresh := !in.read.IsZero() && time.Since(in.read) < followEvery
	if fresh || in.refreshing && in.version != 0 {
		rules := in.rules
		in.mu.Unlock()
		return rules
	}
	in.refreshing = true
	in.mu.Unlock()

	rules, version, err := in.load(ctx)
	in.mu.Lock()
	defer in.mu.Unlock()
	in.refreshing = false
	in.read = time.Now()
	if err != nil {
		in.logger.Warn("faults: reading the rules", "err", err)
		return in.rules
	}
	in.rules, in.version = rules, version
	return rules
}

func (in *Injector) load(ctx context.Context) ([]Rule, int64, error) {
	v, err := in.store.FaultsVersion(ctx)
	if err != nil {
		return nil, 0, err
	}
	in.mu.Lock()
	same := v == in.version && in.version != 0
	held := in.rules
	in.mu.Unlock()
	if same {
		return held, v, nil
	}
	rules, err := in.store.Faults(ctx)
	return rules, v, err
}

// Wrap applies the rules of api to the requests h serves; write answers a
// status and message in the API's own envelope.
func (in *Injector) Wrap(api string, write func(w http.ResponseWriter, status int, message string), h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.IsInternal(r.Context()) {
			h.ServeHTTP(w, r) // the node's own calls fail only as the real service would
			return
		}
		var candidates []Rule
		for _, rule := range in.current(r.Context()) {
			if (rule.API == "" || rule.API == api) && (rule.Method == "" || strings.EqualFold(rule.Method, r.Method)) && pathMatches(rule.Path, r.URL.Path) {
				candidates = append(candidates, rule)
			}
		}
		if len(candidates) == 0 {
			h.ServeHTTP(w, r)
			return
		}
		var body any
		bodyRead := false
		for _, rule := range candidates {
			if rule.Field != "" {
				if !bodyRead {
					body, bodyRead = jsonBody(r), true
				}
				if v, ok := member(body, rule.Field); !ok || v != rule.Value {
					continue
				}
			}
			n, err := in.store.MatchFault(r.Context(), rule.ID)
			if err != nil {
				in.logger.Warn("faults: counting a match", "rule", rule.Name, "err", err)
				continue
			}
			if !rule.fires(n) {
				continue
			}
			if err := in.store.InjectedFault(r.Context(), rule.ID); err != nil {
				in.logger.Warn("faults: counting a fault", "rule", rule.Name, "err", err)
			}
			httpx.NoteFault(r.Context(), rule.ID)
			if !in.apply(w, r, rule, write) {
				return
			}
			break
		}
		h.ServeHTTP(w, r)
	})
}

// apply does what rule says; it answers whether the request goes on to
// the API (a rule that only delays it).
func (in *Injector) apply(w http.ResponseWriter, r *http.Request, rule Rule, write func(http.ResponseWriter, int, string)) bool {
	if rule.LatencyMS > 0 {
		t := time.NewTimer(time.Duration(rule.LatencyMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return false
		}
	}
	switch {
	case rule.Cut:
		httpx.NoteCut(r.Context())
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return false
		}
		// Not hijackable (HTTP/2): abort the answer, which resets the
		// stream.
		panic(http.ErrAbortHandler)
	case rule.Status != 0:
		if rule.RetryAfterS > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(rule.RetryAfterS))
		}
		write(w, rule.Status, rule.Message)
		return false
	}
	return true
}

// pathMatches: pattern empty (any), exact, or a prefix ending with *.
func pathMatches(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return pattern == "" || pattern == path
}

// jsonBody reads r's body, up to maxMatchedBody, as JSON, and puts it back
// for the API; nil when it is larger or not JSON.
func jsonBody(r *http.Request) any {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxMatchedBody+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
	if err != nil || len(b) > maxMatchedBody {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	return v
}

// member is the value at path in v, as text: strings as they are, numbers
// as written, true and false.
func member(v any, path string) (string, bool) {
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return "", false
			}
			v = x[i]
		default:
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}
