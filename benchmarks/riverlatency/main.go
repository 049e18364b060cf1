// Command riverlatency measures River (github.com/riverqueue/river) job pickup
// latency, throughput and idle CPU cost on PostgreSQL (riverpgxv5 + pgxpool)
// and SQLite (riversqlite + modernc.org/sqlite, WAL, busy_timeout).
//
// Pickup latency = time the worker's Work method starts minus the time the
// enqueuing transaction's Commit() returned to the inserting goroutine.
//
// Run: go run . (see README.md for flags). Everything it creates (a
// PostgreSQL database and a temp SQLite file) is removed when it finishes.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite"
)

var (
	flagDrivers     = flag.String("drivers", "pg,sqlite", "comma-separated drivers to run: pg, sqlite")
	flagPGAdmin     = flag.String("pg-admin-url", "postgres://postgres@127.0.0.1:5432/test", "PostgreSQL URL used to CREATE/DROP the bench database")
	flagPGDB        = flag.String("pg-db", "riverbench", "name of the throwaway PostgreSQL database (dropped and recreated)")
	flagPGMaxConns  = flag.Int("pg-max-conns", 16, "pgxpool MaxConns")
	flagSQLiteConns = flag.Int("sqlite-conns", 1, "database/sql MaxOpenConns for SQLite (riversqlite docs recommend 1)")
	flagSQLiteSync  = flag.String("sqlite-sync", "FULL", "PRAGMA synchronous for SQLite (FULL = durable commits)")
	flagLatN        = flag.Int("lat-n", 500, "jobs per pickup-latency scenario")
	flagLatGap      = flag.Duration("lat-gap", 5*time.Millisecond, "gap between single-job inserts in latency scenarios")
	flagSparseN     = flag.Int("sparse-n", 20, "jobs in the sparse (gap > FetchCooldown) default-config scenario")
	flagSparseGap   = flag.Duration("sparse-gap", 150*time.Millisecond, "gap in the sparse scenario")
	flagTputN       = flag.Int("tput-n", 4000, "jobs per throughput scenario")
	flagTputIns     = flag.Int("tput-inserters", 4, "inserting goroutines in throughput scenarios")
	flagTputBatch   = flag.Int("tput-batch", 100, "jobs per transaction (InsertManyTx) in the batched throughput scenario")
	flagMaxWorkers  = flag.Int("max-workers", 100, "MaxWorkers of the default queue")
	flagOnly        = flag.String("only", "", "if set, run only steps whose name contains this substring (e.g. \"throughput\", \"idle\")")
	flagIdle        = flag.Duration("idle", 10*time.Second, "idle CPU measurement window (tuned config)")
	flagIdleDefault = flag.Duration("idle-default", 5*time.Second, "idle CPU measurement window (default config)")
)

// River's minimum values (river@v0.31.0 client.go: FetchCooldownMin,
// FetchPollIntervalMin) and defaults.
var (
	cfgTuned   = fetchCfg{name: "tuned (1ms/1ms)", cooldown: river.FetchCooldownMin, poll: river.FetchPollIntervalMin}
	cfgDefault = fetchCfg{name: "default (100ms/1s)", cooldown: river.FetchCooldownDefault, poll: river.FetchPollIntervalDefault}
	// Minimum cooldown but default poll: pickup then relies on LISTEN/NOTIFY
	// (PostgreSQL) or the in-process nudge of non-tx Insert.
	cfgNotify = fetchCfg{name: "min cooldown, default poll (1ms/1s)", cooldown: river.FetchCooldownMin, poll: river.FetchPollIntervalDefault}
)

type fetchCfg struct {
	name     string
	cooldown time.Duration
	poll     time.Duration
}

// ---------------------------------------------------------------------------
// Job + recorder

type NoopArgs struct{}

func (NoopArgs) Kind() string { return "noop" }

type recorder struct {
	mu        sync.Mutex
	committed map[int64]time.Time
	started   map[int64]time.Time
	completed map[int64]time.Time
	order     []int64 // job IDs in commit order
	nStarted  atomic.Int64
	nDone     atomic.Int64
}

func newRecorder() *recorder {
	return &recorder{committed: map[int64]time.Time{}, started: map[int64]time.Time{}, completed: map[int64]time.Time{}}
}

func (r *recorder) commit(id int64, t time.Time) {
	r.mu.Lock()
	r.committed[id] = t
	r.order = append(r.order, id)
	r.mu.Unlock()
}

type noopWorker struct {
	river.WorkerDefaults[NoopArgs]
	rec *recorder
}

func (w *noopWorker) Work(ctx context.Context, job *river.Job[NoopArgs]) error {
	now := time.Now()
	w.rec.mu.Lock()
	w.rec.started[job.ID] = now
	w.rec.mu.Unlock()
	w.rec.nStarted.Add(1)
	return nil
}

// ---------------------------------------------------------------------------
// Store abstraction over the two drivers.

type store[TTx any] struct {
	name      string
	driver    riverdriver.Driver[TTx]
	begin     func(ctx context.Context) (TTx, func() error, func() error, error) // tx, commit, rollback
	reset     func(ctx context.Context) error
	serverCPU func() time.Duration // CPU of the database server processes; nil if in-process
}

func logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

func newClient[TTx any](s *store[TTx], fc fetchCfg, rec *recorder) (*river.Client[TTx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &noopWorker{rec: rec})
	return river.NewClient(s.driver, &river.Config{
		FetchCooldown:     fc.cooldown,
		FetchPollInterval: fc.poll,
		Logger:            logger(),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: *flagMaxWorkers}},
		Workers:           workers,
	})
}

// startClient starts a client and a completion subscriber, and waits a
// moment for leader election / initial fetch to settle.
func startClient[TTx any](ctx context.Context, s *store[TTx], fc fetchCfg, rec *recorder, subSize int) (*river.Client[TTx], func(), error) {
	if err := s.reset(ctx); err != nil {
		return nil, nil, fmt.Errorf("reset: %w", err)
	}
	client, err := newClient(s, fc, rec)
	if err != nil {
		return nil, nil, err
	}
	events, cancelSub := client.SubscribeConfig(&river.SubscribeConfig{ChanSize: subSize + 1000, Kinds: []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed}})
	subDone := make(chan struct{})
	go func() {
		defer close(subDone)
		for ev := range events {
			now := time.Now()
			if ev.Kind != river.EventKindJobCompleted {
				fmt.Fprintf(os.Stderr, "job %d: event %s\n", ev.Job.ID, ev.Kind)
				continue
			}
			rec.mu.Lock()
			rec.completed[ev.Job.ID] = now
			rec.mu.Unlock()
			rec.nDone.Add(1)
		}
	}()
	if err := client.Start(ctx); err != nil {
		return nil, nil, err
	}
	time.Sleep(300 * time.Millisecond)
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := client.Stop(sctx); err != nil {
			fmt.Fprintf(os.Stderr, "client stop: %v\n", err)
		}
		cancelSub()
		<-subDone
	}
	return client, stop, nil
}

func insertOne[TTx any](ctx context.Context, s *store[TTx], client *river.Client[TTx], rec *recorder) error {
	tx, commit, rollback, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	res, err := client.InsertTx(ctx, tx, NoopArgs{}, nil)
	if err != nil {
		_ = rollback()
		return fmt.Errorf("InsertTx: %w", err)
	}
	if err := commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	rec.commit(res.Job.ID, time.Now())
	return nil
}

func waitFor(cond func() bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return cond()
}

// ---------------------------------------------------------------------------
// Stats

type dist struct {
	n                        int
	min, p50, p90, p99, max_ time.Duration
}

func mkDist(ds []time.Duration) dist {
	if len(ds) == 0 {
		return dist{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	pct := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.999999) - 1 // nearest rank
		if i < 0 {
			i = 0
		}
		if i >= len(ds) {
			i = len(ds) - 1
		}
		return ds[i]
	}
	return dist{n: len(ds), min: ds[0], p50: pct(0.50), p90: pct(0.90), p99: pct(0.99), max_: ds[len(ds)-1]}
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

func (d dist) cols() string {
	return fmt.Sprintf("%d | %s | %s | %s | %s | %s", d.n, ms(d.min), ms(d.p50), ms(d.p90), ms(d.p99), ms(d.max_))
}

func (r *recorder) pickup() dist {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ds []time.Duration
	for id, c := range r.committed {
		if s, ok := r.started[id]; ok {
			ds = append(ds, s.Sub(c))
		}
	}
	return mkDist(ds)
}

// worst returns the 1-based commit-order index of the job with the largest
// pickup latency, to tell start-up effects from steady-state outliers.
func (r *recorder) worst() (int, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	idx, w := 0, time.Duration(-1<<62)
	for i, id := range r.order {
		if s, ok := r.started[id]; ok && s.Sub(r.committed[id]) > w {
			idx, w = i+1, s.Sub(r.committed[id])
		}
	}
	return idx, w
}

func (r *recorder) toCompleted() dist {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ds []time.Duration
	for id, c := range r.committed {
		if s, ok := r.completed[id]; ok {
			ds = append(ds, s.Sub(c))
		}
	}
	return mkDist(ds)
}

type row struct{ store, scenario, config, pickup, completed, extra string }

var (
	rowsMu sync.Mutex
	rows   []row
)

func addRow(r row) {
	rowsMu.Lock()
	rows = append(rows, r)
	rowsMu.Unlock()
	fmt.Fprintf(os.Stderr, "  %s | %s | %s | pickup %s | to-completed %s | %s\n", r.store, r.scenario, r.config, r.pickup, r.completed, r.extra)
}

// ---------------------------------------------------------------------------
// Scenarios

func scenarioLatency[TTx any](ctx context.Context, s *store[TTx], fc fetchCfg, n int, gap time.Duration, label string) error {
	rec := newRecorder()
	client, stop, err := startClient(ctx, s, fc, rec, n)
	if err != nil {
		return err
	}
	defer stop()
	for range n {
		if err := insertOne(ctx, s, client, rec); err != nil {
			return err
		}
		time.Sleep(gap)
	}
	ok := waitFor(func() bool { return rec.nDone.Load() >= int64(n) }, 10*time.Second)
	wi, wd := rec.worst()
	extra := fmt.Sprintf("gap %s; max pickup was job #%d of %d (%sms)", gap, wi, n, ms(wd))
	if !ok {
		extra += fmt.Sprintf("; TIMEOUT: %d/%d started, %d/%d completed", rec.nStarted.Load(), n, rec.nDone.Load(), n)
	}
	addRow(row{s.name, label, fc.name, rec.pickup().cols(), rec.toCompleted().cols(), extra})
	return nil
}

// scenarioLatencyNonTx uses client.Insert (River opens and commits its own
// transaction); for drivers without a listener this path nudges the local
// producer in-process, unlike InsertTx.
func scenarioLatencyNonTx[TTx any](ctx context.Context, s *store[TTx], fc fetchCfg, n int, gap time.Duration) error {
	rec := newRecorder()
	client, stop, err := startClient(ctx, s, fc, rec, n)
	if err != nil {
		return err
	}
	defer stop()
	for range n {
		res, err := client.Insert(ctx, NoopArgs{}, nil)
		if err != nil {
			return fmt.Errorf("Insert: %w", err)
		}
		rec.commit(res.Job.ID, time.Now())
		time.Sleep(gap)
	}
	ok := waitFor(func() bool { return rec.nDone.Load() >= int64(n) }, 10*time.Second)
	wi, wd := rec.worst()
	extra := fmt.Sprintf("gap %s; latency measured from Insert() return; max pickup was job #%d of %d (%sms)", gap, wi, n, ms(wd))
	if !ok {
		extra += fmt.Sprintf("; TIMEOUT: %d/%d started", rec.nStarted.Load(), n)
	}
	addRow(row{s.name, "latency, Insert (non-tx)", fc.name, rec.pickup().cols(), rec.toCompleted().cols(), extra})
	return nil
}

func scenarioThroughput[TTx any](ctx context.Context, s *store[TTx], fc fetchCfg, n, inserters, batch int) error {
	rec := newRecorder()
	client, stop, err := startClient(ctx, s, fc, rec, n)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	var (
		wg       sync.WaitGroup
		next     atomic.Int64
		firstErr atomic.Value
	)
	insertBatch := func(k int) error {
		if batch <= 1 {
			return insertOne(ctx, s, client, rec)
		}
		tx, commit, rollback, err := s.begin(ctx)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		params := make([]river.InsertManyParams, k)
		for i := range params {
			params[i] = river.InsertManyParams{Args: NoopArgs{}}
		}
		res, err := client.InsertManyTx(ctx, tx, params)
		if err != nil {
			_ = rollback()
			return fmt.Errorf("InsertManyTx: %w", err)
		}
		if err := commit(); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		now := time.Now()
		for _, r := range res {
			rec.commit(r.Job.ID, now)
		}
		return nil
	}
	step := int64(max(batch, 1))
	for range inserters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				hi := next.Add(step)
				lo := hi - step
				if lo >= int64(n) {
					return
				}
				if err := insertBatch(int(min(hi, int64(n)) - lo)); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	insertDur := time.Since(start)
	if e := firstErr.Load(); e != nil {
		return e.(error)
	}
	ok := waitFor(func() bool { return rec.nDone.Load() >= int64(n) }, 60*time.Second)
	rec.mu.Lock()
	var lastStart, lastDone time.Time
	for _, t := range rec.started {
		if t.After(lastStart) {
			lastStart = t
		}
	}
	for _, t := range rec.completed {
		if t.After(lastDone) {
			lastDone = t
		}
	}
	rec.mu.Unlock()
	how := "1 job/tx (InsertTx)"
	if batch > 1 {
		how = fmt.Sprintf("%d jobs/tx (InsertManyTx)", batch)
	}
	extra := fmt.Sprintf("%d jobs, %d inserters, %s: inserted %.0f/s; worked %.0f/s (last Work start %.2fs); completed %.0f/s end-to-end (last completion %.2fs)",
		n, inserters, how, float64(n)/insertDur.Seconds(),
		float64(rec.nStarted.Load())/lastStart.Sub(start).Seconds(), lastStart.Sub(start).Seconds(),
		float64(rec.nDone.Load())/lastDone.Sub(start).Seconds(), lastDone.Sub(start).Seconds())
	if !ok {
		extra += fmt.Sprintf("; TIMEOUT: %d/%d completed", rec.nDone.Load(), n)
	}
	label := "throughput, InsertTx"
	if batch > 1 {
		label = "throughput, InsertManyTx"
	}
	addRow(row{s.name, label, fc.name, rec.pickup().cols(), rec.toCompleted().cols(), extra})
	return nil
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresCPU sums utime+stime of every process named "postgres" (server,
// backends, walwriter, ...). Assumes CLK_TCK = 100.
func postgresCPU() time.Duration {
	ents, _ := os.ReadDir("/proc")
	var ticks int64
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		st := string(b)
		l, r := strings.IndexByte(st, '('), strings.LastIndexByte(st, ')')
		if l < 0 || r < 0 || st[l+1:r] != "postgres" {
			continue
		}
		f := strings.Fields(st[r+2:])
		// f[0] is field 3 (state); utime is field 14, stime field 15.
		u, _ := strconv.ParseInt(f[11], 10, 64)
		s, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}

func scenarioIdle[TTx any](ctx context.Context, s *store[TTx], fc fetchCfg, window time.Duration) error {
	rec := newRecorder()
	_, stop, err := startClient(ctx, s, fc, rec, 0)
	if err != nil {
		return err
	}
	defer stop()
	time.Sleep(700 * time.Millisecond) // warm-up (total ~1s after Start)
	c0 := selfCPU()
	var p0 time.Duration
	if s.serverCPU != nil {
		p0 = s.serverCPU()
	}
	t0 := time.Now()
	time.Sleep(window)
	wall := time.Since(t0)
	c1 := selfCPU()
	extra := fmt.Sprintf("bench process: %.2fs CPU in %.1fs = %.1f%% of one core", (c1 - c0).Seconds(), wall.Seconds(), 100*float64(c1-c0)/float64(wall))
	if s.serverCPU != nil {
		p1 := s.serverCPU()
		extra += fmt.Sprintf("; postgres server processes: %.2fs = %.1f%% of one core", (p1 - p0).Seconds(), 100*float64(p1-p0)/float64(wall))
	}
	addRow(row{s.name, "idle CPU", fc.name, "-", "-", extra})
	return nil
}

func runAll[TTx any](ctx context.Context, s *store[TTx]) error {
	m, err := rivermigrate.New(s.driver, nil)
	if err != nil {
		return fmt.Errorf("rivermigrate.New: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"latency tuned", func() error { return scenarioLatency(ctx, s, cfgTuned, *flagLatN, *flagLatGap, "latency, InsertTx") }},
		{"latency notify-config", func() error { return scenarioLatency(ctx, s, cfgNotify, *flagLatN, *flagLatGap, "latency, InsertTx") }},
		{"latency default", func() error { return scenarioLatency(ctx, s, cfgDefault, *flagLatN, *flagLatGap, "latency, InsertTx") }},
		{"latency default sparse", func() error {
			return scenarioLatency(ctx, s, cfgDefault, *flagSparseN, *flagSparseGap, "latency, InsertTx, sparse")
		}},
		{"latency non-tx notify-config", func() error { return scenarioLatencyNonTx(ctx, s, cfgNotify, *flagLatN, *flagLatGap) }},
		{"throughput tuned", func() error { return scenarioThroughput(ctx, s, cfgTuned, *flagTputN, *flagTputIns, 1) }},
		{"throughput notify-config", func() error { return scenarioThroughput(ctx, s, cfgNotify, *flagTputN, *flagTputIns, 1) }},
		{"throughput default", func() error { return scenarioThroughput(ctx, s, cfgDefault, *flagTputN, *flagTputIns, 1) }},
		{"throughput batched tuned", func() error {
			return scenarioThroughput(ctx, s, cfgTuned, *flagTputN, *flagTputIns, *flagTputBatch)
		}},
		{"idle tuned", func() error { return scenarioIdle(ctx, s, cfgTuned, *flagIdle) }},
		{"idle notify-config", func() error { return scenarioIdle(ctx, s, cfgNotify, *flagIdleDefault) }},
		{"idle default", func() error { return scenarioIdle(ctx, s, cfgDefault, *flagIdleDefault) }},
	}
	for _, st := range steps {
		if *flagOnly != "" && !strings.Contains(st.name, *flagOnly) {
			continue
		}
		fmt.Fprintf(os.Stderr, "[%s] %s ...\n", s.name, st.name)
		if err := st.fn(); err != nil {
			msg := fmt.Sprintf("FAILED: %v", err)
			fmt.Fprintf(os.Stderr, "  %s\n", msg)
			addRow(row{s.name, st.name, "", "-", "-", msg})
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Driver setup

func runPG(ctx context.Context) (err error) {
	admin, err := pgx.Connect(ctx, *flagPGAdmin)
	if err != nil {
		return fmt.Errorf("connect admin: %w", err)
	}
	defer admin.Close(context.Background())
	ident := pgx.Identifier{*flagPGDB}.Sanitize()
	if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return err
	}
	defer func() {
		if _, derr := admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); derr != nil {
			fmt.Fprintf(os.Stderr, "drop database: %v\n", derr)
		}
	}()

	pcfg, err := pgxpool.ParseConfig(*flagPGAdmin)
	if err != nil {
		return err
	}
	pcfg.ConnConfig.Database = *flagPGDB
	pcfg.MaxConns = int32(*flagPGMaxConns)
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return err
	}
	defer pool.Close()

	s := &store[pgx.Tx]{
		name:   "PostgreSQL",
		driver: riverpgxv5.New(pool),
		begin: func(ctx context.Context) (pgx.Tx, func() error, func() error, error) {
			tx, err := pool.Begin(ctx)
			if err != nil {
				return nil, nil, nil, err
			}
			return tx, func() error { return tx.Commit(ctx) }, func() error { return tx.Rollback(ctx) }, nil
		},
		reset: func(ctx context.Context) error {
			_, err := pool.Exec(ctx, "TRUNCATE river_job")
			return err
		},
		serverCPU: postgresCPU,
	}
	return runAll(ctx, s)
}

func runSQLite(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "riverlatency-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "river.db")
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(" + *flagSQLiteSync + ")&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(*flagSQLiteConns)
	var jm string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&jm); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sqlite file %s journal_mode=%s synchronous=%s MaxOpenConns=%d\n", path, jm, *flagSQLiteSync, *flagSQLiteConns)

	s := &store[*sql.Tx]{
		name:   "SQLite",
		driver: riversqlite.New(db),
		begin: func(ctx context.Context) (*sql.Tx, func() error, func() error, error) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return nil, nil, nil, err
			}
			return tx, tx.Commit, tx.Rollback, nil
		},
		reset: func(ctx context.Context) error {
			_, err := db.ExecContext(ctx, "DELETE FROM river_job")
			return err
		},
	}
	return runAll(ctx, s)
}

func main() {
	flag.Parse()
	ctx := context.Background()
	t0 := time.Now()
	fmt.Fprintf(os.Stderr, "GOMAXPROCS=%d NumCPU=%d %s; FetchCooldownMin=%s FetchPollIntervalMin=%s\n",
		runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version(), river.FetchCooldownMin, river.FetchPollIntervalMin)
	var failed []error
	for _, d := range strings.Split(*flagDrivers, ",") {
		var err error
		switch strings.TrimSpace(d) {
		case "pg":
			err = runPG(ctx)
		case "sqlite":
			err = runSQLite(ctx)
		default:
			err = fmt.Errorf("unknown driver %q", d)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", d, err)
			failed = append(failed, fmt.Errorf("%s: %w", d, err))
		}
	}

	fmt.Printf("Machine: %d CPUs (GOMAXPROCS %d), %s, %s/%s. Total run %.0fs.\n\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Since(t0).Seconds())
	fmt.Println("Latencies in ms. pickup = Work() start - Commit() return; to-completed = JobCompleted event received - Commit() return.")
	fmt.Println()
	fmt.Println("| store | scenario | FetchCooldown/FetchPollInterval | n | pickup min | p50 | p90 | p99 | max | n | to-completed min | p50 | p90 | p99 | max | notes |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		p, c := r.pickup, r.completed
		if p == "-" {
			p = "- | - | - | - | - | -"
		}
		if c == "-" {
			c = "- | - | - | - | - | -"
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s |\n", r.store, r.scenario, r.config, p, c, r.extra)
	}
	if len(failed) > 0 {
		fmt.Fprintln(os.Stderr, errors.Join(failed...))
		os.Exit(1)
	}
}
