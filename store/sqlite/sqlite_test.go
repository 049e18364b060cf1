package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
	db, err := sqlite.Open(path, sqlite.Options{}, nil)
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
