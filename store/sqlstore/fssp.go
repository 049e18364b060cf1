package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"
	"time"

	"stend"
	"stend/fssp"
)

var _ fssp.Store = (*FSSP)(nil)

func (db *FSSP) CreateToken(ctx context.Context, t fssp.Token) (fssp.Token, error) {
	const op = "sqlstore.CreateToken"
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.row(ctx, tx, "InsertFSSPToken", t.Name, t.Hash, db.dialect.TimeArg(t.IssuedAt), db.dialect.TimeArg(t.ExpiresAt),
			t.Limits.SinglePerHour, t.Limits.SinglePerDay, t.Limits.GroupPerDay).Scan(&t.ID)
	})
	if err != nil {
		return fssp.Token{}, db.dbErr(op, err)
	}
	return t, nil
}

func scanFSSPToken(s scanner) (fssp.Token, error) {
	var t fssp.Token
	var revoked nullTime
	err := s.Scan(&t.ID, &t.Name, &t.Hash, timeValue{&t.IssuedAt}, timeValue{&t.ExpiresAt}, &revoked,
		&t.Limits.SinglePerHour, &t.Limits.SinglePerDay, &t.Limits.GroupPerDay)
	t.RevokedAt = revoked.ptr()
	return t, err
}

func (db *FSSP) TokenByHash(ctx context.Context, hash []byte) (fssp.Token, error) {
	t, err := scanFSSPToken(db.row(ctx, db.read, "FSSPTokenByHash", hash))
	if err != nil {
		return fssp.Token{}, db.dbErr("sqlstore.TokenByHash", err)
	}
	return t, nil
}

func (db *FSSP) Token(ctx context.Context, id int64) (fssp.Token, error) {
	t, err := scanFSSPToken(db.row(ctx, db.read, "FSSPTokenByID", id))
	if err != nil {
		return fssp.Token{}, db.dbErr("sqlstore.Token", err)
	}
	return t, nil
}

func (db *FSSP) Tokens(ctx context.Context) ([]fssp.Token, error) {
	return collect(db.DB, ctx, "sqlstore.Tokens", "FSSPTokens", scanFSSPToken)
}

func (db *FSSP) RevokeToken(ctx context.Context, id int64, at time.Time) error {
	const op = "sqlstore.RevokeToken"
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, "RevokeFSSPToken", id, db.dialect.TimeArg(at))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return db.dbErr(op, err)
	}
	if n == 0 {
		return stend.Errorf(stend.NotFound, op, "no token %d", id)
	}
	return nil
}

// InTx runs fn in one write transaction of the FSSP store.
func (db *FSSP) InTx(ctx context.Context, fn func(ctx context.Context, tx fssp.Tx) error) error {
	return db.update(ctx, "sqlstore.FSSP.InTx", func(ctx context.Context, t *tx) error {
		return fn(ctx, fsspTx{t, db})
	})
}

type fsspTx struct {
	*tx
	db *FSSP
}

// CountRate is the rate-limit count: it runs in the submitting
// transaction, under the token's row lock on PostgreSQL and the single
// writer on SQLite, so that concurrent submissions on any node count each
// other exactly.
func (t fsspTx) CountRate(ctx context.Context, tokenID int64, windows []fssp.RateWindow, now time.Time) ([]fssp.RateCount, error) {
	db := t.db
	if len(windows) == 0 {
		return nil, nil
	}
	var id int64
	if err := db.row(ctx, t.sql, "LockFSSPToken", tokenID).Scan(&id); err != nil {
		return nil, err
	}
	counts := make([]fssp.RateCount, 0, len(windows))
	for _, w := range windows {
		since := now.Add(-w.Span)
		c := fssp.RateCount{Window: w, FreesAt: now.Add(w.Span)}
		if err := db.row(ctx, t.sql, "CountFSSPTasks", tokenID, int(w.Class), db.dialect.TimeArg(since)).Scan(&c.Used); err != nil {
			return nil, err
		}
		if c.Used > 0 {
			// The submission that leaves the window first frees a place:
			// when over the limit, the one that brings the count below it.
			offset := max(c.Used-w.Limit, 0)
			var oldest time.Time
			if err := db.row(ctx, t.sql, "NthFSSPTaskTime", tokenID, int(w.Class), db.dialect.TimeArg(since), offset).Scan(timeValue{&oldest}); err != nil {
				return nil, err
			}
			c.FreesAt = oldest.Add(w.Span)
		}
		counts = append(counts, c)
	}
	return counts, nil
}

func (t fsspTx) InsertTask(ctx context.Context, task fssp.Task, jobID int64) error {
	requests, err := json.Marshal(task.Requests)
	if err != nil {
		return err
	}
	_, err = t.db.exec(ctx, t.sql, "InsertFSSPTask", task.ID, task.TokenID, int(task.Class), requests, len(task.Requests), t.db.dialect.TimeArg(task.CreatedAt), jobID)
	return err
}

func (t fsspTx) InsertEndedTask(ctx context.Context, task fssp.Task, result fssp.SubResult) error {
	args, err := t.db.endedTaskArgs(task)
	if err != nil {
		return err
	}
	if _, err := t.db.exec(ctx, t.sql, "InsertEndedFSSPTask", args...); err != nil {
		return err
	}
	_, err = t.db.exec(ctx, t.sql, "InsertFSSPSubResult", task.ID, result.Index, result.Failed, result.Body)
	return err
}

// InsertEndedTask stores a task that ended as it was submitted, with its
// result, when no limit is counted: one statement on PostgreSQL, with the
// tasks other requests of the node store at the same time (fssp_batch.go);
// one transaction on SQLite, group-committed.
func (db *FSSP) InsertEndedTask(ctx context.Context, task fssp.Task, result fssp.SubResult) error {
	const op = "sqlstore.InsertEndedTask"
	db.endedStoring.Add(1)
	defer db.endedStoring.Add(-1)
	if db.q["InsertEndedFSSPTaskWithResult"] == "" {
		return db.InTx(ctx, func(ctx context.Context, tx fssp.Tx) error { return tx.InsertEndedTask(ctx, task, result) })
	}
	requests, err := endedTaskRequests(task)
	if err != nil {
		return db.dbErr(op, err)
	}
	if db.endedTasks != nil {
		return db.dbErr(op, db.endedTasks.do(ctx, &endedTaskCall{task: task, requests: requests, result: result}))
	}
	return db.dbErr(op, db.insertEndedTask(ctx, task, requests, result))
}

// EndedTasksBeingStored is how many tasks are inside InsertEndedTask, for
// tests that hold the writer until tasks wait together.
func (db *FSSP) EndedTasksBeingStored() int64 { return db.endedStoring.Load() }

func (db *FSSP) insertEndedTask(ctx context.Context, task fssp.Task, requests []byte, result fssp.SubResult) error {
	_, err := db.exec(ctx, db.write, "InsertEndedFSSPTaskWithResult",
		append(db.endedTaskRow(task, requests), result.Index, result.Failed, result.Body)...)
	return err
}

func (db *FSSP) endedTaskArgs(task fssp.Task) ([]any, error) {
	requests, err := endedTaskRequests(task)
	if err != nil {
		return nil, err
	}
	return db.endedTaskRow(task, requests), nil
}

// endedTaskRequests checks that task ended and encodes its requests.
func endedTaskRequests(task fssp.Task) ([]byte, error) {
	if task.StartedAt == nil || task.FinishedAt == nil {
		return nil, fmt.Errorf("task %s ended without its start and end", task.ID)
	}
	return json.Marshal(task.Requests)
}

func (db *FSSP) endedTaskRow(task fssp.Task, requests []byte) []any {
	d := db.dialect
	return []any{task.ID, task.TokenID, int(task.Class), requests, task.State, task.Done, task.Failed,
		d.TimeArg(task.CreatedAt), d.TimeArg(*task.StartedAt), d.TimeArg(*task.FinishedAt)}
}

// scanTaskColumns scans a task's row, whose fourth column (its requests,
// or only their number) goes to fourth.
func scanTaskColumns(s scanner, fourth any) (fssp.Task, error) {
	var t fssp.Task
	var class int
	var started, finished nullTime
	err := s.Scan(&t.ID, &t.TokenID, &class, fourth, &t.State, &t.Done, &t.Failed, timeValue{&t.CreatedAt}, &started, &finished)
	t.StartedAt, t.FinishedAt = started.ptr(), finished.ptr()
	t.Class = fssp.TaskClass(class)
	return t, err
}

func scanFSSPTask(s scanner) (fssp.Task, error) {
	var requests []byte
	t, err := scanTaskColumns(s, &requests)
	if err != nil {
		return t, err
	}
	if err := json.Unmarshal(requests, &t.Requests); err != nil {
		return t, fmt.Errorf("task %s: stored requests: %w", t.ID, err)
	}
	return t, nil
}

func scanFSSPTaskState(s scanner) (fssp.Task, error) {
	var n int
	t, err := scanTaskColumns(s, &n)
	t.N = n
	return t, err
}

func (db *FSSP) Task(ctx context.Context, tokenID int64, id string, now time.Time) (fssp.Task, error) {
	after := db.dialect.TimeArg(now.Add(-fssp.TaskRetention))
	if tokenID == 0 {
		return db.lookUpTask(ctx, "sqlstore.Task", scanFSSPTask, "FSSPTask", id, after)
	}
	// The owner is part of the lookup, not compared after it: another
	// token's task must cost what a missing one costs.
	return db.lookUpTask(ctx, "sqlstore.Task", scanFSSPTask, "FSSPTokenTask", tokenID, id, after)
}

func (db *FSSP) TaskState(ctx context.Context, tokenID int64, id string, now time.Time) (fssp.Task, error) {
	return db.lookUpTask(ctx, "sqlstore.TaskState", scanFSSPTaskState, "FSSPTokenTaskState",
		tokenID, id, db.dialect.TimeArg(now.Add(-fssp.TaskRetention)))
}

// lookUpTask reads one task with stmt: none is fssp.ErrTaskNotFound.
func (db *FSSP) lookUpTask(ctx context.Context, op string, scan func(scanner) (fssp.Task, error), stmt string, args ...any) (fssp.Task, error) {
	t, err := scan(db.row(ctx, db.read, stmt, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return fssp.Task{}, fmt.Errorf("%s: %w", op, fssp.ErrTaskNotFound)
	}
	if err != nil {
		return fssp.Task{}, db.dbErr(op, err)
	}
	return t, nil
}

func (db *FSSP) TaskResults(ctx context.Context, id string) ([]fssp.SubResult, error) {
	return collect(db.DB, ctx, "sqlstore.TaskResults", "FSSPTaskResults", func(s scanner) (fssp.SubResult, error) {
		var r fssp.SubResult
		return r, s.Scan(&r.Index, &r.Failed, &r.Body)
	}, id)
}

func (db *FSSP) StartTask(ctx context.Context, id string, at time.Time) error {
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "StartFSSPTask", id, db.dialect.TimeArg(at))
		return err
	})
	return db.dbErr("sqlstore.StartTask", err)
}

// SaveSubResults stores sub-results once each, in one transaction: a
// search repeated after a crash finds its earlier result kept and changes
// nothing.
func (db *FSSP) SaveSubResults(ctx context.Context, id string, rs []fssp.SubResult) error {
	if db.q["SaveFSSPSubResults"] != "" {
		return db.dbErr("sqlstore.SaveSubResults", db.saveSubResults(ctx, db.write, id, rs, true))
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.saveSubResults(ctx, tx, id, rs, false)
	})
	return db.dbErr("sqlstore.SaveSubResults", err)
}

// saveSubResults stores rs on on. unflushed, on PostgreSQL, lets the commit
// of a statement that is its own transaction return before the WAL's flush;
// it must be false inside any transaction a client's answer waits for, such
// as a task's end.
func (db *FSSP) saveSubResults(ctx context.Context, on any, id string, rs []fssp.SubResult, unflushed bool) error {
	if db.q["SaveFSSPSubResults"] != "" {
		idx, failed, body := make([]int32, len(rs)), make([]bool, len(rs)), make([][]byte, len(rs))
		for i, r := range rs {
			idx[i], failed[i], body[i] = int32(r.Index), r.Failed, r.Body
		}
		_, err := db.exec(ctx, on, "SaveFSSPSubResults", id, idx, failed, body, unflushed)
		return err
	}
	done, failed := 0, 0
	for _, r := range rs {
		res, err := db.exec(ctx, on, "InsertFSSPSubResult", id, r.Index, r.Failed, r.Body)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			continue
		}
		if r.Failed {
			failed++
		} else {
			done++
		}
	}
	if done+failed == 0 {
		return nil
	}
	_, err := db.exec(ctx, on, "CountFSSPSubResult", id, done, failed)
	return err
}

func (db *FSSP) FinishTask(ctx context.Context, id string, last *fssp.SubResult, startedAt, at time.Time) error {
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// A task already ended, or purged, is left as it is: a job run
		// again after it finished changes nothing.
		var open int
		if err := db.row(ctx, tx, "FSSPTaskOpen", id).Scan(&open); errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		if last != nil {
			if err := db.saveSubResults(ctx, tx, id, []fssp.SubResult{*last}, false); err != nil {
				return err
			}
		}
		_, err := db.exec(ctx, tx, "FinishFSSPTask", id, db.dialect.TimeArg(at), db.dialect.TimeArg(startedAt))
		return err
	})
	return db.dbErr("sqlstore.FinishTask", err)
}

func (db *FSSP) Tasks(ctx context.Context, f fssp.TaskFilter) ([]fssp.Task, error) {
	const op = "sqlstore.Tasks"
	state := -1
	if f.State != nil {
		state = *f.State
	}
	if f.To.IsZero() {
		f.To = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if f.From.IsZero() {
		f.From = time.Unix(0, 0)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	return collect(db.DB, ctx, op, "FSSPTasks", scanFSSPTask, f.TokenID, state, db.dialect.TimeArg(f.From), db.dialect.TimeArg(f.To), f.Limit)
}

func (db *FSSP) AbandonedTasks(ctx context.Context, limit int) ([]string, error) {
	return collect(db.DB, ctx, "sqlstore.AbandonedTasks", "AbandonedFSSPTasks", func(s scanner) (string, error) {
		var id string
		return id, s.Scan(&id)
	}, limit)
}

func (db *FSSP) PurgeTasks(ctx context.Context, before time.Time) (int, error) {
	const op = "sqlstore.PurgeTasks"
	total := 0
	for {
		var n int64
		err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			res, err := db.exec(ctx, tx, "PurgeFSSPTasks", db.dialect.TimeArg(before), 500)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, db.dbErr(op, err)
		}
		total += int(n)
		if n < 500 {
			return total, nil
		}
	}
}

// dayInt stores a calendar day as yyyymmdd, 0 when unknown.
func dayInt(d stend.Date) int {
	if d.IsZero() {
		return 0
	}
	return d.Year*10000 + int(d.Month)*100 + d.Day
}

func intDay(v int64) stend.Date {
	if v == 0 {
		return stend.Date{}
	}
	return stend.Date{Year: int(v / 10000), Month: time.Month(v / 100 % 100), Day: int(v % 100)}
}

func nonEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// bankWriter interns the texts, departments, bailiffs and legal entities
// that proceedings refer to. Its caches hold only committed rows, or rows
// of the transaction it writes in, which is rolled back only with the
// writer itself.
type bankWriter struct {
	db        *FSSP
	texts     map[string]int64
	depts     map[int]fssp.Department
	replaced  fssp.DepartmentReplacements // told of departments whose texts the load replaced
	synthetic bool                        // the source's departments are made up: they replace none
	// pendingReplaced are the replacements of the open transaction: the
	// source hears of them only once it commits.
	pendingReplaced [][2]fssp.Department
	bailiffs        map[bailiffKey]int64
	legal           map[int64]int64
	rows            []any
	nrows           int
	trigrams        []any
	ntrigrams       int
}

type bailiffKey struct {
	dept        int
	name, phone string
}

func (db *FSSP) LoadProceedings(ctx context.Context, src fssp.ProceedingSource, commitEvery int) (int64, error) {
	const op = "sqlstore.LoadProceedings"
	var nonEmpty int
	if err := db.row(ctx, db.read, "BankHasProceedings").Scan(&nonEmpty); err != nil {
		return 0, db.dbErr(op, err)
	}
	for _, stmt := range db.dialect.BulkLoad {
		if _, err := db.write.ExecContext(ctx, stmt); err != nil {
			return 0, db.dbErr(op, err)
		}
	}
	defer func() {
		for _, stmt := range db.dialect.BulkLoadEnd {
			_, _ = db.write.ExecContext(context.WithoutCancel(ctx), stmt)
		}
		if db.dialect.RecycleWriterAfterBulkLoad {
			db.recycleWriter(context.WithoutCancel(ctx))
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	batches, srcErr, stopped := prefetch(ctx, src)
	// The source must be done with before returning: its caller reads it
	// (the bad rows of an import) and may close what it reads from.
	defer func() {
		cancel()
		for range batches {
		}
		<-stopped
	}()
	w := &bankWriter{db: db, texts: map[string]int64{}, depts: map[int]fssp.Department{}, bailiffs: map[bailiffKey]int64{}, legal: map[int64]int64{}}
	w.replaced, _ = src.(fssp.DepartmentReplacements)
	_, w.synthetic = src.(fssp.SyntheticDepartments)
	var total, committed int64
	var pending []fssp.Proceeding
	more := true
	// next hands out the source's proceedings one by one across batches.
	next := func() (*fssp.Proceeding, bool) {
		for len(pending) == 0 {
			b, ok := <-batches
			if !ok {
				return nil, false
			}
			pending = b
		}
		p := &pending[0]
		pending = pending[1:]
		return p, true
	}
	empty := nonEmpty == 0
	if empty {
		// Into an empty bank: one transaction, indexes built at the end,
		// so a load that fails leaves the bank as empty as it was.
		commitEvery = 0
	}
	for more {
		// Bulk loads take the writer directly: a group commit would hold
		// every other writer's commit until the load ends.
		err := db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			w.pendingReplaced = w.pendingReplaced[:0]
			// A new content of the bank, for snapshots (see bankTables).
			if _, err := db.exec(ctx, tx, "SetBankVersion", newBankVersion()); err != nil {
				return err
			}
			if empty {
				if err := db.dropBankIndexes(ctx, tx); err != nil {
					return err
				}
			}
			n := 0
			for commitEvery <= 0 || n < commitEvery {
				p, ok := next()
				if more = ok; !ok {
					break
				}
				if err := w.add(ctx, tx, p); err != nil {
					return err
				}
				n++
				total++
			}
			if err := w.flush(ctx, tx); err != nil {
				return err
			}
			if !more {
				if err := srcErr(); err != nil {
					return err
				}
			}
			if empty {
				if err := db.createBankIndexes(ctx, tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return committed, db.dbErr(op, err)
		}
		committed = total
		for _, r := range w.pendingReplaced {
			if w.replaced != nil {
				w.replaced.DepartmentReplaced(r[0], r[1])
			}
		}
		w.pendingReplaced = w.pendingReplaced[:0]
	}
	if q := db.query("RefreshBankStatistics"); empty && total > 0 && q != "" {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			// The rows are committed: the count stays the caller's.
			return total, db.dbErr(op, fmt.Errorf("RefreshBankStatistics: %w", err))
		}
	}
	return total, nil
}

// prefetch runs the source on its own goroutine, a batch ahead of the
// writer: generating or parsing uses the second core while the database
// writes. The error function is valid once the channel is closed.
func prefetch(ctx context.Context, src fssp.ProceedingSource) (<-chan []fssp.Proceeding, func() error, <-chan struct{}) {
	const size = 1024
	out := make(chan []fssp.Proceeding, 4)
	stopped := make(chan struct{})
	var err error
	go func() {
		defer close(stopped)
		defer close(out)
		for {
			b := make([]fssp.Proceeding, 0, size)
			for len(b) < size {
				b = append(b, fssp.Proceeding{})
				if !src.Next(&b[len(b)-1]) {
					b = b[:len(b)-1]
					break
				}
			}
			if len(b) > 0 {
				select {
				case out <- b:
				case <-ctx.Done():
					err = ctx.Err()
					return
				}
			}
			if len(b) < size {
				err = src.Err()
				return
			}
		}
	}()
	return out, func() error { return err }, stopped
}

func (w *bankWriter) text(ctx context.Context, tx *sql.Tx, s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	if id, ok := w.texts[s]; ok {
		return id, nil
	}
	var id int64
	if err := w.db.row(ctx, tx, "InternFSSPText", s).Scan(&id); err != nil {
		return nil, fmt.Errorf("text %q: %w", s, err)
	}
	w.texts[s] = id
	return id, nil
}

// department writes the texts a load gives a department. Replacing texts
// the bank held is noted, for the source to hear of once the transaction
// commits; a synthetic source replaces none.
func (w *bankWriter) department(ctx context.Context, tx *sql.Tx, d fssp.Department) error {
	held := fssp.Department{ID: d.ID}
	err := w.db.row(ctx, tx, "DepartmentFSSP", d.ID).Scan(&held.Name, &held.PostalIndex, &held.Address)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return fmt.Errorf("department %d: %w", d.ID, err)
	case held == d, w.synthetic:
		return nil
	default:
		w.pendingReplaced = append(w.pendingReplaced, [2]fssp.Department{held, d})
	}
	if _, err := w.db.exec(ctx, tx, "UpsertFSSPDepartment", d.ID, d.Name, d.PostalIndex, d.Address); err != nil {
		return fmt.Errorf("department %d: %w", d.ID, err)
	}
	return nil
}

func (w *bankWriter) add(ctx context.Context, tx *sql.Tx, p *fssp.Proceeding) error {
	// A load gives each department one text: the first it gives replaces
	// what the bank held (a newer file is the truth, as the open data set
	// is republished); another one later in the same load is refused, not
	// taken silently. The import reports such rows with their lines first.
	if given, ok := w.depts[p.Department.ID]; !ok {
		if err := w.department(ctx, tx, p.Department); err != nil {
			return err
		}
		w.depts[p.Department.ID] = p.Department
	} else if given != p.Department {
		return stend.Errorf(stend.Invalid, "sqlstore.LoadProceedings", "department %05d is given two texts by one load: %q, %q, %q and %q, %q, %q",
			given.ID, given.Name, given.PostalIndex, given.Address, p.Department.Name, p.Department.PostalIndex, p.Department.Address)
	}
	bk := bailiffKey{p.Department.ID, p.Bailiff.Name, p.Bailiff.Phone}
	bailiff, ok := w.bailiffs[bk]
	if !ok {
		if err := w.db.row(ctx, tx, "InternFSSPBailiff", bk.dept, bk.name, bk.phone).Scan(&bailiff); err != nil {
			return fmt.Errorf("bailiff: %w", err)
		}
		w.bailiffs[bk] = bailiff
	}
	var personKey, legalID any
	if p.Kind == fssp.DebtorLegal {
		id, err := w.legalEntity(ctx, tx, p)
		if err != nil {
			return err
		}
		legalID = id
	} else {
		personKey = fssp.PersonKey(p.Region, p.LastName, p.FirstName)
	}
	birthPlace, err := w.text(ctx, tx, p.BirthPlace)
	if err != nil {
		return err
	}
	docType, err := w.text(ctx, tx, p.DocType)
	if err != nil {
		return err
	}
	issuer, err := w.text(ctx, tx, p.DocIssuer)
	if err != nil {
		return err
	}
	subject, err := w.text(ctx, tx, p.Subject)
	if err != nil {
		return err
	}
	var endDate, article, part, point any
	if p.End != nil {
		endDate, article, part, point = dayInt(p.End.Date), p.End.Article, p.End.Part, p.End.Point
	}
	dept := p.Number.Department
	var patronymicKey any
	if p.Kind != fssp.DebtorLegal {
		patronymicKey = int64(0)
		if p.Patronymic != "" {
			patronymicKey = fssp.NameKey(p.Patronymic)
		}
	}
	w.rows = append(w.rows, int(p.Kind), p.Region, personKey, patronymicKey, legalID, nonEmpty(p.LastName), nonEmpty(p.FirstName), nonEmpty(p.Patronymic),
		dayInt(p.BirthDate), birthPlace, fssp.NumberKey(p.Number.Own, p.Number.Year, fssp.DepartmentRegion(dept), dept%100),
		p.Number.Own, p.Number.Year, dept, dayInt(p.Date), p.Joined, docType, dayInt(p.DocDate), p.DocNumber, issuer, subject,
		p.Amount, p.Fee, bailiff, endDate, article, part, point, shapeOf(p), consolidatedOf(p))
	w.nrows++
	if w.nrows == batchStatements["InsertProceeding"] {
		return w.flushRows(ctx, tx)
	}
	return nil
}

func (w *bankWriter) legalEntity(ctx context.Context, tx *sql.Tx, p *fssp.Proceeding) (int64, error) {
	key := fssp.LegalKey(p.Region, p.LegalName, p.LegalAddress)
	if id, ok := w.legal[key]; ok {
		return id, nil
	}
	var id int64
	err := w.db.row(ctx, tx, "InsertFSSPLegal", p.Region, p.LegalName, p.LegalAddress, key).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if err := w.db.row(ctx, tx, "FSSPLegalByKey", key).Scan(&id); err != nil {
			return 0, fmt.Errorf("legal entity: %w", err)
		}
	case err != nil:
		return 0, fmt.Errorf("legal entity: %w", err)
	default:
		for _, t := range fssp.Trigrams(fssp.NormalizeName(p.LegalName)) {
			w.trigrams = append(w.trigrams, p.Region, t, id)
			w.ntrigrams++
			if w.ntrigrams == batchStatements["InsertLegalTrigram"] {
				if err := w.flushTrigrams(ctx, tx); err != nil {
					return 0, err
				}
			}
		}
	}
	w.legal[key] = id
	return id, nil
}

func (w *bankWriter) flushRows(ctx context.Context, tx *sql.Tx) error {
	err := w.flushBatch(ctx, tx, "InsertProceeding", w.rows, w.nrows)
	w.rows, w.nrows = w.rows[:0], 0
	return err
}

func (w *bankWriter) flushTrigrams(ctx context.Context, tx *sql.Tx) error {
	err := w.flushBatch(ctx, tx, "InsertLegalTrigram", w.trigrams, w.ntrigrams)
	w.trigrams, w.ntrigrams = w.trigrams[:0], 0
	return err
}

func (w *bankWriter) flushBatch(ctx context.Context, tx *sql.Tx, name string, args []any, n int) error {
	if n == 0 {
		return nil
	}
	arity := len(args) / n
	return w.db.insertBatched(ctx, tx, name, n, func(i int, dst []any) []any {
		return append(dst, args[i*arity:(i+1)*arity]...)
	})
}

func (w *bankWriter) flush(ctx context.Context, tx *sql.Tx) error {
	if err := w.flushRows(ctx, tx); err != nil {
		return err
	}
	return w.flushTrigrams(ctx, tx)
}

func (db *FSSP) CountProceedings(ctx context.Context) (int64, error) {
	var n int64
	err := db.row(ctx, db.read, "CountProceedings").Scan(&n)
	return n, db.dbErr("sqlstore.CountProceedings", err)
}

func (db *FSSP) SearchPhysical(ctx context.Context, q fssp.PhysicalQuery) ([]fssp.Proceeding, error) {
	const op = "sqlstore.SearchPhysical"
	var patronymic int64
	if q.Patronymic != "" {
		patronymic = fssp.NameKey(q.Patronymic)
	}
	birth := 0
	if q.BirthDate != nil {
		birth = dayInt(*q.BirthDate)
	}
	key := fssp.PersonKey(q.Region, q.LastName, q.FirstName)
	var found []fssp.Proceeding
	if db.q["PersonProceedings"] != "" {
		var err error
		if found, err = db.readProceedings(ctx, "PersonProceedings", 0, personRows, nil, key, patronymic, birth, q.Limit); err != nil {
			return nil, db.dbErr(op, err)
		}
	} else {
		ids, err := db.personCandidates(ctx, key, patronymic, birth, q.Limit)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		if found, err = db.proceedings(ctx, op, ids); err != nil {
			return nil, err
		}
	}
	// The keys are hashes: the names decide.
	last, first, patr := fssp.NormalizeName(q.LastName), fssp.NormalizeName(q.FirstName), fssp.NormalizeName(q.Patronymic)
	out := found[:0]
	for _, p := range found {
		if p.Region == q.Region && fssp.NormalizeName(p.LastName) == last && fssp.NormalizeName(p.FirstName) == first &&
			(patr == "" || fssp.NormalizeName(p.Patronymic) == patr) {
			out = append(out, p)
		}
	}
	return out, nil
}

// personCandidates reads the ids of a person's first limit candidates
// (SQLite; PostgreSQL reads them with their rows in PersonProceedings).
func (db *FSSP) personCandidates(ctx context.Context, key, patronymic int64, birth, limit int) ([]int64, error) {
	rows, err := db.rows(ctx, db.read, "PersonCandidates", key, patronymic, birth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for len(ids) < limit && rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (db *FSSP) SearchLegal(ctx context.Context, q fssp.LegalQuery) ([]fssp.Proceeding, error) {
	const op = "sqlstore.SearchLegal"
	name, address := fssp.NormalizeName(q.Name), fssp.NormalizeName(q.Address)
	page, args := "LegalByRegion", []any{q.Region}
	if tris := fssp.Trigrams(name); len(tris) > 0 {
		best := tris[0]
		if len(tris) > 1 {
			tris = spread(tris, 8)
			counts, err := db.countLegalTrigrams(ctx, op, q.Region, tris)
			if err != nil {
				return nil, err
			}
			bestCount := -1
			for i, n := range counts {
				if n == 0 {
					return nil, nil // a trigram no name has: no match
				}
				if bestCount < 0 || n < bestCount {
					best, bestCount = tris[i], n
				}
			}
		}
		page, args = "LegalByTrigram", []any{q.Region, best}
	}
	// Matching entities are read a page at a time, and their proceedings in
	// growing chunks of entities, so that a common fragment reads (and
	// PostgreSQL sends) about as many rows as the cap, not every
	// proceeding of every candidate.
	size, sized := legalPage, db.q[page+"UpTo"] != ""
	if sized {
		page, size = page+"UpTo", legalFirstPage
	}
	var out []fssp.Proceeding
	chunk := 8
	for after := int64(0); len(out) < q.Limit; {
		pageArgs := append(args, after)
		if sized {
			pageArgs = append(pageArgs, size)
		}
		rows, err := db.rows(ctx, db.read, page, pageArgs...)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		var matched []int64
		entities := map[int64]legalEntity{}
		read := 0
		for rows.Next() {
			var id int64
			var n, a string
			if err := rows.Scan(&id, &n, &a); err != nil {
				rows.Close()
				return nil, db.dbErr(op, err)
			}
			read, after = read+1, id
			if strings.Contains(fssp.NormalizeName(n), name) && (address == "" || strings.Contains(fssp.NormalizeName(a), address)) {
				matched = append(matched, id)
				entities[id] = legalEntity{n, a}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, db.dbErr(op, err)
		}
		for len(matched) > 0 && len(out) < q.Limit {
			take := matched[:min(chunk, len(matched))]
			matched = matched[len(take):]
			chunk *= 2
			stmt, args := "ProceedingsByLegalIDs", []any{idList(take)}
			if db.q["ProceedingsByLegalIDsUpTo"] != "" {
				stmt, args = "ProceedingsByLegalIDsUpTo", append(args, q.Limit-len(out))
			}
			got, err := db.readProceedings(ctx, stmt, q.Limit-len(out), min(q.Limit-len(out), personRows), entities, args...)
			if err != nil {
				return nil, db.dbErr(op, err)
			}
			out = append(out, got...)
		}
		if read < size {
			break
		}
		size = legalPage
	}
	return out, nil
}

// idList is a JSON array of ids, the one parameter of the statements that
// take a list.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// legalPage is the page size of LegalByTrigram and LegalByRegion: it must
// equal their LIMIT, a shorter page meaning the last one.
const legalPage = 200

// legalFirstPage is the first page's size where the dialect takes the size
// (PostgreSQL's LegalByTrigramUpTo): a common fragment's search answers
// from its first 8 matching entities, and a rare one's rarest trigram has
// few; the pages after it are legalPage long.
const legalFirstPage = 32

// countLegalTrigrams counts, capped, the region's legal entities that
// have each trigram, in order; it may stop after a trigram none has.
// PostgreSQL counts them all in one round trip (CountLegalTrigrams): a
// statement a trigram was a third of a group of 100's statements (issue
// 20's seventeenth part); SQLite has no round trips to save.
func (db *FSSP) countLegalTrigrams(ctx context.Context, op string, region int, tris []int64) ([]int, error) {
	if db.q["CountLegalTrigrams"] != "" {
		counts, err := collect(db.DB, ctx, op, "CountLegalTrigrams", func(s scanner) (int, error) {
			var n int
			return n, s.Scan(&n)
		}, region, tris)
		if err == nil && len(counts) != len(tris) {
			err = db.dbErr(op, fmt.Errorf("CountLegalTrigrams: %d counts for %d trigrams", len(counts), len(tris)))
		}
		return counts, err
	}
	counts := make([]int, 0, len(tris))
	for _, t := range tris {
		var n int
		if err := db.row(ctx, db.read, "CountLegalTrigram", region, t).Scan(&n); err != nil {
			return nil, db.dbErr(op, err)
		}
		if counts = append(counts, n); n == 0 {
			break
		}
	}
	return counts, nil
}

// spread picks up to n of xs, evenly spaced, so that a long fragment costs
// a bounded number of counts.
func spread(xs []int64, n int) []int64 {
	if len(xs) <= n {
		return xs
	}
	out := make([]int64, 0, n)
	for i := range n {
		out = append(out, xs[i*(len(xs)-1)/(n-1)])
	}
	return out
}

func (db *FSSP) SearchProceedingNumber(ctx context.Context, q fssp.NumberQuery) ([]fssp.Proceeding, error) {
	const op = "sqlstore.SearchProceedingNumber"
	region, suffix := q.Region, q.DeptSuffix
	if q.Department != 0 {
		region, suffix = fssp.DepartmentRegion(q.Department), q.Department%100
	}
	key := fssp.NumberKey(q.Own, q.Year, region, suffix)
	if db.q["NumberProceedings"] != "" {
		found, err := db.readProceedings(ctx, "NumberProceedings", 0, 1, nil, key, q.Department, q.Limit)
		return found, db.dbErr(op, err)
	}
	rows, err := db.rows(ctx, db.read, "NumberCandidates", key)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	var ids []int64
	for rows.Next() && len(ids) < q.Limit {
		var id, dept int64
		if err := rows.Scan(&id, &dept); err != nil {
			rows.Close()
			return nil, db.dbErr(op, err)
		}
		if q.Department != 0 && int(dept) != q.Department {
			continue
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, db.dbErr(op, err)
	}
	return db.proceedings(ctx, op, ids)
}

// proceedings reads the proceedings with the given ids, in that order.
func (db *FSSP) proceedings(ctx context.Context, op string, ids []int64) ([]fssp.Proceeding, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := db.readProceedings(ctx, "ProceedingsByIDs", 0, len(ids), nil, idList(ids))
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	byID := make(map[int64]fssp.Proceeding, len(found))
	for _, p := range found {
		byID[p.ID] = p
	}
	out := make([]fssp.Proceeding, 0, len(ids))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// refs are the ids of a proceeding's texts and bailiff, resolved after the
// rows are read.
type refs struct {
	birthPlace, docType, docIssuer, subject, bailiff nullIntColumn
	// bailiffFormat is the proceeding's, kept for when the bailiff is
	// resolved: the bailiff itself is shared by many proceedings.
	bailiffFormat fssp.BailiffFormat
	// legal is the proceeding's legal entity: a legal search's statements
	// leave its name and address to the page that chose it.
	legal nullIntColumn
}

// legalEntity is a legal entity's name and address as a legal search's page
// read them.
type legalEntity struct{ name, address string }

// The bits of fssp_proceedings.shape (migration 0011).
const (
	shapeShortNumber  = 1
	shapeAmountShift  = 1 // two bits: fssp.AmountFormat
	shapeBailiffShift = 3 // two bits: fssp.BailiffFormat
)

func shapeOf(p *fssp.Proceeding) int64 {
	var shape int64
	if p.Number.Short {
		shape |= shapeShortNumber
	}
	return shape | int64(p.AmountFormat&3)<<shapeAmountShift | int64(p.Bailiff.Format&3)<<shapeBailiffShift
}

// consolidatedOf packs the consolidated proceeding's number, or is NULL.
func consolidatedOf(p *fssp.Proceeding) any {
	c := p.Consolidated
	if c == nil || !p.Joined {
		return nil // written only for a joined proceeding (render)
	}
	return c.Own*1e7 + int64(c.Year)*1e5 + int64(c.Department)
}

// proceedingRow receives the rows of a proceedings' statement, one after
// another: its fields are the destinations, made once a statement, because
// a row's own locals, taken by address through Scan, all escaped; its
// integers scan themselves (intColumn, nullIntColumn) because database/sql
// converts them by reflection (BenchmarkScanProceeding).
type proceedingRow struct {
	id, kind, region, birth, own, year, department, opened, docDate, amount, fee, shape intColumn
	joined                                                                              bool
	last, first, patronymic, legalName, legalAddress                                    sql.NullString
	docNumber                                                                           string
	endDate, article, part, point, consolidated                                         nullIntColumn
	refs                                                                                refs
	// bank is the bank's version, the same in every row of a statement.
	bank sql.RawBytes
	dest []any
}

func newProceedingRow() *proceedingRow {
	w := &proceedingRow{}
	r := &w.refs
	w.dest = []any{&w.id, &w.kind, &w.region, &w.last, &w.first, &w.patronymic, &w.birth, &r.birthPlace, &w.legalName, &w.legalAddress,
		&w.own, &w.year, &w.department, &w.opened, &w.joined, &r.docType, &w.docDate, &w.docNumber, &r.docIssuer,
		&r.subject, &w.amount, &w.fee, &w.bank, &r.bailiff,
		&w.endDate, &w.article, &w.part, &w.point, &w.shape, &w.consolidated, &r.legal}
	return w
}

// scan reads the row s is on. Every column is scanned each row, so
// nothing of the row before survives into it.
func (w *proceedingRow) scan(s scanner) (fssp.Proceeding, refs, error) {
	if err := s.Scan(w.dest...); err != nil {
		return fssp.Proceeding{}, refs{}, err
	}
	return w.proceeding()
}

// read takes the row from the driver's own reader (Dialect.ReadRows), as
// scan does from database/sql's.
func (w *proceedingRow) read(c Columns) (fssp.Proceeding, refs, error) {
	if err := assignColumns(c, w.dest); err != nil {
		return fssp.Proceeding{}, refs{}, err
	}
	return w.proceeding()
}

// proceeding is the row just scanned or read.
func (w *proceedingRow) proceeding() (fssp.Proceeding, refs, error) {
	shape := int64(w.shape)
	p := fssp.Proceeding{
		ID:     int64(w.id),
		Kind:   fssp.DebtorKind(w.kind),
		Region: int(w.region),
		Number: fssp.ProceedingNumber{Own: int64(w.own), Year: int(w.year), Department: int(w.department),
			Short: shape&shapeShortNumber != 0},
		AmountFormat: fssp.AmountFormat(shape >> shapeAmountShift & 3),
		LastName:     w.last.String, FirstName: w.first.String, Patronymic: w.patronymic.String,
		BirthDate: intDay(int64(w.birth)),
		LegalName: w.legalName.String, LegalAddress: w.legalAddress.String,
		Date: intDay(int64(w.opened)), Joined: w.joined, DocDate: intDay(int64(w.docDate)), DocNumber: w.docNumber,
		Amount: int64(w.amount), Fee: int64(w.fee),
		Department: fssp.Department{ID: int(w.department)}, // its texts: resolve
	}
	r := w.refs
	r.bailiffFormat = fssp.BailiffFormat(shape >> shapeBailiffShift & 3)
	if w.consolidated.Valid {
		n := w.consolidated.Int64
		p.Consolidated = &fssp.ProceedingNumber{Own: n / 1e7, Year: int(n / 1e5 % 100), Department: int(n % 1e5)}
	}
	if w.endDate.Valid {
		p.End = &fssp.ProceedingEnd{Date: intDay(w.endDate.Int64), Article: int(w.article.Int64), Part: int(w.part.Int64), Point: int(w.point.Int64)}
	}
	return p, r, nil
}

// intColumn is an integer column that is never NULL.
type intColumn int64

func (c *intColumn) Scan(src any) error {
	if v, ok := src.(int64); ok { // every row's path: a call the less
		*c = intColumn(v)
		return nil
	}
	var n nullIntColumn
	if err := n.Scan(src); err != nil {
		return err
	}
	if !n.Valid {
		return errNullColumn
	}
	*c = intColumn(n.Int64)
	return nil
}

// nullIntColumn is sql.NullInt64 scanned without reflection: drivers hand
// integers over as int64 (pgx's stdlib and the SQLite driver both);
// anything else goes the way database/sql would have taken it.
type nullIntColumn struct {
	Int64 int64
	Valid bool
}

func (n *nullIntColumn) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		n.Int64, n.Valid = v, true
		return nil
	case nil:
		n.Int64, n.Valid = 0, false
		return nil
	}
	var s sql.NullInt64
	err := s.Scan(src)
	n.Int64, n.Valid = s.Int64, s.Valid
	return err
}

// dictionaries keeps the texts, bailiffs and departments proceedings refer
// to. An id names the same text or bailiff for ever (they are interned,
// never updated), so the copies never go stale; the maps are emptied when
// large. A department's texts are replaced by loads, each of which names
// the bank's content anew (stand_bank), as does a restore that brings
// other texts back: departments hold the texts of the version bank only.
type dictionaries struct {
	mu          sync.Mutex
	texts       map[int64]string
	bailiffs    map[int64]fssp.Bailiff
	bank        string
	departments map[int]fssp.Department
}

// dictionaryLimit bounds each map; a variable so that a test can lower it.
var dictionaryLimit = 500_000

// resolve fills the proceedings' texts, bailiffs and departments, reading
// the ones not in memory in one statement each; bank is the version of the
// bank the proceedings were read in. What the shared maps hold is written
// into the proceedings while they are locked, a lookup a reference (a
// search's own copy of what it used, looked up again to fill it, was most
// of resolve's cost: issue 20's seventeenth part); what they lack is read
// into maps of this call's own, since the shared ones may be emptied by
// another search meanwhile.
func (db *FSSP) resolve(ctx context.Context, ps []fssp.Proceeding, rs []refs, bank string) error {
	d := &db.dicts
	var missingTexts, missingBailiffs, missingDepartments idSet
	d.mu.Lock()
	departmentsCurrent := d.bank == bank
	for i := range ps {
		p, r := &ps[i], &rs[i]
		if dep, ok := d.departments[p.Department.ID]; ok && departmentsCurrent {
			p.Department = dep
		} else {
			missingDepartments.add(int64(p.Department.ID))
		}
		p.BirthPlace = d.text(r.birthPlace, &missingTexts)
		p.DocType = d.text(r.docType, &missingTexts)
		p.DocIssuer = d.text(r.docIssuer, &missingTexts)
		p.Subject = d.text(r.subject, &missingTexts)
		if r.bailiff.Valid {
			if b, ok := d.bailiffs[r.bailiff.Int64]; ok {
				p.Bailiff = b
				p.Bailiff.Format = r.bailiffFormat
			} else {
				missingBailiffs.add(r.bailiff.Int64)
			}
		}
	}
	d.mu.Unlock()
	if len(missingTexts.list)+len(missingBailiffs.list)+len(missingDepartments.list) == 0 {
		return nil
	}

	type text struct {
		id   int64
		text string
	}
	type bailiff struct {
		id int64
		fssp.Bailiff
	}
	texts := map[int64]string{}
	bailiffs := map[int64]fssp.Bailiff{}
	departments := map[int]fssp.Department{}
	if len(missingTexts.list) > 0 {
		got, err := collect(db.DB, ctx, "sqlstore.resolve", "FSSPTextsByIDs", func(s scanner) (text, error) {
			var t text
			return t, s.Scan(&t.id, &t.text)
		}, idList(missingTexts.list))
		if err != nil {
			return err
		}
		for _, t := range got {
			texts[t.id] = t.text
		}
	}
	if len(missingBailiffs.list) > 0 {
		got, err := collect(db.DB, ctx, "sqlstore.resolve", "FSSPBailiffsByIDs", func(s scanner) (bailiff, error) {
			var b bailiff
			return b, s.Scan(&b.id, &b.Name, &b.Phone)
		}, idList(missingBailiffs.list))
		if err != nil {
			return err
		}
		for _, b := range got {
			bailiffs[b.id] = b.Bailiff
		}
	}
	// The departments come with the version of the bank they were read in,
	// which a load between the two statements makes newer than bank.
	fetchedIn := ""
	if len(missingDepartments.list) > 0 {
		type department struct {
			fssp.Department
			bank string
		}
		got, err := collect(db.DB, ctx, "sqlstore.resolve", "FSSPDepartmentsByIDs", func(s scanner) (department, error) {
			var dep department
			return dep, s.Scan(&dep.ID, &dep.Name, &dep.PostalIndex, &dep.Address, &dep.bank)
		}, idList(missingDepartments.list))
		if err != nil {
			return err
		}
		for _, dep := range got {
			departments[dep.ID], fetchedIn = dep.Department, dep.bank
		}
	}

	d.mu.Lock()
	if d.texts == nil || len(d.texts) > dictionaryLimit {
		d.texts = map[int64]string{}
	}
	if d.bailiffs == nil || len(d.bailiffs) > dictionaryLimit {
		d.bailiffs = map[int64]fssp.Bailiff{}
	}
	maps.Copy(d.texts, texts)
	maps.Copy(d.bailiffs, bailiffs)
	if fetchedIn != "" {
		if d.departments == nil || d.bank != fetchedIn || len(d.departments) > dictionaryLimit {
			d.departments, d.bank = map[int]fssp.Department{}, fetchedIn
		}
		maps.Copy(d.departments, departments)
	}
	d.mu.Unlock()

	// Only references the first pass missed are in these maps: one the
	// shared maps held was held for every proceeding that has it.
	for i := range ps {
		p, r := &ps[i], &rs[i]
		if dep, ok := departments[p.Department.ID]; ok {
			p.Department = dep
		}
		fetchedText(&p.BirthPlace, r.birthPlace, texts)
		fetchedText(&p.DocType, r.docType, texts)
		fetchedText(&p.DocIssuer, r.docIssuer, texts)
		fetchedText(&p.Subject, r.subject, texts)
		if b, ok := bailiffs[r.bailiff.Int64]; ok && r.bailiff.Valid {
			p.Bailiff = b
			p.Bailiff.Format = r.bailiffFormat
		}
	}
	return nil
}

// text is the text id names if d holds it, else "" with id noted in
// missing. d must be locked.
func (d *dictionaries) text(id nullIntColumn, missing *idSet) string {
	if !id.Valid {
		return ""
	}
	t, ok := d.texts[id.Int64]
	if !ok {
		missing.add(id.Int64)
	}
	return t
}

func fetchedText(field *string, id nullIntColumn, texts map[int64]string) {
	if t, ok := texts[id.Int64]; ok && id.Valid {
		*field = t
	}
}

// idSet is ids in the order first added, each once.
type idSet struct {
	list []int64
	seen map[int64]struct{}
}

func (s *idSet) add(id int64) {
	if _, ok := s.seen[id]; ok {
		return
	}
	if s.seen == nil {
		s.seen = map[int64]struct{}{}
	}
	s.seen[id] = struct{}{}
	s.list = append(s.list, id)
}

// personRows is the room a person search's proceedings are read into
// before it grows. Grown from one, its rows (21 on average in the
// generated bank, 5 for half the searches; half a kB each with their refs)
// took six allocations and copies for 17 to 32 rows: 3.6 % of the node's
// CPU under the person load (docs/benchmarks.md, issue 20's nineteenth
// part). A number is mostly one proceeding, and a list of ids as many as
// it has: those statements say so instead.
const personRows = 32

// readProceedings runs the named statement and reads its proceedings,
// resolving their references; stop ends the reading early at that many (0:
// all), and size is the room made at the first row, for the rows expected.
// entities names the legal entities of a statement that does not join them
// (nil for the others).
func (db *FSSP) readProceedings(ctx context.Context, name string, stop, size int, entities map[int64]legalEntity, args ...any) ([]fssp.Proceeding, error) {
	var ps []fssp.Proceeding
	var rs []refs
	row := newProceedingRow()
	version := ""
	add := func(p fssp.Proceeding, r refs) (more bool) {
		if len(ps) == 0 {
			version = string(row.bank) // valid until the next row: read once
			ps, rs = make([]fssp.Proceeding, 0, size), make([]refs, 0, size)
		}
		if e, ok := entities[r.legal.Int64]; ok && r.legal.Valid {
			p.LegalName, p.LegalAddress = e.name, e.address
		}
		ps, rs = append(ps, p), append(rs, r)
		return stop == 0 || len(ps) < stop
	}
	if db.dialect.ReadRows != nil {
		err := db.readRows(ctx, name, args, func(c Columns) (bool, error) {
			p, r, err := row.read(c)
			if err != nil {
				return false, err
			}
			return add(p, r), nil
		})
		if err != nil {
			return nil, err
		}
	} else {
		rows, err := db.rows(ctx, db.read, name, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for more := true; more && rows.Next(); {
			p, r, err := row.scan(rows)
			if err != nil {
				return nil, err
			}
			more = add(p, r)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
	}
	return ps, db.resolve(ctx, ps, rs, version)
}

// dropBankIndexes and createBankIndexes bracket the filling of an empty
// bank (a first load, a snapshot's restore): building the proceedings'
// indexes once from all the rows is much faster than growing them row by
// row.
func (db *DB) dropBankIndexes(ctx context.Context, tx *sql.Tx) error {
	return db.runDDL(ctx, tx, "DDLDropPersonIndex", "DDLDropLegalIndex", "DDLDropNumberIndex")
}

func (db *DB) createBankIndexes(ctx context.Context, tx *sql.Tx) error {
	return db.runDDL(ctx, tx, "DDLBeforeIndexes", "DDLCreatePersonIndex", "DDLCreateLegalIndex", "DDLCreateNumberIndex", "DDLAfterIndexes")
}

func (db *DB) runDDL(ctx context.Context, tx *sql.Tx, names ...string) error {
	for _, ddl := range names {
		if db.query(ddl) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, db.query(ddl)); err != nil {
			return fmt.Errorf("%s: %w", ddl, err)
		}
	}
	return nil
}
