package sqlstore_test

import (
	"context"
	"io/fs"
	"regexp"
	"testing"
	"time"

	"stend/motivity"
	"stend/store/postgres"
	"stend/store/storetest"
)

// A report is read on a reader under the dialect's sequential settings
// (SQLite: a small page cache) and gives the reader back as it came, read
// to the end or left half way: its cache is its usual size again.
func TestReportGivesItsReaderBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.OpenSQLite(t)
	db.ReadDB().SetMaxOpenConns(1) // the report's reader is the one asked below
	cacheSize := func() int64 {
		t.Helper()
		var n int64
		if err := db.ReadDB().QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	usual := cacheSize()
	storetest.MustMotivityUser(t, db.Motivity(), "a@example.ru")
	at := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		batch := motivity.PointsBatch{Items: []motivity.PointsItem{{Identifier: "a@example.ru", Balance: motivity.BalanceKarma, Amount: 1}},
			Actor: "test", At: at.Add(time.Duration(i) * time.Minute)}
		if _, err := db.Motivity().ApplyPoints(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	q := motivity.ReportQuery{Statuses: []motivity.UserStatus{motivity.UserActive}, From: at, To: at.Add(time.Hour)}
	for _, err := range db.Motivity().PointsReport(ctx, q) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if got := cacheSize(); got != usual {
		t.Fatalf("after a report left half way, the reader's cache_size is %d, not %d", got, usual)
	}
	rows := 0
	for row, err := range db.Motivity().PointsReport(ctx, q) {
		if err != nil || row.User != "a@example.ru" || row.After != int64(rows+1) {
			t.Fatalf("row %d: %+v %v", rows, row, err)
		}
		rows++
	}
	if got := cacheSize(); rows != 3 || got != usual {
		t.Fatalf("after a report of %d rows, the reader's cache_size is %d, not %d", rows, got, usual)
	}
}

// Reports order users by identifier as SQLite does, by bytes: on
// PostgreSQL every ORDER BY on an identifier says COLLATE "C", since the
// database's own collation (en_US, ICU) would order "a_c" before "a-b".
// The test database's C.UTF-8 orders by code point, so only the text of
// the queries can tell.
func TestReportOrdersIdentifiersByBytes(t *testing.T) {
	t.Parallel()
	sqlText, err := fs.ReadFile(postgres.Dialect().Queries, "motivity/report.sql")
	if err != nil {
		t.Fatal(err)
	}
	orderBy := regexp.MustCompile(`(?m)^ORDER BY .*$`)
	identifier := regexp.MustCompile(`\bidentifier\b(\s+COLLATE\s+"C")?`)
	checked := 0
	for _, clause := range orderBy.FindAllString(string(sqlText), -1) {
		for _, m := range identifier.FindAllStringSubmatch(clause, -1) {
			checked++
			if m[1] == "" {
				t.Errorf("PostgreSQL orders an identifier by the database's collation: %s", clause)
			}
		}
	}
	if checked < 6 {
		t.Fatalf("%d identifiers ordered: the reports' queries moved?", checked)
	}
}
