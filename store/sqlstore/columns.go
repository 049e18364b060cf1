package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
)

// Columns is one row of a statement as the driver received it, read by
// position without database/sql's boxing of every value into an interface
// (Dialect.ReadRows).
type Columns interface {
	// Int reads an integer or boolean column (true is 1); ok is false for
	// NULL.
	Int(i int) (v int64, ok bool, err error)
	// Text reads a text column's bytes, valid until the next row; ok is
	// false for NULL.
	Text(i int) (b []byte, ok bool, err error)
}

// readRows runs the named statement on a connection of the read pool
// through the dialect's ReadRows, calling row for each row until it
// answers false. A connection ReadRows finds bad before any row is
// dropped and the statement tried on another, as database/sql does for
// its own statements; once row has had a row, the statement is not run
// again (row would see those rows twice), whatever the dialect answers.
func (db *DB) readRows(ctx context.Context, name string, args []any, row func(Columns) (more bool, err error)) error {
	read := false
	counted := func(c Columns) (bool, error) {
		read = true
		return row(c)
	}
	for attempt := 1; ; attempt++ {
		err := db.readRowsOnce(ctx, name, args, counted)
		if read || !errors.Is(err, driver.ErrBadConn) || attempt == badConnAttempts {
			return err
		}
	}
}

// badConnAttempts is how many connections readRows tries, as many as
// database/sql tries for its own statements.
const badConnAttempts = 3

func (db *DB) readRowsOnce(ctx context.Context, name string, args []any, row func(Columns) (more bool, err error)) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// database/sql drops the connection when this answers ErrBadConn.
	return conn.Raw(func(driverConn any) error {
		return db.dialect.ReadRows(ctx, driverConn, db.query(name), args, row)
	})
}

var errNullColumn = errors.New("sqlstore: NULL in a column that is never NULL")

// assignColumns sets each destination from its column, as Scan would from
// the same row: the destinations are those proceedingRow scans into.
func assignColumns(c Columns, dest []any) error {
	for i, d := range dest {
		var err error
		switch d := d.(type) {
		case *intColumn:
			var v int64
			v, err = notNullInt(c, i)
			*d = intColumn(v)
		case *nullIntColumn:
			d.Int64, d.Valid, err = c.Int(i)
		case *bool:
			var v int64
			v, err = notNullInt(c, i)
			*d = v != 0
		case *string:
			var b []byte
			var ok bool
			if b, ok, err = c.Text(i); err == nil && !ok {
				err = errNullColumn
			}
			*d = string(b)
		case *sql.NullString:
			var b []byte
			b, d.Valid, err = c.Text(i)
			d.String = string(b)
		case *sql.RawBytes:
			*d, _, err = c.Text(i)
		default:
			err = fmt.Errorf("sqlstore: no column reader for %T", d)
		}
		if err != nil {
			return fmt.Errorf("column %d: %w", i, err)
		}
	}
	return nil
}

func notNullInt(c Columns, i int) (int64, error) {
	v, ok, err := c.Int(i)
	if err == nil && !ok {
		err = errNullColumn
	}
	return v, err
}
