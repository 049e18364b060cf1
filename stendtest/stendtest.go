// Package stendtest starts stands for tests: a fresh store of each kind
// this environment has (storetest), a node over it on the stand's clock,
// and its router. Every API's tests build on it, so that a stand is made
// one way: with the configuration tests can afford, a clock the test sets
// and an operator can move, and the job runner started on request.
package stendtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/credential"
	"stend/job"
	"stend/server"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// Now is where every stand's clock starts: Wednesday 2025-06-11, 12:00 in
// Moscow, in the week starting Monday 2025-06-09.
var Now = time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)

// OperatorToken opens the operator API of every stand.
const OperatorToken = "test-operator-token"

// Secret keys the stored key and token hashes of every stand.
const Secret = "stendtest secret, never deployed"

// Config is the server's defaults with what tests set differently: the
// least password cost a configuration may choose (full strength would
// dominate suites that create hundreds of organizations; the stored hash
// records its own cost), the operator token, and a fixed secret (a stand
// must not write one into the working directory, the default data
// directory).
func Config() server.Config {
	cfg := server.Defaults()
	cfg.PasswordIterations = credential.MinPasswordIterations
	cfg.OperatorToken = OperatorToken
	cfg.Secret = Secret
	// Tests stop their servers at once: nothing balances load over them.
	cfg.DrainPeriod = 0
	return cfg
}

// Options shape a stand; the zero value is a stand with Config(), random
// ids and a job runner that is not started.
type Options struct {
	Config *server.Config
	IDs    stend.IDSource
	Jobs   job.Config
	// StartJobs runs the job runner until the test ends.
	StartJobs bool
	// MalformedRequests exempts every request to the stand from the
	// contract check (its answers are still checked): for stands whose
	// requests are wild by design (fuzzers); one test's deliberately
	// malformed request is marked with Malformed instead.
	MalformedRequests bool
}

// Stand is one node over one store.
type Stand struct {
	T     testing.TB
	Store *sqlstore.DB
	Node  *server.Node
	// Base is the time the stand's clock is moved from: tests set it.
	Base *ManualClock
	// Clock is the node's clock: Base moved by the offset an operator
	// sets (POST /operator/v1/clock/advance).
	Clock   *stend.StandClock
	Handler http.Handler
	// router is the node's router without the contract check, for
	// AcrossStores to check against the fuzz iteration's test.
	router http.Handler
}

// ForEachStore runs fn as a parallel subtest on each store.
func ForEachStore(t *testing.T, fn func(t *testing.T, store storetest.Opener)) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, o)
		})
	}
}

// ForEachDatabase runs fn as a parallel subtest on each store, for tests
// that start a whole stand with the stand package: databaseURL is what
// stand.Options.DatabaseURL takes ("" for SQLite).
func ForEachDatabase(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			url := ""
			if o.Name == "postgres" {
				url = os.Getenv(storetest.PostgresEnv)
			}
			fn(t, url)
		})
	}
}

// Open starts a stand on a fresh store of the kind store opens.
func Open(t testing.TB, store storetest.Opener, o Options) *Stand {
	t.Helper()
	return On(t, store.Open(t), NewManualClock(Now), o)
}

// On starts a stand on an open, migrated store (a second node, or a
// restarted one, shares a store), its clock moved from base.
func On(t testing.TB, store *sqlstore.DB, base *ManualClock, o Options) *Stand {
	t.Helper()
	cfg := Config()
	if o.Config != nil {
		cfg = *o.Config
	}
	if cfg.DataDir == server.Defaults().DataDir {
		// A directory of its own: stands that shared the default one in
		// the package's directory shared their blobs, and one stand's
		// file sweep removed another's files, which its store lacks.
		cfg.DataDir = t.TempDir()
	}
	ids := o.IDs
	if ids == nil {
		ids = stend.RandomIDs{}
	}
	clock, err := stend.NewStandClock(context.Background(), base, store)
	if err != nil {
		t.Fatal(err)
	}
	node, err := server.NewNodeWith(context.Background(), cfg, store, clock, ids, Logger(), o.Jobs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node.Close)
	router := node.Handler()
	s := &Stand{T: t, Store: store, Node: node, Base: base, Clock: clock, router: router,
		Handler: checkContract(t, o.MalformedRequests, router)}
	if o.StartJobs {
		s.StartJobs()
	}
	return s
}

// SeqIDs makes predictable identifiers, upper-case GUIDs as the system's
// generator makes: 00000000-0000-4000-8000-000000000001, …; Skip moves
// past ids a stand already used (a restarted node must not reuse them).
type SeqIDs struct{ n atomic.Int64 }

func (s *SeqIDs) NewGUID() string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012X", s.n.Add(1))
}

// Skip makes the next id the n+1st.
func (s *SeqIDs) Skip(n int64) { s.n.Store(n) }

// Logger discards: tests assert on answers and state, not on logs.
func Logger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// StartJobs runs the node's job runner until the test ends, or until the
// returned function is called.
func (s *Stand) StartJobs() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Node.Jobs.Run(ctx)
	}()
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cancel()
			<-done
		}
	}
	s.T.Cleanup(stop)
	return stop
}

// Answer is what the router answered.
type Answer struct {
	Status int
	Body   string
	Header http.Header
}

// Serve sends req through the node's router.
func (s *Stand) Serve(req *http.Request) Answer {
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, req)
	return Answer{rec.Code, rec.Body.String(), rec.Header()}
}

// Operator calls the operator API with the operator token; contentType
// "" sends none.
func (s *Stand) Operator(method, path, contentType, body string) Answer {
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rdr)
	req.Header.Set("Authorization", "Bearer "+OperatorToken)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return s.Serve(req)
}

// ManualClock is the base of a stand's clock in tests: the test sets it
// while other goroutines (a job runner) read it; the stand's clock adds
// the offset an operator moves. It stands still between sets, unless made
// with NewRunningClock.
type ManualClock struct {
	mu      sync.Mutex
	t       time.Time
	running bool
	setAt   time.Time // the wall time of the last set, for a running clock
}

// NewManualClock starts a clock at t that moves only when set.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t} }

// NewRunningClock starts a clock at t that then follows real time, as a
// node's does: for stands whose jobs pause between runs (a Reestro check
// looking at its FSSP search again), which never come due on a clock that
// stands still. Set still moves it.
func NewRunningClock(t time.Time) *ManualClock {
	return &ManualClock{t: t, running: true, setAt: time.Now()}
}

func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return c.t.Add(time.Since(c.setAt))
	}
	return c.t
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	c.t, c.setAt = t, time.Now()
	c.mu.Unlock()
}
