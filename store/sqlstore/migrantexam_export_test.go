package sqlstore

// SetReportIDs makes new reports draw their ids from next, so that a test
// can make them collide, and returns the function that restores the random
// draw. Tests that call it must not run in parallel with others.
func SetReportIDs(next func() int64) (restore func()) {
	old := newReportID
	newReportID = next
	return func() { newReportID = old }
}
