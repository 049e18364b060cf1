package server_test

import (
	"context"
	"fmt"
	"testing"

	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// BenchmarkRestoreDemo restores the demo stand (its seed: 50,000 FSSP
// proceedings and everything else) from a snapshot, on each store; the
// issue's targets are 500 ms on SQLite and 2 s on PostgreSQL. Reset is
// the same restore once the seed's state is built. "same-bank" is the
// usual case, the bank unchanged since the snapshot; "other-bank" has the
// bank marked as loaded again before each restore, which then puts its
// tables back too.
func BenchmarkRestoreDemo(b *testing.B) {
	seed, err := operator.ReadSeed("../demo/seed.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range storetest.Openers() {
		b.Run(o.Name, func(b *testing.B) {
			s := stendtest.Open(b, o, stendtest.Options{})
			ctx := context.Background()
			if err := s.Node.Operator.LoadSeed(ctx, seed, stendtest.Logger()); err != nil {
				b.Fatal(err)
			}
			snap, err := s.Node.Operator.TakeSnapshot(ctx, operator.SnapshotTake{Name: "demo"})
			if err != nil {
				b.Fatal(err)
			}
			for _, bank := range []string{"same-bank", "other-bank"} {
				b.Run(bank, func(b *testing.B) {
					b.ReportMetric(float64(snap.Rows), "rows")
					for i := 0; b.Loop(); i++ {
						if bank == "other-bank" {
							b.StopTimer()
							if _, err := s.Store.WriteDB().ExecContext(ctx, fmt.Sprintf("UPDATE stand_state SET bank_version = 'other-%d'", i)); err != nil {
								b.Fatal(err)
							}
							b.StartTimer()
						}
						if _, err := s.Node.Operator.RestoreSnapshot(ctx, "demo"); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
