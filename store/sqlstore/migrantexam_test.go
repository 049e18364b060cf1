package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/migrantexam"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// TestTakenReportIDIsDrawnAgain: a new report whose random id another
// report has draws again, and the other report is left as it was; when
// every draw is taken, nothing is stored. Not parallel: it replaces the
// draw of every store in the process.
func TestTakenReportIDIsDrawnAgain(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	week := stend.Date{Year: 2025, Month: time.May, Day: 26}
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			db := o.Open(t)
			ms := db.MigrantExam()
			a, b := storetest.MustOrganization(t, ms, "a"), storetest.MustOrganization(t, ms, "b")
			storetest.MustArea(t, ms, a.ID, 1)
			storetest.MustArea(t, ms, b.ID, 2)
			var draws []int64
			defer sqlstore.SetReportIDs(func() int64 {
				d := draws[0]
				draws = draws[1:]
				return d
			})()
			submit := func(org, area int64, start stend.Date) (int64, error) {
				return ms.SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org, ReceivedAt: at, Content: migrantexam.ReportContent{
					ExaminationAreaID: area, PeriodStart: start, PeriodEnd: start.AddDays(6), NoExamInSelectedPeriod: true,
				}})
			}
			draws = []int64{77}
			if id, err := submit(a.ID, 1, week); err != nil || id != 77 {
				t.Fatalf("first report: %d %v", id, err)
			}
			draws = []int64{77, 77, 78}
			if id, err := submit(b.ID, 2, week); err != nil || id != 78 {
				t.Fatalf("report drawn again: %d %v", id, err)
			}
			if len(draws) != 0 {
				t.Fatalf("%d draws left", len(draws))
			}
			first, err := ms.Report(ctx, 77)
			if err != nil || first.OrganizationID != a.ID || first.ExaminationAreaID != 1 || len(first.Versions) != 1 {
				t.Fatalf("the report whose id was drawn again: %+v %v", first, err)
			}
			second, err := ms.Report(ctx, 78)
			if err != nil || second.OrganizationID != b.ID || second.ExaminationAreaID != 2 || len(second.Versions) != 1 {
				t.Fatalf("the report that drew again: %+v %v", second, err)
			}
			draws = make([]int64, 16)
			for i := range draws {
				draws[i] = 77 + int64(i%2)
			}
			if _, err := submit(a.ID, 1, week.AddDays(7)); !stend.IsKind(err, stend.Internal) {
				t.Fatalf("every draw taken: %v", err)
			}
			if all, err := ms.Reports(ctx, migrantexam.ReportFilter{}); err != nil || len(all) != 2 {
				t.Fatalf("%d reports after every draw was taken (%v)", len(all), err)
			}
		})
	}
}

// TestTakenReportIDInABatch: reports written together draw distinct ids,
// and one whose id another report has is stored under a new draw, the
// other report left as it was (on PostgreSQL a batch skips it and the
// single statement draws again). Not parallel: it replaces the draw.
func TestTakenReportIDInABatch(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	week := stend.Date{Year: 2025, Month: time.May, Day: 26}
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			db := o.Open(t)
			ms := db.MigrantExam()
			a := storetest.MustOrganization(t, ms, "a")
			storetest.MustArea(t, ms, a.ID, 1)
			// Every other draw is 77, so that whichever reports go
			// together, one of them draws the taken id first.
			var mu sync.Mutex
			calls := int64(0)
			defer sqlstore.SetReportIDs(func() int64 {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if calls%2 == 1 {
					return 77
				}
				return 1000 + calls
			})()
			submit := func(start stend.Date) (int64, error) {
				return ms.SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: a.ID, ReceivedAt: at, Content: migrantexam.ReportContent{
					ExaminationAreaID: 1, PeriodStart: start, PeriodEnd: start.AddDays(6), NoExamInSelectedPeriod: true,
				}})
			}
			if id, err := submit(week); err != nil || id != 77 {
				t.Fatalf("first report: %d %v", id, err)
			}
			const reports = 6
			before := db.WriteGroups()
			release := storetest.HoldWriter(t, db, "reports")
			ids := make([]int64, reports)
			errs := make([]error, reports)
			var wg sync.WaitGroup
			for i := range reports {
				wg.Go(func() { ids[i], errs[i] = submit(week.AddDays(-7 * (i + 1))) })
			}
			storetest.WaitInStore(t, reports, release, db)
			release()
			wg.Wait()
			if after := db.WriteGroups(); after.Groups-before.Groups >= after.Members-before.Members {
				t.Fatalf("none written together: %+v then %+v", before, after)
			}
			seen := map[int64]bool{77: true}
			for i := range reports {
				if errs[i] != nil || seen[ids[i]] {
					t.Fatalf("report %d: %d %v (ids %v)", i, ids[i], errs[i], ids)
				}
				seen[ids[i]] = true
			}
			first, err := ms.Report(ctx, 77)
			if err != nil || first.PeriodStart != week || len(first.Versions) != 1 {
				t.Fatalf("the report whose id was drawn again: %+v %v", first, err)
			}
			if all, err := ms.Reports(ctx, migrantexam.ReportFilter{}); err != nil || len(all) != 1+reports {
				t.Fatalf("%d reports (%v)", len(all), err)
			}
		})
	}
}
