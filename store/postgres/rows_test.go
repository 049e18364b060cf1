package postgres

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// The searches' statements read every integer in binary (the store tests
// run them through readRows on a real server); a column the server sent as
// text, which pgx asks for no known integer type, reads the same, and a
// column of another type is an error, not a zero.
func TestRawColumnsReadEitherFormat(t *testing.T) {
	field := func(oid uint32, format int16) pgconn.FieldDescription {
		return pgconn.FieldDescription{Name: "c", DataTypeOID: oid, Format: format}
	}
	c := &rawColumns{
		fields: []pgconn.FieldDescription{
			field(pgtype.Int8OID, pgx.BinaryFormatCode), field(pgtype.Int4OID, pgx.BinaryFormatCode),
			field(pgtype.Int2OID, pgx.BinaryFormatCode), field(pgtype.BoolOID, pgx.BinaryFormatCode),
			field(pgtype.Int8OID, pgx.TextFormatCode), field(pgtype.BoolOID, pgx.TextFormatCode),
			field(pgtype.TextOID, pgx.TextFormatCode), field(pgtype.Int8OID, pgx.BinaryFormatCode),
			field(pgtype.Float8OID, pgx.BinaryFormatCode), field(pgtype.ByteaOID, pgx.BinaryFormatCode),
		},
		values: [][]byte{
			{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, {0x00, 0x01, 0x00, 0x00}, {0xff, 0x9c}, {1},
			[]byte("-1234567890123"), []byte("t"), []byte("Иванов"), nil,
			{0, 0, 0, 0, 0, 0, 0, 0}, {1, 2},
		},
	}
	for i, want := range []int64{-2, 65536, -100, 1, -1234567890123, 1} {
		if got, ok, err := c.Int(i); got != want || !ok || err != nil {
			t.Errorf("column %d: %d, %v, %v; want %d", i, got, ok, err, want)
		}
	}
	if b, ok, err := c.Text(6); string(b) != "Иванов" || !ok || err != nil {
		t.Errorf("text: %q, %v, %v", b, ok, err)
	}
	if got, ok, err := c.Int(7); got != 0 || ok || err != nil {
		t.Errorf("NULL: %d, %v, %v", got, ok, err)
	}
	if _, _, err := c.Int(8); err == nil || !strings.Contains(err.Error(), "not an integer") {
		t.Errorf("a float read as an integer: %v", err)
	}
	if _, _, err := c.Text(9); err == nil || !strings.Contains(err.Error(), "not a text") {
		t.Errorf("bytea read as a text: %v", err)
	}
	if _, _, err := c.Text(0); err == nil {
		t.Error("an integer read as a text")
	}
}

// The proceedings are read by readRows on PostgreSQL: without it the
// store would still answer, through database/sql, at a tenth more of the
// node's CPU (docs/benchmarks.md, issue 20's nineteenth part).
func TestTheDialectReadsRowsItself(t *testing.T) {
	if Dialect().ReadRows == nil {
		t.Fatal("PostgreSQL's dialect has no ReadRows")
	}
}
