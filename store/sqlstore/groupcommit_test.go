package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver"
)

// TestGroupCommitIsolatesMembers drives one group by hand: a member that
// fails after writing, one that panics after writing and one whose client
// has gone must leave nothing behind, and the others must commit.
func TestGroupCommitIsolatesMembers(t *testing.T) {
	t.Parallel()
	conn, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "g.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.Exec(`CREATE TABLE t (x INTEGER)`); err != nil {
		t.Fatal(err)
	}
	db, err := New(conn, conn, Dialect{Name: "test", Queries: fstest.MapFS{}, Migrations: fstest.MapFS{}, TimeArg: func(t time.Time) any { return t }, IsUniqueViolation: func(error) bool { return false }})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(x int, then func() error) txFunc {
		return func(ctx context.Context, tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (x) VALUES (?)`, x); err != nil {
				return err
			}
			return then()
		}
	}
	ok := func() error { return nil }
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	bg := context.Background()
	member := func(ctx context.Context, fn txFunc) *groupTx {
		return &groupTx{ctx: ctx, fn: fn, done: make(chan struct{})}
	}
	group := []*groupTx{
		member(bg, insert(1, ok)),
		member(bg, insert(2, func() error { return errors.New("rule broken") })),
		member(bg, insert(3, ok)),
		member(bg, insert(4, func() error { panic("bug") })),
		member(gone, insert(5, ok)),
		member(bg, insert(6, ok)),
	}
	c := newCommitter(db)
	defer c.close()
	c.commit(group)
	var got []string
	for _, g := range group {
		<-g.done
		if g.err != nil {
			got = append(got, g.err.Error())
		} else {
			got = append(got, "ok")
		}
	}
	want := []string{"ok", "rule broken", "ok", "sqlstore: panic in a transaction: bug", "context canceled", "ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("outcomes %q, want %q", got, want)
	}
	rows, err := conn.Query(`SELECT x FROM t ORDER BY x`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var xs []string
	for rows.Next() {
		var x string
		_ = rows.Scan(&x)
		xs = append(xs, x)
	}
	if strings.Join(xs, ",") != "1,3,6" {
		t.Fatalf("stored %v, want 1,3,6", xs)
	}
}

// TestCloseNeverStrandsAWriter: writers racing a close get an answer, either
// their outcome or errStoreClosed, never a wait for ever.
func TestCloseNeverStrandsAWriter(t *testing.T) {
	t.Parallel()
	conn, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "c.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	db := &DB{write: conn}
	for range 50 {
		c := newCommitter(db)
		answers := make(chan error, 8)
		for range 8 {
			go func() {
				answers <- c.run(context.Background(), func(context.Context, *sql.Tx) error { return nil })
			}()
		}
		c.close()
		for range 8 {
			select {
			case err := <-answers:
				if err != nil && !errors.Is(err, errStoreClosed) {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("a writer was left waiting after close")
			}
		}
	}
}
