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
