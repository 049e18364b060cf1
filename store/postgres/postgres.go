// Package postgres opens the PostgreSQL store, for deployments that run
// several stateless stend nodes on one database. It goes through pgx's
// database/sql adapter so that the store logic is shared with SQLite.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"stend"
	"stend/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed sql/*.sql
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
		IsUniqueViolation: func(err error) bool {
			var pe *pgconn.PgError
			return errors.As(err, &pe) && pe.Code == "23505"
		},
		Listen: listen,
	}
}

// listenRetry is how long the listener waits before reconnecting after the
// database dropped it; jobs are still found by the runner's poll meanwhile.
const listenRetry = time.Second

// listen holds one pooled connection in LISTEN stend_jobs and signals for
// every notification, reconnecting until ctx ends.
func listen(ctx context.Context, pool *sql.DB, signal func()) {
	for ctx.Err() == nil {
		err := listenOnce(ctx, pool, signal)
		if ctx.Err() != nil {
			return
		}
		_ = err // the runner's poll covers the gap; retry shortly
		select {
		case <-ctx.Done():
		case <-time.After(listenRetry):
		}
	}
}

func listenOnce(ctx context.Context, pool *sql.DB, signal func()) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		if _, err := pc.Exec(ctx, "LISTEN stend_jobs"); err != nil {
			return err
		}
		// A commit may have happened before LISTEN took effect.
		signal()
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				// The connection is in an unknown state now; make the pool
				// drop it rather than hand it out again.
				_ = pc.Close(context.Background())
				return err
			}
			signal()
		}
	})
}

// Options tune the pool.
type Options struct {
	MaxConns int
	// SearchPath, when set, confines the store to one schema (tests give
	// each test its own).
	SearchPath string
}

// Open connects to the database named by dsn (a postgres:// URL or a
// key=value string).
func Open(dsn string, opts Options, clock stend.Clock) (*sqlstore.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	if opts.SearchPath != "" {
		cfg.RuntimeParams["search_path"] = opts.SearchPath
	}
	pool := stdlib.OpenDB(*cfg)
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	pool.SetMaxOpenConns(opts.MaxConns)
	pool.SetMaxIdleConns(opts.MaxConns)
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db, err := sqlstore.New(pool, pool, Dialect(), clock)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// OpenDB is for callers that need the raw pool (tests creating schemas).
func OpenDB(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	return stdlib.OpenDB(*cfg), nil
}
