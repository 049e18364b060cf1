package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"testing"
)

// fakeColumns is a row of ints (nil: NULL) and texts (nil: NULL), by position.
type fakeColumns struct {
	ints  []*int64
	texts [][]byte
}

func (f fakeColumns) Int(i int) (int64, bool, error) {
	if f.ints[i] == nil {
		return 0, false, nil
	}
	return *f.ints[i], true, nil
}

func (f fakeColumns) Text(i int) ([]byte, bool, error) { return f.texts[i], f.texts[i] != nil, nil }

// A driver's own reader fills proceedingRow's destinations as Scan does:
// NULL where a column may be NULL, an error where it may not, and an error
// for a destination it has no reader for.
func TestAssignColumnsAsScanWould(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	var (
		id, kind    intColumn
		end, null   nullIntColumn
		joined      bool
		doc         string
		name, empty sql.NullString
		bank        sql.RawBytes
	)
	row := fakeColumns{
		ints:  []*int64{n(912345678), n(2), n(19900), nil, n(1), nil, nil, nil, nil, nil},
		texts: [][]byte{nil, nil, nil, nil, nil, []byte("ФС № 1"), []byte("Иванов"), nil, []byte("v1"), nil},
	}
	err := assignColumns(row, []any{&id, &kind, &end, &null, &joined, &doc, &name, &empty, &bank})
	if err != nil || id != 912345678 || kind != 2 || end != (nullIntColumn{19900, true}) || null.Valid || !joined ||
		doc != "ФС № 1" || name != (sql.NullString{String: "Иванов", Valid: true}) || empty.Valid || string(bank) != "v1" {
		t.Fatalf("%v: %d %d %+v %+v %v %q %+v %+v %q", err, id, kind, end, null, joined, doc, name, empty, bank)
	}
	for i, dest := range []any{&id, &joined} {
		if err := assignColumns(fakeColumns{ints: []*int64{nil}}, []any{dest}); !errors.Is(err, errNullColumn) {
			t.Errorf("NULL into %T (%d): %v", dest, i, err)
		}
	}
	if err := assignColumns(fakeColumns{texts: [][]byte{nil}}, []any{&doc}); !errors.Is(err, errNullColumn) {
		t.Errorf("NULL into a string: %v", err)
	}
	var f float64
	if err := assignColumns(fakeColumns{ints: []*int64{n(1)}}, []any{&f}); err == nil {
		t.Error("a float64 destination was filled")
	}
}

// A connection the dialect's reader finds bad, before any row, is dropped
// and the statement tried on another, three times in all, as database/sql
// tries its own statements; any other error is the statement's at once,
// and so is a bad connection found after a row was read.
func TestReadRowsTriesAnotherConnectionWhenOneIsBad(t *testing.T) {
	pool := sql.OpenDB(rowsConnector{})
	defer pool.Close()
	for _, c := range []struct {
		bad      int   // calls answering ErrBadConn before one answers nil
		other    error // answered instead of ErrBadConn, when set
		rowFirst bool  // a row is read before the connection is found bad
		calls    int
		err      error
	}{
		{bad: 0, calls: 1},
		{bad: 2, calls: 3},
		{bad: 5, calls: badConnAttempts, err: driver.ErrBadConn},
		{bad: 5, other: errNullColumn, calls: 1, err: errNullColumn},
		{bad: 5, rowFirst: true, calls: 1, err: driver.ErrBadConn},
	} {
		calls := 0
		db := &DB{read: pool, q: map[string]string{"S": "SELECT"}, dialect: Dialect{
			ReadRows: func(_ context.Context, _ any, _ string, _ []any, row func(Columns) (bool, error)) error {
				calls++
				if c.rowFirst {
					if _, err := row(fakeColumns{}); err != nil {
						return err
					}
				}
				switch {
				case calls > c.bad:
					return nil
				case c.other != nil:
					return c.other
				}
				return driver.ErrBadConn
			},
		}}
		err := db.readRows(context.Background(), "S", nil, func(Columns) (bool, error) { return true, nil })
		if calls != c.calls || !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("%d bad (%v): %d calls, %v; want %d, %v", c.bad, c.other, calls, err, c.calls, c.err)
		}
	}
}
