package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// Benchmarks of the report intake; docs/benchmarks.md has the commands and
// the figures. Every report goes to its own area and week, so none is a
// duplicate, and each takes the full path: auth, decode, rules, one write
// transaction.

const benchAreas = 500

type benchStand struct {
	*stand
	next atomic.Int64
}

func newBenchStand(b *testing.B, open func(testing.TB) *sqlstore.DB, maxRows int) *benchStand {
	return newBenchStandJournal(b, open, maxRows, true)
}

// newBenchStandJournal is newBenchStand with the request journal on or off.
func newBenchStandJournal(b *testing.B, open func(testing.TB) *sqlstore.DB, maxRows int, journal bool) *benchStand {
	b.Helper()
	cfg := testConfig()
	cfg.Journal = journal
	cfg.MigrantExamMaxRows = maxRows
	cfg.MigrantExamMaxBodyBytes = 64 << 20
	clock := stendtest.NewManualClock(today)
	s := standOn(b, open(b), clock, cfg)
	org, err := s.store.MigrantExam().OrganizationByUsername(context.Background(), alpha.user)
	if err != nil {
		b.Fatal(err)
	}
	for i := range int64(benchAreas) {
		if _, err := s.node.Operator.GrantArea(context.Background(), org.ID, 1000+i, ""); err != nil {
			b.Fatal(err)
		}
	}
	return &benchStand{stand: s}
}

var benchMonday = time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)

// body renders report number i with rows rows, by hand: the client's JSON
// encoding is not what is measured.
func (s *benchStand) body(rows int) string {
	i := s.next.Add(1) - 1
	area := 1000 + i%benchAreas
	start := benchMonday.AddDate(0, 0, -7*int(i/benchAreas))
	var b strings.Builder
	b.Grow(600 + rows*140)
	fmt.Fprintf(&b, `{"examinationAreaId":%d,"periodStartDate":%q,"periodEndDate":%q,"noExamInSelectedPeriod":false,`+
		`"examinationAreaDoesNotWork":false,"noPatentExamType":false,"patentNearestStartDate":"2025-07-05",`+
		`"noTemporaryResidenceExamType":true,"noResidencePermitExamType":true,"noCitizenshipRussianLangExamType":true,`+
		`"noCitizenshipHistoryExamType":true,"comment":"нагрузочный тест","requests":[`,
		area, start.Format(time.DateOnly), start.AddDate(0, 0, 6).Format(time.DateOnly))
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"identityDocumentNumber":"%064x","examDate":%q,"migrationExamType":%d,"migrationExamStatus":%d}`,
			i*100000+int64(r), start.AddDate(0, 0, r%7).Format(time.DateOnly), 1+r%3, 1+r%2)
	}
	b.WriteString("]}")
	return b.String()
}

func benchStores(b *testing.B, fn func(b *testing.B, open func(testing.TB) *sqlstore.DB)) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) { fn(b, o.Open) })
	}
}

// BenchmarkLargeReport posts reports of 5,000 rows through the handler
// (no network) and reports rows per second: one sender at a time, and as
// many senders as cores, which is the sustained rate (one report is decoded
// while another is written).
func BenchmarkLargeReport(b *testing.B) {
	const rows = 5000
	benchStores(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		for _, senders := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("senders=%d", senders), func(b *testing.B) {
				s := newBenchStand(b, open, rows)
				// Rendered before the clock starts: the client's work is not
				// what is measured.
				bodies := make(chan string, b.N)
				for range b.N {
					bodies <- s.body(rows)
				}
				close(bodies)
				b.ResetTimer()
				var wg sync.WaitGroup
				for range senders {
					wg.Go(func() {
						for body := range bodies {
							if got := s.post(alpha, body); got.status != http.StatusOK {
								b.Errorf("%d %s", got.status, got.body)
								return
							}
						}
					})
				}
				wg.Wait()
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	})
}

// BenchmarkSmallReports sends one-row reports over loopback HTTP, one client
// after another and from 32 concurrent clients, and reports reports per
// second with the median and 99th percentile latency.
func BenchmarkSmallReports(b *testing.B) {
	benchStores(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		for _, clients := range []int{1, 32} {
			b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { smallReports(b, newBenchStand(b, open, 10), clients) })
		}
	})
}

// BenchmarkSmallReportsJournal is the intake from 32 clients with the
// request journal off and on: what recording every request costs.
func BenchmarkSmallReportsJournal(b *testing.B) {
	benchStores(b, func(b *testing.B, open func(testing.TB) *sqlstore.DB) {
		for _, on := range []bool{false, true} {
			b.Run(fmt.Sprintf("journal=%t", on), func(b *testing.B) { smallReports(b, newBenchStandJournal(b, open, 10, on), 32) })
		}
	})
}

func smallReports(b *testing.B, s *benchStand, clients int) {
	srv := httptest.NewServer(s.handler)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
	bodies := make(chan string, 4096)
	go func() {
		defer close(bodies)
		for range b.N {
			bodies <- s.body(1)
		}
	}()
	var mu sync.Mutex
	latencies := make([]time.Duration, 0, b.N)
	var wg sync.WaitGroup
	b.ResetTimer()
	for range clients {
		wg.Go(func() {
			local := make([]time.Duration, 0, b.N/clients+1)
			for body := range bodies {
				req, _ := http.NewRequest(http.MethodPost, srv.URL+"/Reports/Report", strings.NewReader(body))
				req.SetBasicAuth(alpha.user, alpha.password)
				req.Header.Set("x-api-key", alpha.key)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				local = append(local, time.Since(t0))
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	if len(latencies) > 0 {
		b.ReportMetric(float64(len(latencies))/b.Elapsed().Seconds(), "reports/s")
		b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	}
}
