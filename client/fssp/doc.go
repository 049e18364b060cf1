// Package fssp is a client of the FSSP enforcement-proceedings data bank
// API (БДИП, public API v1.0, https://api-ip.fssprus.ru/api/v1.0/), and of
// stend, which serves the same API under the same path.
//
// The API is asynchronous: a search answers a task id at once, /status
// tells how far the task is, /result gives what it found. Wait does the
// polling; Group submits any number of searches (split into group
// requests of at most 100, the document's limit) and returns their
// results in request order.
//
//	c := fssp.New("https://api-ip.fssprus.ru", token)
//	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
//	defer cancel()
//	task, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{
//		Region: 66, LastName: "Иванов", FirstName: "Сергей", BirthDate: "09.06.1982",
//	})
//	if err != nil {
//		return err
//	}
//	res, err := c.Wait(ctx, task)
//	if err != nil {
//		return err
//	}
//	for _, it := range res.Results[0].Items {
//		fmt.Println(it.Number(), it.Name, it.Subject)
//	}
//
// # Errors
//
// An error answer of the API is an *APIError; test it with errors.Is
// against ErrInvalid (400), ErrUnauthorized (401), ErrTaskNotFound (404
// "task not found": unknown, another token's, or past the 24 hours results
// are kept), ErrNotFound (another 404: a wrong base URL), ErrRateLimited
// (429, with APIError.RetryAfter), ErrTooLarge (413) and ErrUnavailable
// (5xx). An answer that does not follow the protocol is ErrMalformed.
// Network errors are returned wrapped as net/http gives them, with the
// token removed from the URL they quote. A sub-request that failed on the
// server is no error of the call: its SubResult carries a Failure.
//
// The package imports only the standard library, so that it can be copied
// into another module as it is.
package fssp
