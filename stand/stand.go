// Package stand starts a stend inside a Go test, as httptest.NewServer
// starts a server: a fresh data directory (SQLite) or a fresh schema of a
// PostgreSQL database, a seed, a real listener on loopback, and handles to
// what integrators' tests drive: the base URL, the operator token, the
// stand's clock, the request journal and faults on request. Everything is
// torn down when the test ends.
//
//	s := stand.Start(t, stand.Options{SeedFile: "testdata/seed.json"})
//	client := myclient.New(s.URL, "demo-fssp-token")
//	s.Faults().Add(t, fault.Rule{Name: "busy", API: "fssp", Path: "/api/v1.0/result", Status: 429, Times: 1})
//	… exercise client …
//	if n := s.Journal().Count(t, operator.JournalQuery{API: "fssp", Status: 429}); n != 1 { … }
//	s.Clock().Advance(t, 25*time.Hour)
package stand

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the admin connection that makes and drops the schema

	"stend"
	"stend/fault"
	"stend/journal"
	"stend/operator"
	"stend/server"
	"stend/store/postgres"
	"stend/store/sqlite"
	"stend/store/sqlstore"
)

// Options shape a stand; the zero value is an empty stand on SQLite.
type Options struct {
	// SeedFile is a seed file (docs/operator.md) loaded before the stand
	// answers; Seed is one in memory (both may be given: the file first).
	SeedFile string
	Seed     *operator.Seed
	// DatabaseURL puts the stand on PostgreSQL, in a schema of its own
	// made for the test and dropped after it; empty: SQLite in a
	// temporary directory.
	DatabaseURL string
	// Config changes settings before the stand starts (limits, workers…).
	Config func(*server.Config)
	// Logger receives the stand's logs (default: none).
	Logger *slog.Logger
	// HTTPS also serves the stand over HTTPS, under a certificate for the
	// host names clients hard-code, issued by a CA of the test's own
	// (HTTPSURL, CACert, HostsClient).
	HTTPS bool
}

// OperatorToken is the operator API's token of every stand started here.
const OperatorToken = "stand-operator-token"

// Stand is a running stend.
type Stand struct {
	// URL is the base URL every API and the operator API answer under
	// (http://127.0.0.1:port).
	URL           string
	OperatorToken string
	// Node is the running node, for what the handles do not cover.
	Node *server.Node
	// HTTPSURL is where the stand answers over HTTPS (https://127.0.0.1:port),
	// and CACert (PEM) the CA its certificate chains to, with Options.HTTPS.
	HTTPSURL string
	CACert   []byte
}

// Start starts a stand for t and stops it when t ends.
func Start(t testing.TB, o Options) *Stand {
	t.Helper()
	ctx := context.Background()
	cfg := server.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.OperatorToken = OperatorToken
	cfg.Secret = "stand-secret-" + randomHex(8)
	cfg.DrainPeriod = 0
	cfg.Addr = "127.0.0.1:0"
	if o.Config != nil {
		o.Config(&cfg)
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	store := open(t, o.DatabaseURL, cfg.DataDir)
	if _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	clock, err := stend.NewStandClock(ctx, nil, store)
	if err != nil {
		t.Fatal(err)
	}
	node, err := server.NewNode(ctx, cfg, store, clock, logger)
	if err != nil {
		t.Fatal(err)
	}
	if o.SeedFile != "" {
		seed, err := operator.ReadSeed(o.SeedFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := node.Operator.LoadSeed(ctx, seed, logger); err != nil {
			t.Fatal(err)
		}
		node.AddSeed(seed)
	}
	if o.Seed != nil {
		if err := node.Operator.LoadSeed(ctx, *o.Seed, logger); err != nil {
			t.Fatal(err)
		}
		node.AddSeed(*o.Seed)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stand{URL: "http://" + ln.Addr().String(), OperatorToken: OperatorToken, Node: node}
	serve := func(ctx context.Context) error { return node.Serve(ctx, ln) }
	if o.HTTPS {
		https, err := cfg.HTTPS(logger)
		if err != nil {
			t.Fatal(err)
		}
		tlsLn, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		s.HTTPSURL, s.CACert = "https://"+tlsLn.Addr().String(), https.CA.CertPEM
		serve = func(ctx context.Context) error { return node.ServeTLS(ctx, ln, tlsLn, https) }
	}
	serveCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- serve(serveCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("stand: %v", err)
		}
		store.Close()
	})
	// The node writes as it starts (the deployment's FSSP token for Reestro
	// checks, bounded by 10 s) before it serves: a test that writes at once
	// (a bank of thousands under the race detector, SQLite's one writer)
	// made that bound pass and the node stop. The first answer to /readyz
	// comes once the start is done: the request waits in the listener's
	// queue until then.
	ready := make(chan error, 1)
	go func() {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("/readyz answered %s", resp.Status)
			}
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatalf("stand: not ready: %v", err)
		}
	case err := <-done:
		done <- err // for the cleanup
		t.Fatalf("stand: %v", err)
	}
	return s
}

// HostsClient is a client of the stand over HTTPS as a program sees it
// with a hosts entry and the stand's CA trusted: it trusts that CA alone,
// and sends every host name (https://api-ip.fssprus.ru/…) to the stand.
// It needs Options.HTTPS.
func (s *Stand) HostsClient(t testing.TB) *http.Client {
	t.Helper()
	if s.HTTPSURL == "" {
		t.Fatal("stand: HostsClient needs Options.HTTPS")
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(s.CACert) {
		t.Fatal("stand: the CA certificate does not parse")
	}
	addr := strings.TrimPrefix(s.HTTPSURL, "https://")
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// open makes the stand's store: SQLite in dir, or a new schema of the
// PostgreSQL database at dsn, dropped when t ends.
func open(t testing.TB, dsn, dir string) *sqlstore.DB {
	t.Helper()
	if dsn == "" {
		db, err := sqlite.Open(filepath.Join(dir, "stend.db"), sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "stand_" + randomHex(8)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	db, err := postgres.Open(dsn, postgres.Options{SearchPath: schema})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Clock is the stand's clock.
type Clock struct{ s *Stand }

func (s *Stand) Clock() Clock { return Clock{s} }

// Now is the stand's time.
func (c Clock) Now() time.Time { return c.s.Node.Clock.Now() }

// Set makes the stand's time at; what became due has run when it returns.
func (c Clock) Set(t testing.TB, at time.Time) {
	t.Helper()
	if _, err := c.s.Node.Operator.SetClock(context.Background(), operator.ClockSet{At: at.Format(time.RFC3339Nano)}); err != nil {
		t.Fatal(err)
	}
}

// Advance moves the stand's time forward by d.
func (c Clock) Advance(t testing.TB, d time.Duration) {
	t.Helper()
	if _, err := c.s.Node.Operator.AdvanceClock(context.Background(), operator.ClockAdvance{By: d.String()}); err != nil {
		t.Fatal(err)
	}
}

// Release gives the stand real time again.
func (c Clock) Release(t testing.TB) {
	t.Helper()
	if _, err := c.s.Node.Operator.ReleaseClock(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Journal is the stand's request journal.
type Journal struct{ s *Stand }

func (s *Stand) Journal() Journal { return Journal{s} }

// Entries lists the requests q selects, oldest first.
func (j Journal) Entries(t testing.TB, q operator.JournalQuery) []journal.Entry {
	t.Helper()
	es, err := j.s.Node.Operator.JournalEntries(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// Count counts the requests q selects.
func (j Journal) Count(t testing.TB, q operator.JournalQuery) int64 {
	t.Helper()
	n, err := j.s.Node.Operator.CountJournal(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Clear empties the journal.
func (j Journal) Clear(t testing.TB) {
	t.Helper()
	if _, err := j.s.Node.Operator.ClearJournal(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Faults are the stand's fault rules.
type Faults struct{ s *Stand }

func (s *Stand) Faults() Faults { return Faults{s} }

// Add adds r (or replaces the rule of its name) and answers it with its id.
func (f Faults) Add(t testing.TB, r fault.Rule) fault.Rule {
	t.Helper()
	out, err := f.s.Node.Operator.PutFault(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Clear removes every rule.
func (f Faults) Clear(t testing.TB) {
	t.Helper()
	if _, err := f.s.Node.Operator.ClearFaults(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Reset puts the stand back to the state of its seed, clears the journal
// and releases the clock: what a test does first, on a stand shared by a
// suite.
func (s *Stand) Reset(t testing.TB) {
	t.Helper()
	if _, err := s.Node.Operator.Reset(context.Background(), operator.ResetOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Snapshot copies the stand's data under name.
func (s *Stand) Snapshot(t testing.TB, name string) {
	t.Helper()
	if _, err := s.Node.Operator.TakeSnapshot(context.Background(), operator.SnapshotTake{Name: name}); err != nil {
		t.Fatal(err)
	}
}

// Restore puts the stand's data back as the snapshot name holds it.
func (s *Stand) Restore(t testing.TB, name string) {
	t.Helper()
	if _, err := s.Node.Operator.RestoreSnapshot(context.Background(), name); err != nil {
		t.Fatal(err)
	}
}
