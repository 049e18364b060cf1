package http_test

import (
	"net/http"
	"strings"
	"testing"
)

// The stand's clock, moved by an operator, moves Motivity's rules at once:
// the prize-catalog licence (to 2025-12-31) expires for the payment
// balance, and a goal's deadline passes and puts it at risk; released, both
// are as before.
func TestOperatorClockMovesMotivityRules(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		pay := `[{"userId":"a@example.ru","balanceType":"payment","amount":5}]`
		s.expect(s.call("POST", pointsPath, pay), 200, points(item(userA, "payment", "5")))
		s.createOne(ownerID, strings.Replace(newGoal(ownerID, "t"), futureDay, "2025-07-01T00:00:00+03:00", 1))
		if s.list(ownerID, "").Items[0].InRisk {
			t.Fatal("at risk at once")
		}
		move := func(path, body string) {
			t.Helper()
			if a := s.stand.Operator(http.MethodPost, "/operator/v1/clock/"+path, "application/json", body); a.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", path, a.Status, a.Body)
			}
		}
		move("set", `{"at":"2026-01-01T00:00:00Z"}`)
		s.expect(s.call("POST", pointsPath, pay), 200, points(item(userA, "payment", "", noBalance, "balanceType")))
		if !s.list(ownerID, "").Items[0].InRisk {
			t.Fatal("not at risk after its deadline")
		}
		move("release", "")
		s.expect(s.call("POST", pointsPath, pay), 200, points(item(userA, "payment", "10")))
		if s.list(ownerID, "").Items[0].InRisk {
			t.Fatal("at risk after the release")
		}
	})
}
