package http_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// BenchmarkGoalList: GET /goals/user/{id}?type=all of users with 10 active
// and 100 completed goals, through the router in process (the figures of
// the issue are taken over HTTP by benchmarks/goals; this one is for
// profiles).
func BenchmarkGoalList(b *testing.B) {
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			s := standOn(b, o.Open(b), stendtest.NewManualClock(today), seed(), stendtest.Config())
			const users = 100
			if _, err := s.node.Operator.GenerateMotivityGoals(context.Background(), operator.GoalGeneration{Users: users, Active: 10, Completed: 100}, nil); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				req := httptest.NewRequest("GET", fmt.Sprintf("%suser-%06d@bench.example.ru?type=all", goalsOf, 1+i%users), nil)
				req.Header.Set("X-Auth-Token", token)
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, req)
				if rec.Code != 200 || rec.Body.Len() < 10_000 {
					b.Fatalf("%d %.200s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}
