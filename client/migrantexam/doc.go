// Package migrantexam is a client of the weekly report intake of migrant
// exam areas (POST https://api.migrant-exam.ru/Reports/Report), and of
// stend, which serves the same API under the same path.
//
// An organization sends, once a week per examination area, what happened
// in the week (the exams held, each row with the SHA-256 of the person's
// document) and what comes next (the nearest exam of each level). A report
// sent again with its ReportID replaces it.
//
//	c := migrantexam.New("https://api.migrant-exam.ru", migrantexam.Credentials{
//		Username: user, Password: password, APIKey: key,
//	})
//	start, end := migrantexam.WeekOf(migrantexam.DateOf(time.Now()))
//	id, err := c.Submit(ctx, migrantexam.Report{
//		ExaminationAreaID: 101, PeriodStart: start, PeriodEnd: end,
//		Patent: migrantexam.Outlook{NearestStart: end.AddDays(3)},
//		// … the other four levels
//		Requests: []migrantexam.ExamRequest{{
//			IdentityDocumentNumber: migrantexam.HashDocument("45 06 123456"),
//			ExamDate: start.AddDays(2), Type: migrantexam.ExamPatent, Status: migrantexam.Passed,
//		}},
//	})
//
// # Errors
//
// An error answer of the API is an *APIError; test it with errors.Is
// against ErrModel (400, the model did not bind: APIError.Errors), ErrRule
// (400 {"error"}: a value broke a rule; APIError.Message), and among the
// rules ErrAreaNotGranted, ErrReportNotFound and ErrDuplicateReport
// (APIError.ReportID names the report to replace); ErrUnauthorized (401),
// ErrNotFound (404: a wrong base URL), ErrTooLarge (413), ErrRateLimited
// (429, with APIError.RetryAfter) and ErrUnavailable (5xx). An answer that
// does not follow the protocol is ErrMalformed. Network errors are
// returned wrapped as net/http gives them.
//
// The package imports only the standard library, so that it can be copied
// into another module as it is.
package migrantexam
