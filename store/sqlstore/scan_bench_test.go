package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"strconv"
	"testing"

	"stend/fssp"
)

// BenchmarkScanProceeding is database/sql's part of reading a statement's
// proceedings, and proceedingRow's, without a database: a driver that
// hands out the values pgx's stdlib does for a legal search's row (every
// integer an int64, every text a string, NULL a nil), so that what is
// measured is the conversion into the proceeding and nothing else.
func BenchmarkScanProceeding(b *testing.B) {
	const rowsPerQuery = 100
	db := sql.OpenDB(rowsConnector{rows: rowsPerQuery, values: legalRowValues()})
	defer db.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		rows, err := db.QueryContext(ctx, "proceedings")
		if err != nil {
			b.Fatal(err)
		}
		row := newProceedingRow()
		n := 0
		for rows.Next() {
			p, r, err := row.scan(rows)
			if err != nil {
				b.Fatal(err)
			}
			if p.Number.Year != 24 || !r.legal.Valid || r.bailiffFormat != 2 {
				b.Fatalf("scanned %+v, %+v", p, r)
			}
			n++
		}
		if err := rows.Err(); err != nil || n != rowsPerQuery {
			b.Fatal(n, err)
		}
		rows.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rowsPerQuery), "ns/row")
}

// legalRowValues is a legal debtor's ended proceeding, in the statements'
// column order (proceedingRow).
func legalRowValues() []driver.Value {
	return []driver.Value{
		int64(912345678), int64(2), int64(77), nil, nil, nil, int64(0), nil, nil, nil,
		int64(1234567), int64(24), int64(77001), int64(19800), false, int64(12), int64(19790), "ФС № 012345678", int64(345),
		int64(678), int64(12345678), int64(864197), "bank-1", int64(999),
		int64(19900), int64(46), int64(1), int64(3), int64(2 << shapeBailiffShift), nil, int64(55555),
	}
}

type rowsConnector struct {
	rows   int
	values []driver.Value
}

func (c rowsConnector) Connect(context.Context) (driver.Conn, error) { return rowsConn(c), nil }
func (c rowsConnector) Driver() driver.Driver                        { return nil }

type rowsConn rowsConnector

func (c rowsConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("not prepared") }
func (c rowsConn) Close() error                        { return nil }
func (c rowsConn) Begin() (driver.Tx, error)           { return nil, errors.New("no transactions") }
func (c rowsConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return &fixedRows{left: c.rows, values: c.values}, nil
}

type fixedRows struct {
	left   int
	values []driver.Value
}

func (r *fixedRows) Columns() []string {
	cols := make([]string, len(r.values))
	for i := range cols {
		cols[i] = "c"
	}
	return cols
}
func (r *fixedRows) Close() error { return nil }
func (r *fixedRows) Next(dest []driver.Value) error {
	if r.left == 0 {
		return io.EOF
	}
	r.left--
	copy(dest, r.values)
	return nil
}

// BenchmarkResolve is filling a statement's proceedings from the node's
// dictionaries when they hold every reference, as they do once a node is
// warm: no statement runs.
func BenchmarkResolve(b *testing.B) {
	const rowsPerQuery = 100
	db := &FSSP{}
	d := &db.dicts
	d.texts, d.bailiffs, d.departments, d.bank = map[int64]string{}, map[int64]fssp.Bailiff{}, map[int]fssp.Department{}, "bank-1"
	for id := range int64(5000) {
		d.texts[id] = "текст " + strconv.FormatInt(id, 10)
		d.bailiffs[id] = fssp.Bailiff{Name: "Петрова А. В.", Phone: "+7(495)123-45-67"}
		d.departments[int(id)] = fssp.Department{ID: int(id), Name: "Хамовнический ОСП"}
	}
	ps := make([]fssp.Proceeding, rowsPerQuery)
	rs := make([]refs, rowsPerQuery)
	ref := func(id int64) nullIntColumn { return nullIntColumn{Int64: id % 5000, Valid: true} }
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for i := range ps {
			n := int64(i * 37)
			ps[i] = fssp.Proceeding{Department: fssp.Department{ID: int(n % 5000)}}
			rs[i] = refs{birthPlace: ref(n), docType: ref(n + 1), docIssuer: ref(n + 2), subject: ref(n + 3), bailiff: ref(n + 4), bailiffFormat: 2}
		}
		if err := db.resolve(ctx, ps, rs, "bank-1"); err != nil {
			b.Fatal(err)
		}
		if ps[1].Subject != "текст 40" || ps[1].Bailiff.Format != 2 || ps[1].Department.Name == "" {
			b.Fatalf("resolved %+v", ps[1])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rowsPerQuery), "ns/row")
}
