package motivity

import "context"

// PointsGenerator loads a generated ledger at volume, for benchmarks: many
// changes a transaction, each kept as ApplyPoints keeps it (the balance and
// its entry together), so that a balance still equals the sum of its
// entries after every transaction.
type PointsGenerator interface {
	// ImportPoints applies batches in order as ApplyPoints does (a change
	// that would take a balance below zero is refused and not written), all
	// in one write transaction, and answers each batch's outcomes.
	ImportPoints(ctx context.Context, batches []PointsBatch) ([][]PointsOutcome, error)
	// RefreshPointsStatistics lets the planner see the loaded volume.
	RefreshPointsStatistics(ctx context.Context) error
}
