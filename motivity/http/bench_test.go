package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend/motivity"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// Benchmarks of the Motivity API; docs/benchmarks.md has the commands and
// the figures.

const benchUsers = 10

// runClients runs b.N calls of one over clients goroutines (one's client
// is its goroutine, 0 to clients-1; i counts the calls) and reports their
// rate, p50 and p99.
func runClients(b *testing.B, clients int, one func(client, i int) (time.Duration, error)) {
	var next atomic.Int64
	var mu sync.Mutex
	latencies := make([]time.Duration, 0, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	for c := range clients {
		wg.Go(func() {
			var local []time.Duration
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				took, err := one(c, int(i))
				if err != nil {
					b.Error(err)
					break
				}
				local = append(local, took)
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(len(latencies))/b.Elapsed().Seconds(), "requests/s")
	if len(latencies) > 0 {
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkPointsContention: 64 clients over loopback HTTP send one-item
// debits and credits to the same 10 users. It reports applied changes per
// second and the latency percentiles, then checks that nothing was lost:
// every balance equals the sum of the changes acknowledged as applied and
// the sum of its ledger.
func BenchmarkPointsContention(b *testing.B) {
	const clients = 64
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			clock := stendtest.NewManualClock(today)
			s := standOn(b, o.Open(b), clock, seed(), stendtest.Config())
			ctx := context.Background()
			for i := range benchUsers {
				if _, err := s.node.Operator.PutMotivityUser(ctx, operator.MotivityUserInput{Identifier: fmt.Sprintf("u%d@example.ru", i)}); err != nil {
					b.Fatal(err)
				}
			}
			srv := httptest.NewServer(s.handler)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
			var applied [benchUsers]atomic.Int64
			var appliedCount atomic.Int64
			runClients(b, clients, func(_, i int) (time.Duration, error) {
				user := i % benchUsers
				// Credits of 3 and debits of 2 mostly succeed; debits of 7
				// are often refused: both paths run.
				amount := [...]int{3, -2, 3, -7}[(i/benchUsers)%4]
				body := fmt.Sprintf(`[{"userId":"u%d@example.ru","balanceType":"score","amount":%d}]`, user, amount)
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/public/api/v1/points/", strings.NewReader(body))
				req.Header.Set("X-Auth-Token", token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					return 0, err
				}
				answer, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				took := time.Since(t0)
				if resp.StatusCode != http.StatusOK {
					return 0, fmt.Errorf("status %d %s", resp.StatusCode, answer)
				}
				if strings.Contains(string(answer), `"success":true`) {
					applied[user].Add(int64(amount))
					appliedCount.Add(1)
				}
				return took, nil
			})
			b.ReportMetric(float64(appliedCount.Load())/b.Elapsed().Seconds(), "applied/s")
			lost := 0
			for u := range benchUsers {
				ident := fmt.Sprintf("u%d@example.ru", u)
				d, err := s.node.Operator.MotivityUser(ctx, ident)
				if err != nil {
					b.Fatal(err)
				}
				entries, err := s.node.Operator.Ledger(ctx, ident, motivity.BalanceScore, 0, 0)
				var sum int64
				for len(entries) > 0 && err == nil {
					for _, e := range entries {
						sum += e.Amount
					}
					entries, err = s.node.Operator.Ledger(ctx, ident, motivity.BalanceScore, entries[len(entries)-1].ID, 0)
				}
				if err != nil {
					b.Fatal(err)
				}
				got := d.Balances[motivity.BalanceScore]
				if got != applied[u].Load() || got != sum || got < 0 {
					lost++
					b.Errorf("%s: balance %d, acknowledged %d, ledger %d", ident, got, applied[u].Load(), sum)
				}
			}
			b.ReportMetric(float64(lost), "lost-balances")
		})
	}
}

// BenchmarkAssignBadge1000 assigns a fresh badge to 1,000 users in one
// request, through the handler.
func BenchmarkAssignBadge1000(b *testing.B) {
	const users = 1000
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			clock := stendtest.NewManualClock(today)
			s := standOn(b, o.Open(b), clock, seed(), stendtest.Config())
			ctx := context.Background()
			idents := make([]string, users)
			for i := range idents {
				idents[i] = strconv.Quote(fmt.Sprintf("user%04d@example.ru", i))
				if _, err := s.store.Motivity().CreateUser(ctx, motivity.User{Identifier: fmt.Sprintf("user%04d@example.ru", i), Active: true, CreatedAt: today}); err != nil {
					b.Fatal(err)
				}
			}
			body := `{"userId":[` + strings.Join(idents, ",") + `]}`
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				id := int64(1000 + i)
				if _, err := s.node.Operator.PutBadge(ctx, operator.BadgeInput{ID: id, Image: "i", Texts: map[string]operator.BadgeTextJSON{"ru": {Title: "t", PopupDescription: "p"}}}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				a := s.call("POST", fmt.Sprintf("/public/api/v1/badge/%d/assign", id), body)
				if a.status != http.StatusOK || strings.Contains(a.body, `"success":false`) {
					b.Fatalf("%d %.200s", a.status, a.body)
				}
			}
		})
	}
}
