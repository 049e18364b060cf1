// Package motivity is a client of the Motivity platform's public API
// (/public/api/v1/, document «Публичное API», shared/specs/motivity-public.ru.md),
// and of stend, which serves the same API under the same path: badges,
// points, development plans (goals), files, quests and reports.
//
//	c := motivity.New("https://company.motivity.example", token, motivity.WithLocale("en"))
//	res, err := c.ChangePoints(ctx, []motivity.PointsChange{
//		{UserID: "ivanov@example.ru", BalanceType: motivity.Score, Amount: 100, Message: "Thanks"},
//	})
//	if err != nil {
//		return err // the batch as a whole was refused
//	}
//	if err := res[0].Err(); errors.Is(err, motivity.ErrInsufficientPoints) {
//		…
//	}
//
// Files and reports are streams: Upload reads its io.Reader as it sends
// it, Download hands the body over unread, and GenerateReport, ReportData
// and WaitReport read a report row by row as it arrives (ReportReader),
// so that neither a 10 GB file nor a report of a million rows is ever held
// in memory. The *Raw variants give the report's bytes as an io.Reader.
//
// # Errors
//
// An error answer is an *APIError; test it with errors.Is against the
// sentinel of its status (ErrUnauthorized 401, ErrRateLimited 429,
// ErrTooLarge 413, ErrNotFound 404 on an unknown path, ErrUnavailable
// 5xx) or of any documented text it carries (ErrBadgeInactive,
// ErrQuestNotFound, ErrGoalLimit, …: one per text of the document). The
// per-item errors of a successful batch (points, badge users, goals) are
// Problems, errors themselves that match the same sentinels. A report
// refused for its filters ends its rows with a *ReportError
// (ErrInvalidFilters). An answer that does not follow the documents (a
// field missing, unknown, or of the wrong type) is ErrMalformed.
//
// The package imports only the standard library, so that it can be copied
// into another module as it is.
package motivity
