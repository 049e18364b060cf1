package sqlitedriver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// schema mirrors stend's tables: report_requests is the bulk-loaded table
// (as specified); persons/reports/report_items are the parent/child tables
// touched by the small write transactions.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS report_requests(
		report_id INTEGER,
		version INTEGER,
		row_no INTEGER,
		identity_document_number TEXT,
		exam_date TEXT,
		exam_type INTEGER,
		exam_status INTEGER,
		PRIMARY KEY(report_id, version, row_no))`,
	`CREATE TABLE IF NOT EXISTS persons(
		id INTEGER PRIMARY KEY,
		identity_document_number TEXT NOT NULL UNIQUE,
		full_name TEXT NOT NULL)`,
	`CREATE TABLE IF NOT EXISTS reports(
		id INTEGER PRIMARY KEY,
		person_id INTEGER NOT NULL REFERENCES persons(id),
		created_at TEXT NOT NULL,
		status INTEGER NOT NULL)`,
	`CREATE INDEX IF NOT EXISTS reports_person_id ON reports(person_id)`,
	`CREATE TABLE IF NOT EXISTS report_items(
		report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
		item_no INTEGER NOT NULL,
		exam_type INTEGER NOT NULL,
		exam_date TEXT NOT NULL,
		PRIMARY KEY(report_id, item_no))`,
}

// Open opens path with driver d and stend's pragmas, limits the pool to
// maxConns connections (all kept idle), and creates the schema.
func Open(ctx context.Context, d Driver, path string, o Options, maxConns int) (*sql.DB, error) {
	db, err := sql.Open(d.SQLName, DSN(path, o))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	for _, s := range schema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: schema: %w", d.Name, err)
		}
	}
	return db, nil
}

// WarmUp makes the pool open n connections (so connection setup and the
// per-connection PRAGMAs are not timed) and returns them to the pool.
func WarmUp(ctx context.Context, db *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return err
		}
		if err := c.PingContext(ctx); err != nil {
			return err
		}
		conns = append(conns, c)
	}
	return nil
}

// Pre-built column values, so the harness spends its time in the driver.
var (
	idDocs    = makeStrings(5000, "AB%07d") // report_requests.identity_document_number
	personIDs = makeStrings(10000, "P%08d") // persons.identity_document_number
	examDates = func() []string {           // 2025-01-01 .. 2025-12-31
		d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		out := make([]string, 365)
		for i := range out {
			out[i] = d.AddDate(0, 0, i).Format("2006-01-02")
		}
		return out
	}()
)

func makeStrings(n int, format string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(format, i*7919%10_000_000)
	}
	return out
}

const insertCols = `INSERT INTO report_requests(report_id, version, row_no, identity_document_number, exam_date, exam_type, exam_status) VALUES `
const rowPlaceholders = `(?,?,?,?,?,?,?)`
const colsPerRow = 7

func insertSQL(rows int) string {
	return insertCols + strings.TrimSuffix(strings.Repeat(rowPlaceholders+",", rows), ",")
}

// BulkInserter inserts the rows of one report version in one transaction,
// PerStmt rows per INSERT statement. PerStmt == 1 is the prepared
// single-row INSERT executed once per row; PerStmt > 1 is a prepared
// multi-row INSERT ... VALUES (...),(...) executed rows/PerStmt times.
type BulkInserter struct {
	PerStmt int
	full    string
	args    []any
}

func NewBulkInserter(perStmt int) *BulkInserter {
	return &BulkInserter{PerStmt: perStmt, full: insertSQL(perStmt), args: make([]any, 0, perStmt*colsPerRow)}
}

// InsertReport inserts rows rows (row_no 1..rows) for (reportID, version 1)
// in a single transaction.
func (bi *BulkInserter) InsertReport(ctx context.Context, db *sql.DB, reportID int64, rows int) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	stmt, err := tx.PrepareContext(ctx, bi.full)
	if err != nil {
		return err
	}
	defer stmt.Close()
	row := 0
	for row+bi.PerStmt <= rows {
		if _, err := stmt.ExecContext(ctx, bi.fill(reportID, row, bi.PerStmt)...); err != nil {
			return err
		}
		row += bi.PerStmt
	}
	if rest := rows - row; rest > 0 { // tail that does not fill a whole statement
		if _, err := tx.ExecContext(ctx, insertSQL(rest), bi.fill(reportID, row, rest)...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (bi *BulkInserter) fill(reportID int64, first, n int) []any {
	a := bi.args[:0]
	for i := first; i < first+n; i++ {
		a = append(a, reportID, int64(1), int64(i+1), idDocs[i%len(idDocs)], examDates[i%len(examDates)], int64(i%7), int64(i%3))
	}
	bi.args = a
	return a
}

// SeedPersons inserts n persons (n <= len(personIDs)).
func SeedPersons(ctx context.Context, db *sql.DB, n int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i := range n {
		if _, err := tx.ExecContext(ctx, `INSERT INTO persons(identity_document_number, full_name) VALUES (?, ?)`,
			personIDs[i], "Person "+personIDs[i]); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// SeedReportRequests bulk-loads reports*rowsPerReport rows into report_requests
// (report_id 1..reports, version 1, row_no 1..rowsPerReport).
func SeedReportRequests(ctx context.Context, db *sql.DB, reports, rowsPerReport int) error {
	bi := NewBulkInserter(500)
	for r := 1; r <= reports; r++ {
		if err := bi.InsertReport(ctx, db, int64(r), rowsPerReport); err != nil {
			return err
		}
	}
	return nil
}

// SmallTx is one short write transaction as stend does it: look up a person
// by its unique document number, insert a parent report row and 1-3 child
// items, commit. Statements are plain SQL strings (no explicit Prepare), as
// ordinary handler code issues them.
func SmallTx(ctx context.Context, db *sql.DB, person string, children int, createdAt, examDate string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var personID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM persons WHERE identity_document_number = ?`, person).Scan(&personID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO reports(person_id, created_at, status) VALUES (?, ?, 0)`, personID, createdAt)
	if err != nil {
		return err
	}
	reportID, err := res.LastInsertId()
	if err != nil {
		return err
	}
	for k := 1; k <= children; k++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_items(report_id, item_no, exam_type, exam_date) VALUES (?, ?, ?, ?)`,
			reportID, int64(k), int64(k), examDate); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// RequestRow is one report_requests row as read back by PointRead.
type RequestRow struct {
	IdentityDocumentNumber string
	ExamDate               string
	ExamType, ExamStatus   int64
}

const pointReadSQL = `SELECT identity_document_number, exam_date, exam_type, exam_status
	FROM report_requests WHERE report_id = ? AND version = ? AND row_no = ?`

// PointRead selects one report_requests row by primary key.
func PointRead(ctx context.Context, db *sql.DB, reportID, rowNo int64, r *RequestRow) error {
	return db.QueryRowContext(ctx, pointReadSQL, reportID, int64(1), rowNo).
		Scan(&r.IdentityDocumentNumber, &r.ExamDate, &r.ExamType, &r.ExamStatus)
}

// Percentile returns the p-th percentile (0..100) of ds (nearest rank); it sorts ds.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(p/100*float64(len(ds))+0.5) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// IsBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY or
// an extended BUSY code) as either driver words it.
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	var coder interface{ Code() int }
	if errors.As(err, &coder) && coder.Code()&0xff == 5 {
		return true
	}
	s := strings.ToLower(err.Error())
	return strings.Contains(s, "database is locked") || strings.Contains(s, "sqlite_busy") || strings.Contains(s, "busy")
}

// PersonDoc returns the document number of seeded person i (mod the seed size).
func PersonDoc(i int) string { return personIDs[i%len(personIDs)] }

// ExamDate returns the i-th pre-built exam date (mod 365).
func ExamDate(i int) string { return examDates[i%len(examDates)] }

// PreparePointRead prepares the point-read query on db (database/sql then
// keeps one prepared statement per pooled connection).
func PreparePointRead(ctx context.Context, db *sql.DB) (*sql.Stmt, error) {
	return db.PrepareContext(ctx, pointReadSQL)
}

// PointReadStmt is PointRead through a prepared statement.
func PointReadStmt(ctx context.Context, stmt *sql.Stmt, reportID, rowNo int64, r *RequestRow) error {
	return stmt.QueryRowContext(ctx, reportID, int64(1), rowNo).
		Scan(&r.IdentityDocumentNumber, &r.ExamDate, &r.ExamType, &r.ExamStatus)
}
