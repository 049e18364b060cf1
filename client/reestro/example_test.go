package reestro_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"stend/client/reestro"
)

func Example() {
	// The address of the API, a key and the organization it acts for:
	// here a stend started in-process, whose FSSP bank has two
	// proceedings of Sergey Ivanov in region 66.
	baseURL, creds, stop := startExampleServer()
	defer stop()

	c := reestro.New(baseURL, creds)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	subject, err := c.CreateSubject(ctx, reestro.Person{
		Surname: "Иванов", Name: "Сергей", Patronymic: "Петрович",
		BirthDate: time.Date(1982, 6, 9, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	id, err := c.CreateCheck(ctx, reestro.NewCheck{SubjectID: subject, Regions: []string{"66", "77"}, ExternalID: "order_1"})
	if err != nil {
		log.Fatal(err)
	}
	check, err := c.Wait(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	if err := check.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(check.Type, check.State, check.ExternalID)
	for _, r := range check.Fssp.Results {
		fmt.Println("region", r.Region, "proceedings", len(r.Items))
		for _, it := range r.Items {
			fmt.Println(" ", it.ExeProduction, it.IPEnd == "")
		}
	}

	// The listing (the document's method), page after page.
	for ch, err := range c.All(ctx, reestro.Query{SubjectID: subject}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("listed", ch.ID == id, ch.State)
	}
	// Output:
	// Fssp Processed order_1
	// region 66 proceedings 2
	//   6860/12/66061-ИП от 16.04.2012 false
	//   6861/12/66061-ИП от 16.04.2012 true
	// region 77 proceedings 0
	// listed true Processed
}

// Errors are told apart with errors.Is; APIError has the details.
func ExampleAPIError() {
	baseURL, creds, stop := startExampleServer()
	defer stop()

	c := reestro.New(baseURL, creds)
	_, err := c.CreateCheck(context.Background(), reestro.NewCheck{
		SubjectID: "3f813a2f-958b-499b-90c7-a038d98955c0", // no subject of the organization
		Regions:   []string{"54", "77"},
	})
	var apiErr *reestro.APIError
	switch {
	case errors.Is(err, reestro.ErrSubjectNotFound):
		fmt.Println("create the subject first:", err)
	case errors.Is(err, reestro.ErrValidation) && errors.As(err, &apiErr):
		for _, f := range apiErr.Fields {
			fmt.Println(f.Field(), "-", f.Message)
		}
	case errors.Is(err, reestro.ErrUnauthorized), errors.Is(err, reestro.ErrForbidden):
		fmt.Println("check the key and the organization:", err)
	case err != nil:
		fmt.Println(err)
	}
	// Output:
	// create the subject first: reestro: POST checks: HTTP 400: Failed to validate request: fssp.subjectId should be the id of a subject of the organization
}
