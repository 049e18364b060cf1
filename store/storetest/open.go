// Package storetest runs one suite against every store and opens fresh,
// migrated stores for the tests of other packages: SQLite always, PostgreSQL
// whenever STEND_TEST_DATABASE_URL names a database.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"stend/store/postgres"
	"stend/store/sqlite"
	"stend/store/sqlstore"
)

// PostgresEnv names the environment variable holding the test database DSN.
const PostgresEnv = "STEND_TEST_DATABASE_URL"

// Opener makes a fresh, empty, migrated store for one test.
type Opener struct {
	Name string
	Open func(t testing.TB) *sqlstore.DB
}

// Openers lists the stores available in this environment.
func Openers() []Opener {
	out := []Opener{{Name: "sqlite", Open: OpenSQLite}}
	if os.Getenv(PostgresEnv) != "" {
		out = append(out, Opener{Name: "postgres", Open: OpenPostgres})
	}
	return out
}

// OpenSQLite opens a store in a file of the test's temporary directory.
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "stend.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	migrate(t, db)
	return db
}

// OpenPostgres opens a store confined to a schema of its own for the
// test, so parallel tests share the database without seeing each other.
// The schema is a clone of a template migrated once (see pgtemplate.go);
// when the test ends it is emptied back to the template's state and kept
// for the next test of this process (a reset costs about 10 ms, a clone
// 400), or dropped when the test changed its tables or indexes.
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	ctx := context.Background()
	tmpl, err := postgresTemplate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := poolAdmin(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema, reused := takeSchema()
	if !reused {
		schema = newSchemaName()
	}
	t.Cleanup(func() { releaseSchema(admin, tmpl, schema) })
	how := cloned
	if reused {
		how = pooled
	}
	db, err := newPostgresSchema(ctx, admin, dsn, schema, how)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pgPool holds this process's schemas that tests used and a reset emptied.
var pgPool struct {
	sync.Mutex
	free  []string
	admin *sql.DB
}

func poolAdmin(dsn string) (*sql.DB, error) {
	pgPool.Lock()
	defer pgPool.Unlock()
	if pgPool.admin != nil {
		return pgPool.admin, nil
	}
	admin, err := postgres.OpenDB(dsn)
	if err != nil {
		return nil, err
	}
	dropAbandonedSchemas(admin)
	pgPool.admin = admin
	return admin, nil
}

// isPooled reports whether schema waits in the pool.
func isPooled(schema string) bool {
	pgPool.Lock()
	defer pgPool.Unlock()
	return slices.Contains(pgPool.free, schema)
}

func takeSchema() (string, bool) {
	pgPool.Lock()
	defer pgPool.Unlock()
	if n := len(pgPool.free); n > 0 {
		s := pgPool.free[n-1]
		pgPool.free = pgPool.free[:n-1]
		return s, true
	}
	return "", false
}

// releaseSchema runs after every handle on the schema closed (cleanups run
// last-in first-out). One round trip: a multi-statement query is one
// transaction, so a reset that fails half-way changes nothing.
func releaseSchema(admin *sql.DB, tmpl *pgTemplate, schema string) {
	id := quoteIdent(schema)
	if _, err := admin.Exec("SET LOCAL search_path = " + id + ";\n" + tmpl.reset); err != nil {
		_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + id + ` CASCADE`)
		return
	}
	pgPool.Lock()
	pgPool.free = append(pgPool.free, schema)
	pgPool.Unlock()
}

// newSchemaName names the schema after this host and process, so that the
// schemas a finished test process left in its pool can be found and
// dropped, and those of processes on other hosts sharing the database are
// never taken for them.
func newSchemaName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return fmt.Sprintf("test_%s_%d_%s", thisHost, os.Getpid(), hex.EncodeToString(b))
}

var thisHost = func() string {
	name, _ := os.Hostname()
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:4])
}()

var schemaOfProcess = regexp.MustCompile(`^test_([0-9a-f]{8})_([0-9]+)_[0-9a-f]+$`)

// dropAbandonedSchemas drops the pooled schemas of test processes that
// ended (a pool lives as long as its process; nothing runs at its exit).
func dropAbandonedSchemas(admin *sql.DB) {
	rows, err := admin.Query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'test\_%'`)
	if err != nil {
		return
	}
	var gone []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			break
		}
		m := schemaOfProcess.FindStringSubmatch(name)
		if m == nil || m[1] != thisHost {
			continue
		}
		pid, _ := strconv.Atoi(m[2])
		if pid != os.Getpid() && syscall.Kill(pid, 0) == syscall.ESRCH {
			gone = append(gone, name)
		}
	}
	rows.Close()
	for _, name := range gone {
		_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + quoteIdent(name) + ` CASCADE`)
	}
}

// How a test's schema comes to be.
type schemaOrigin int

const (
	cloned   schemaOrigin = iota // a new clone of the template
	migrated                     // migrated itself, to compare with a clone
	pooled                       // a clone a test used, reset since
)

// newPostgresSchema makes schema (or, pooled, takes it as it is) and opens
// a store on it. On error, whatever part of the schema exists is left for
// the caller to drop.
func newPostgresSchema(ctx context.Context, admin *sql.DB, dsn, schema string, how schemaOrigin) (*sqlstore.DB, error) {
	clone := how != migrated
	switch how {
	case cloned:
		tmpl, err := postgresTemplate(ctx, dsn)
		if err != nil {
			return nil, err
		}
		if err := tmpl.clone(ctx, admin, schema); err != nil {
			return nil, fmt.Errorf("storetest: clone %s: %w", tmpl.schema, err)
		}
	case migrated:
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			return nil, fmt.Errorf("create schema: %w", err)
		}
	}
	db, err := postgres.Open(dsn, postgres.Options{SearchPath: schema, MaxConns: 8})
	if err != nil {
		return nil, err
	}
	// On a clone Migrate has nothing to apply, but it still prepares every
	// statement, as the store expects.
	n, err := db.Migrate(ctx)
	if err == nil && clone && n > 0 {
		err = fmt.Errorf("storetest: the clone lacked %d migrations", n)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(t testing.TB, db *sqlstore.DB) {
	t.Helper()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Reopenable opens a store and returns a function that opens another handle
// on the same database, as a restarted process (or a second node) would.
func Reopenable(t testing.TB, name string) (*sqlstore.DB, func() *sqlstore.DB) {
	t.Helper()
	switch name {
	case "sqlite":
		path := filepath.Join(t.TempDir(), "stend.db")
		open := func() *sqlstore.DB {
			db, err := sqlite.Open(path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			migrate(t, db)
			return db
		}
		return open(), open
	case "postgres":
		first := OpenPostgres(t)
		var schema string
		if err := first.ReadDB().QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		return first, func() *sqlstore.DB {
			db, err := postgres.Open(os.Getenv(PostgresEnv), postgres.Options{SearchPath: schema, MaxConns: 8})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			migrate(t, db)
			return db
		}
	}
	t.Fatalf("no store %q", name)
	return nil, nil
}

// at is the "now" the suites give the store: the store reads no clock, so
// every write says when it happens.
var at = time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
