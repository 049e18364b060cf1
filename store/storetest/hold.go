package storetest

import (
	"context"
	"testing"
	"time"

	"stend/store/sqlstore"
)

// HoldWriter keeps the store from writing reports until release is called:
// on SQLite it takes the one write connection (the committer waits for
// it); on PostgreSQL it locks the reports against inserts (the batches
// wait in their statement).
func HoldWriter(t testing.TB, store *sqlstore.DB) (release func()) {
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
		_, err = tx.ExecContext(ctx, "LOCK TABLE reports IN SHARE MODE")
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
	in := func() (sum int64) {
		for _, s := range stores {
			sum += s.MigrantExam().ReportsBeingStored()
		}
		return sum
	}
	for deadline := time.Now().Add(10 * time.Second); in() < int64(n); {
		if time.Now().After(deadline) {
			release()
			t.Fatalf("%d of %d reports reached the store", in(), n)
		}
		time.Sleep(time.Millisecond)
	}
}
