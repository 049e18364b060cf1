package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"stend/journal"
	"stend/store/storetest"
)

// A prune keeps the newest entries, by id, on each store.
func TestPruneJournal(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := o.Open(t)
			var entries []journal.Entry
			for i := range 10 {
				entries = append(entries, journal.Entry{At: time.Unix(1_800_000_000+int64(i), 0).UTC(), RequestID: fmt.Sprint("r", i),
					API: "fssp", Route: "/status", Method: "GET", Path: "/status", Headers: "{}", Status: 200})
			}
			if err := db.AppendJournal(ctx, entries); err != nil {
				t.Fatal(err)
			}
			if err := db.PruneJournal(ctx, 6); err != nil {
				t.Fatal(err)
			}
			var n int64
			var oldest string
			if err := db.WriteDB().QueryRowContext(ctx, "SELECT count(*), min(request_id) FROM journal").Scan(&n, &oldest); err != nil {
				t.Fatal(err)
			}
			if n != 6 || oldest != "r4" {
				t.Fatalf("after keeping 6 of 10: %d entries, the oldest %s; want 6 from r4", n, oldest)
			}
		})
	}
}
