package sqlitedriver

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rowsPerTx is the bulk-insert transaction size (one report version).
const rowsPerTx = 5000

// Point-read dataset: readReports * rowsPerTx rows in report_requests.
const readReports = 20

var benchDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sqlitedriver-*")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	benchDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requestContext stands in for an HTTP request's context: cancellable, so
// both drivers take their context-watching paths as they would in stend.
func requestContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	return ctx
}

func openTB(tb testing.TB, d Driver, path string, o Options, maxConns int) *sql.DB {
	tb.Helper()
	db, err := Open(context.Background(), d, path, o, maxConns)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// reportCPU reports the process CPU time used since cpu0 per operation.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((ProcessCPU()-cpu0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
}

func forEachDriver(b *testing.B, fn func(b *testing.B, d Driver)) {
	for _, d := range Drivers {
		b.Run("driver="+d.Name, func(b *testing.B) { fn(b, d) })
	}
}

// Workload 1: bulk insert, 5,000 rows per transaction.
func BenchmarkBulkInsert(b *testing.B) {
	for _, perStmt := range []int{1, 100, 500} {
		b.Run(fmt.Sprintf("rows_per_stmt=%d", perStmt), func(b *testing.B) {
			forEachDriver(b, func(b *testing.B, d Driver) {
				ctx := requestContext(b)
				db := openTB(b, d, filepath.Join(b.TempDir(), "bulk.db"), DefaultOptions, 1)
				bi := NewBulkInserter(perStmt)
				var reportID int64
				cpu0 := ProcessCPU()
				for b.Loop() {
					reportID++
					if err := bi.InsertReport(ctx, db, reportID, rowsPerTx); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu0)
				b.ReportMetric(float64(b.N*rowsPerTx)/b.Elapsed().Seconds(), "rows/s")
			})
		})
	}
}

// Workload 2: small write transactions, sequential.
func BenchmarkSmallWriteTx(b *testing.B) {
	forEachDriver(b, func(b *testing.B, d Driver) {
		ctx := requestContext(b)
		db := openTB(b, d, filepath.Join(b.TempDir(), "small.db"), DefaultOptions, 1)
		if err := SeedPersons(ctx, db, len(personIDs)); err != nil {
			b.Fatal(err)
		}
		createdAt := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC).Format(time.RFC3339)
		lat := make([]time.Duration, 0, 1<<16)
		i := 0
		cpu0 := ProcessCPU()
		for b.Loop() {
			i++
			start := time.Now()
			if err := SmallTx(ctx, db, personIDs[i*7919%len(personIDs)], 1+i%3, createdAt, examDates[i%len(examDates)]); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		reportCPU(b, cpu0)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		b.ReportMetric(float64(Percentile(lat, 50).Nanoseconds())/1e3, "p50-µs")
		b.ReportMetric(float64(Percentile(lat, 99).Nanoseconds())/1e3, "p99-µs")
	})
}

var (
	readDBMu    sync.Mutex
	readDBPaths = map[string]string{}
)

// readDataset returns the path of a database file holding the point-read
// dataset for d, creating it once per test binary run.
func readDataset(b *testing.B, d Driver) string {
	readDBMu.Lock()
	defer readDBMu.Unlock()
	if p, ok := readDBPaths[d.Name]; ok {
		return p
	}
	p := filepath.Join(benchDir, "read-"+d.Name+".db")
	db, err := Open(context.Background(), d, p, DefaultOptions, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := SeedReportRequests(context.Background(), db, readReports, rowsPerTx); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	readDBPaths[d.Name] = p
	return p
}

// Workload 3: point reads by primary key from 1, 2 and 8 goroutines, each on
// its own pooled connection; the query is either sent as SQL text each time
// (db.QueryRowContext, so the driver compiles it on every call) or through a
// prepared *sql.Stmt.
func BenchmarkPointRead(b *testing.B) {
	for _, conns := range []int{1, 2, 8} {
		for _, prepared := range []bool{false, true} {
			name := fmt.Sprintf("conns=%d/stmt=text", conns)
			if prepared {
				name = fmt.Sprintf("conns=%d/stmt=prepared", conns)
			}
			b.Run(name, func(b *testing.B) {
				forEachDriver(b, func(b *testing.B, d Driver) {
					benchPointRead(b, d, conns, prepared)
				})
			})
		}
	}
}

func benchPointRead(b *testing.B, d Driver, conns int, prepared bool) {
	ctx := requestContext(b)
	db := openTB(b, d, readDataset(b, d), DefaultOptions, conns)
	if err := WarmUp(ctx, db, conns); err != nil {
		b.Fatal(err)
	}
	var stmt *sql.Stmt
	if prepared {
		var err error
		if stmt, err = PreparePointRead(ctx, db); err != nil {
			b.Fatal(err)
		}
		defer stmt.Close()
	}
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	cpu0 := ProcessCPU()
	for g := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 42))
			var r RequestRow
			var err error
			for next.Add(1) <= int64(b.N) {
				rep := 1 + rng.Int64N(readReports)
				row := 1 + rng.Int64N(rowsPerTx)
				if prepared {
					err = PointReadStmt(ctx, stmt, rep, row, &r)
				} else {
					err = PointRead(ctx, db, rep, row, &r)
				}
				if err != nil {
					failed.Store(&err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	reportCPU(b, cpu0)
	if e := failed.Load(); e != nil {
		b.Fatal(*e)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
}
