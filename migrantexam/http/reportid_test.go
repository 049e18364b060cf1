package http_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"stend"
	"stend/migrantexam"
	"stend/operator"
	"stend/store/sqlstore"
)

// pastWeek is a report of area for the week starting n weeks before Monday
// 2025-06-02, without exams.
func pastWeek(area int64, n int) string {
	return report(append(weekOf(area, n), set("noExamInSelectedPeriod", true), del("requests"))...)
}

// weekOf sets a report's area and its week, the week starting n weeks
// before Monday 2025-06-02, and moves the valid report's two exams into it.
func weekOf(area int64, n int) []edit {
	start := stend.Date{Year: 2025, Month: 6, Day: 2}.AddDays(-7 * n)
	return []edit{set("examinationAreaId", area), set("periodStartDate", start.String()), set("periodEndDate", start.AddDays(6).String()),
		row(0, "examDate", start.AddDays(2).String()), row(1, "examDate", start.AddDays(6).String())}
}

// TestReportIDsTellNothingOfOtherOrganizations (issue 14): report ids were
// one sequence for every organization, so the gap between two of alpha's
// reports counted the reports beta sent in between. Now the gap is not that
// count, whatever beta sends (k reports in between, k = 0, 7, 20); ids stay
// integers from 1 to 2^31−1.
func TestReportIDsTellNothingOfOtherOrganizations(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		seen := map[int64]bool{}
		fresh := func(id int64) int64 {
			if id < 1 || id > migrantexam.MaxReportID {
				t.Fatalf("report id %d outside 1…%d", id, migrantexam.MaxReportID)
			}
			if seen[id] {
				t.Fatalf("report id %d given twice", id)
			}
			seen[id] = true
			return id
		}
		alphaWeeks, betaWeeks := 0, 0
		for _, k := range []int{0, 7, 20} {
			before := fresh(s.postAccepted(alpha, pastWeek(101, alphaWeeks)))
			for range k {
				fresh(s.postAccepted(beta, pastWeek(201, betaWeeks)))
				betaWeeks++
			}
			after := fresh(s.postAccepted(alpha, pastWeek(101, alphaWeeks+1)))
			alphaWeeks += 2
			if after-before == int64(k+1) {
				t.Errorf("alpha's reports %d and %d, with %d of beta's in between: the gap counts them", before, after, k)
			}
		}
	})
}

// TestReplacementByRandomReportID: a report is replaced by the id it was
// given; another organization naming that id gets the answer of an id that
// names no report, and changes nothing.
func TestReplacementByRandomReportID(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		id := s.postAccepted(alpha, pastWeek(101, 1))
		if got := s.post(alpha, pastWeek(101, 1)); got.status != http.StatusBadRequest ||
			got.body != rule(fmt.Sprintf("Отчет по площадке examinationAreaId = 101 за период с 2025-05-26 по 2025-06-01 уже принят, reportId = %d. Чтобы заменить его, передайте reportId", id)) {
			t.Fatalf("second report of the week: %d %s", got.status, got.body)
		}
		if got := s.post(alpha, report(set("reportId", id), set("periodStartDate", "2025-05-26"), set("periodEndDate", "2025-06-01"),
			row(0, "examDate", "2025-05-27"), row(1, "examDate", "2025-05-28"))); got.status != http.StatusOK || got.body != fmt.Sprintf(`{"reportId":%d}`, id) {
			t.Fatalf("replacement: %d %s", got.status, got.body)
		}
		// Beta names alpha's report, then an id no report has: the same
		// answer, and nothing is stored.
		betas := s.postAccepted(beta, pastWeek(201, 1))
		unknown := int64(1)
		for unknown == id || unknown == betas {
			unknown++
		}
		for _, named := range []int64{id, unknown} {
			got := s.post(beta, report(set("reportId", named), set("examinationAreaId", 201)))
			if got.status != http.StatusBadRequest || got.body != rule(fmt.Sprintf("Отчет с reportId = %d не найден", named)) {
				t.Fatalf("beta replacing report %d: %d %s", named, got.status, got.body)
			}
		}
		var r operator.Report
		if code := s.operatorGet(fmt.Sprint("/operator/v1/migrant-exam/reports/", id), &r); code != http.StatusOK {
			t.Fatalf("operator read: %d", code)
		}
		owner, err := s.store.MigrantExam().OrganizationByUsername(context.Background(), alpha.user)
		if err != nil {
			t.Fatal(err)
		}
		if r.OrganizationID != owner.ID || r.CurrentVersion != 2 || len(r.Versions) != 2 || len(r.Versions[1].Requests) != 2 {
			t.Fatalf("alpha's report after beta's attempts: %+v", r)
		}
		if n := s.reportCount(); n != 2 {
			t.Fatalf("%d reports, want alpha's and beta's", n)
		}
	})
}
