package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stend/fssp/generate"
	"stend/store/sqlite"
)

// TestPathIsTakenLiterally: '#', '%' and '?' in the data directory stay in the
// file name instead of being read as URI syntax.
func TestPathIsTakenLiterally(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data #1 %41 ?x")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "stend.db")
	db, err := sqlite.Open(path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %q: %v", path, err)
	}
}

// TestWALStaysUnderItsCeiling: past the ceiling the checkpointer truncates
// the WAL, which passive checkpoints never do, and what was written stays.
func TestWALStaysUnderItsCeiling(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "stend.db")
	db, err := sqlite.Open(path, sqlite.Options{WALCeiling: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// The -wal file exists, so the migrations' commits went through it; it
	// may already be empty here, truncated by a tick during the migrations
	// (a passive checkpoint never empties it, so that too is the fix).
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	grown := fi.Size()
	// The checkpointer runs on a ticker; wait for it, bounded.
	deadline := time.Now().Add(20 * time.Second)
	for {
		fi, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("WAL still %d bytes (after migrations: %d) with a ceiling of 1 byte", fi.Size(), grown)
		}
		time.Sleep(50 * time.Millisecond)
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if applied != 0 {
		t.Fatalf("after the truncation the migrations ran again (%d): data lost", applied)
	}
}

// TestBulkLoadGivesItsMemoryBack: the writer's connection, which held the
// load's page cache and sorts (SQLite in WebAssembly never returns a
// connection's memory), is closed after the load, and the next write opens
// a fresh one.
func TestBulkLoadGivesItsMemoryBack(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "stend.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := db.FSSP().LoadProceedings(ctx, generate.New(1, 2000), 500); err != nil || n != 2000 {
		t.Fatalf("load: %d %v", n, err)
	}
	if st := db.WritePoolStats(); st.OpenConnections != 0 {
		t.Fatalf("after the load the writer keeps %d connection(s)", st.OpenConnections)
	}
	if n, err := db.FSSP().LoadProceedings(ctx, generate.New(2, 10), 500); err != nil || n != 10 {
		t.Fatalf("a write after the load: %d %v", n, err)
	}
}
