package sqlitedriver

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func forEachDriverT(t *testing.T, fn func(t *testing.T, d Driver)) {
	if len(Drivers) == 0 {
		t.Skip("no driver linked")
	}
	for _, d := range Drivers {
		t.Run(d.Name, func(t *testing.T) { fn(t, d) })
	}
}

// TestPragmas checks that the DSN's pragmas reach every pooled connection.
func TestPragmas(t *testing.T) {
	forEachDriverT(t, func(t *testing.T, d Driver) {
		ctx := context.Background()
		db := openTB(t, d, filepath.Join(t.TempDir(), "p.db"), DefaultOptions, 3)
		conns := make([]*sql.Conn, 3)
		for i := range conns {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns[i] = c
		}
		for i, c := range conns {
			var journal string
			var syncMode, busy, fk int
			if err := c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&journal); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&syncMode); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if journal != "wal" || syncMode != 1 || busy != 5000 || fk != 1 {
				t.Errorf("conn %d: journal_mode=%s synchronous=%d busy_timeout=%d foreign_keys=%d; want wal 1 5000 1",
					i, journal, syncMode, busy, fk)
			}
		}
		for _, c := range conns {
			c.Close()
		}
		// Foreign keys are enforced.
		_, err := db.ExecContext(ctx, `INSERT INTO reports(person_id, created_at, status) VALUES (999, 'x', 0)`)
		if err == nil {
			t.Error("FK violation was accepted")
		}
	})
}

// TestTxLockImmediate checks that _txlock=immediate makes database/sql's
// BeginTx issue BEGIN IMMEDIATE (the write lock is taken at BEGIN), and shows
// the SQLITE_BUSY failure it prevents for read-then-write transactions.
func TestTxLockImmediate(t *testing.T) {
	forEachDriverT(t, func(t *testing.T, d Driver) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "lock.db")
		immediate := openTB(t, d, path, DefaultOptions, 4)
		deferred := openTB(t, d, path, Options{BusyTimeoutMS: 5000, TxLock: "deferred"}, 4)
		noWait := openTB(t, d, path, Options{BusyTimeoutMS: 0, TxLock: "immediate"}, 1)
		if err := SeedPersons(ctx, immediate, 10); err != nil {
			t.Fatal(err)
		}

		// 1. An immediate transaction holds the write lock from BEGIN on, so a
		// second writer's BEGIN IMMEDIATE fails at once (busy_timeout 0).
		txA, err := immediate.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		txB, err := noWait.BeginTx(ctx, nil)
		if err == nil {
			txB.Rollback()
			t.Error("_txlock=immediate: second BEGIN IMMEDIATE succeeded while the first was open; BEGIN was not IMMEDIATE")
		} else if !IsBusy(err) {
			t.Errorf("want SQLITE_BUSY, got %v", err)
		}
		txA.Rollback()

		// Control: a deferred BEGIN takes no lock, so the same second BEGIN succeeds.
		txA, err = deferred.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		txB, err = noWait.BeginTx(ctx, nil)
		if err != nil {
			t.Errorf("_txlock=deferred control: %v", err)
		} else {
			txB.Rollback()
		}
		txA.Rollback()

		// 2. Read-then-write transactions from 4 goroutines: with deferred
		// BEGIN, upgrading a read snapshot to a write fails with SQLITE_BUSY
		// (busy_timeout cannot help); with BEGIN IMMEDIATE none fail.
		readThenWrite := func(db *sql.DB) (busy, other int) {
			var mu sync.Mutex
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Go(func() {
					for i := range 50 {
						err := func() error {
							tx, err := db.BeginTx(ctx, nil)
							if err != nil {
								return err
							}
							defer tx.Rollback()
							var n int
							if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE person_id = ?`, 1+(g+i)%10).Scan(&n); err != nil {
								return err
							}
							time.Sleep(100 * time.Microsecond) // the handler does some work between read and write
							if _, err := tx.ExecContext(ctx, `INSERT INTO reports(person_id, created_at, status) VALUES (?, 'x', ?)`, 1+(g+i)%10, n); err != nil {
								return err
							}
							return tx.Commit()
						}()
						mu.Lock()
						switch {
						case err == nil:
						case IsBusy(err):
							busy++
						default:
							other++
							t.Log(err)
						}
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			return busy, other
		}
		busy, other := readThenWrite(deferred)
		t.Logf("%s _txlock=deferred:  %d of 200 read-then-write transactions failed with SQLITE_BUSY, %d other errors", d.Name, busy, other)
		busy, other = readThenWrite(immediate)
		t.Logf("%s _txlock=immediate: %d of 200 read-then-write transactions failed with SQLITE_BUSY, %d other errors", d.Name, busy, other)
		if busy+other != 0 {
			t.Errorf("_txlock=immediate: %d busy, %d other errors; want none", busy, other)
		}
	})
}

// TestWorkloads runs each workload once at small size and checks the data.
func TestWorkloads(t *testing.T) {
	forEachDriverT(t, func(t *testing.T, d Driver) {
		ctx := requestContext(t)
		db := openTB(t, d, filepath.Join(t.TempDir(), "w.db"), DefaultOptions, 2)
		for i, per := range []int{1, 100, 500, 300} { // 300 leaves a tail of 200
			if err := NewBulkInserter(per).InsertReport(ctx, db, int64(i+1), rowsPerTx); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM report_requests`).Scan(&n); err != nil || n != 4*rowsPerTx {
			t.Fatalf("report_requests count = %d, %v; want %d", n, err, 4*rowsPerTx)
		}
		var r RequestRow
		if err := PointRead(ctx, db, 4, 4321, &r); err != nil {
			t.Fatal(err)
		}
		if want := (RequestRow{idDocs[4320], examDates[4320%365], 4320 % 7, 4320 % 3}); r != want {
			t.Fatalf("PointRead = %+v, want %+v", r, want)
		}
		if err := SeedPersons(ctx, db, 100); err != nil {
			t.Fatal(err)
		}
		for i := range 30 {
			if err := SmallTx(ctx, db, personIDs[i%100], 1+i%3, "2025-06-01T12:00:00Z", examDates[i]); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM report_items`).Scan(&n); err != nil || n != 60 {
			t.Fatalf("report_items count = %d, %v; want 60", n, err)
		}
		if err := SmallTx(ctx, db, "no such person", 1, "x", "y"); err != sql.ErrNoRows {
			t.Fatalf("unknown person: %v, want sql.ErrNoRows", err)
		}
	})
}
