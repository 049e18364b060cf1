// Package reestro is a client of the Reestro realty assessment checks API
// (/realty/assessment/v1/), and of stend, which serves the same API under
// the same path.
//
// The document publishes the listing, GET /checks. Clients of the real
// service also create subjects and checks and read one check; stend
// serves those too (its extensions, docs/reestro.md), and so does this
// client. A check of type Fssp searches the FSSP data bank for its subject
// in its regions: it is Processing, then Processed with what was found per
// region, or Failed with why. Wait polls a check until then.
//
//	c := reestro.New("https://reestro.example", reestro.Credentials{APIKey: key, OrgID: org})
//	subject, err := c.CreateSubject(ctx, reestro.Person{
//		Surname: "Иванов", Name: "Сергей", BirthDate: time.Date(1982, 6, 9, 0, 0, 0, 0, time.UTC),
//	})
//	id, err := c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"66", "77"}})
//	check, err := c.Wait(ctx, id)
//	for _, r := range check.Fssp.Results {
//		fmt.Println(r.Region, len(r.Items))
//	}
//	for check, err := range c.All(ctx, reestro.Query{SubjectID: subject}) { … }
//
// # Errors
//
// An error answer of the API is an *APIError (the document's Error
// object); test it with errors.Is against ErrValidation (400, every wrong
// field in APIError.Fields), ErrSubjectNotFound (400, the check's subject
// is not the organization's), ErrUnauthorized (401), ErrForbidden (403,
// the key may not act for the organization), ErrCheckNotFound (404 "Check
// not found"), ErrNotFound (another 404: a wrong base URL), ErrTooLarge
// (413), ErrRateLimited (429, with APIError.RetryAfter) and ErrUnavailable
// (5xx). An answer that does not follow the protocol is ErrMalformed. A
// Failed check is no error of the call: Check.Err says why it failed.
//
// The package imports only the standard library, so that it can be copied
// into another module as it is.
package reestro
