package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"stend"
	"stend/motivity"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// A balance locked by another session (a stuck node, an operator's psql)
// makes a points batch fail as Unavailable after the lock timeout instead
// of stalling every points request of the node; once the lock goes, points
// flow again.
func TestPointsLockTimeout(t *testing.T) {
	if len(storetest.Openers()) < 2 {
		t.Skip(storetest.PostgresEnv + " is not set")
	}
	old := *sqlstore.PointsLockTimeout
	*sqlstore.PointsLockTimeout = 300 * time.Millisecond
	t.Cleanup(func() { *sqlstore.PointsLockTimeout = old })
	ctx := context.Background()
	db := storetest.OpenPostgres(t)
	u := storetest.MustMotivityUser(t, db.Motivity(), "a@example.ru")
	blocker, err := db.ReadDB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback()
	if _, err := blocker.ExecContext(ctx, `SELECT 1 FROM motivity_balances WHERE user_id = $1 FOR UPDATE`, u.ID); err != nil {
		t.Fatal(err)
	}
	batch := motivity.PointsBatch{Items: []motivity.PointsItem{{Identifier: "a@example.ru", Balance: motivity.BalanceKarma, Amount: 5}}, Actor: "test", At: time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)}
	done := make(chan error, 1)
	go func() {
		_, err := db.Motivity().ApplyPoints(ctx, batch)
		done <- err
	}()
	select {
	case err := <-done:
		if !stend.IsKind(err, stend.Unavailable) {
			t.Fatalf("blocked batch: %v, want Unavailable", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a blocked batch still waits after 10 s")
	}
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	if out, err := db.Motivity().ApplyPoints(ctx, batch); err != nil || !out[0].Applied || out[0].Balance != 5 {
		t.Fatalf("after the lock: %+v %v", out, err)
	}
}
