package http_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"testing"

	"stend"
	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// fullWeek is the valid report, both rows and every level, for area and
// the week starting n weeks before Monday 2025-06-02.
func fullWeek(area int64, n int) string {
	return report(append(weekOf(area, n),
		set("noResidencePermitExamType", true), del("residencePermitNearestStartDate"), set("comment", fmt.Sprint("неделя ", n)))...)
}

// TestReportsStoredTogether: reports that reach the store at once are
// written together (one group commit on SQLite, one statement on
// PostgreSQL), and each gets the answer it would get alone: new weeks are
// accepted with ids of their own and stored as sent, of two reports of one
// week one is accepted and the other named its duplicate, a week stored
// before is a duplicate, an area of another organization is refused.
func TestReportsStoredTogether(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		before := s.postAccepted(alpha, pastWeek(102, 0))
		type sent struct {
			c    creds
			body string
		}
		reports := []sent{
			{alpha, fullWeek(101, 1)}, {alpha, fullWeek(101, 2)}, {alpha, fullWeek(101, 3)},
			{alpha, pastWeek(101, 4)}, {beta, fullWeek(201, 1)}, {beta, pastWeek(201, 2)},
			{alpha, fullWeek(101, 7)}, {alpha, fullWeek(101, 7)}, // one week twice
			{alpha, pastWeek(102, 0)}, // the week stored before
			{beta, pastWeek(101, 8)},  // alpha's area
		}
		groups := s.store.WriteGroups()
		release := storetest.HoldWriter(t, s.store, "reports")
		answers := make([]answer, len(reports))
		var wg sync.WaitGroup
		for i, r := range reports {
			wg.Go(func() { answers[i] = s.post(r.c, r.body) })
		}
		// Every report waits in the store for the writer before it is let
		// go: they are written together.
		storetest.WaitInStore(t, len(reports), release, s.store)
		release()
		wg.Wait()
		after := s.store.WriteGroups()
		if members, in := after.Members-groups.Members, after.Groups-groups.Groups; members < int64(len(reports)) || in >= members {
			t.Errorf("%d reports written in %d groups of %d writes: none together", len(reports), in, members)
		}

		ids := map[int64]int{}
		for i, a := range answers[:6] {
			id, ok := acceptedID(a.body)
			if a.status != http.StatusOK || !ok {
				t.Fatalf("report %d: %d %s", i, a.status, a.body)
			}
			if _, seen := ids[id]; seen || id == before {
				t.Fatalf("report id %d given twice", id)
			}
			ids[id] = i
		}
		if s.store.Dialect() == "postgres" {
			if n := storetest.PostgresTransactions(t, s.store, "reports", slices.Collect(maps.Keys(ids))); n >= len(ids) {
				t.Errorf("%d reports stored in %d transactions: none together", len(ids), n)
			}
		}
		// Each accepted report is stored as sent: as the same report
		// stored again alone, as a replacement, reads.
		for id, i := range ids {
			var again obj
			if err := json.Unmarshal([]byte(reports[i].body), &again); err != nil {
				t.Fatal(err)
			}
			again["reportId"] = id
			replaced := s.post(reports[i].c, encode(again))
			if replaced.status != http.StatusOK || replaced.body != fmt.Sprintf(`{"reportId":%d}`, id) {
				t.Fatalf("replacing report %d: %d %s", id, replaced.status, replaced.body)
			}
			var r operator.Report
			if code := s.operatorGet(fmt.Sprint("/operator/v1/migrant-exam/reports/", id), &r); code != 200 || len(r.Versions) != 2 {
				t.Fatalf("operator read of %d: %d, %d versions", id, code, len(r.Versions))
			}
			together, alone := r.Versions[0], r.Versions[1]
			alone.Version = 1
			if !reflect.DeepEqual(together, alone) {
				t.Errorf("report %d stored together as %s, alone as %s", id, encode(together), encode(alone))
			}
		}

		week7 := answers[6:8]
		first, ok := acceptedID(week7[0].body)
		dup := week7[1]
		if !ok {
			first, ok = acceptedID(week7[1].body)
			dup = week7[0]
		}
		if !ok || dup.status != http.StatusBadRequest ||
			dup.body != rule(fmt.Sprintf("Отчет по площадке examinationAreaId = 101 за период с 2025-04-14 по 2025-04-20 уже принят, reportId = %d. Чтобы заменить его, передайте reportId", first)) {
			t.Errorf("one week twice: %d %s and %d %s", week7[0].status, week7[0].body, week7[1].status, week7[1].body)
		}
		if a := answers[8]; a.status != http.StatusBadRequest ||
			a.body != rule(fmt.Sprintf("Отчет по площадке examinationAreaId = 102 за период с 2025-06-02 по 2025-06-08 уже принят, reportId = %d. Чтобы заменить его, передайте reportId", before)) {
			t.Errorf("the week stored before: %d %s", a.status, a.body)
		}
		if a := answers[9]; a.status != http.StatusBadRequest || a.body != rule("Площадка с examinationAreaId = 101 не предоставлена организации") {
			t.Errorf("alpha's area from beta: %d %s", a.status, a.body)
		}
		var all struct{ Reports []operator.ReportSummary }
		if code := s.operatorGet("/operator/v1/migrant-exam/reports", &all); code != 200 || len(all.Reports) != 1+len(ids)+1 {
			t.Errorf("operator listing: %d, %d reports, want %d", code, len(all.Reports), 1+len(ids)+1)
		}
	})
}

// TestOneWeekFromTwoNodesAtOnce: the same reports sent at once to two nodes
// over one database (each with its own batches on PostgreSQL) are accepted
// once each, and each other copy is named the duplicate of the accepted one.
func TestOneWeekFromTwoNodesAtOnce(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		clock := stendtest.NewManualClock(today)
		a, b := standOn(t, first, clock, testConfig()), standOn(t, reopen(), clock, testConfig())
		const weeks = 4
		releaseA, releaseB := storetest.HoldWriter(t, a.store, "reports"), storetest.HoldWriter(t, b.store, "reports")
		release := func() { releaseA(); releaseB() }
		answers := make([][2]answer, weeks)
		var wg sync.WaitGroup
		for n := range weeks {
			for i, node := range []*stand{a, b} {
				wg.Go(func() { answers[n][i] = node.post(alpha, fullWeek(101, n+1)) })
			}
		}
		storetest.WaitInStore(t, 2*weeks, release, a.store, b.store)
		release()
		wg.Wait()
		for n, pair := range answers {
			accepted, dup := pair[0], pair[1]
			id, ok := acceptedID(accepted.body)
			if !ok {
				accepted, dup = dup, accepted
				id, ok = acceptedID(accepted.body)
			}
			start := stend.Date{Year: 2025, Month: 6, Day: 2}.AddDays(-7 * (n + 1))
			if !ok || dup.status != http.StatusBadRequest || dup.body != rule(fmt.Sprintf(
				"Отчет по площадке examinationAreaId = 101 за период с %s по %s уже принят, reportId = %d. Чтобы заменить его, передайте reportId",
				start, start.AddDays(6), id)) {
				t.Errorf("week %d from both nodes: %d %s and %d %s", n+1, pair[0].status, pair[0].body, pair[1].status, pair[1].body)
			}
		}
		var all struct{ Reports []operator.ReportSummary }
		if code := a.operatorGet("/operator/v1/migrant-exam/reports", &all); code != 200 || len(all.Reports) != weeks {
			t.Errorf("operator listing: %d, %d reports, want %d", code, len(all.Reports), weeks)
		}
	})
}
