// Package sqlite opens the embedded SQLite store, the default: one file under
// the data directory, nothing to set up. The driver is
// github.com/ncruces/go-sqlite3 (pure Go, no cgo: SQLite translated from
// WebAssembly). benchmarks/sqlitedriver compared it with modernc.org/sqlite:
// 1.2–1.8× the write and concurrent-read throughput at less CPU and memory;
// on stend's own intake benchmarks the difference was 3–4× for small
// reports from 32 clients, because modernc serialises connections on
// SQLite's mutexes and pays a syscall-heavy libc emulation. Its weak points,
// pre-1.0 and one maintainer, are why the DSN and SQL stay driver-neutral:
// going back is an import and a driver name.
package sqlite

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver" // also registers "sqlite3"

	"stend"
	"stend/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed sql
var queries embed.FS

// Dialect is SQLite's part of the shared store.
func Dialect() sqlstore.Dialect {
	m, _ := fs.Sub(migrations, "migrations")
	q, _ := fs.Sub(queries, "sql")
	return sqlstore.Dialect{
		Name:       "sqlite",
		Migrations: m,
		Queries:    q,
		TimeArg:    func(t time.Time) any { return t.UnixMicro() },
		// One writer at a time: concurrent writes queue anyway, so they
		// may as well share commits.
		GroupCommit: true,
		// Index inserts of a large load land on random pages (the keys are
		// hashes); with SQLite's 2 MiB default most of them were a read
		// from the file, a quarter of the load's time. Within
		// writerMaxMemory, statements and index sorts included.
		BulkLoad:    []string{"PRAGMA cache_size = -393216"},
		BulkLoadEnd: []string{"PRAGMA cache_size = " + writerCacheSize, "PRAGMA temp_store = MEMORY"},
		// A 10-million load leaves the writer holding up to
		// writerMaxMemory, which a lowered cache_size does not give back.
		RecycleWriterAfterBulkLoad: true,
		IsUniqueViolation: func(err error) bool {
			var se *sqlite3.Error
			if !errors.As(err, &se) {
				return false
			}
			return se.ExtendedCode() == sqlite3.CONSTRAINT_UNIQUE || se.ExtendedCode() == sqlite3.CONSTRAINT_PRIMARYKEY
		},
		// Foreign keys are checked once, at the commit of a restore, not
		// row by row as the tables are emptied and filled.
		RestorePrelude: []string{"PRAGMA defer_foreign_keys = ON"},
		// Another stand is another file, attached to the writer's
		// connection for the copy (ATTACH cannot run inside a
		// transaction).
		SnapshotSource: func(src stend.SnapshotSource) (sqlstore.SnapshotSourceSQL, error) {
			if src.File == "" {
				return sqlstore.SnapshotSourceSQL{}, nil
			}
			if src.Schema != "" {
				return sqlstore.SnapshotSourceSQL{}, errors.New("an SQLite stand is copied from a file, not a schema")
			}
			return sqlstore.SnapshotSourceSQL{
				Prefix: "snapshot_source.",
				Before: []string{"ATTACH DATABASE '" + strings.ReplaceAll(src.File, "'", "''") + "' AS snapshot_source"},
				After:  []string{"DETACH DATABASE snapshot_source"},
			}, nil
		},
		IsUnavailable: func(err error) bool {
			// Still locked after busy_timeout: another process holds the
			// file (an operator command, a backup).
			var se *sqlite3.Error
			return errors.As(err, &se) && (se.Code() == sqlite3.BUSY || se.Code() == sqlite3.LOCKED)
		},
	}
}

// Options tune the database file.
type Options struct {
	// Synchronous is SQLite's synchronous pragma. NORMAL (the default) keeps
	// every committed transaction across a crash of the process; FULL also
	// across a power cut, at the cost of an fsync per commit.
	Synchronous string
	// WALCeiling is the size, in bytes, past which the write-ahead log is
	// truncated at the next checkpoint even if that makes writers wait;
	// 0 means defaultWALCeiling.
	WALCeiling int64
}

// defaultWALCeiling bounds the WAL under a bulk load. Passive checkpoints
// never catch up with a writer that never stops, and a 10-million-check
// load grew the WAL to 13 GB until the checkpoint itself ran out of memory.
const defaultWALCeiling = 1 << 30

// Open opens (creating if needed) the database file at path. SQLite allows
// one writer at a time, so writes get a pool of one connection whose
// transactions start with BEGIN IMMEDIATE (a deferred transaction that later
// writes can fail with SQLITE_BUSY instead of waiting); reads get their own
// pool and run beside the writer thanks to WAL.
func Open(path string, opts Options) (*sqlstore.DB, error) {
	if opts.Synchronous == "" {
		opts.Synchronous = "NORMAL"
	}
	if opts.WALCeiling <= 0 {
		opts.WALCeiling = defaultWALCeiling
	}
	switch opts.Synchronous {
	case "OFF", "NORMAL", "FULL", "EXTRA":
	default:
		return nil, fmt.Errorf("sqlite: synchronous must be OFF, NORMAL, FULL or EXTRA, not %q", opts.Synchronous)
	}
	pragmas := url.Values{}
	// temp_store(MEMORY): a multi-row INSERT keeps a statement journal to
	// undo itself alone; in a temporary file that was a write syscall per
	// page, 15% of a bulk load.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(" + opts.Synchronous + ")", "busy_timeout(10000)", "foreign_keys(1)", "temp_store(MEMORY)"} {
		pragmas.Add("_pragma", p)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// A URI, escaped: a '#' or '%' in the path must stay in the file name.
	// modeof, SQLite's own parameter: the files SQLite makes beside the
	// database (its WAL) take the database's mode, which the driver would
	// not give them (createPrivate). Escaped by hand: SQLite reads no '+'
	// as a space.
	modeof := strings.ReplaceAll(url.QueryEscape(path), "+", "%20")
	base := (&url.URL{Scheme: "file", OmitHost: true, Path: path}).String() + "?" + pragmas.Encode() + "&modeof=" + modeof
	// The writer never checkpoints: SQLite would otherwise copy the WAL into
	// the database, with an fsync, inside whichever commit crosses 1000
	// pages, giving that one request a 50–150 ms stall. The checkpointer
	// below does it beside the writer instead.
	connector, err := (&driver.SQLite{}).OpenConnector(base + "&_pragma=wal_autocheckpoint(0)&_txlock=immediate&_pragma=cache_size(" + writerCacheSize + ")")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write := sql.OpenDB(bigWriter{connector})
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	// The readers share readerCacheTotal, so that more cores do not mean
	// more memory.
	readerCache := strconv.Itoa(-readerCacheTotal / 1024 / readers)
	read, err := sql.Open("sqlite3", base+"&_pragma=query_only(1)&_pragma=cache_size("+readerCache+")")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	// The first connection creates the file and switches it to WAL before
	// readers, which may not write, open it.
	if err := write.Ping(); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	checkpoints, err := sql.Open("sqlite3", base)
	if err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	checkpoints.SetMaxOpenConns(1)
	dialect := Dialect()
	dialect.SequentialRead = []string{"PRAGMA cache_size = " + sequentialReadCacheSize}
	dialect.SequentialReadEnd = []string{"PRAGMA cache_size = " + readerCache}
	db, err := sqlstore.New(write, read, dialect)
	if err != nil {
		write.Close()
		read.Close()
		checkpoints.Close()
		return nil, err
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go checkpointer(checkpoints, path+"-wal", opts.WALCeiling, stop, done)
	db.OnClose(func() {
		close(stop)
		<-done
		// Leave a small WAL behind: the next start opens faster.
		_, _ = checkpoints.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		checkpoints.Close()
	})
	// A scratch stand is a file beside this one, attached for the copy.
	// Without fsyncs: it lives only until its copy is committed here.
	db.SetScratch(func(ctx context.Context) (sqlstore.Scratch, error) {
		file := path + ".scratch-" + stend.RandomHex(8)
		remove := func() {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(file + suffix)
			}
		}
		scratch, err := Open(file, Options{Synchronous: "OFF"})
		if err != nil {
			remove()
			return sqlstore.Scratch{}, err
		}
		return sqlstore.Scratch{DB: scratch, Source: stend.SnapshotSource{File: file}, Remove: func() { scratch.Close(); remove() }}, nil
	})
	return db, nil
}

// createPrivate makes the database file 0600 when it does not exist, and
// its shared-memory file with the database's own mode, before the driver
// does: the driver creates files 0666 less the umask (readable by every
// account under the usual 022), where SQLite's C VFS gives the WAL and the
// shared memory the database's mode. The WAL gets it from modeof (see
// Open): SQLite deletes a WAL it finds beside a new database, so one made
// here would not last. The database holds credential hashes and personal
// data. An existing database keeps its mode, which an operator may have
// chosen; SQLite deletes -shm at the last close, so it follows the
// database's mode again at the next open.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = f.Close()
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	mode := fi.Mode().Perm()
	f, err = os.OpenFile(path+"-shm", os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	// The umask may have taken bits the database has.
	err = f.Chmod(mode)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Page caches, in KiB (negative, as SQLite takes it): the data bank's
// indexes are read at random, and a page in the cache costs no read from the
// file (at 96 MiB for each of 4 readers, person searches on a 10-million
// bank went from 1,750 to 1,950 a second). They fill only as pages are used.
const (
	writerCacheSize  = "-65536"
	readerCacheTotal = 384 << 20
	writerMaxMemory  = 1 << 30
	// A reader's cache while it reads a table once, in order
	// (sqlstore.Dialect.SequentialRead): room for what the read looks up
	// beside the table (the points report's users), not for the table.
	sequentialReadCacheSize = "-16384"
)

// bigWriter opens writer connections allowed writerMaxMemory: the driver
// caps a connection's SQLite memory (256 MiB by default) when it opens it,
// and a bulk load's page cache and index sorts need more.
type bigWriter struct{ sqldriver.Connector }

func (w bigWriter) Connect(ctx context.Context) (sqldriver.Conn, error) {
	return w.Connector.Connect(sqlite3.WithMaxMemory(ctx, writerMaxMemory))
}

// checkpointInterval is how often the WAL is copied into the database.
// PASSIVE checkpoints take no lock that a writer or a reader waits for.
const checkpointInterval = 500 * time.Millisecond

func checkpointer(conn *sql.DB, walPath string, ceiling int64, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			// An error (busy, or the file gone in a test's cleanup) is
			// harmless: the next tick tries again.
			_, _ = conn.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
			// TRUNCATE waits (busy_timeout) for the writer and for readers
			// of older snapshots, then starts the WAL over: a pause that
			// only a bulk load's WAL ever grows large enough to cause.
			if fi, err := os.Stat(walPath); err == nil && fi.Size() > ceiling {
				_, _ = conn.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			}
		}
	}
}
