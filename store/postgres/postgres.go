// Package postgres opens the PostgreSQL store, for deployments that run
// several stateless stend nodes on one database. It goes through pgx's
// database/sql adapter so that the store logic is shared with SQLite; the
// searches read their rows from pgx itself (rows.go).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"stend"
	"stend/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed sql
var queries embed.FS

// migrationLockKey is an arbitrary constant naming stend's advisory lock.
const migrationLockKey = 0x5e7d

// Dialect is PostgreSQL's part of the shared store.
func Dialect() sqlstore.Dialect {
	m, _ := fs.Sub(migrations, "migrations")
	q, _ := fs.Sub(queries, "sql")
	return sqlstore.Dialect{
		Name:           "postgres",
		Migrations:     m,
		Queries:        q,
		LockMigrations: fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", migrationLockKey),
		TimeArg:        func(t time.Time) any { return t },
		ReadRows:       readRows,
		Analyze:        func(table string) string { return "ANALYZE " + table },
		// One state of every table for the copy, without stopping writers.
		SnapshotIsolation: sql.LevelRepeatableRead,
		// The bank's tables, put back by a restore: DELETE of their rows
		// took twice as long, and leaves them all dead for VACUUM.
		Truncate: func(tables []string) string { return "TRUNCATE " + strings.Join(tables, ", ") },
		// Writers wait for the restore, readers go on with the state
		// before it: otherwise a row written into a table already emptied
		// survived into the restored state, or one naming a parent the
		// restore then deleted failed it. A writer already holding some of
		// the tables may deadlock with it; the restore is then tried again.
		LockForRestore: func(tables []string) []string {
			return []string{"SET LOCAL lock_timeout = '30s'", "LOCK TABLE " + strings.Join(tables, ", ") + " IN EXCLUSIVE MODE"}
		},
		RestoreRetry: func(err error) bool {
			var pe *pgconn.PgError
			return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
		},
		// Another stand is another schema of the same database.
		SnapshotSource: func(src stend.SnapshotSource) (sqlstore.SnapshotSourceSQL, error) {
			if src.Schema == "" {
				return sqlstore.SnapshotSourceSQL{}, nil
			}
			if src.File != "" {
				return sqlstore.SnapshotSourceSQL{}, errors.New("a PostgreSQL stand is copied from a schema, not a file")
			}
			return sqlstore.SnapshotSourceSQL{Prefix: `"` + strings.ReplaceAll(src.Schema, `"`, `""`) + `".`}, nil
		},
		IsUniqueViolation: func(err error) bool {
			var pe *pgconn.PgError
			return errors.As(err, &pe) && pe.Code == "23505"
		},
		IsInvalidText: func(err error) bool {
			// 22021 character_not_in_repertoire: text with NUL or bytes
			// that are not UTF-8; 22P05 untranslatable_character: a NUL
			// escaped inside JSON.
			var pe *pgconn.PgError
			return errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05")
		},
		IsUnavailable: func(err error) bool {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				// 08: connection exception; 53: insufficient resources;
				// 57P0x: the server is shutting down or restarting.
				return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "53") || strings.HasPrefix(pe.Code, "57P0")
			}
			var ce *pgconn.ConnectError
			var ne net.Error
			return errors.As(err, &ce) || errors.As(err, &ne) || pgconn.Timeout(err)
		},
	}
}

// listenRetry is how long the listener waits before reconnecting after the
// database dropped it; jobs are still found by the runner's poll meanwhile.
const listenRetry = time.Second

// listener returns the dialect's Listen: a connection of its own, outside
// the pool (so it can never take a connection the store needs), kept in
// LISTEN stend_jobs, signalling for every notification and reconnecting
// until ctx ends.
func listener(cfg *pgx.ConnConfig) func(ctx context.Context, _ *sql.DB, signal func()) {
	return func(ctx context.Context, _ *sql.DB, signal func()) {
		for ctx.Err() == nil {
			_ = listenOnce(ctx, cfg, signal) // the runner's poll covers the gap
			select {
			case <-ctx.Done():
			case <-time.After(listenRetry):
			}
		}
	}
}

func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, signal func()) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN stend_jobs"); err != nil {
		return err
	}
	// A commit may have happened before LISTEN took effect.
	signal()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		signal()
	}
}

// DefaultPool is a node's connections when Options say none: enough for
// the task workers' searches at once (16 by default) on a database with
// cores of its own.
const DefaultPool = 16

// Options tune the pool.
type Options struct {
	MaxConns int
	// SearchPath, when set, confines the store to one schema (tests give
	// each test its own).
	SearchPath string
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string).
func Open(dsn string, opts Options) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote part of the DSN, password included.
		return nil, errors.New("postgres: the database URL is not a valid PostgreSQL connection string")
	}
	if opts.SearchPath != "" {
		cfg.RuntimeParams["search_path"] = opts.SearchPath
	}
	pool := stdlib.OpenDB(*cfg)
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultPool
	}
	pool.SetMaxOpenConns(opts.MaxConns)
	pool.SetMaxIdleConns(opts.MaxConns)
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	dialect := Dialect()
	dialect.Listen = listener(cfg.Copy())
	db, err := sqlstore.New(pool, pool, dialect)
	if err != nil {
		pool.Close()
		return nil, err
	}
	// A scratch stand is a schema of the same database, so that a
	// snapshot copies from it inside one transaction.
	db.SetScratch(func(ctx context.Context) (sqlstore.Scratch, error) {
		schema := "stend_scratch_" + stend.RandomHex(8)
		if _, err := pool.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			return sqlstore.Scratch{}, fmt.Errorf("postgres: scratch schema: %w", err)
		}
		drop := func() { _, _ = pool.ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE") }
		scratch, err := Open(dsn, Options{MaxConns: 4, SearchPath: schema})
		if err != nil {
			drop()
			return sqlstore.Scratch{}, err
		}
		return sqlstore.Scratch{DB: scratch, Source: stend.SnapshotSource{Schema: schema}, Remove: func() { scratch.Close(); drop() }}, nil
	})
	return db, nil
}

// OpenDB is for callers that need the raw pool (tests creating schemas).
func OpenDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, errors.New("postgres: the database URL is not a valid PostgreSQL connection string")
	}
	return stdlib.OpenDB(*cfg), nil
}
