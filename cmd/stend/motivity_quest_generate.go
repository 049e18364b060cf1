package main

import (
	"context"
	"encoding/json"

	"stend/operator"
	"stend/server"
)

func init() {
	commands["motivity quest generate"] = command{
		"make one quest of many students, for benchmarks (--tasks 50 --students 20000 [--mentors 32] [--quest-id] [--random-seed])",
		runMotivityQuestGenerate}
}

func runMotivityQuestGenerate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var g operator.QuestGeneration
	fs.IntVar(&g.Tasks, "tasks", 50, "tasks of the quest")
	fs.IntVar(&g.Students, "students", 20000, "students (user-000001@bench.example.ru …, created when missing)")
	fs.IntVar(&g.Mentors, "mentors", 32, "mentors, each the own mentor of every n-th student")
	fs.Int64Var(&g.QuestID, "quest-id", 0, "the new quest's id (0: the next free one)")
	fs.Uint64Var(&g.Seed, "random-seed", 1, "generator seed: the same seed makes the same quest")
	return withNode(ctx, e, args, func(node *server.Node) error {
		bar := newProgress(e.stderr, int64(g.Tasks)*int64(g.Students))
		out, err := node.Operator.GenerateMotivityQuest(ctx, g, bar.update)
		bar.done(out.Assignments)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(struct {
			operator.QuestGenerated
			Seconds float64 `json:"seconds"`
		}{out, bar.elapsed().Seconds()})
	})
}
