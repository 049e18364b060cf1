package motivity_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"stend/client/motivity"
)

func Example() {
	// The address of a Motivity platform and its public token: here a
	// stend started in-process with a small platform.
	baseURL, token, stop := startExampleServer()
	defer stop()

	c := motivity.New(baseURL, token, motivity.WithLocale("en"))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	res, err := c.ChangePoints(ctx, []motivity.PointsChange{
		{UserID: "a@example.ru", BalanceType: motivity.Score, Amount: 100, Message: "Welcome bonus"},
		{UserID: "a@example.ru", BalanceType: motivity.Karma, Amount: -5},
		{UserID: "nobody@example.ru", BalanceType: motivity.Score, Amount: 10},
	})
	if err != nil {
		log.Fatal(err) // the batch as a whole was refused
	}
	for _, r := range res {
		switch err := r.Err(); {
		case err == nil:
			fmt.Println(r.UserID, r.BalanceType, "now", *r.Balance)
		case errors.Is(err, motivity.ErrInsufficientPoints):
			fmt.Println(r.UserID, r.BalanceType, "has only", *r.Balance)
		default:
			fmt.Println(r.UserID, err)
		}
	}
	// Output:
	// a@example.ru score now 100
	// a@example.ru karma has only 0
	// nobody@example.ru motivity: User not found (userId)
}

// A report is read row by row as the server writes it: a report of any
// length holds one row in memory.
func ExampleClient_GenerateReport() {
	baseURL, token, stop := startExampleServer()
	defer stop()
	c := motivity.New(baseURL, token)
	ctx := context.Background()

	r, err := c.GenerateReport(ctx, motivity.UsersReport, motivity.Filters{
		"users": []string{"a@example.ru", "owner@example.ru"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	var columns []string
	for _, col := range r.Pages[0] {
		columns = append(columns, col.Name)
	}
	fmt.Println(strings.Join(columns, " "))
	for r.Next() {
		row := r.Row()
		fmt.Println(row.Text("id"), row.Text("name"), row.Text("manager"))
	}
	if err := r.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// id name email manager
	// a@example.ru Анна boss@example.ru
	// owner@example.ru Олег mgr@example.ru
}

// A created report is built in the background; WaitReport polls it.
func ExampleClient_WaitReport() {
	baseURL, token, stop := startExampleServer()
	defer stop()
	c := motivity.New(baseURL, token)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	id, err := c.CreateReport(ctx, motivity.BalancesReport, nil)
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.WaitReport(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	n := 0
	for r.Next() {
		n++
	}
	fmt.Println(n, "balances", r.Err())
	// Output:
	// 6 balances <nil>
}

// Files go up and come down as streams.
func ExampleClient_Upload() {
	baseURL, token, stop := startExampleServer()
	defer stop()
	c := motivity.New(baseURL, token)
	ctx := context.Background()

	f, err := c.Upload(ctx, "итоги.pdf", strings.NewReader("%PDF-1.7 …"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(f.Name, f.Size)
	d, err := c.DownloadFile(ctx, f.ID, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Body.Close()
	body, err := io.ReadAll(d.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Name, d.ContentType, string(body))

	_, err = c.Upload(ctx, "setup.exe", strings.NewReader("MZ"))
	fmt.Println(errors.Is(err, motivity.ErrFormatNotAllowed), err)
	// Output:
	// итоги.pdf 12
	// итоги.pdf application/pdf %PDF-1.7 …
	// true motivity: Upload: HTTP 400: File format not allowed
}

// An answer's problems are told apart with errors.Is; APIError has them
// all, with their causes.
func ExampleAPIError() {
	baseURL, token, stop := startExampleServer()
	defer stop()
	c := motivity.New(baseURL, token)

	_, err := c.QuestTasks(context.Background(), 1, motivity.TaskQuery{StudentID: "stranger@example.ru", TaskID: 21})
	var apiErr *motivity.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, motivity.ErrNotQuestStudent), errors.Is(err, motivity.ErrTaskNotFound))
		for _, p := range apiErr.Problems {
			fmt.Printf("%s (%s)\n", p.Message, p.Cause)
		}
	}
	// Output:
	// true true
	// Task not found (taskId)
	// User is not a quest student (StudentId)
}
