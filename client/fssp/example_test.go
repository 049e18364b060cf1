package fssp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"stend/client/fssp"
)

func Example() {
	// The address of an FSSP API and a token it issued: here a stend
	// started in-process with a small bank.
	baseURL, token, stop := startExampleServer()
	defer stop()

	c := fssp.New(baseURL, token)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	task, err := c.SearchPhysical(ctx, fssp.PhysicalQuery{Region: 66, LastName: "Иванов", FirstName: "Сергей"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Wait(ctx, task)
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range res.Results[0].Items {
		fmt.Println(it.Number(), it.Name, it.Open())
	}
	// Output:
	// 6860/12/66061-ИП ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982 ГОР. ЕКАТЕРИНБУРГ false
	// 6861/12/66061-ИП ИВАНОВ СЕРГЕЙ ИВАНОВИЧ 01.01.1990 ГОР. ЕКАТЕРИНБУРГ true
}

func ExampleClient_Group() {
	baseURL, token, stop := startExampleServer()
	defer stop()

	c := fssp.New(baseURL, token)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Any number of requests: they go in groups of at most 100, and come
	// back in this order.
	subs, err := c.Group(ctx, []fssp.Request{
		{Physical: &fssp.PhysicalQuery{Region: 66, LastName: "Иванов", FirstName: "Сергей", BirthDate: "09.06.1982"}},
		{Legal: &fssp.LegalQuery{Region: 66, Name: "Ромашка"}},
		{IP: &fssp.IPQuery{Number: "7001/12/66061-ИП"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for i, sub := range subs {
		if err := sub.Err(); err != nil {
			fmt.Println(i, err)
			continue
		}
		fmt.Println(i, len(sub.Items), "found")
	}
	// Output:
	// 0 1 found
	// 1 2 found
	// 2 1 found
}

// Errors are told apart with errors.Is; APIError has the details.
func ExampleAPIError() {
	baseURL, _, stop := startExampleServer()
	defer stop()

	c := fssp.New(baseURL, "not-a-token")
	_, err := c.SearchIP(context.Background(), fssp.IPQuery{Number: "6860/12/61/66"})
	var apiErr *fssp.APIError
	switch {
	case errors.Is(err, fssp.ErrRateLimited) && errors.As(err, &apiErr):
		fmt.Println("retry in", apiErr.RetryAfter)
	case errors.Is(err, fssp.ErrUnauthorized):
		fmt.Println("the token is wrong or expired:", err)
	case err != nil:
		fmt.Println(err)
	}
	// Output:
	// the token is wrong or expired: fssp: search/ip: HTTP 401: invalid token
}
