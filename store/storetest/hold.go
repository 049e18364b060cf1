package storetest

import (
	"context"
	"testing"
	"time"

	"stend/store/sqlstore"
)

// HoldWriter keeps the store from writing to table until release is
// called: on SQLite it takes the one write connection (the committer waits
// for it, whatever the table); on PostgreSQL it locks table against
// inserts (the batches wait in their statement).
func HoldWriter(t testing.TB, store *sqlstore.DB, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	conn, err := store.WriteDB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if store.Dialect() != "postgres" {
		return func() { conn.Close() }
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err == nil {
		_, err = tx.ExecContext(ctx, "LOCK TABLE "+table+" IN SHARE MODE")
	}
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		if err := tx.Commit(); err != nil {
			t.Error(err)
		}
		conn.Close()
	}
}

// WaitInStore waits until n reports are inside the stores' SubmitReport,
// held there by HoldWriter.
func WaitInStore(t testing.TB, n int, release func(), stores ...*sqlstore.DB) {
	t.Helper()
	WaitHeld(t, n, "reports", release, func() (sum int64) {
		for _, s := range stores {
			sum += s.MigrantExam().ReportsBeingStored()
		}
		return sum
	})
}

// WaitHeld waits until held, the count of writes of what waiting for the
// writer HoldWriter holds, reaches n; it releases the writer before it
// fails.
func WaitHeld(t testing.TB, n int, what string, release func(), held func() int64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); held() < int64(n); {
		if time.Now().After(deadline) {
			release()
			t.Fatalf("%d of %d %s reached the store", held(), n, what)
		}
		time.Sleep(time.Millisecond)
	}
}

// PostgresTransactions is how many transactions wrote the rows of table
// whose id is one of ids (a slice of the column's type), on PostgreSQL (the rows' xmin): it tells rows
// stored by one statement from rows stored each by its own, which the
// write groups, counted before the statement, cannot.
func PostgresTransactions(t testing.TB, store *sqlstore.DB, table string, ids any) int {
	t.Helper()
	var n int
	err := store.WriteDB().QueryRowContext(context.Background(),
		"SELECT count(DISTINCT xmin::text) FROM "+table+" WHERE id = ANY($1)", ids).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
