package job_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/job"
	"stend/store/storetest"
)

// BenchmarkPickup measures the time from the commit of a job's transaction
// to the start of its handler, one job at a time, and reports the median and
// 99th percentile.
func BenchmarkPickup(b *testing.B) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			db, _ := storetest.Reopenable(b, o.Name)
			started := make(chan time.Time, 1)
			r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 4})
			r.Handle("ping", func(ctx context.Context, j stend.Job) error {
				started <- time.Now()
				return nil
			})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { _ = r.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			latencies := make([]time.Duration, 0, b.N)
			for b.Loop() {
				if _, err := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "ping"}); err != nil {
					b.Fatal(err)
				}
				committed := time.Now()
				latencies = append(latencies, (<-started).Sub(committed))
			}
			report(b, latencies)
		})
	}
}

// BenchmarkThroughput enqueues jobs from 8 goroutines, one job per
// transaction, and reports jobs completed per second.
func BenchmarkThroughput(b *testing.B) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			db, _ := storetest.Reopenable(b, o.Name)
			var wg sync.WaitGroup
			wg.Add(b.N)
			r := job.New(db, stend.SystemClock{}, quiet, job.Config{Workers: 16,
				Recorded: func(stend.Job, stend.JobState) { wg.Done() }})
			r.Handle("noop", func(ctx context.Context, j stend.Job) error { return nil })
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { _ = r.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			b.ResetTimer()
			jobs := make(chan struct{}, b.N)
			for range b.N {
				jobs <- struct{}{}
			}
			close(jobs)
			var producers sync.WaitGroup
			for range 8 {
				producers.Go(func() {
					for range jobs {
						if _, err := db.EnqueueJob(context.Background(), stend.JobSpec{At: time.Now(), Kind: "noop"}); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			producers.Wait()
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

func report(b *testing.B, latencies []time.Duration) {
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
