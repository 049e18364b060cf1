package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"stend"
)

var _ stend.SnapshotStore = (*DB)(nil)

// notSnapshotted are the tables a snapshot leaves out: the store's own
// bookkeeping, the deployment's key, what records and steers a test (the
// journal, the clock), the nodes' locks, and the snapshots themselves. Every other table is
// data, found in the catalog, so that a table a later migration adds is
// in snapshots without a word here.
var notSnapshotted = map[string]bool{
	"schema_migrations":    true,
	"credential_keying":    true,
	"journal":              true,
	"stand_clock":          true,
	"faults_version":       true, // moved on restore instead, so nodes read the restored rules
	"stand_state":          true,
	"stand_snapshots":      true,
	"stand_snapshot_blobs": true,
	// Locks held by live nodes (tus uploads): a restore must not bring
	// back one its holder no longer knows of, nor drop one it holds.
	"leases": true,
}

// bankTables hold the FSSP bank, the largest tables by far (10 million
// proceedings in a full bank), written only by bank loads, each of which
// names the content with a new version (stand_bank): a restore leaves them be when
// the snapshot's bank is the one held.
var bankTables = map[string]bool{
	"fssp_proceedings":    true,
	"fssp_texts":          true,
	"fssp_bailiffs":       true,
	"fssp_departments":    true,
	"fssp_legal":          true,
	"fssp_legal_trigrams": true,
}

// newBankVersion names the bank's content after a load changed it.
func newBankVersion() string { return stend.RandomHex(12) }

// snapshotPrefix is the prefix of the tables snapshots are kept in.
const snapshotPrefix = "snap_"

// SnapshotNameMax bounds a snapshot's name; names are the operators'.
const SnapshotNameMax = 100

func snapshotTable(id int64, table string) string {
	return fmt.Sprintf("%s%d_%s", snapshotPrefix, id, table)
}

// unkeyedParents are references no foreign key declares (PostgreSQL's
// migration 0026 dropped a task's key to its token for the searches'
// speed), child to parents. A restore locks the tables parents first, and
// that order must stay the one searches take them in (a token, then its
// task): with fssp_tasks locked before fssp_tokens, restores under search
// load deadlocked (TestRestoreUnderSearchLoad).
var unkeyedParents = map[string][]string{
	"fssp_tasks": {"fssp_tokens"},
}

// quoteIdent quotes a table name the catalog gave, for the statements made
// here: the copies name tables that only the catalog knows.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// dataTables are the tables a snapshot holds, parents before the tables
// whose foreign keys name them, so that rows can be put back in order.
func (db *DB) dataTables(ctx context.Context, q any) ([]string, error) {
	var all []string
	err := eachRow(ctx, db, q, "StandTables", func(row scanner) error {
		var t string
		if err := row.Scan(&t); err != nil {
			return err
		}
		if !notSnapshotted[t] {
			all = append(all, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	parents := map[string][]string{}
	err = eachRow(ctx, db, q, "StandForeignKeys", func(row scanner) error {
		var child, parent string
		if err := row.Scan(&child, &parent); err != nil {
			return err
		}
		if child != parent {
			parents[child] = append(parents[child], parent)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// A parent named twice is placed once.
	for child, ps := range unkeyedParents {
		parents[child] = append(parents[child], ps...)
	}
	ordered := make([]string, 0, len(all))
	placed := map[string]bool{}
	var place func(t string, path []string) error
	place = func(t string, path []string) error {
		if placed[t] {
			return nil
		}
		if slices.Contains(path, t) {
			return fmt.Errorf("foreign keys form a cycle: %s", strings.Join(append(path, t), " → "))
		}
		for _, p := range parents[t] {
			if slices.Contains(all, p) {
				if err := place(p, append(path, t)); err != nil {
					return err
				}
			}
		}
		placed[t] = true
		ordered = append(ordered, t)
		return nil
	}
	for _, t := range all {
		if err := place(t, nil); err != nil {
			return nil, err
		}
	}
	return ordered, nil
}

// snapshotRow is a snapshot as its row keeps it.
type snapshotRow struct {
	id            int64
	snap          stend.Snapshot
	schemaVersion int
	tables        []string
	bankVersion   string
}

func scanSnapshot(row scanner) (snapshotRow, error) {
	var s snapshotRow
	var tables string
	if err := row.Scan(&s.id, &s.snap.Name, timeValue{&s.snap.TakenAt}, &s.schemaVersion, &tables, &s.snap.Rows, &s.snap.Digest, &s.bankVersion); err != nil {
		return s, err
	}
	if err := json.Unmarshal([]byte(tables), &s.tables); err != nil {
		return s, fmt.Errorf("snapshot %q: tables: %w", s.snap.Name, err)
	}
	s.snap.Tables = len(s.tables)
	return s, nil
}

func snapshotNotFound(op, name string) error {
	return &stend.Error{Kind: stend.NotFound, Op: op, Message: fmt.Sprintf("no snapshot named %q", name)}
}

// adminTx runs fn in a transaction of its own on one connection of the
// writer, never a group commit's savepoint: snapshots create and drop
// tables and copy whole ones, which must not ride in, or hold up, the
// commits of requests. before and after run on the connection around it
// (SQLite's ATTACH cannot run inside a transaction).
func (db *DB) adminTx(ctx context.Context, opts *sql.TxOptions, before, after []string, fn txFunc) (err error) {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, s := range before {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	defer func() {
		for _, s := range after {
			if _, aerr := conn.ExecContext(context.WithoutCancel(ctx), s); aerr != nil && err == nil {
				err = aerr
			}
		}
	}()
	tx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// TakeSnapshot copies every data table into tables of the snapshot, in
// one transaction that sees one state of the data (PostgreSQL: repeatable
// read; SQLite: the one writer). A snapshot of the same name is replaced
// in the same transaction.
func (db *DB) TakeSnapshot(ctx context.Context, name string, at time.Time, digest string, from stend.SnapshotSource) (stend.Snapshot, error) {
	const op = "sqlstore.TakeSnapshot"
	if err := checkSnapshotName(op, name); err != nil {
		return stend.Snapshot{}, err
	}
	at, err := stamp(op, at)
	if err != nil {
		return stend.Snapshot{}, err
	}
	src, err := db.dialect.SnapshotSource(from)
	if err != nil {
		return stend.Snapshot{}, &stend.Error{Kind: stend.Invalid, Op: op, Err: err}
	}
	var out stend.Snapshot
	err = db.adminTx(ctx, &sql.TxOptions{Isolation: db.dialect.SnapshotIsolation}, src.Before, src.After, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.execIfAny(ctx, tx, "LockSnapshots"); err != nil {
			return err
		}
		if old, err := scanSnapshot(db.row(ctx, tx, "FindSnapshot", name)); err == nil {
			if err := db.dropSnapshot(ctx, tx, old); err != nil {
				return err
			}
		} else if err != sql.ErrNoRows {
			return err
		}
		var version int
		if err := db.row(ctx, tx, "SchemaVersion").Scan(&version); err != nil {
			return err
		}
		if src.Prefix != "" {
			// The source must be a stand of this very schema: its rows
			// are put back into these tables column by column.
			var theirs int
			q := strings.Replace(db.query("SchemaVersion"), "schema_migrations", src.Prefix+"schema_migrations", 1)
			if err := tx.QueryRowContext(ctx, q).Scan(&theirs); err != nil {
				return err
			}
			if theirs != version {
				return stend.Errorf(stend.Internal, op, "the source is at schema version %d, the stand at %d", theirs, version)
			}
		}
		var bank string
		if err := tx.QueryRowContext(ctx, strings.ReplaceAll(db.query("TemplateBankVersion"), "{from}", src.Prefix)).Scan(&bank); err != nil {
			return err
		}
		var id int64
		if err := db.row(ctx, tx, "InsertSnapshot", name, db.dialect.TimeArg(at), version, digest, bank).Scan(&id); err != nil {
			return err
		}
		tables, err := db.dataTables(ctx, tx)
		if err != nil {
			return err
		}
		var rows int64
		for _, t := range tables {
			copyTo := quoteIdent(snapshotTable(id, t))
			if _, err := tx.ExecContext(ctx, "CREATE TABLE "+copyTo+" AS SELECT * FROM "+src.Prefix+quoteIdent(t)); err != nil {
				return fmt.Errorf("copy %s: %w", t, err)
			}
			// Counted: SQLite reports for CREATE TABLE AS the rows of an
			// earlier statement.
			var n int64
			if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+copyTo).Scan(&n); err != nil {
				return err
			}
			rows += n
			if t == "jobs" {
				if _, err := tx.ExecContext(ctx, strings.ReplaceAll(db.query("TemplateReleaseSnapshotJobs"), "{table}", copyTo)); err != nil {
					return fmt.Errorf("jobs: %w", err)
				}
			}
		}
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(db.query("TemplateInsertSnapshotBlobs"), "{from}", src.Prefix), id); err != nil {
			return fmt.Errorf("blobs: %w", err)
		}
		list, _ := json.Marshal(tables)
		if _, err := db.exec(ctx, tx, "FinishSnapshot", id, string(list), rows); err != nil {
			return err
		}
		out = stend.Snapshot{Name: name, TakenAt: at, Tables: len(tables), Rows: rows, Digest: digest}
		return nil
	})
	if err != nil {
		return stend.Snapshot{}, db.dbErr(op, err)
	}
	return out, nil
}

func checkSnapshotName(op, name string) error {
	if name == "" || len(name) > SnapshotNameMax {
		return &stend.Error{Kind: stend.Invalid, Op: op, Message: fmt.Sprintf("a snapshot's name is 1 to %d bytes", SnapshotNameMax)}
	}
	return nil
}

// dropSnapshot removes a snapshot's tables, row and blob references, in
// the caller's transaction.
func (db *DB) dropSnapshot(ctx context.Context, tx *sql.Tx, s snapshotRow) error {
	for _, t := range s.tables {
		if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS "+quoteIdent(snapshotTable(s.id, t))); err != nil {
			return err
		}
	}
	if _, err := db.exec(ctx, tx, "DeleteSnapshotBlobs", s.id); err != nil {
		return err
	}
	_, err := db.exec(ctx, tx, "DeleteSnapshotRow", s.id)
	return err
}

// RestoreSnapshot replaces every data table's rows with the snapshot's in
// one transaction: clients see the state before or after, never between.
// The job queue comes back as it was (jobs running then run again); the
// fault rules too, and their version moves so that every node reads them.
func (db *DB) RestoreSnapshot(ctx context.Context, name string) (stend.Snapshot, int64, error) {
	const op = "sqlstore.RestoreSnapshot"
	var (
		found      snapshotRow
		generation int64
	)
	restore := func(ctx context.Context, tx *sql.Tx) error {
		if err := db.execIfAny(ctx, tx, "LockSnapshots"); err != nil {
			return err
		}
		var err error
		if found, err = scanSnapshot(db.row(ctx, tx, "FindSnapshot", name)); err == sql.ErrNoRows {
			return snapshotNotFound(op, name)
		} else if err != nil {
			return err
		}
		var version int
		if err := db.row(ctx, tx, "SchemaVersion").Scan(&version); err != nil {
			return err
		}
		if version != found.schemaVersion {
			return &stend.Error{Kind: stend.Conflict, Op: op, Message: fmt.Sprintf(
				"snapshot %q was taken at schema version %d, the stand is at %d: take it again", name, found.schemaVersion, version)}
		}
		tables, err := db.dataTables(ctx, tx)
		if err != nil {
			return err
		}
		if !slices.Equal(sorted(tables), sorted(found.tables)) {
			return &stend.Error{Kind: stend.Conflict, Op: op, Message: fmt.Sprintf("snapshot %q holds other tables than the stand: take it again", name)}
		}
		if db.dialect.LockForRestore != nil {
			quoted := make([]string, len(tables))
			for i, t := range tables {
				quoted[i] = quoteIdent(t)
			}
			for _, s := range db.dialect.LockForRestore(quoted) {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
		}
		var bank string
		if err := tx.QueryRowContext(ctx, strings.ReplaceAll(db.query("TemplateBankVersion"), "{from}", "")).Scan(&bank); err != nil {
			return err
		}
		replaceBank := bank != found.bankVersion
		if !replaceBank {
			tables = slices.DeleteFunc(tables, func(t string) bool { return bankTables[t] })
		} else if _, err := db.exec(ctx, tx, "SetBankVersion", found.bankVersion); err != nil {
			return err
		}
		for _, s := range db.dialect.RestorePrelude {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		if replaceBank {
			if err := db.dropBankIndexes(ctx, tx); err != nil {
				return err
			}
		}
		// The bank's tables, which no foreign key names, emptied at once
		// where the database can.
		emptied := map[string]bool{}
		if replaceBank && db.dialect.Truncate != nil {
			var bank []string
			for _, t := range tables {
				if bankTables[t] {
					bank, emptied[t] = append(bank, quoteIdent(t)), true
				}
			}
			if _, err := tx.ExecContext(ctx, db.dialect.Truncate(bank)); err != nil {
				return fmt.Errorf("empty the bank: %w", err)
			}
		}
		// Children first, so that no foreign key is ever broken. DELETE, not
		// PostgreSQL's TRUNCATE: that makes every table's files anew, which
		// took most of a restore of the demo stand.
		for _, t := range slices.Backward(tables) {
			if emptied[t] {
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+quoteIdent(t)); err != nil {
				return fmt.Errorf("empty %s: %w", t, err)
			}
		}
		for _, t := range tables {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+quoteIdent(t)+" SELECT * FROM "+quoteIdent(snapshotTable(found.id, t))); err != nil {
				return fmt.Errorf("put back %s: %w", t, err)
			}
		}
		if replaceBank {
			if err := db.createBankIndexes(ctx, tx); err != nil {
				return err
			}
		}
		if err := db.continueIdentities(ctx, tx); err != nil {
			return err
		}
		if _, err := db.exec(ctx, tx, "BumpFaultsVersion"); err != nil {
			return err
		}
		return db.row(ctx, tx, "NextStandGeneration").Scan(&generation)
	}
	var err error
	for try := 1; ; try++ {
		err = db.adminTx(ctx, nil, nil, nil, restore)
		if err == nil || try == restoreTries || db.dialect.RestoreRetry == nil || !db.dialect.RestoreRetry(err) {
			break
		}
	}
	if err != nil {
		return stend.Snapshot{}, 0, db.dbErr(op, err)
	}
	return found.snap, generation, nil
}

// restoreTries bounds the tries of a restore that deadlocked with writers.
const restoreTries = 5

// continueIdentities moves each identity's sequence past the keys a
// restore put back, where the database does not (PostgreSQL).
func (db *DB) continueIdentities(ctx context.Context, tx *sql.Tx) error {
	type identity struct{ table, column, sequence string }
	var ids []identity
	err := eachRow(ctx, db, tx, "StandIdentityColumns", func(row scanner) error {
		var i identity
		if err := row.Scan(&i.table, &i.column, &i.sequence); err != nil {
			return err
		}
		if i.sequence != "" && !notSnapshotted[i.table] {
			ids = append(ids, i)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, i := range ids {
		// Never back: a key handed out before the restore stays unused. A
		// sequence never used has last_value at its start, not yet called:
		// hence >=.
		q := fmt.Sprintf("SELECT setval($1, m) FROM (SELECT max(%s) AS m FROM %s) x WHERE m >= (SELECT last_value FROM %s)",
			quoteIdent(i.column), quoteIdent(i.table), i.sequence)
		if _, err := tx.ExecContext(ctx, q, i.sequence); err != nil {
			return fmt.Errorf("sequence of %s: %w", i.table, err)
		}
	}
	return nil
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// FindSnapshot answers one snapshot by name.
func (db *DB) FindSnapshot(ctx context.Context, name string) (stend.Snapshot, error) {
	s, err := scanSnapshot(db.row(ctx, db.read, "FindSnapshot", name))
	if err == sql.ErrNoRows {
		return stend.Snapshot{}, snapshotNotFound("sqlstore.FindSnapshot", name)
	}
	return s.snap, db.dbErr("sqlstore.FindSnapshot", err)
}

// Snapshots answers every snapshot, by name.
func (db *DB) Snapshots(ctx context.Context) ([]stend.Snapshot, error) {
	all, err := collect(db, ctx, "sqlstore.Snapshots", "Snapshots", func(row scanner) (stend.Snapshot, error) {
		s, err := scanSnapshot(row)
		return s.snap, err
	})
	if all == nil {
		all = []stend.Snapshot{}
	}
	return all, err
}

// DeleteSnapshot drops a snapshot; the blobs only it named are removed by
// the file sweep.
func (db *DB) DeleteSnapshot(ctx context.Context, name string) error {
	const op = "sqlstore.DeleteSnapshot"
	err := db.adminTx(ctx, nil, nil, nil, func(ctx context.Context, tx *sql.Tx) error {
		if err := db.execIfAny(ctx, tx, "LockSnapshots"); err != nil {
			return err
		}
		s, err := scanSnapshot(db.row(ctx, tx, "FindSnapshot", name))
		if err == sql.ErrNoRows {
			return snapshotNotFound(op, name)
		} else if err != nil {
			return err
		}
		return db.dropSnapshot(ctx, tx, s)
	})
	return db.dbErr(op, err)
}

// StandState reads what nodes follow.
func (db *DB) StandState(ctx context.Context) (stend.StandState, error) {
	var st stend.StandState
	var until int64
	if err := db.row(ctx, db.read, "StandState").Scan(&st.Generation, &until); err != nil {
		return st, db.dbErr("sqlstore.StandState", err)
	}
	if until > 0 {
		st.QuiescedUntil = time.UnixMilli(until)
	}
	return st, nil
}

// QuiesceStand stops every node from claiming jobs until until, for the
// restore owner; it renews a pause of the same owner.
func (db *DB) QuiesceStand(ctx context.Context, until time.Time, owner string) error {
	return db.dbErr("sqlstore.QuiesceStand", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "QuiesceStand", until.UnixMilli(), owner)
		return err
	}))
}

// EndQuiesce ends the pause of owner; a pause another restore set since
// (after owner's lapsed) stays.
func (db *DB) EndQuiesce(ctx context.Context, owner string) error {
	return db.dbErr("sqlstore.EndQuiesce", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "EndQuiesce", owner)
		return err
	}))
}

// quiescedForClaim tells, inside a claim's transaction, whether a restore
// holds the jobs at now (the claim's time on the stand's clock): on
// PostgreSQL it shares the state's row, so that a pause set meanwhile
// waits for the claim and then sees what it claimed.
func (db *DB) quiescedForClaim(ctx context.Context, tx *sql.Tx, now time.Time) (bool, error) {
	var until int64
	if err := db.row(ctx, tx, "StandQuiescedForClaim").Scan(&until); err != nil {
		return false, err
	}
	return until > now.UnixMilli(), nil
}

// execIfAny runs a named statement that a dialect may leave empty.
func (db *DB) execIfAny(ctx context.Context, tx *sql.Tx, name string) error {
	if db.query(name) == "" {
		return nil
	}
	_, err := db.exec(ctx, tx, name)
	return err
}

// RunningJobs counts the jobs leased past now.
func (db *DB) RunningJobs(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.row(ctx, db.read, "RunningJobs", db.dialect.TimeArg(now)).Scan(&n)
	return n, db.dbErr("sqlstore.RunningJobs", err)
}

// Scratch is an empty stand apart from this one, of the same schema, for a
// reset to build its seed's state in: Source names it to TakeSnapshot;
// Remove closes and deletes it.
type Scratch struct {
	DB     *DB
	Source stend.SnapshotSource
	Remove func()
}

// SetScratch gives the store the way its dialect opens a scratch stand
// (store/sqlite, store/postgres), which only Open knows.
func (db *DB) SetScratch(open func(ctx context.Context) (Scratch, error)) { db.scratch = open }

// OpenScratch opens an empty, migrated stand apart from this one.
func (db *DB) OpenScratch(ctx context.Context) (Scratch, error) {
	if db.scratch == nil {
		return Scratch{}, stend.Errorf(stend.Invalid, "sqlstore.OpenScratch", "this store cannot open a stand apart")
	}
	sc, err := db.scratch(ctx)
	if err != nil {
		return Scratch{}, err
	}
	if _, err := sc.DB.Migrate(ctx); err != nil {
		sc.Remove()
		return Scratch{}, err
	}
	return sc, nil
}

// ForgetCaches empties what this node cached of the data, after a restore
// replaced it (here, or on another node: the generation tells).
func (db *DB) ForgetCaches() {
	d := &db.fssp.dicts
	d.mu.Lock()
	d.texts, d.bailiffs, d.departments = nil, nil, nil
	d.mu.Unlock()
	m := db.motivity
	m.platform.forget()
	m.identifierCache.mu.Lock()
	m.identifierCache.names = nil
	m.identifierCache.mu.Unlock()
	m.questDefinitions.forget()
	c := &db.reestro.checkCursors
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
