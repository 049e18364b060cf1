package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

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
