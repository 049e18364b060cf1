package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"stend/motivity"
)

// Two nodes on one database take points batches from many clients at once,
// and badge changes on the same users, through the whole router: afterwards every balance equals the sum of the
// changes acknowledged as applied and the sum of its ledger, and no answer
// ever showed a negative balance.
func TestPointsOnTwoNodes(t *testing.T) {
	t.Parallel()
	onTwoNodes(t, func(t *testing.T, nodes []*stand) {
		users := []string{"a@example.ru", "b@example.ru", "boss@example.ru"}
		var mu sync.Mutex
		acknowledged := map[string]int64{}
		var wg sync.WaitGroup
		for w := range 24 {
			wg.Go(func() {
				s := nodes[w%2]
				for i := range 20 {
					// Two items per batch, on two users in an order
					// that differs between workers.
					u1, u2 := users[(w+i)%3], users[(w+2*i+1)%3]
					a1, a2 := 1+(w+i)%5, -(1 + (w*3+i)%6)
					body := fmt.Sprintf(`[{"userId":%q,"balanceType":"karma","amount":%d},{"userId":%q,"balanceType":"karma","amount":"%d"}]`, u1, a1, u2, a2)
					a := s.call("POST", pointsPath, body)
					var out struct {
						Data []struct {
							Success bool
							Balance *string
						}
					}
					if a.status != 200 || json.Unmarshal([]byte(a.body), &out) != nil || len(out.Data) != 2 {
						t.Errorf("%d %s", a.status, a.body)
						return
					}
					mu.Lock()
					for k, d := range out.Data {
						if d.Success {
							acknowledged[[]string{u1, u2}[k]] += int64([]int{a1, a2}[k])
						}
						if d.Balance == nil || (*d.Balance)[0] == '-' {
							t.Errorf("balance %v in %s", d.Balance, a.body)
						}
					}
					mu.Unlock()
				}
			})
		}
		// Badge changes on the same users at the same time: they must
		// neither fail nor make a points batch fail.
		for w := range 4 {
			wg.Go(func() {
				s := nodes[w%2]
				for i := range 20 {
					op := []string{"assign", "remove"}[(w+i)%2]
					if a := s.call("POST", "/public/api/v1/badge/1/"+op, `{"userId":["a@example.ru","b@example.ru","boss@example.ru"]}`); a.status != 200 {
						t.Errorf("badge %s: %d %s", op, a.status, a.body)
						return
					}
				}
			})
		}
		wg.Wait()
		for _, u := range users {
			d, err := nodes[0].node.Operator.MotivityUser(context.Background(), u)
			if err != nil {
				t.Fatal(err)
			}
			var sum int64
			for _, line := range nodes[1].ledger(u) {
				var typ string
				var amount, after int64
				if _, err := fmt.Sscanf(line, "%s %d=%d", &typ, &amount, &after); err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				sum += amount
			}
			if got := d.Balances[motivity.BalanceKarma]; got != acknowledged[u] || got != sum || got < 0 {
				t.Errorf("%s: balance %d, acknowledged %d, ledger %d", u, got, acknowledged[u], sum)
			}
		}
	})
}
