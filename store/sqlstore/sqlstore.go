// Package sqlstore implements the core store interfaces once, over
// database/sql, for every SQL dialect. A dialect package (store/sqlite,
// store/postgres) supplies the connection, its numbered migrations and its
// named queries as .sql files; the Go logic (transactions, ownership rules,
// error kinds) is written here once so that the two stores cannot drift.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stend"
	"stend/motivity"
)

// Dialect is what differs between SQL databases.
type Dialect struct {
	Name       string
	Migrations fs.FS // NNNN_name.sql, applied in order
	Queries    fs.FS // *.sql holding "-- name: X" sections
	// LockMigrations runs first in the migration transaction, so that nodes
	// starting together apply each migration once. Empty where the write
	// transaction itself is exclusive.
	LockMigrations string
	// TimeArg converts an instant to what the dialect stores.
	TimeArg func(time.Time) any
	// IsUniqueViolation recognizes the dialect's unique-constraint error.
	IsUniqueViolation func(error) bool
	// IsInvalidText, where the database refuses text that is not UTF-8 or
	// holds NUL, recognizes that refusal. The APIs reject such text at
	// their edges; this keeps one they missed from being an internal error.
	IsInvalidText func(error) bool
	// IsUnavailable recognizes errors that a retry later may not have: the
	// database unreachable, shutting down, or too busy.
	IsUnavailable func(error) bool
	// Listen, where the database can tell one node about another's
	// commits, calls signal after jobs are enqueued anywhere, until ctx
	// ends. Nil where one process owns the database.
	Listen func(ctx context.Context, pool *sql.DB, signal func())
	// ReadRows, where the driver reads a statement's rows for less than
	// database/sql lets it, runs query with args on driverConn (what
	// sql.Conn.Raw hands over) and calls row for each row until it answers
	// false or an error; driver.ErrBadConn, before any row, drops the
	// connection for another. Nil: database/sql reads them. pgx hands
	// database/sql every value boxed in an interface, a tenth of the node's
	// CPU under the person-search load (docs/benchmarks.md, issue 20's
	// nineteenth part); the searches' proceedings are read this way.
	ReadRows func(ctx context.Context, driverConn any, query string, args []any, row func(Columns) (more bool, err error)) error
	// GroupCommit runs concurrent write transactions as savepoints of one
	// transaction (see groupcommit.go); for single-writer databases.
	GroupCommit bool
	// BulkLoad and BulkLoadEnd are run on the write pool around a bulk
	// load (settings such as a larger page cache).
	BulkLoad, BulkLoadEnd []string
	// RecycleWriterAfterBulkLoad closes the writer's connection after a
	// bulk load, for a driver whose connections never give memory back
	// (SQLite in WebAssembly): the load's page cache and sorts would stay
	// with the serving node until it restarts. The next write opens a
	// fresh connection with the usual settings.
	RecycleWriterAfterBulkLoad bool
	// SequentialRead and SequentialReadEnd are run on a read connection
	// around a query that reads a large table once, in order (a report),
	// for a driver whose connections keep the memory their page cache
	// grew to (SQLite in WebAssembly): a small cache for such a read, which
	// would use each page once anyway, keeps a ten-million-row report from
	// growing a reader by its whole cache.
	SequentialRead, SequentialReadEnd []string
	// Analyze, where the planner chooses by statistics, refreshes them for
	// one table.
	Analyze func(table string) string
	// SnapshotIsolation is the level of the transaction that copies the
	// data into a snapshot: one state of every table.
	SnapshotIsolation sql.IsolationLevel
	// RestorePrelude runs first in a restore's transaction. Truncate, where
	// the database has a faster way than DELETE to empty large tables that
	// no foreign key names, is that statement (nil: DELETE).
	RestorePrelude []string
	Truncate       func(tables []string) string
	// LockForRestore, where writers run beside a restore, keeps them out
	// of the data tables (quoted) until it commits, readers still served;
	// RestoreRetry recognizes the errors after which the restore is tried
	// again (a deadlock with a writer).
	LockForRestore func(tables []string) []string
	RestoreRetry   func(error) bool
	// SnapshotSource says how a snapshot reads another stand: a prefix for
	// its tables and what to run on the connection around the copy.
	SnapshotSource func(stend.SnapshotSource) (SnapshotSourceSQL, error)
}

// SnapshotSourceSQL is how the copy of a snapshot names another stand.
type SnapshotSourceSQL struct {
	Prefix        string
	Before, After []string
}

// DB is a store over one database. Writes go through write, reads through
// read; they are the same pool on PostgreSQL and separate pools on SQLite,
// where only one writer may exist at a time.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect Dialect
	q       map[string]string

	// Prepared statements, per pool and query name. SQLite re-parses a
	// statement on every call otherwise, which was a quarter of the time of
	// a small report; pgx would cache them itself, so this only spares it a
	// lookup.
	stmtMu sync.Mutex
	stmts  map[stmtKey]*sql.Stmt

	lastNotify  atomic.Int64 // unix nanoseconds of this node's last job notification
	group       *committer
	writeGroups writeGroupCounts

	// One store per domain, each with the caches and batchers of its own
	// data; they share the pools, the statements and the group committer.
	fssp        *FSSP
	migrantExam *MigrantExam
	motivity    *Motivity
	reestro     *Reestro

	scratch      func(ctx context.Context) (Scratch, error)
	closed       atomic.Bool // set by Close: every later failure is Unavailable
	onClose      []func()
	jobWake      chan struct{}
	listenOnce   sync.Once
	listenCtx    context.Context
	stopListener context.CancelFunc
}

type stmtKey struct {
	pool *sql.DB
	name string
}

// New wraps open pools. It does not migrate; call Migrate.
func New(write, read *sql.DB, dialect Dialect) (*DB, error) {
	q, err := loadQueries(dialect.Queries)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %s queries: %w", dialect.Name, err)
	}
	if err := addBatchStatements(q); err != nil {
		return nil, fmt.Errorf("sqlstore: %s queries: %w", dialect.Name, err)
	}
	if err := addClaimVariants(q); err != nil {
		return nil, fmt.Errorf("sqlstore: %s queries: %w", dialect.Name, err)
	}
	if err := addNewestJournal(q); err != nil {
		return nil, fmt.Errorf("sqlstore: %s queries: %w", dialect.Name, err)
	}
	db := &DB{write: write, read: read, dialect: dialect, q: q, stmts: map[stmtKey]*sql.Stmt{}, jobWake: make(chan struct{}, 1)}
	db.listenCtx, db.stopListener = context.WithCancel(context.Background())
	db.fssp = &FSSP{DB: db}
	db.migrantExam = &MigrantExam{DB: db}
	db.motivity = &Motivity{DB: db, platform: recentReads[struct{}, motivity.Platform]{ttl: platformTTL},
		questDefinitions: recentReads[int64, motivity.QuestDefinition]{ttl: questDefinitionTTL}}
	db.reestro = &Reestro{DB: db}
	if dialect.GroupCommit {
		db.group = newCommitter(db)
	} else {
		db.motivity.points = newPointsBatcher(db.motivity)
		db.OnClose(db.motivity.points.close)
		if q["InsertEndedFSSPTasksWithResults"] != "" {
			db.fssp.endedTasks = newEndedTaskBatcher(db.fssp)
			db.OnClose(db.fssp.endedTasks.close)
		}
		if q["SubmitNewReports"] != "" {
			db.migrantExam.batcher = newReportBatcher(db.migrantExam)
			db.OnClose(db.migrantExam.batcher.close)
		}
	}
	return db, nil
}

// FSSP is the store of the FSSP data bank: tokens, tasks and the bank, with
// the node's cache of the bank's texts and bailiffs and, where transactions
// are not group-committed, the batcher of tasks answered at once.
type FSSP struct {
	*DB
	dicts        dictionaries
	endedTasks   *endedTaskBatcher
	endedStoring atomic.Int64 // tasks inside InsertEndedTask
}

// MigrantExam is the store of the migrant-exam intake, with, where
// transactions are not group-committed, the new reports' batcher.
type MigrantExam struct {
	*DB
	batcher    *reportBatcher
	submitting atomic.Int64 // reports inside SubmitReport
}

// ReportsBeingStored is how many reports are inside SubmitReport, for
// tests that hold the writer until reports wait together.
func (db *MigrantExam) ReportsBeingStored() int64 { return db.submitting.Load() }

// Motivity is the store of the Motivity platform, with the node's cache of
// its settings and, where transactions are not group-committed, the points
// batcher.
type Motivity struct {
	*DB
	platform        recentReads[struct{}, motivity.Platform]
	points          *pointsBatcher
	identifierCache identifierCache
	// questDefinitions: see QuestDefinition.
	questDefinitions recentReads[int64, motivity.QuestDefinition]
	// reportSlots: see reportSlot.
	reportSlots reportSlots
}

// Reestro is the store of Reestro checks, with the node's cache of listing
// positions.
type Reestro struct {
	*DB
	checkCursors cursorCache
}

// FSSP, MigrantExam, Motivity and Reestro are each domain's store.
func (db *DB) FSSP() *FSSP               { return db.fssp }
func (db *DB) MigrantExam() *MigrantExam { return db.migrantExam }
func (db *DB) Motivity() *Motivity       { return db.motivity }
func (db *DB) Reestro() *Reestro         { return db.reestro }

// Dialect names the database behind the store.
func (db *DB) Dialect() string { return db.dialect.Name }

// ReadDB exposes the read pool.
func (db *DB) ReadDB() *sql.DB { return db.read }

// WriteDB exposes the write pool, for its metrics.
func (db *DB) WriteDB() *sql.DB { return db.write }

// WriteGroups counts the writes that went to the database together: the
// committer's groups (SQLite) and the new reports' batches (PostgreSQL).
type WriteGroups struct {
	Groups, Members, Largest int64
}

type writeGroupCounts struct{ groups, members, largest atomic.Int64 }

func (c *writeGroupCounts) add(members int) {
	c.groups.Add(1)
	c.members.Add(int64(members))
	for {
		l := c.largest.Load()
		if int64(members) <= l || c.largest.CompareAndSwap(l, int64(members)) {
			return
		}
	}
}

// WriteGroups are the figures of the grouped writes so far, for tests.
func (db *DB) WriteGroups() WriteGroups {
	c := &db.writeGroups
	return WriteGroups{Groups: c.groups.Load(), Members: c.members.Load(), Largest: c.largest.Load()}
}

// WritePoolStats are the write pool's figures, for metrics and tests.
func (db *DB) WritePoolStats() sql.DBStats { return db.write.Stats() }

// Close closes both pools.
// OnClose registers fn to run when the store closes, before its pools do.
func (db *DB) OnClose(fn func()) { db.onClose = append(db.onClose, fn) }

func (db *DB) Close() error {
	db.closed.Store(true)
	for _, fn := range db.onClose {
		fn()
	}
	db.onClose = nil
	db.stopListener()
	if db.group != nil {
		db.group.close()
	}
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	clear(db.stmts)
	db.stmtMu.Unlock()
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return &stend.Error{Kind: stend.Unavailable, Op: "sqlstore.Ping", Err: err}
	}
	return nil
}

// query returns a named query; a missing name is a programming error caught
// by the store suite, so it panics.
func (db *DB) query(name string) string {
	q, ok := db.q[name]
	if !ok {
		panic("sqlstore: no query " + name + " in dialect " + db.dialect.Name)
	}
	return q
}

// readTx marks a transaction of the read pool.
type readTx struct{ *sql.Tx }

// prepare returns the named statement ready to run on on: a pool, a
// transaction of the write pool (*sql.Tx) or of the read pool (readTx).
func (db *DB) prepare(ctx context.Context, on any, name string) (*sql.Stmt, error) {
	var pool *sql.DB
	var tx *sql.Tx
	switch o := on.(type) {
	case *sql.DB:
		pool = o
	case *sql.Tx:
		pool, tx = db.write, o
	case readTx:
		pool, tx = db.read, o.Tx
	default:
		panic(fmt.Sprintf("sqlstore: cannot run a statement on %T", on))
	}
	inTx := tx != nil
	key := stmtKey{pool, name}
	db.stmtMu.Lock()
	st, ok := db.stmts[key]
	db.stmtMu.Unlock()
	if !ok && inTx {
		// The transaction may hold the pool's last free connection (the
		// SQLite write pool has only one), so preparing on the pool could
		// wait for ever. Statements used in
		// transactions are prepared by Migrate; this is the slow path for a
		// store that was never migrated in this process.
		return tx.PrepareContext(ctx, db.query(name))
	}
	if !ok {
		var err error
		if st, err = pool.PrepareContext(ctx, db.query(name)); err != nil {
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		db.stmtMu.Lock()
		if prev, raced := db.stmts[key]; raced {
			st.Close()
			st = prev
		} else {
			db.stmts[key] = st
		}
		db.stmtMu.Unlock()
	}
	if inTx {
		return tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

// errRow carries a preparation error to the caller's Scan.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type scanner interface{ Scan(...any) error }

func (db *DB) row(ctx context.Context, on any, name string, args ...any) scanner {
	st, err := db.prepare(ctx, on, name)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (db *DB) rows(ctx context.Context, on any, name string, args ...any) (*sql.Rows, error) {
	st, err := db.prepare(ctx, on, name)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// sequentialRows runs the named query on the read pool as rows does, for a
// read of a large table once, in order: on a connection of its own under
// the dialect's SequentialRead settings, which close (the rows, then
// SequentialReadEnd) gives back.
func (db *DB) sequentialRows(ctx context.Context, name string, args ...any) (rows *sql.Rows, close func(), err error) {
	if len(db.dialect.SequentialRead) == 0 {
		if rows, err = db.rows(ctx, db.read, name, args...); err != nil {
			return nil, nil, err
		}
		return rows, func() { rows.Close() }, nil
	}
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	end := func() {
		// Even when ctx is done (a client that hung up): the connection
		// goes back to the pool as it came.
		for _, stmt := range db.dialect.SequentialReadEnd {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), stmt); err != nil {
				// Left with the sequential settings, it would serve every
				// later read with them: dropped instead.
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
				break
			}
		}
		conn.Close()
	}
	for _, stmt := range db.dialect.SequentialRead {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			end()
			return nil, nil, err
		}
	}
	if rows, err = conn.QueryContext(ctx, db.query(name), args...); err != nil {
		end()
		return nil, nil, err
	}
	return rows, func() { rows.Close(); end() }, nil
}

// collect runs a named query on the read pool and scans every row.
func collect[T any](db *DB, ctx context.Context, op, name string, scan func(scanner) (T, error), args ...any) ([]T, error) {
	rows, err := db.rows(ctx, db.read, name, args...)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		out = append(out, v)
	}
	return out, db.dbErr(op, rows.Err())
}

func (db *DB) exec(ctx context.Context, on any, name string, args ...any) (sql.Result, error) {
	st, err := db.prepare(ctx, on, name)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// loadQueries reads every .sql file of fsys, subdirectories included: a
// domain whose sections grow keeps one file per section in a directory of
// its name (sql/motivity/points.sql).
func loadQueries(fsys fs.FS) (map[string]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sql") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string)
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		var name string
		var body strings.Builder
		flush := func() error {
			if name == "" {
				return nil
			}
			if _, dup := out[name]; dup {
				return fmt.Errorf("%s: query %s defined twice", f, name)
			}
			out[name] = strings.TrimSpace(body.String())
			if onlyComments(out[name]) {
				// A dialect that has nothing to do for a query says so in
				// a comment; callers skip empty queries.
				out[name] = ""
			}
			body.Reset()
			return nil
		}
		for line := range strings.Lines(string(b)) {
			if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
				if err := flush(); err != nil {
					return nil, err
				}
				name = strings.TrimSpace(n)
				continue
			}
			if name != "" {
				body.WriteString(line)
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func onlyComments(q string) bool {
	for line := range strings.Lines(q) {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}

// Migrate applies every migration not yet applied, in one transaction, and
// reports how many it applied.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	const op = "sqlstore.Migrate"
	names, err := fs.Glob(db.dialect.Migrations, "*.sql")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	sort.Strings(names)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("%s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if db.dialect.LockMigrations != "" {
		if _, err := tx.ExecContext(ctx, db.dialect.LockMigrations); err != nil {
			return 0, fmt.Errorf("%s: lock: %w", op, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("%s: schema_migrations: %w", op, err)
	}
	applied := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return 0, fmt.Errorf("%s: read applied: %w", op, err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, fmt.Errorf("%s: read applied: %w", op, err)
		}
		applied[v] = true
	}
	rows.Close()
	count := 0
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return 0, fmt.Errorf("%s: migration %s is not named NNNN_name.sql", op, name)
		}
		if applied[version] {
			continue
		}
		body, err := fs.ReadFile(db.dialect.Migrations, name)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", op, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return 0, fmt.Errorf("%s: apply %s: %w", op, name, err)
		}
		// Literal values: the statement is the same in both dialects only
		// without placeholders.
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')`, version, strings.ReplaceAll(name, "'", ""))); err != nil {
			return 0, fmt.Errorf("%s: record %s: %w", op, name, err)
		}
		count++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("%s: commit: %w", op, err)
	}
	// Now that the schema exists, prepare every statement on both pools
	// while no transaction holds a connection (see prepare).
	for name := range db.q {
		// DDL is run as it is, when needed: SQLite checks at preparation
		// that the objects it names do (not) exist. A template names its
		// table only when it is run.
		if db.q[name] == "" || strings.HasPrefix(name, "DDL") || strings.HasPrefix(name, "Template") {
			continue
		}
		for _, pool := range []*sql.DB{db.write, db.read} {
			if _, err := db.prepare(ctx, pool, name); err != nil {
				return count, fmt.Errorf("%s: %w", op, err)
			}
		}
	}
	return count, nil
}

// batchStatements names the one-row INSERTs that bulk writes repeat, and how
// many rows one statement carries: 100 rows of 7 values stay far below
// both databases' parameter limits and were as fast as 500 in
// benchmarks/sqlitedriver.
var batchStatements = map[string]int{
	"InsertReportRequest": 100,
	// 30 values a row: 3,000 parameters.
	"InsertProceeding":   100,
	"InsertLegalTrigram": 500,
	// 12 values a row; one row a statement, a generated history went into
	// PostgreSQL at 5,700 checks/s, a round trip each.
	"ImportReestroCheck": 100,
	// 12 values a row.
	"ImportGoal": 100,
	// 18 values a row: a batch of the journal's writer.
	"InsertJournalEntry": 64,
}

var placeholder = regexp.MustCompile(`([?$])(\d+)`)

// addBatchStatements derives "<name>*<n>" from each one-row INSERT by
// repeating its VALUES tuple n times with renumbered placeholders, so that
// the SQL is still written once, in the dialect's file.
func addBatchStatements(q map[string]string) error {
	for name, n := range batchStatements {
		one, ok := q[name]
		if !ok {
			continue // a dialect under test may define only some queries
		}
		at := strings.LastIndex(one, "VALUES")
		if at < 0 {
			return fmt.Errorf("query %s has no VALUES", name)
		}
		head, rest := one[:at+len("VALUES")], strings.TrimSuffix(strings.TrimSpace(one[at+len("VALUES"):]), ";")
		// The tuple ends at its closing parenthesis; what follows (ON
		// CONFLICT …) is written once, after the last tuple.
		end := strings.Index(rest, ")")
		if !strings.HasPrefix(rest, "(") || end < 0 {
			return fmt.Errorf("query %s: VALUES must be followed by one parenthesized tuple", name)
		}
		tuple, suffix := rest[:end+1], rest[end+1:]
		marks := placeholder.FindAllStringSubmatch(tuple, -1)
		arity := len(marks)
		for i, m := range marks {
			if m[2] != strconv.Itoa(i+1) {
				return fmt.Errorf("query %s: placeholders of the VALUES tuple must be numbered 1 to %d in order", name, arity)
			}
		}
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(placeholder.ReplaceAllStringFunc(tuple, func(p string) string {
				if p[0] == '?' {
					// Anonymous "?" binds by position; with numbered ones
					// modernc.org/sqlite looked each parameter's name up in
					// a list as long as the statement (quadratic over 700
					// values), and nothing is lost by avoiding them.
					return "?"
				}
				k, _ := strconv.Atoi(p[1:])
				return p[:1] + strconv.Itoa(k+i*arity)
			}))
		}
		b.WriteString(suffix)
		q[fmt.Sprintf("%s*%d", name, n)] = b.String()
	}
	return nil
}

// insertBatched inserts rows with the batched form of the one-row INSERT
// name, and the one-row form for the rest; args appends row i's values.
func (db *DB) insertBatched(ctx context.Context, tx *sql.Tx, name string, rows int, args func(i int, dst []any) []any) error {
	per := batchStatements[name]
	batched := fmt.Sprintf("%s*%d", name, per)
	buf := make([]any, 0, 7*per)
	i := 0
	for ; i+per <= rows; i += per {
		buf = buf[:0]
		for r := i; r < i+per; r++ {
			buf = args(r, buf)
		}
		if _, err := db.exec(ctx, tx, batched, buf...); err != nil {
			return err
		}
	}
	for ; i < rows; i++ {
		if _, err := db.exec(ctx, tx, name, args(i, buf[:0])...); err != nil {
			return err
		}
	}
	return nil
}

// inTx runs fn in a write transaction and commits when fn returns nil.
// fn must run its statements with the context it is given: in a group
// commit that is not the caller's (see groupcommit.go).
func (db *DB) inTx(ctx context.Context, fn txFunc) error {
	if db.group != nil {
		return db.group.run(ctx, fn)
	}
	return db.plainTx(ctx, fn)
}

type txFunc func(ctx context.Context, tx *sql.Tx) error

// plainTx is one write transaction of its own.
func (db *DB) plainTx(ctx context.Context, fn txFunc) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		// A panic in fn must not leave the transaction, and its
		// connection, open for ever.
		if v := recover(); v != nil {
			// Asynchronously: a panic from inside the driver (SQLite out of
			// memory) can leave database/sql's lock on the transaction
			// held, and Rollback would wait for it for ever.
			go func() { _ = tx.Rollback() }()
			panic(v)
		}
	}()
	if err := fn(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// dbErr classifies an error of the database/sql layer: a missing row becomes
// NotFound, a unique violation Conflict, text the database cannot hold
// Invalid, a database that cannot answer now Unavailable; a cancelled
// context and errors already classified pass through; the rest is Internal.
func (db *DB) dbErr(op string, err error) error {
	var kinded interface{ ErrorKind() stend.Kind }
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return &stend.Error{Kind: stend.NotFound, Op: op, Err: err}
	case db.dialect.IsUniqueViolation(err):
		return &stend.Error{Kind: stend.Conflict, Op: op, Err: err}
	case db.dialect.IsInvalidText != nil && db.dialect.IsInvalidText(err):
		return &stend.Error{Kind: stend.Invalid, Op: op, Message: "text that is not UTF-8 or holds NUL", Err: err}
	case errors.As(err, &kinded), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", op, err)
	case db.closed.Load(), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone), errors.Is(err, errStoreClosed),
		db.dialect.IsUnavailable != nil && db.dialect.IsUnavailable(err):
		return &stend.Error{Kind: stend.Unavailable, Op: op, Err: err}
	}
	return &stend.Error{Kind: stend.Internal, Op: op, Err: err}
}

// stamp is the instant a write records: always the caller's "now",
// decided at the edge (the store reads no clock, so that the stand's clock
// can be moved as a whole), kept to the microsecond both databases hold.
func stamp(op string, t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, stend.Errorf(stend.Internal, op, "no time given: the caller decides what now is")
	}
	return t.UTC().Truncate(time.Microsecond), nil
}

// timeValue scans an instant stored either as unix microseconds (SQLite) or
// as a native timestamp (PostgreSQL).
type timeValue struct{ t *time.Time }

func (v timeValue) Scan(src any) error {
	switch s := src.(type) {
	case int64:
		*v.t = time.UnixMicro(s).UTC()
	case time.Time:
		*v.t = s.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into time", src)
	}
	return nil
}

// dateValue scans a calendar day stored as 'YYYY-MM-DD' text or a native
// date, into a *stend.Date or, for nullable columns, a **stend.Date.
type dateValue struct {
	d  *stend.Date
	pd **stend.Date
}

func (v dateValue) Scan(src any) error {
	var d stend.Date
	switch s := src.(type) {
	case nil:
		if v.pd != nil {
			*v.pd = nil
			return nil
		}
		return errors.New("sqlstore: NULL date in a NOT NULL column")
	case string:
		var ok bool
		if d, ok = stend.ParseDate(s); !ok {
			return fmt.Errorf("sqlstore: bad stored date %q", s)
		}
	case []byte:
		var ok bool
		if d, ok = stend.ParseDate(string(s)); !ok {
			return fmt.Errorf("sqlstore: bad stored date %q", s)
		}
	case time.Time:
		d = stend.Date{Year: s.Year(), Month: s.Month(), Day: s.Day()}
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into date", src)
	}
	if v.pd != nil {
		*v.pd = &d
	} else {
		*v.d = d
	}
	return nil
}

func dateArg(d *stend.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

func boolArg(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

func nullBool(b sql.NullBool) *bool {
	if !b.Valid {
		return nil
	}
	v := b.Bool
	return &v
}

func eachRow(ctx context.Context, db *DB, on any, name string, fn func(scanner) error, args ...any) error {
	rows, err := db.rows(ctx, on, name, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func jsonArg(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// timePtr is a nullTime as an optional instant.
func timePtr(n nullTime) *time.Time {
	if n.t.IsZero() {
		return nil
	}
	t := n.t
	return &t
}

// recycleWriter closes the writer's connection once it is free (a write
// in flight finishes first); the pool opens a fresh one, with the
// settings of its connection string, for the next write.
func (db *DB) recycleWriter(ctx context.Context) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return
	}
	// ErrBadConn from Raw makes database/sql discard the connection.
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}
