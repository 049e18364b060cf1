// Package http serves the FSSP data bank API (БДИП, v1.0) under /api/v1.0/,
// as documented in shared/specs/fssp-bdip.ru.md with the project's
// decisions: asynchronous searches run as durable jobs, per-token limits on
// sliding windows, and results kept 24 hours.
package http

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/credential"
	"stend/fault"
	"stend/fssp"
	"stend/httpx"
)

// Prefix is the API's base path.
const Prefix = "/api/v1.0/"

// Config tunes the API.
type Config struct {
	// MaxItems caps the proceedings one sub-request answers, so that a
	// fragment such as "ООО" cannot blow up an answer.
	MaxItems int
	// SearchTimeout bounds one sub-request's search; one that runs longer
	// fails alone and the task ends with status 3.
	SearchTimeout time.Duration
	// Parallel is how many sub-requests of one task run at once.
	Parallel int
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes int64
	// Location is the time zone of task_start and task_end, and of "today".
	Location *time.Location
	// Keys hashes tokens as the operator stored them.
	Keys credential.KeyHasher
	// Throttle refuses, for a while, a source that keeps presenting wrong
	// tokens (429); nil refuses nothing.
	Throttle *httpx.Throttle
	// Faults are the operators' fault rules, which may fail a task's
	// searches (status 3) on request; nil: none.
	Faults *fault.Injector
	// AtOnce lets a submitting request run its single search itself and
	// store the task already ended with its result: no job, no second
	// transaction, and the first /status answers 0.
	AtOnce bool
	// Working says whether this node runs task jobs now (its job runner
	// runs, not paused): a node that would not run the job does not run
	// the search in the request either. nil: never.
	Working func() bool
	// AtOnceSlots bounds the searches requests run at once (the task
	// job's workers), so that a burst of submissions cannot hold more of
	// the database than the runner would.
	AtOnceSlots int
}

// Defaults.
const (
	DefaultMaxItems      = 100
	DefaultSearchTimeout = 10 * time.Second
	DefaultParallel      = 4
	DefaultMaxBodyBytes  = 1 << 20
)

// Handler is the FSSP Handler: its HTTP handler and its task jobs.
type Handler struct {
	cfg     Config
	store   fssp.Store
	service *fssp.Service
	clock   stend.Clock
	ids     stend.IDSource
	logger  *slog.Logger
	mux     *http.ServeMux
	tokens  *httpx.CredentialCache[[32]byte, fssp.Token]
	done    doneCache
	atOnce  chan struct{} // a place for each search run in a request
}

// New builds the API.
func New(cfg Config, store fssp.Store, clock stend.Clock, ids stend.IDSource, logger *slog.Logger) *Handler {
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = DefaultMaxItems
	}
	if cfg.SearchTimeout <= 0 {
		cfg.SearchTimeout = DefaultSearchTimeout
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = DefaultParallel
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.AtOnceSlots <= 0 {
		cfg.AtOnceSlots = DefaultParallel
	}
	if ids == nil {
		ids = stend.RandomIDs{}
	}
	a := &Handler{cfg: cfg, store: store, service: fssp.NewService(store), clock: clock, ids: ids, logger: logger, mux: http.NewServeMux(),
		tokens: &httpx.CredentialCache[[32]byte, fssp.Token]{TTL: tokenTTL, Limit: cacheLimit},
		atOnce: make(chan struct{}, cfg.AtOnceSlots)}
	a.mux.HandleFunc(Prefix+"search/physical", a.searchOne(typePhysical))
	a.mux.HandleFunc(Prefix+"search/legal", a.searchOne(typeLegal))
	a.mux.HandleFunc(Prefix+"search/ip", a.searchOne(typeNumber))
	a.mux.HandleFunc(Prefix+"search/group", a.searchGroup)
	a.mux.HandleFunc(Prefix+"status", a.status)
	a.mux.HandleFunc(Prefix+"result", a.result)
	a.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeFailure(w, http.StatusNotFound, msgNotFound)
	})
	return a
}

func (a *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Recover(a.logger, func(w http.ResponseWriter, _ *http.Request) {
		writeFailure(w, http.StatusInternalServerError, msgInternal)
	}, httpx.AtNow(a.clock, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Every method takes its parameters in a GET or a POST alike.
		// An unclean path would get ServeMux's redirect, outside the envelope.
		if r.URL.Path != path.Clean(r.URL.Path) {
			writeFailure(w, http.StatusNotFound, msgNotFound)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			w.Header().Set("Allow", "GET, POST")
			writeFailure(w, http.StatusMethodNotAllowed, msgMethod)
			return
		}
		a.mux.ServeHTTP(w, r)
	}))).ServeHTTP(w, r)
}

// today is the calendar day of now where the service is (Moscow).
func (a *Handler) today(now time.Time) stend.Date { return stend.DateOf(now.In(a.cfg.Location)) }

// authenticate finds the token's record; a missing, unknown, revoked or
// expired token is the same 401, and a source that keeps sending them is
// refused for a while (429).
func (a *Handler) authenticate(r *http.Request, token string) (fssp.Token, error) {
	httpx.NoteSecret(r.Context(), token)
	t, err := httpx.Authenticate(a.cfg.Throttle, r, func() (fssp.Token, error) { return a.findToken(r, token) })
	if err == nil {
		err = httpx.Authenticated(r.Context(), credentialName(t))
	}
	return t, err
}

// credentialName is how the journal and the fault rules name a token.
func credentialName(t fssp.Token) string { return "token " + t.Name }

func (a *Handler) findToken(r *http.Request, token string) (fssp.Token, error) {
	const op = "fssp.authenticate"
	if token == "" {
		return fssp.Token{}, stend.Errorf(stend.Unauthenticated, op, "no token")
	}
	// The lookup is by a hash of the token, so the comparison that decides
	// is the database's equality on 32 bytes no caller can choose.
	var sum [32]byte
	copy(sum[:], a.cfg.Keys.Hash(token))
	now := httpx.Now(r.Context())
	t, ok := a.tokens.Get(sum, now)
	if !ok {
		var err error
		t, err = a.store.TokenByHash(r.Context(), sum[:])
		if stend.KindOf(err) == stend.NotFound {
			return fssp.Token{}, stend.Errorf(stend.Unauthenticated, op, "unknown token")
		}
		if err != nil {
			return fssp.Token{}, err
		}
		a.tokens.Put(sum, t, now)
	}
	if !t.Active(now) {
		return fssp.Token{}, stend.Errorf(stend.Unauthenticated, op, "token %d revoked or expired", t.ID)
	}
	return t, nil
}

// request reads the parameters and the token. A body too large to read is
// refused before the token is looked at.
func (a *Handler) request(w http.ResponseWriter, r *http.Request) (params, fssp.Token, bool) {
	p, perr := readParams(r, a.cfg.MaxBodyBytes)
	if stend.KindOf(perr) == stend.TooLarge {
		writeError(w, perr)
		return p, fssp.Token{}, false
	}
	tok, err := a.authenticate(r, strings.TrimSpace(p.get("token")))
	if err != nil {
		a.fail(w, r, err)
		return p, tok, false
	}
	if perr != nil {
		a.fail(w, r, perr)
		return p, tok, false
	}
	return p, tok, true
}

func (a *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrFaulted) {
		return // a fault rule on the token answered already
	}
	switch stend.KindOf(err) {
	case stend.Internal, stend.Unavailable:
		a.logger.Error("fssp request failed", "path", r.URL.Path, "request_id", httpx.RequestID(r.Context()), "err", err)
	}
	writeError(w, err)
}

func (a *Handler) searchOne(typ int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, tok, ok := a.request(w, r)
		if !ok {
			return
		}
		s, err := validate(typ, p.values, a.today(httpx.Now(r.Context())))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		a.submit(w, r, tok, fssp.Single, []fssp.SubRequest{s.req})
	}
}

func (a *Handler) searchGroup(w http.ResponseWriter, r *http.Request) {
	p, tok, ok := a.request(w, r)
	if !ok {
		return
	}
	items, err := p.groupRequests()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	searches, err := validateGroup(items, a.today(httpx.Now(r.Context())))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	reqs := make([]fssp.SubRequest, len(searches))
	for i, s := range searches {
		reqs[i] = s.req
	}
	a.submit(w, r, tok, fssp.Group, reqs)
}

func (a *Handler) submit(w http.ResponseWriter, r *http.Request, tok fssp.Token, class fssp.TaskClass, reqs []fssp.SubRequest) {
	now := httpx.Now(r.Context())
	task := fssp.Task{ID: a.ids.NewGUID(), TokenID: tok.ID, Class: class, Requests: reqs, State: fssp.TaskQueued, CreatedAt: now}
	// Known here only: the task's job runs with no request.
	own := httpx.IsInternal(r.Context())
	var (
		usage []fssp.RateUsage
		err   error
	)
	if result, ok := a.answerAtOnce(r, task, credentialName(tok), own); ok {
		task.State, task.Done = fssp.TaskDone, 1
		end := a.clock.Now()
		if end.Before(now) { // an operator set the clock back meanwhile
			end = now
		}
		task.StartedAt, task.FinishedAt = &now, &end
		if usage, err = a.service.SubmitEnded(r.Context(), task, result, tok.Limits.Windows(class)); err == nil {
			a.done.put(task)
		}
	} else {
		usage, err = a.service.Submit(r.Context(), task, tok.Limits.Windows(class), credentialName(tok), own)
	}
	var limited *fssp.RateLimitError
	if errors.As(err, &limited) {
		writeLimited(w, limited, now)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	setRateHeaders(w.Header(), usage, now)
	writeSuccess(w, taskCreated{Task: task.ID})
}

// answerAtOnce runs a single search in its submitting request, when it
// can, and answers its result. It answers false, and the task is queued as
// any other, when the node runs no task jobs now, every place is taken, an
// operator's fault rule could fail the search (the rules act on the job),
// or the search failed: the job searches again, with its retries, and
// writes the failure as it would have. The search has the job's timeout
// and no shorter one: a bound that gave a slow search up to the job made
// the job search it again, and on PostgreSQL each search given up closed
// its connection (pgx closes one whose query is cancelled), so a saturated
// node spent its time searching twice and opening connections
// (docs/benchmarks.md, "PostgreSQL at the targets").
func (a *Handler) answerAtOnce(r *http.Request, task fssp.Task, credential string, own bool) (fssp.SubResult, bool) {
	if task.Class != fssp.Single || len(task.Requests) != 1 || !a.cfg.AtOnce || a.cfg.Working == nil || !a.cfg.Working() {
		return fssp.SubResult{}, false
	}
	if !own && a.cfg.Faults.HasJobRule(r.Context(), fssp.TaskJobKind, credential) {
		return fssp.SubResult{}, false
	}
	select {
	case a.atOnce <- struct{}{}:
		defer func() { <-a.atOnce }()
	default:
		return fssp.SubResult{}, false
	}
	ctx, cancel := context.WithTimeout(r.Context(), a.cfg.SearchTimeout)
	defer cancel()
	req := task.Requests[0]
	found, err := a.search(ctx, req)
	if err != nil {
		return fssp.SubResult{}, false
	}
	return fssp.SubResult{Index: 0, Body: renderResult(req, found)}, true
}

// task reads the task a /status or /result call names; another token's
// task is as unknown as one that never existed.
func (a *Handler) task(w http.ResponseWriter, r *http.Request, statusOnly bool) (fssp.Task, bool) {
	p, tok, ok := a.request(w, r)
	if !ok {
		return fssp.Task{}, false
	}
	id := strings.ToUpper(strings.TrimSpace(p.get("task")))
	if id == "" {
		a.fail(w, r, invalid)
		return fssp.Task{}, false
	}
	if !stend.StorableText(id) {
		// No task has such an id, and PostgreSQL would refuse to compare
		// it: it is as unknown as any other.
		a.fail(w, r, stend.Errorf(stend.NotFound, "fssp", "no task %q", id))
		return fssp.Task{}, false
	}
	now := httpx.Now(r.Context())
	if d, ok := a.done.get(id); ok && d.tokenID == tok.ID {
		if !now.Before(d.createdAt.Add(fssp.TaskRetention)) {
			a.fail(w, r, stend.Errorf(stend.NotFound, "fssp", "task %s expired", id))
			return fssp.Task{}, false
		}
		if statusOnly {
			return d.task(id), true
		}
	}
	t, err := a.store.TaskState(r.Context(), tok.ID, id, now)
	if err != nil {
		a.fail(w, r, err)
		return t, false
	}
	a.done.put(t)
	return t, true
}

func progress(t fssp.Task) string {
	return strconv.Itoa(t.Done) + " of " + strconv.Itoa(t.Size())
}

func (a *Handler) status(w http.ResponseWriter, r *http.Request) {
	t, ok := a.task(w, r, true)
	if !ok {
		return
	}
	writeSuccess(w, taskStatus{Status: t.State, Progress: progress(t)})
}

func (a *Handler) result(w http.ResponseWriter, r *http.Request) {
	t, ok := a.task(w, r, false)
	if !ok {
		return
	}
	res := taskResult{Status: t.State, TaskStart: a.stamp(t.StartedAt), TaskEnd: a.stamp(t.FinishedAt), Result: []json.RawMessage{}}
	if t.State != fssp.TaskQueued {
		stored, err := a.store.TaskResults(r.Context(), t.ID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		// The list keeps the order of the requests, so while a task runs
		// it shows the finished ones up to the first still running.
		for i, s := range stored {
			if s.Index != i {
				break
			}
			res.Result = append(res.Result, s.Body)
		}
	}
	writeSuccess(w, res)
}

func (a *Handler) stamp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.In(a.cfg.Location).Format(time.DateTime)
	return &s
}
