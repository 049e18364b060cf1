package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
			// The writer prunes every thousand entries: by the key, not by
			// reading the whole journal, even in the generic plan a
			// prepared statement comes to on PostgreSQL.
			plan := prunePlan(t, ctx, o.Name, db.WriteDB(), db.Query("PruneJournal"))
			byKey := strings.Contains(plan, "SEARCH journal USING INTEGER PRIMARY KEY")
			if o.Name == "postgres" {
				byKey = !strings.Contains(plan, "Seq Scan") &&
					(strings.Contains(plan, "using journal_pkey on journal\n") || strings.Contains(plan, "Bitmap Index Scan on journal_pkey"))
			}
			if !byKey {
				t.Fatalf("the prune's plan:\n%s", plan)
			}
		})
	}
}

// prunePlan explains stmt as the journal writer runs it: on PostgreSQL as
// a prepared statement under its generic plan.
func prunePlan(t *testing.T, ctx context.Context, store string, db *sql.DB, stmt string) string {
	t.Helper()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	query := "EXPLAIN QUERY PLAN " + stmt
	args := []any{int64(6)}
	if store == "postgres" {
		for _, set := range []string{"SET plan_cache_mode = force_generic_plan", "PREPARE prune_plan(bigint) AS " + stmt} {
			if _, err := conn.ExecContext(ctx, set); err != nil {
				t.Fatal(err)
			}
		}
		defer func() {
			_, _ = conn.ExecContext(ctx, "DEALLOCATE prune_plan")
			_, _ = conn.ExecContext(ctx, "RESET plan_cache_mode")
		}()
		query, args = "EXPLAIN (COSTS OFF) EXECUTE prune_plan(6)", nil
	}
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	for rows.Next() {
		// SQLite's rows are (id, parent, notused, detail); PostgreSQL's one line.
		cells := make([]any, len(cols))
		var line string
		for i := range cells {
			cells[i] = new(any)
		}
		cells[len(cells)-1] = &line
		if err := rows.Scan(cells...); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan.String()
}
