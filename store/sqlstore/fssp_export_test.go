package sqlstore

import "context"

// SetDictionaryLimit lowers the text and bailiff maps' bound for a test and
// returns the function that restores it.
func SetDictionaryLimit(n int) (restore func()) {
	old := dictionaryLimit
	dictionaryLimit = n
	return func() { dictionaryLimit = old }
}

// Query is the text of the dialect's named statement.
func (db *DB) Query(name string) string { return db.q[name] }

// CountLegalTrigrams is countLegalTrigrams, for a test.
func (db *FSSP) CountLegalTrigrams(ctx context.Context, region int, tris []int64) ([]int, error) {
	return db.countLegalTrigrams(ctx, "sqlstore.CountLegalTrigrams", region, tris)
}

// ReadRows is the type of Dialect.ReadRows.
type ReadRows = func(ctx context.Context, driverConn any, query string, args []any, row func(Columns) (more bool, err error)) error

// WrapReadRows sets the dialect's ReadRows to what wrap makes of it (nil:
// database/sql reads the rows), for a test, before it searches.
func (db *DB) WrapReadRows(wrap func(ReadRows) ReadRows) {
	db.dialect.ReadRows = wrap(db.dialect.ReadRows)
}
