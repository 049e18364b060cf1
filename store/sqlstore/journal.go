package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"stend/journal"
)

var _ journal.Store = (*DB)(nil)

func (db *DB) AppendJournal(ctx context.Context, entries []journal.Entry) error {
	if db.q["InsertJournalEntries"] != "" {
		return db.dbErr("sqlstore.AppendJournal", db.insertJournalArrays(ctx, entries))
	}
	return db.dbErr("sqlstore.AppendJournal", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.insertBatched(ctx, tx, "InsertJournalEntry", len(entries), func(i int, dst []any) []any {
			e := &entries[i]
			var bodyJSON any
			if e.BodyIsJSON {
				bodyJSON = e.Body
			}
			return append(dst, db.dialect.TimeArg(e.At.UTC().Truncate(time.Microsecond)), e.RequestID, e.API, e.Route, e.Method, e.Path,
				e.Query, e.Headers, e.Credential, e.Body, bodyJSON, e.BodySize, e.Status, e.Answer, e.AnswerSize, e.DurationUS, e.Reason, e.Fault)
		})
	}))
}

// insertJournalArrays writes a batch as one statement of a column an array,
// on its own a transaction.
func (db *DB) insertJournalArrays(ctx context.Context, entries []journal.Entry) error {
	n := len(entries)
	at := make([]time.Time, n)
	requestID, api, route, method, path, query, headers, credential, body, reason :=
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	answer := make([]string, n)
	bodyJSON := make([]*string, n)
	bodySize, answerSize, durationUS, fault := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	status := make([]int32, n)
	for i := range entries {
		e := &entries[i]
		at[i] = e.At.UTC().Truncate(time.Microsecond)
		requestID[i], api[i], route[i], method[i], path[i] = e.RequestID, e.API, e.Route, e.Method, e.Path
		query[i], headers[i], credential[i], body[i], reason[i], answer[i] = e.Query, e.Headers, e.Credential, e.Body, e.Reason, e.Answer
		if e.BodyIsJSON {
			bodyJSON[i] = &e.Body
		}
		bodySize[i], answerSize[i], durationUS[i], fault[i] = e.BodySize, e.AnswerSize, e.DurationUS, e.Fault
		status[i] = int32(e.Status)
	}
	_, err := db.exec(ctx, db.write, "InsertJournalEntries", at, requestID, api, route, method, path, query, headers, credential,
		body, bodyJSON, bodySize, status, answer, answerSize, durationUS, reason, fault)
	return err
}

// journalArgs are a filter's parameters, in the order of both dialects'
// queries. The path of a body member is written as each database reads
// it: SQLite's $.a[0].b, PostgreSQL's {a,0,b}.
func (db *DB) journalArgs(f journal.Filter) []any {
	var path string
	if f.Field != "" {
		parts := strings.Split(f.Field, ".")
		if db.dialect.Name == "postgres" {
			path = "{" + strings.Join(parts, ",") + "}"
		} else {
			var b strings.Builder
			b.WriteString("$")
			for _, p := range parts {
				if _, err := strconv.Atoi(p); err == nil {
					b.WriteString("[" + p + "]")
				} else {
					b.WriteString(`."` + strings.ReplaceAll(p, `"`, `""`) + `"`)
				}
			}
			path = b.String()
		}
	}
	var since, until *time.Time
	if !f.Since.IsZero() {
		since = &f.Since
	}
	if !f.Until.IsZero() {
		until = &f.Until
	}
	return []any{f.AfterID, f.API, f.Route, f.Status, f.Credential, db.nullTimeArg(since), db.nullTimeArg(until), path, f.Value, f.Path}
}

func (db *DB) Journal(ctx context.Context, f journal.Filter) ([]journal.Entry, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	return collect(db, ctx, "sqlstore.Journal", "JournalEntries", scanJournalEntry, append(db.journalArgs(f), f.Limit)...)
}

func scanJournalEntry(r scanner) (journal.Entry, error) {
	var e journal.Entry
	err := r.Scan(&e.ID, timeValue{&e.At}, &e.RequestID, &e.API, &e.Route, &e.Method, &e.Path, &e.Query, &e.Headers, &e.Credential,
		&e.Body, &e.BodySize, &e.Status, &e.Answer, &e.AnswerSize, &e.DurationUS, &e.Reason, &e.Fault)
	return e, err
}

func (db *DB) CountJournal(ctx context.Context, f journal.Filter) (int64, error) {
	var n int64
	err := db.row(ctx, db.read, "CountJournal", db.journalArgs(f)...).Scan(&n)
	return n, db.dbErr("sqlstore.CountJournal", err)
}

func (db *DB) ClearJournal(ctx context.Context) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, "ClearJournal")
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, db.dbErr("sqlstore.ClearJournal", err)
}

func (db *DB) PruneJournal(ctx context.Context, keep int64) error {
	return db.dbErr("sqlstore.PruneJournal", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "PruneJournal", keep)
		return err
	}))
}
