// Package storetest runs one suite against every store and opens fresh,
// migrated stores for the tests of other packages: SQLite always, PostgreSQL
// whenever STEND_TEST_DATABASE_URL names a database.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
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

// OpenPostgres opens a store confined to a new schema that is dropped when
// the test ends, so parallel tests share the database without seeing each
// other. The schema is a clone of a template migrated once (see
// pgtemplate.go).
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	admin, err := postgres.OpenDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := newSchemaName()
	t.Cleanup(func() {
		_, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`)
		admin.Close()
	})
	db, err := newPostgresSchema(context.Background(), admin, dsn, schema, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newSchemaName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "test_" + hex.EncodeToString(b)
}

// newPostgresSchema creates schema, a clone of the template or (clone
// false, to compare the two) migrated itself, and opens a store on it. On
// error, whatever part of the schema exists is left for the caller to drop.
func newPostgresSchema(ctx context.Context, admin *sql.DB, dsn, schema string, clone bool) (*sqlstore.DB, error) {
	if clone {
		tmpl, err := postgresTemplate(ctx, dsn)
		if err != nil {
			return nil, err
		}
		if err := tmpl.clone(ctx, admin, schema); err != nil {
			return nil, fmt.Errorf("storetest: clone %s: %w", tmpl.schema, err)
		}
	} else if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
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
