package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// `motivity points generate` keeps the ledger as requests keep it, a second
// run going on from the balances the first left: each entry's balance after
// is the one before plus its amount, never below zero, and each balance is
// its last entry's balance after (the sum of its entries); times within
// the period, mostly growing with the id; both actors, every balance type,
// spending as well as adding. On SQLite, and on PostgreSQL when
// STEND_TEST_DATABASE_URL names one.
func TestMotivityPointsGenerateCommand(t *testing.T) {
	t.Parallel()
	onEachStore(t, pointsGenerateOn)
}

func pointsGenerateOn(t *testing.T, dsn []string) {
	dir := t.TempDir()
	stend := func(args ...string) string {
		t.Helper()
		return runStend(t, dir, append(args, dsn...)...)
	}
	type generated struct {
		Users, Entries, Refused int64
		ByBalance               map[string]int64
		From, To                time.Time
	}
	var runs []generated
	for _, seed := range []string{"1", "2"} {
		var g generated
		out := stend("motivity", "points", "generate", "--users", "20", "--entries", "500", "--days", "30", "--random-seed", seed)
		if err := json.Unmarshal([]byte(out), &g); err != nil || g.Users != 20 || g.Entries+g.Refused != 500 || g.Refused != 0 ||
			g.To.Sub(g.From) != 30*24*time.Hour || len(g.ByBalance) != 3 {
			t.Fatalf("generate: %v %s", err, out)
		}
		runs = append(runs, g)
	}
	type entry struct {
		ID           int64
		UserID       int64
		BalanceType  string
		Amount       int64
		BalanceAfter int64
		Actor        string
		Message      string
		At           time.Time
	}
	var ledger []entry
	for after := int64(0); ; {
		var page []entry
		if err := json.Unmarshal([]byte(stend("motivity", "ledger", "list", "--after", fmt.Sprint(after), "--limit", "1000")), &page); err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		ledger = append(ledger, page...)
		after = page[len(page)-1].ID
	}
	if len(ledger) != 1000 {
		t.Fatalf("%d entries, want 1000", len(ledger))
	}
	last := map[string]int64{} // "user/balance type" → balance after its last entry
	actors, spent, backwards := map[string]int{}, 0, 0
	for i, e := range ledger {
		key := fmt.Sprintf("%d/%s", e.UserID, e.BalanceType)
		if e.BalanceAfter != last[key]+e.Amount || e.BalanceAfter < 0 || e.Message == "" {
			t.Fatalf("entry %d: %+v after %d", e.ID, e, last[key])
		}
		last[key] = e.BalanceAfter
		actors[e.Actor]++
		if e.Amount < 0 {
			spent++
		}
		run := runs[i/500]
		if e.At.Before(run.From) || !e.At.Before(run.To) {
			t.Errorf("entry %d at %s, outside [%s, %s)", e.ID, e.At, run.From, run.To)
		}
		if i%500 > 0 && e.At.Before(ledger[i-1].At) {
			backwards++
		}
	}
	if actors["public-api"] == 0 || actors["operator"] == 0 || len(actors) != 2 || spent == 0 || backwards > 100 {
		t.Errorf("actors %v, %d spending, %d entries earlier than the one before", actors, spent, backwards)
	}
	for i := 1; i <= 20; i++ {
		var shown struct {
			ID       int64
			Active   bool
			Balances map[string]int64
		}
		if err := json.Unmarshal([]byte(stend("motivity", "user", "show", "--identifier", fmt.Sprintf("user-%06d@bench.example.ru", i))), &shown); err != nil || !shown.Active {
			t.Fatalf("user %d: %v %+v", i, err, shown)
		}
		for balance, amount := range shown.Balances {
			if want := last[fmt.Sprintf("%d/%s", shown.ID, balance)]; amount != want {
				t.Errorf("user %d %s: %d, its entries add up to %d", i, balance, amount, want)
			}
		}
	}
	for _, bad := range [][]string{
		{"--users", "0", "--entries", "1"},
		{"--users", "1", "--entries", "0"},
		{"--users", "1", "--entries", "1", "--days", "3651"},
	} {
		args := append(append([]string{"motivity", "points", "generate"}, bad...), append(dsn, "--data-dir", dir, "--log-level", "warn")...)
		if err := run(context.Background(), args, &strings.Builder{}, &strings.Builder{}); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
}
