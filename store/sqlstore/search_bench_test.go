package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"stend/journal"
	"stend/store/storetest"
)

// The console's first look at the journal, its newest page, against the
// listing's first (oldest) page, over 100,000 entries (the default bound):
// both walk the id index, one backwards; filtered by a status 1 in 100
// entries has, each reads about a hundred rows a page entry. "Older
// entries" deep in the journal (before the 1,000th, and before the
// 5,100th filtered) must start where it asks, not walk down from the newest.
func BenchmarkNewestJournal(b *testing.B) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			db := o.Open(b)
			ctx := context.Background()
			at := time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)
			const total, batch = 100_000, 1000
			for n := 0; n < total; n += batch {
				es := make([]journal.Entry, batch)
				for i := range es {
					status := 200
					if (n+i)%100 == 0 {
						status = 503
					}
					es[i] = journal.Entry{At: at.Add(time.Duration(n+i) * time.Millisecond), RequestID: fmt.Sprint(n + i), API: "fssp",
						Route: "GET /api/v1.0/status", Method: "GET", Path: "/api/v1.0/status", Query: "task=1&token=%2A%2A%2A", Headers: "{}",
						Body: "", Status: status, Answer: `{"status":"success"}`}
				}
				if err := db.AppendJournal(ctx, es); err != nil {
					b.Fatal(err)
				}
			}
			first, err := db.Journal(ctx, journal.Filter{Limit: 1})
			if err != nil || len(first) != 1 {
				b.Fatal(first, err)
			}
			deep, deepFiltered := first[0].ID+1000, first[0].ID+5100
			for _, c := range []struct {
				name string
				run  func() ([]journal.Entry, error)
			}{
				{"newest", func() ([]journal.Entry, error) { return db.NewestJournal(ctx, journal.Filter{Limit: 50}, 0) }},
				{"oldest", func() ([]journal.Entry, error) { return db.Journal(ctx, journal.Filter{Limit: 50}) }},
				{"newest-503", func() ([]journal.Entry, error) {
					return db.NewestJournal(ctx, journal.Filter{Status: 503, Limit: 50}, 0)
				}},
				{"oldest-503", func() ([]journal.Entry, error) { return db.Journal(ctx, journal.Filter{Status: 503, Limit: 50}) }},
				{"deep", func() ([]journal.Entry, error) { return db.NewestJournal(ctx, journal.Filter{Limit: 50}, deep) }},
				{"deep-503", func() ([]journal.Entry, error) {
					return db.NewestJournal(ctx, journal.Filter{Status: 503, Limit: 50}, deepFiltered)
				}},
			} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						es, err := c.run()
						if err != nil || len(es) != 50 {
							b.Fatal(len(es), err)
						}
					}
				})
			}
		})
	}
}
