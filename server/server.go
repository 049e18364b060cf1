// Package server assembles a stend node: the store, every published API on
// its own path, the operator API, health and metrics, and the HTTP server
// with graceful shutdown.
package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"stend"
	"stend/blob"
	fsspclient "stend/client/fssp"
	"stend/console"
	"stend/credential"
	"stend/fault"
	"stend/fssp"
	fssphttp "stend/fssp/http"
	"stend/httpx"
	"stend/job"
	"stend/journal"
	migrantexamhttp "stend/migrantexam/http"
	"stend/motivity"
	motivityhttp "stend/motivity/http"
	"stend/openapi"
	"stend/operator"
	"stend/reestro"
	reestrohttp "stend/reestro/http"
	"stend/store/postgres"
	"stend/store/sqlite"
	"stend/store/sqlstore"
)

// OpenStore opens the configured store: PostgreSQL when a DSN is given,
// else SQLite in the data directory.
func OpenStore(cfg Config) (*sqlstore.DB, error) {
	if cfg.DatabaseURL != "" {
		return postgres.Open(cfg.DatabaseURL, postgres.Options{MaxConns: cfg.DatabasePool})
	}
	if err := os.MkdirAll(cfg.DataDir, dataDirMode); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqlite.Open(filepath.Join(cfg.DataDir, "stend.db"), sqlite.Options{Synchronous: cfg.SQLiteSynchronous})
}

// openBlobs opens the configured blob store: a directory under the data
// directory, or an S3 bucket.
func (c Config) openBlobs(ctx context.Context) (blob.Store, error) {
	if c.BlobStore == "s3" {
		return blob.NewS3(ctx, blob.S3Config{Endpoint: c.S3Endpoint, Bucket: c.S3Bucket, Region: c.S3Region, Prefix: c.S3Prefix})
	}
	return blob.NewDisk(filepath.Join(c.DataDir, "blobs"))
}

// Node is one running stend: its store and its handler.
type Node struct {
	Config   Config
	Store    *sqlstore.DB
	Operator *operator.Service
	Logger   *slog.Logger
	Clock    stend.Clock
	Keys     credential.KeyHasher // how every API and the operator service hash API keys and tokens
	Metrics  *httpx.Metrics
	// Jobs runs the asynchronous work of every API; APIs register their
	// job kinds on it when they are built.
	Jobs *job.Runner
	// Blobs keeps the bytes of files (blob-store).
	Blobs blob.Store
	// Journal writes the request journal; nil when it is off.
	Journal *journal.Writer
	// Faults fails the requests that the operators' fault rules match.
	Faults      *fault.Injector
	MigrantExam *migrantexamhttp.Handler
	FSSP        *fssphttp.Handler
	Reestro     *reestrohttp.Handler
	Motivity    *motivityhttp.Handler
	draining    atomic.Bool
	// https, when set, is a second listener answering over HTTPS.
	https *httpsListener
	// seeds are what a reset puts back; generation is the stand's state
	// this node's caches hold (see FollowStand).
	seeds      standSeeds
	generation atomic.Int64
}

// NewNode builds the services over an open, migrated store, whose stored
// key and token hashes it first brings under the configured secret
// (sqlstore.KeyCredentials); it fails when another secret keyed them.
func NewNode(ctx context.Context, cfg Config, store *sqlstore.DB, clock stend.Clock, logger *slog.Logger) (*Node, error) {
	return NewNodeWith(ctx, cfg, store, clock, stend.RandomIDs{}, logger, job.Config{})
}

// throttle is an API's own refusal of sources that keep failing to
// authenticate.
func (c Config) throttle(clock stend.Clock) *httpx.Throttle {
	if c.AuthFailures == 0 {
		return nil // refuses nothing: clients share one address behind a proxy
	}
	return httpx.NewThrottle(c.AuthFailures, c.AuthFailureEvery, clock)
}

// jobConfig is the runner's configuration with the node's capacity where
// the caller's leaves it unset.
func (c Config) jobConfig(jobs job.Config) job.Config {
	if jobs.Workers == 0 {
		jobs.Workers = c.JobWorkers.Each
	}
	if jobs.Kinds == nil {
		jobs.Kinds = c.JobWorkers.Kinds
	}
	return jobs
}

// NewNodeWith is NewNode with the identifiers and the job runner's settings
// chosen, for tests and sandboxes.
func NewNodeWith(ctx context.Context, cfg Config, store *sqlstore.DB, clock stend.Clock, ids stend.IDSource, logger *slog.Logger, jobs job.Config) (*Node, error) {
	keys, made, err := cfg.keyHasher()
	if err != nil {
		return nil, err
	}
	if made != "" {
		logger.Warn("made the deployment's secret: back it up with the database, and give it to every node of the database", "file", made)
	}
	converted, err := store.KeyCredentials(ctx, keys)
	if err != nil {
		return nil, err
	}
	if converted > 0 {
		logger.Info("stored key and token hashes keyed with the deployment's secret", "count", converted)
	}
	blobs, err := cfg.openBlobs(ctx)
	if err != nil {
		return nil, err
	}
	n := &Node{
		Blobs:  blobs,
		Config: cfg,
		Store:  store,
		Operator: &operator.Service{MigrantExam: store.MigrantExam(), FSSP: store.FSSP(), Motivity: store.Motivity(), Reestro: store.Reestro(), Clock: clock,
			PasswordIterations: cfg.PasswordIterations, Keys: keys, Blobs: blobs, MaxFileBytes: cfg.MotivityMaxFileBytes},
		Logger:  logger,
		Clock:   clock,
		Keys:    keys,
		Metrics: httpx.NewMetrics(),
	}
	jobCfg := cfg.jobConfig(jobs)
	// The runner, made below, is asked for its kinds when scraped.
	kinds := func() []string { return n.Jobs.Kinds() }
	if observe := registerNodeMetrics(n.Metrics.Registry, store, clock, kinds); jobCfg.Observe == nil {
		jobCfg.Observe = observe
	}
	n.Jobs = job.New(store, clock, logger, jobCfg)
	if cfg.Journal {
		n.Journal = journal.NewWriter(store, cfg.JournalKeep, logger)
		n.Operator.Journal = n.Journal
		registerJournalMetrics(n.Metrics.Registry, n.Journal)
	}
	n.Operator.JournalStore = store
	n.Operator.Search = store
	n.Faults = fault.NewInjector(store, logger)
	n.Operator.FaultStore, n.Operator.FaultsChanged = store, n.Faults.Changed
	n.MigrantExam = migrantexamhttp.New(migrantexamhttp.Config{
		MaxBodyBytes:       cfg.MigrantExamMaxBodyBytes,
		MaxRows:            cfg.MigrantExamMaxRows,
		Location:           cfg.location(),
		PasswordIterations: cfg.PasswordIterations,
		Keys:               keys,
		Throttle:           cfg.throttle(clock),
	}, store.MigrantExam(), clock, logger)
	n.FSSP = fssphttp.New(fssphttp.Config{
		MaxItems:      cfg.FSSPMaxItems,
		SearchTimeout: cfg.FSSPSearchTimeout,
		Parallel:      cfg.FSSPParallel,
		AtOnce:        cfg.FSSPAtOnce,
		Working:       func() bool { return n.Jobs.Taking(fssp.TaskJobKind) },
		AtOnceSlots:   n.Jobs.Workers(fssp.TaskJobKind),
		Location:      cfg.location(),
		Keys:          keys,
		Throttle:      cfg.throttle(clock),
		Faults:        n.Faults,
	}, store.FSSP(), clock, ids, logger)
	n.Jobs.Handle(fssp.TaskJobKind, n.FSSP.JobHandler)
	n.Reestro = reestrohttp.New(reestrohttp.Config{
		MaxBodyBytes:  cfg.ReestroMaxBodyBytes,
		CheckDeadline: cfg.ReestroCheckDeadline,
		Keys:          keys,
		FSSPPollMax:   cfg.ReestroFSSPPollMax,
		Throttle:      cfg.throttle(clock),
		Faults:        n.Faults,
	}, store.Reestro(), clock, ids, logger)
	n.Jobs.Handle(reestro.CheckJobKind, n.Reestro.JobHandler)
	n.Operator.CredentialsChanged = n.credentialsChanged
	n.Motivity = n.motivityAPI()
	n.Jobs.Handle(motivity.ReportBuildJobKind, n.Motivity.ReportJobHandler)
	n.Jobs.Handle(motivity.ReportExpireJobKind, n.Motivity.ReportJobHandler)
	// A kind mistyped in --job-workers would be ignored without a word.
	for kind := range cfg.JobWorkers.Kinds {
		if known := n.Jobs.Kinds(); !slices.Contains(known, kind) {
			slices.Sort(known)
			return nil, fmt.Errorf("job-workers names the kind %q, which no job has (kinds: %s)", kind, strings.Join(known, ", "))
		}
	}
	if cfg.ReestroFSSPURL != "" {
		n.Reestro.UseFSSP(fsspclient.New(cfg.ReestroFSSPURL, cfg.ReestroFSSPToken))
	}
	if sc, ok := clock.(*stend.StandClock); ok {
		sc.OnMove(n.clockMoved)
	}
	n.Operator.Stand = n.standControl()
	if st, err := store.StandState(ctx); err == nil {
		n.generation.Store(st.Generation)
	}
	return n, nil
}

// motivityAPI builds the Motivity API over the node's store and blobs: the
// job runner's (created reports) at start, and Handler's, which takes the
// blob store as it is then (tests wrap it).
func (n *Node) motivityAPI() *motivityhttp.Handler {
	return motivityhttp.New(motivityhttp.Config{
		MaxBodyBytes:   n.Config.MotivityMaxBodyBytes,
		MaxBadgeUsers:  n.Config.MotivityMaxBadgeUsers,
		MaxPointsItems: n.Config.MotivityMaxPointsItems,
		Keys:           n.Keys,
		Throttle:       n.Config.throttle(n.Clock),
		Blobs:          n.Blobs,
		FileLinkTTL:    n.Config.MotivityFileLinkTTL,
		PublicURL:      n.Config.PublicURL,
		MaxFileBytes:   n.Config.MotivityMaxFileBytes,
		ReportKeep:     n.Config.MotivityReportKeep,
		Faults:         n.Faults,
	}, n.Store.Motivity(), motivity.NewService(n.Store.Motivity()), n.Clock, n.Logger)
}

// Close stops what the node runs in the background besides serving (the
// journal's writer, after writing what it holds); serving closes it, and
// so must whoever builds a node without serving it.
func (n *Node) Close() {
	if n.Journal != nil {
		n.Journal.Close()
	}
}

// credentialsChanged forgets the credentials the node's APIs cached, after
// its operator surface changed some: they apply here at once, and on other
// nodes within a second.
func (n *Node) credentialsChanged() {
	n.MigrantExam.CredentialsChanged()
	n.FSSP.CredentialsChanged()
	n.Reestro.CredentialsChanged()
}

// clockMoved runs what depends on the stand's time at once after it moved,
// rather than at the next tick of each timer: the purge of FSSP tasks past
// their day, the deadline of Reestro checks, and the job runner's leases
// and due jobs.
func (n *Node) clockMoved(ctx context.Context) {
	n.Jobs.ClockMoved()
	n.MigrantExam.ClockMoved()
	n.FSSP.ClockMoved()
	n.Reestro.ClockMoved()
	if _, err := n.FSSP.Sweep(ctx); err != nil {
		n.Logger.Warn("clock moved: fssp sweep", "err", err)
	}
	if _, err := n.Reestro.Sweep(ctx); err != nil {
		n.Logger.Warn("clock moved: reestro sweep", "err", err)
	}
}

func (c Config) location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Handler is the whole HTTP surface of the node.
func (n *Node) Handler() http.Handler {
	motivityAPI := n.motivityAPI()
	var rec *journal.Recorder
	if n.Journal != nil {
		rec = &journal.Recorder{Writer: n.Journal, MaxBody: n.Config.JournalBodyBytes, Now: n.Clock.Now}
	}
	faultable := func(name string, write func(http.ResponseWriter, int, string), h http.Handler) http.Handler {
		return n.published(rec, name, write, h)
	}
	apis := []api{
		{"/Reports/", faultable("migrant-exam", migrantexamhttp.WriteFault, n.MigrantExam)},
		{fssphttp.Prefix, faultable("fssp", fssphttp.WriteFault, n.FSSP)},
		{motivityhttp.Prefix, faultable("motivity", motivityhttp.WriteFault, motivityAPI)},
		{motivityhttp.DownloadPrefix, faultable("motivity-files", motivityhttp.WriteFault, motivityAPI.Downloads())},
		{motivityhttp.TusPrefix, faultable("motivity", motivityhttp.WriteFault, motivityAPI.Tus())},
		{reestrohttp.Prefix, faultable("reestro", reestrohttp.WriteFault, n.Reestro)},
		{operator.Prefix, httpx.API("operator", operator.NewHTTP(n.Operator, n.Config.OperatorToken, n.Config.throttle(n.Clock), n.Logger))},
		{console.Prefix, httpx.API("console", console.Handler())},
		{openapi.Prefix, httpx.API("openapi", openapi.MustHandler())},
	}
	mux := http.NewServeMux()
	for _, a := range apis {
		mux.Handle(a.prefix, a.handler)
	}
	mux.Handle("GET /healthz", httpx.API("system", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})))
	mux.Handle("GET /readyz", httpx.API("system", http.HandlerFunc(n.ready)))
	mux.Handle("GET /metrics", httpx.API("system", n.Metrics.Handler()))
	return httpx.Observe(n.Logger, n.Metrics, uncleanToAPI(apis, mux))
}

// published is a published API labelled with its name, to which the
// operators' fault rules apply, answered in its envelope by write, and
// journalled by rec (nil: the journal is off). Only the published APIs
// pay for the journal: not the operator API, health or metrics.
func (n *Node) published(rec *journal.Recorder, name string, write func(http.ResponseWriter, int, string), h http.Handler) http.Handler {
	h = httpx.API(name, n.Faults.Wrap(name, write, h))
	if rec != nil {
		// Outside httpx.API, which names the route once the API served.
		h = rec.Wrap(h)
	}
	return h
}

type api struct {
	prefix  string
	handler http.Handler
}

// uncleanToAPI hands a path that ServeMux would answer with a redirect
// ("//", "..", a base path without its slash) to the API it names, which
// answers in its own envelope (and checks its credentials first) instead.
func uncleanToAPI(apis []api, mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		unclean := p != clean && p != clean+"/"
		for _, a := range apis {
			if unclean && strings.HasPrefix(p, a.prefix) || p+"/" == a.prefix {
				a.handler.ServeHTTP(w, r)
				return
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// ready answers 200 while the node can serve: the database answers and no
// shutdown has begun (a load balancer then stops sending new requests).
func (n *Node) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if n.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("shutting down\n"))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := n.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// Serve answers on ln until ctx ends, then stops taking new connections and
// waits up to the shutdown timeout for requests in flight.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	return n.ServeHandler(ctx, ln, nil)
}

// ServeTLS is Serve with a second listener, tlsLn, answering the same
// requests over HTTPS as h says.
func (n *Node) ServeTLS(ctx context.Context, ln, tlsLn net.Listener, h *HTTPS) error {
	n.https = &httpsListener{Listener: tlsLn, HTTPS: h}
	if h.CA != nil {
		n.Operator.TLSCACert = h.CA.CertPEM
	}
	return n.ServeHandler(ctx, ln, nil)
}

type httpsListener struct {
	net.Listener
	*HTTPS
}

// ServeHandler is Serve with the handler wrapped by wrap (when not nil), so
// that tests can observe requests without sleeping.
func (n *Node) ServeHandler(ctx context.Context, ln net.Listener, wrap func(http.Handler) http.Handler) error {
	h := paceBodies(n.Config.BodyGrace, n.Config.MinBodyRate, n.Handler())
	if wrap != nil {
		h = wrap(h)
	}
	limited := limitConnections(ln, n.connectionLimit())
	listeners := []net.Listener{limited}
	if n.https != nil {
		// Limited before the handshake: the cap counts connections,
		// whatever they turn out to be.
		listeners = append(listeners, tls.NewListener(limited.sharing(n.https.Listener), n.https.TLS))
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(n.Logger.Handler(), slog.LevelWarn),
	}
	if n.Config.ReestroFSSPURL == "" {
		if err := n.searchOwnFSSP(ctx); err != nil {
			return err
		}
	}
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan error, 1)
	go func() { jobsDone <- n.Jobs.Run(jobsCtx) }()
	sweepDone := make(chan struct{})
	go func() {
		defer close(sweepDone)
		n.FSSP.RunSweeper(jobsCtx, n.Config.FSSPSweepEvery)
	}()
	reestroSweepDone := make(chan struct{})
	go func() {
		defer close(reestroSweepDone)
		n.Reestro.RunSweeper(jobsCtx, n.Config.ReestroSweepEvery)
	}()
	filesDone := make(chan struct{})
	go func() {
		defer close(filesDone)
		n.runFileSweeper(jobsCtx)
	}()
	standDone := make(chan struct{})
	go func() {
		defer close(standDone)
		n.FollowStand(jobsCtx)
	}()
	clockDone := make(chan struct{})
	go func() {
		defer close(clockDone)
		if sc, ok := n.Clock.(*stend.StandClock); ok {
			sc.Follow(jobsCtx, func(err error) { n.Logger.Warn("clock: reading the offset", "err", err) })
		}
	}()
	// Jobs stop after the HTTP server: a request in flight may still
	// enqueue work, which a runner stopped first would leave to the next
	// start.
	var stopping time.Time
	defer func() {
		// After the server: the requests it finished are journalled.
		n.Close()
		stopJobs()
		<-jobsDone
		<-sweepDone
		<-reestroSweepDone
		<-filesDone
		<-clockDone
		<-standDone
		if !stopping.IsZero() {
			n.Logger.Info("stopped", "after", time.Since(stopping).Round(time.Millisecond).String())
		}
	}()
	errc := make(chan error, len(listeners))
	for _, l := range listeners {
		go func() { errc <- srv.Serve(l) }()
	}
	select {
	case err := <-errc:
		// One listener failed: the others stop with it.
		_ = srv.Close()
		for range len(listeners) - 1 {
			<-errc
		}
		return err
	case <-ctx.Done():
	}
	stopping = time.Now()
	n.draining.Store(true)
	if d := n.Config.DrainPeriod; d > 0 {
		// Load balancers polling /readyz see 503 and send new requests
		// elsewhere before the listener closes.
		n.Logger.Info("draining: /readyz answers 503 before the listener closes", "for", d.String())
		time.Sleep(d)
	}
	n.Logger.Info("shutting down: finishing requests in flight", "timeout", n.Config.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), n.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	for range listeners {
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	return err
}

// fileSweepAge is how old a blob no file names must be before the sweep
// removes it: older than any upload still in flight. A blob's time is the
// blob store's (real time), not the stand's clock.
const fileSweepAge = 24 * time.Hour

// runFileSweeper removes what uploads cut short by a crash left, and the
// bytes of reports that nothing holds, at start and then every hour, until
// ctx ends.
func (n *Node) runFileSweeper(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		removed, err := motivityhttp.SweepFiles(ctx, n.Store.Motivity(), n.Blobs, time.Now().Add(-fileSweepAge))
		if err != nil && ctx.Err() == nil {
			n.Logger.Warn("motivity files: sweep", "err", err)
		}
		if removed > 0 {
			n.Logger.Info("motivity files: removed what interrupted uploads left", "count", removed)
		}
		removed, err = motivity.SweepReports(ctx, n.Store.Motivity(), n.Blobs, time.Now().Add(-fileSweepAge))
		if err != nil && ctx.Err() == nil {
			n.Logger.Warn("motivity reports: sweep", "err", err)
		}
		if removed > 0 {
			n.Logger.Info("motivity reports: removed bytes no report or snapshot holds", "count", removed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// connectionLimit is the configured cap, lowered to leave the files the
// database, the job runner and the logs need when the open-file limit is
// lower than the cap.
func (n *Node) connectionLimit() int {
	const reserved = 256
	limit := n.Config.MaxConnections
	if files := raiseFileLimit(); files > 0 {
		limit = min(limit, max(int(files)-reserved, 16))
	}
	return limit
}

// searchOwnFSSP points Reestro checks at this node's own FSSP API, called
// in process (inProcess) with the deployment's Reestro token: every node of
// one database derives the same token from the shared secret, so a check
// whose job another node picks up finds its FSSP tasks there (a task is
// looked up by token and id together). The token has no limits: the
// checks' pace is the job runner's. It is named by its year, as a token
// lasts a year: a node started in a new year derives the next one.
func (n *Node) searchOwnFSSP(ctx context.Context) error {
	token, err := n.ownFSSPToken(ctx)
	if err != nil {
		return err
	}
	n.Reestro.UseFSSP(fsspclient.New(ownFSSP, token, fsspclient.WithHTTPClient(&http.Client{Transport: inProcess{n.Handler()}})))
	return nil
}

// ownFSSPToken issues the deployment's token for Reestro checks when the
// database lacks it (a first start, a restored snapshot), and answers it.
func (n *Node) ownFSSPToken(ctx context.Context) (string, error) {
	year := n.Clock.Now().UTC().Year()
	token := hex.EncodeToString(n.Keys.Hash(fmt.Sprintf("stend reestro checks %d", year)))
	issueCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	issued, _, err := n.Operator.EnsureFSSPToken(issueCtx, operator.NewFSSPToken{
		Name: fmt.Sprintf("reestro checks, %d", year), Token: token, Limits: &fssp.Limits{},
	})
	if err != nil {
		return "", fmt.Errorf("reestro: FSSP token: %w", err)
	}
	if issued.RevokedAt != nil || !n.Clock.Now().Before(issued.ExpiresAt) {
		return "", fmt.Errorf("reestro: the deployment's FSSP token of %d is revoked or expired: restart the node in a new year, or give --reestro-fssp-url and --reestro-fssp-token", year)
	}
	return issued.Token, nil
}

// ownFSSP is the base URL of the node's own FSSP API as its Reestro checks
// call it: in process, so the host names nothing.
const ownFSSP = "http://stend.internal"

// inProcess serves a request with the node's own handler, as a call to
// its listener would be served, without a connection: the node's checks
// take no connection slot and come from no address a client shares, so
// a client throttled for wrong tokens never throttles them.
type inProcess struct{ h http.Handler }

// inProcessSource is the address the node's own calls come from.
const inProcessSource = "in-process"

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	req := r.Clone(httpx.Internal(r.Context()))
	req.RemoteAddr, req.RequestURI = inProcessSource, r.URL.RequestURI()
	if req.Body == nil {
		req.Body = http.NoBody
	}
	w := &recordedAnswer{header: http.Header{}}
	t.h.ServeHTTP(w, req)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status: fmt.Sprintf("%d %s", w.status, http.StatusText(w.status)), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: w.header,
		Body: io.NopCloser(&w.body), ContentLength: int64(w.body.Len()), Request: r,
	}, nil
}

// recordedAnswer keeps what a handler answered in process.
type recordedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *recordedAnswer) Header() http.Header { return a.header }

func (a *recordedAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *recordedAnswer) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}
