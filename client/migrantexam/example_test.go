package migrantexam_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"stend/client/migrantexam"
)

func Example() {
	// The address of the API and an organization's credentials: here a
	// stend started in-process, its clock on Wednesday 2025-06-11.
	baseURL, creds, stop := startExampleServer()
	defer stop()

	c := migrantexam.New(baseURL, creds)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	start, end := migrantexam.WeekOf(migrantexam.Date{Year: 2025, Month: time.June, Day: 11})
	report := migrantexam.Report{
		ExaminationAreaID:      101,
		PeriodStart:            start,
		PeriodEnd:              end,
		Patent:                 migrantexam.Outlook{NearestStart: end.AddDays(3)},
		TemporaryResidence:     migrantexam.Outlook{NoExams: true},
		ResidencePermit:        migrantexam.Outlook{NoExams: true},
		CitizenshipRussianLang: migrantexam.Outlook{NearestStart: end.AddDays(8)},
		CitizenshipHistory:     migrantexam.Outlook{NoExams: true},
		Requests: []migrantexam.ExamRequest{{
			IdentityDocumentNumber: migrantexam.HashDocument("45 06 123456"),
			ExamDate:               start.AddDays(1),
			Type:                   migrantexam.ExamPatent,
			Status:                 migrantexam.Passed,
		}},
	}
	id, err := c.Submit(ctx, report)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accepted", start, "to", end)

	// The week has its report now: sending another names it, and sending
	// it with that id replaces it.
	_, err = c.Submit(ctx, report)
	var apiErr *migrantexam.APIError
	if errors.Is(err, migrantexam.ErrDuplicateReport) && errors.As(err, &apiErr) {
		report.ReportID = apiErr.ReportID
		report.Comment = "исправленный"
		again, err := c.Submit(ctx, report)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("replaced, same id:", again == id)
	}
	// Output:
	// accepted 2025-06-09 to 2025-06-15
	// replaced, same id: true
}

// Errors are told apart with errors.Is; APIError has the details.
func ExampleAPIError() {
	baseURL, creds, stop := startExampleServer()
	defer stop()

	c := migrantexam.New(baseURL, creds)
	_, err := c.Submit(context.Background(), migrantexam.Report{
		ExaminationAreaID: 101,
		PeriodStart:       migrantexam.Date{Year: 2025, Month: time.June, Day: 10},
		PeriodEnd:         migrantexam.Date{Year: 2025, Month: time.June, Day: 16},
	})
	var apiErr *migrantexam.APIError
	switch {
	case errors.Is(err, migrantexam.ErrModel) && errors.As(err, &apiErr):
		fmt.Println("fields:", apiErr.Errors)
	case errors.Is(err, migrantexam.ErrRule) && errors.As(err, &apiErr):
		fmt.Println("rule:", apiErr.Message)
	case err != nil:
		fmt.Println(err)
	}
	// Output:
	// rule: Дата начала отчетного периода periodStartDate = 2025-06-10 должна быть понедельником
}
