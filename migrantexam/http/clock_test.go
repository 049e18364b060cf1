package http_test

import (
	"net/http"
	"testing"

	"stend/store/sqlstore"
)

// The stand's clock, moved by an operator, moves the rules that depend on
// time at once: a report for next week is refused as a future period until
// the clock is set into that week, and refused again once released.
func TestOperatorClockMovesTheFuturePeriodRule(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		next := report(set("periodStartDate", "2025-06-16"), set("periodEndDate", "2025-06-22"),
			set("requests", []any{map[string]any{"identityDocumentNumber": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				"examDate": "2025-06-17", "migrationExamType": 1, "migrationExamStatus": 1}}))
		future := rule("Отчетный период с 2025-06-16 еще не начался: отчет за будущий период не принимается")
		if a := s.post(alpha, next); a.status != http.StatusBadRequest || a.body != future {
			t.Fatalf("before: %d %s", a.status, a.body)
		}
		if a := s.stand.Operator(http.MethodPost, "/operator/v1/clock/set", "application/json", `{"at":"2025-06-18T12:00:00+03:00"}`); a.Status != http.StatusOK {
			t.Fatalf("set: %d %s", a.Status, a.Body)
		}
		s.postAccepted(alpha, next)
		if a := s.stand.Operator(http.MethodPost, "/operator/v1/clock/release", "", ""); a.Status != http.StatusOK {
			t.Fatalf("release: %d %s", a.Status, a.Body)
		}
		if a := s.post(beta, report(set("examinationAreaId", 201), set("periodStartDate", "2025-06-16"), set("periodEndDate", "2025-06-22"),
			set("requests", []any{map[string]any{"identityDocumentNumber": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
				"examDate": "2025-06-17", "migrationExamType": 1, "migrationExamStatus": 1}}))); a.status != http.StatusBadRequest || a.body != future {
			t.Fatalf("after the release: %d %s", a.status, a.body)
		}
	})
}
