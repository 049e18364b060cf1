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
// status and message in the API's own envelope. At most one rule acts on a
// request: the first, in id order, that fires. Rules on a credential are
// tried after the others, when the API has proven the credential
// (httpx.Authenticated): the APIs authenticate inside their handlers, and
// deciding on a credential before that would let a wrong one match, or show
// a caller without one that a rule is there.
func (in *Injector) Wrap(api string, write func(w http.ResponseWriter, status int, message string), h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.IsInternal(r.Context()) {
			h.ServeHTTP(w, r) // the node's own calls fail only as the real service would
			return
		}
		var first, onCredential []Rule
		needBody, needBodyLater := false, false
		for _, rule := range in.current(r.Context()) {
			if rule.Job == "" && (rule.API == "" || rule.API == api) && (rule.Method == "" || strings.EqualFold(rule.Method, r.Method)) && pathMatches(rule.Path, r.URL.Path) {
				if rule.Credential == "" {
					first = append(first, rule)
					needBody = needBody || rule.Field != ""
				} else {
					onCredential = append(onCredential, rule)
					needBodyLater = needBodyLater || rule.Field != ""
				}
			}
		}
		if len(first)+len(onCredential) == 0 {
			h.ServeHTTP(w, r)
			return
		}
		var body any
		if needBody {
			body = jsonBody(r)
		}
		for _, rule := range first {
			if !bodyMatches(rule, body) || !in.fire(r.Context(), rule) {
				continue
			}
			httpx.NoteFault(r.Context(), rule.ID)
			if in.apply(w, r, rule, write) {
				h.ServeHTTP(w, r)
			}
			return
		}
		if len(onCredential) > 0 {
			// The rules on a credential read the body only once it is
			// proven: read now, a wrong credential with a body that never
			// comes would wait for it instead of its 401, and a caller
			// without one could make the node read a body (up to 1 MiB)
			// that the API refuses unread. The API may have read the body
			// by then (FSSP's group search carries its token in it): held
			// keeps what it read.
			bodyOf := func() any { return body }
			var held *heldBody
			if needBodyLater && !needBody && r.Body != nil && r.Body != http.NoBody {
				held = &heldBody{src: r.Body, recording: true}
				r.Body = held
				read := false
				bodyOf = func() any {
					if !read {
						body, read = held.json(), true
					}
					return body
				}
			}
			httpx.OnCredential(r.Context(), func(name string) error {
				if held != nil {
					defer held.stop()
				}
				for _, rule := range onCredential {
					if !credentialMatches(rule.Credential, name) || rule.Field != "" && !bodyMatches(rule, bodyOf()) || !in.fire(r.Context(), rule) {
						continue
					}
					httpx.NoteFault(r.Context(), rule.ID)
					if in.apply(w, r, rule, write) {
						return nil
					}
					return httpx.ErrFaulted
				}
				return nil
			})
		}
		h.ServeHTTP(w, r)
	})
}

// heldBody is a request's body as the API reads it, keeping what the API
// has read until a rule on a credential needs the whole body (json): what
// it reads then is given to the API after, as the body's next bytes.
type heldBody struct {
	src       io.ReadCloser
	recording bool
	read      []byte // what the API has read while recording
	over      bool   // the API read more than maxMatchedBody
	ahead     []byte // read for the rules, not yet given to the API
	err       error  // what reading ahead met, given once ahead is
}

func (b *heldBody) Read(p []byte) (int, error) {
	if len(b.ahead) > 0 {
		n := copy(p, b.ahead)
		b.ahead = b.ahead[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.src.Read(p)
	if b.recording && !b.over {
		if len(b.read)+n > maxMatchedBody {
			b.over, b.read = true, nil
		} else {
			b.read = append(b.read, p[:n]...)
		}
	}
	return n, err
}

func (b *heldBody) Close() error { return b.src.Close() }

// stop ends the recording: no rule will read the body any more.
func (b *heldBody) stop() { b.recording, b.read = false, nil }

// json is the whole body as jsonBody reads it, up to maxMatchedBody: what
// the API has read, then the rest; nil when it is larger or not JSON.
func (b *heldBody) json() any {
	b.recording = false
	if b.over {
		return nil
	}
	rest, err := io.ReadAll(io.LimitReader(b.src, int64(maxMatchedBody+1-len(b.read))))
	b.ahead, b.err = rest, err
	whole := append(b.read, rest...)
	b.read = nil
	if err != nil || len(whole) > maxMatchedBody {
		return nil
	}
	return decodeJSON(whole)
}

// bodyMatches: the rule names no field, or the body has it equal to the
// rule's value.
func bodyMatches(rule Rule, body any) bool {
	if rule.Field == "" {
		return true
	}
	v, ok := member(body, rule.Field)
	return ok && v == rule.Value
}

// fire counts one more match of rule, and a fault when it fires.
func (in *Injector) fire(ctx context.Context, rule Rule) bool {
	n, err := in.store.MatchFault(ctx, rule.ID)
	if err != nil {
		in.logger.Warn("faults: counting a match", "rule", rule.Name, "err", err)
		return false
	}
	if !rule.fires(n) {
		return false
	}
	if err := in.store.InjectedFault(ctx, rule.ID); err != nil {
		in.logger.Warn("faults: counting a fault", "rule", rule.Name, "err", err)
	}
	return true
}

// JobFault is the rule that fails a run of a job, if one does (Fired).
type JobFault struct {
	Rule  Rule
	fails []bool
}

// Fired says whether a rule fails the run.
func (f JobFault) Fired() bool { return f.Rule.ID != 0 }

// Fails says whether the job's item i fails.
func (f JobFault) Fails(i int) bool { return i < len(f.fails) && f.fails[i] }

// Message is what the job states of its failure: the rule's message, or
// the job's own words for such a failure.
func (f JobFault) Message(own string) string {
	if f.Rule.Message != "" {
		return f.Rule.Message
	}
	return own
}

// Job decides whether a rule fails this run of a job of kind, created with
// the credential named credential ("" when unknown, which no rule on a
// credential matches): the first rule for kind that matches, counted and
// drawn as for requests. pending answers the job's items that are still to
// be done, nil in the place of each one already done, and none when the
// job has nothing left to do (its object gone or ended); it is called only
// when a rule for kind is there, after the job has looked its object up,
// so that a run that would fail nothing spends no rule. A rule without a
// field matches when an item is pending; a rule's field is matched against
// each pending item: the items it matches fail, and the rule matches when
// one does. about names the job's object in the log line that marks the
// fault. No rule fires on a nil Injector (an API built without faults);
// the error is pending's.
func (in *Injector) Job(ctx context.Context, kind, credential, about string, pending func() ([]any, error)) (JobFault, error) {
	if in == nil {
		return JobFault{}, nil
	}
	var (
		parts  []any
		looked bool
	)
	for _, rule := range in.current(ctx) {
		if rule.Job != kind || rule.Credential != "" && !credentialMatches(rule.Credential, credential) {
			continue
		}
		if !looked {
			var err error
			if parts, err = pending(); err != nil {
				return JobFault{}, err
			}
			looked = true
		}
		f := JobFault{Rule: rule, fails: make([]bool, len(parts))}
		matched := false
		for i, p := range parts {
			if p == nil {
				continue
			}
			if rule.Field == "" {
				f.fails[i], matched = true, true
			} else if v, ok := member(p, rule.Field); ok && v == rule.Value {
				f.fails[i], matched = true, true
			}
		}
		if !matched || !in.fire(ctx, rule) {
			continue
		}
		// A job answers no request: the log and the rule's count are
		// its marks (the journal records requests).
		in.logger.Info("fault injected into a job", "rule", rule.Name, "rule_id", rule.ID, "kind", kind, "of", about)
		return f, nil
	}
	return JobFault{}, nil
}

// HasJobRule says whether a rule on jobs of kind could fail a job created
// with credential. Work that a node could do at once in its request, rather
// than queue as a job of kind (a quick FSSP search), is queued when one
// could: the rules act on the job.
func (in *Injector) HasJobRule(ctx context.Context, kind, credential string) bool {
	if in == nil {
		return false
	}
	for _, rule := range in.current(ctx) {
		if rule.Job == kind && (rule.Credential == "" || credentialMatches(rule.Credential, credential)) {
			return true
		}
	}
	return false
}

// Items are values as a rule's field sees a JSON body: v written as JSON
// and read back (numbers as written, objects as maps).
func Items[T any](vs ...T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		if b, err := json.Marshal(v); err == nil {
			out[i] = decodeJSON(b)
		}
	}
	return out
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
	return decodeJSON(b)
}

// decodeJSON is b as a rule's field sees it (numbers as written); nil
// when it is not JSON.
func decodeJSON(b []byte) any {
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
