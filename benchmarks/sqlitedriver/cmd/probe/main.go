// Command probe runs the three workloads longer than the Go benchmarks do, in
// a process of its own, and reports sustained throughput plus Go heap and
// process RSS. Build it with one driver (-tags no_ncruces or -tags
// no_modernc) so the RSS belongs to that driver alone:
//
//	go run -tags no_ncruces ./cmd/probe
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"stend/benchmarks/sqlitedriver"
)

func main() {
	name := flag.String("driver", "", "driver to probe (default: the only one linked)")
	reports := flag.Int("reports", 100, "bulk phase: 5,000-row transactions to insert per INSERT shape")
	perStmts := flag.String("per-stmt", "1,500", "bulk phase: rows per INSERT statement, one sub-phase each")
	txs := flag.Int("txs", 20000, "small-transaction phase: transactions")
	reads := flag.Int("reads", 300000, "read phase: point reads in total")
	conns := flag.Int("conns", 8, "read phase: goroutines/connections")
	flag.Parse()

	d, ok := sqlitedriver.ByName(*name)
	if *name == "" && len(sqlitedriver.Drivers) == 1 {
		d, ok = sqlitedriver.Drivers[0], true
	}
	if !ok {
		fail(fmt.Errorf("pick one driver with -driver or build tags; linked: %v", sqlitedriver.Drivers))
	}
	dir, err := os.MkdirTemp("", "sqlitedriver-probe-*")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	fmt.Printf("driver %s %s, GOMAXPROCS %d\n", d.Name, d.ModuleVersion(), runtime.GOMAXPROCS(0))
	mem("start")

	db, err := sqlitedriver.Open(ctx, d, filepath.Join(dir, "probe.db"), sqlitedriver.DefaultOptions, *conns)
	if err != nil {
		fail(err)
	}
	defer db.Close()

	// 1. Sustained bulk insert, one sub-phase per INSERT shape.
	var reportID int64
	for _, f := range strings.Split(*perStmts, ",") {
		var perStmt int
		if _, err := fmt.Sscan(f, &perStmt); err != nil || perStmt < 1 {
			fail(fmt.Errorf("bad -per-stmt %q", f))
		}
		bi := sqlitedriver.NewBulkInserter(perStmt)
		cpu0, start := sqlitedriver.ProcessCPU(), time.Now()
		for range *reports {
			reportID++
			if err := bi.InsertReport(ctx, db, reportID, 5000); err != nil {
				fail(err)
			}
		}
		el, cpu := time.Since(start), sqlitedriver.ProcessCPU()-cpu0
		fmt.Printf("bulk   %d rows in %v (CPU %v): %.0f rows/s, %.0f rows per CPU-second (%d rows/stmt, 5000 rows/tx, incl. WAL checkpoints)\n",
			*reports*5000, el.Round(time.Millisecond), cpu.Round(time.Millisecond), float64(*reports*5000)/el.Seconds(), float64(*reports*5000)/cpu.Seconds(), perStmt)
	}
	mem("after bulk")

	// 2. Small write transactions.
	if err := sqlitedriver.SeedPersons(ctx, db, 10000); err != nil {
		fail(err)
	}
	lat := make([]time.Duration, 0, *txs)
	cpu0, start := sqlitedriver.ProcessCPU(), time.Now()
	for i := 1; i <= *txs; i++ {
		t0 := time.Now()
		if err := sqlitedriver.SmallTx(ctx, db, sqlitedriver.PersonDoc(i*7919), 1+i%3, "2025-06-01T12:00:00Z", sqlitedriver.ExamDate(i)); err != nil {
			fail(err)
		}
		lat = append(lat, time.Since(t0))
	}
	el, cpu := time.Since(start), sqlitedriver.ProcessCPU()-cpu0
	fmt.Printf("smalltx %d tx in %v (CPU %v): %.0f tx/s, %.0f µs CPU/tx, p50 %v, p99 %v\n", *txs, el.Round(time.Millisecond), cpu.Round(time.Millisecond),
		float64(*txs)/el.Seconds(), float64(cpu.Microseconds())/float64(*txs), sqlitedriver.Percentile(lat, 50), sqlitedriver.Percentile(lat, 99))
	mem("after small tx")

	// 3. Point reads over the bulk-loaded rows.
	if err := sqlitedriver.WarmUp(ctx, db, *conns); err != nil {
		fail(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	cpu0, start = sqlitedriver.ProcessCPU(), time.Now()
	for g := range *conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			var r sqlitedriver.RequestRow
			for next.Add(1) <= int64(*reads) {
				if err := sqlitedriver.PointRead(ctx, db, 1+rng.Int64N(reportID), 1+rng.Int64N(5000), &r); err != nil {
					fail(err)
				}
			}
		})
	}
	wg.Wait()
	el, cpu = time.Since(start), sqlitedriver.ProcessCPU()-cpu0
	fmt.Printf("reads  %d point reads on %d conns in %v (CPU %v): %.0f reads/s, %.1f µs CPU/read\n", *reads, *conns, el.Round(time.Millisecond), cpu.Round(time.Millisecond),
		float64(*reads)/el.Seconds(), float64(cpu.Microseconds())/float64(*reads))
	mem(fmt.Sprintf("after reads (%d open conns)", db.Stats().OpenConnections))
	if fi, err := os.Stat(filepath.Join(dir, "probe.db")); err == nil {
		fmt.Printf("db file %.1f MiB\n", float64(fi.Size())/(1<<20))
	}
}

// mem prints Go heap figures and the process's current and peak RSS.
func mem(when string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, hwm := "?", "?"
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) >= 2 && f[0] == "VmRSS:" {
				rss = kib(f[1])
			}
			if len(f) >= 2 && f[0] == "VmHWM:" {
				hwm = kib(f[1])
			}
		}
	}
	fmt.Printf("mem    %-30s Go heap in use %5.1f MiB, Go runtime total (Sys) %5.1f MiB, RSS %s MiB, peak RSS %s MiB\n",
		when+":", float64(ms.HeapInuse)/(1<<20), float64(ms.Sys)/(1<<20), rss, hwm)
}

func kib(s string) string {
	var n float64
	fmt.Sscan(s, &n)
	return fmt.Sprintf("%.1f", n/1024)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "probe:", err)
	os.Exit(1)
}
