package postgres

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"stend/store/sqlstore"
)

// readRows is the dialect's ReadRows: the statement runs on the pgx
// connection under database/sql's, parsed once per connection (pgx runs
// the statement database/sql prepared there under the same text, or its
// own statement cache's), and each row's columns are read from the bytes
// the server sent, not boxed one by one as pgx's database/sql adapter
// hands them over.
func readRows(ctx context.Context, driverConn any, query string, args []any, row func(sqlstore.Columns) (bool, error)) error {
	c, ok := driverConn.(*stdlib.Conn)
	if !ok {
		return fmt.Errorf("postgres: a connection of %T, not pgx's", driverConn)
	}
	// As pgx's adapter answers database/sql: a connection closed, or lost
	// before the statement was sent, is a bad one to drop and try another
	// for.
	if c.Conn().IsClosed() {
		return driver.ErrBadConn
	}
	rows, err := c.Conn().Query(ctx, query, args...)
	if err != nil {
		if pgconn.SafeToRetry(err) {
			return driver.ErrBadConn
		}
		return err
	}
	defer rows.Close()
	cols := &rawColumns{fields: rows.FieldDescriptions()}
	for rows.Next() {
		cols.values = rows.RawValues()
		more, err := row(cols)
		if err != nil {
			return err
		}
		if !more {
			// Every row wanted was read whole: what the rest of the
			// statement does (a request that hung up meanwhile) is not the
			// search's failure. A connection it broke is dropped at its
			// next use.
			return nil
		}
	}
	return rows.Err()
}

// rawColumns reads a row's columns in the format the server sent each:
// binary for the integers and booleans pgx asks so, text otherwise.
type rawColumns struct {
	fields []pgconn.FieldDescription
	values [][]byte
}

func (c *rawColumns) Int(i int) (int64, bool, error) {
	v := c.values[i]
	if v == nil {
		return 0, false, nil
	}
	f := c.fields[i]
	if f.Format == pgx.TextFormatCode {
		if f.DataTypeOID == pgtype.BoolOID {
			return b2i(len(v) == 1 && v[0] == 't'), true, nil
		}
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil, err
	}
	switch {
	case f.DataTypeOID == pgtype.Int8OID && len(v) == 8:
		return int64(binary.BigEndian.Uint64(v)), true, nil
	case f.DataTypeOID == pgtype.Int4OID && len(v) == 4:
		return int64(int32(binary.BigEndian.Uint32(v))), true, nil
	case f.DataTypeOID == pgtype.Int2OID && len(v) == 2:
		return int64(int16(binary.BigEndian.Uint16(v))), true, nil
	case f.DataTypeOID == pgtype.BoolOID && len(v) == 1:
		return b2i(v[0] != 0), true, nil
	}
	return 0, false, fmt.Errorf("postgres: %s is of type %d in binary, not an integer", f.Name, f.DataTypeOID)
}

func (c *rawColumns) Text(i int) ([]byte, bool, error) {
	v := c.values[i]
	if v == nil {
		return nil, false, nil
	}
	// A text's bytes are the same in either format.
	switch c.fields[i].DataTypeOID {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID:
		return v, true, nil
	}
	return nil, false, fmt.Errorf("postgres: %s is of type %d, not a text", c.fields[i].Name, c.fields[i].DataTypeOID)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
