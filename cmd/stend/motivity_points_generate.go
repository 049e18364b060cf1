package main

import (
	"context"
	"encoding/json"

	"stend/operator"
	"stend/server"
)

func init() {
	commands["motivity points generate"] = command{
		"fill the points ledger, for benchmarks (--users 100000 --entries 10000000 [--days 365] [--random-seed])",
		runMotivityPointsGenerate}
}

func runMotivityPointsGenerate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var g operator.PointsGeneration
	fs.IntVar(&g.Users, "users", 100_000, "users (user-000001@bench.example.ru …, created when missing)")
	fs.Int64Var(&g.Entries, "entries", 10_000_000, "changes to draw (those the store refuses are counted apart)")
	fs.IntVar(&g.Days, "days", 365, "the period before now the changes are spread over")
	fs.Uint64Var(&g.Seed, "random-seed", 1, "generator seed: the same seed draws the same changes")
	return withNode(ctx, e, args, func(node *server.Node) error {
		bar := newProgress(e.stderr, g.Entries)
		out, err := node.Operator.GenerateMotivityPoints(ctx, g, bar.update)
		bar.done(out.Entries + out.Refused)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(struct {
			operator.PointsGenerated
			Seconds float64 `json:"seconds"`
		}{out, bar.elapsed().Seconds()})
	})
}
