package main

import (
	"context"
	"maps"

	"stend/fault"
	"stend/operator"
)

// The `stend fault …` commands: rules that make the stand fail matching
// requests (a running node applies a change within half a second).
var faultCommands = map[string]command{
	"fault add":    {`add or replace (by name) a fault rule (--json '{"name":"busy","api":"fssp","path":"/api/v1.0/result","status":429,"retryAfterS":5,"times":2}')`, runFaultAdd},
	"fault list":   {"list the fault rules with how often each matched and failed a request", runFaultList},
	"fault delete": {"delete a fault rule (--id)", runFaultDelete},
	"fault clear":  {"delete every fault rule", runFaultClear},
}

func init() { maps.Copy(commands, faultCommands) }

func runFaultAdd(ctx context.Context, e *cmdEnv, args []string) error {
	doc := e.flags().String("json", "", "the rule, as in the seed file's faults")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		r, err := strictJSON[fault.Rule]("fault add", *doc)
		if err != nil {
			return nil, err
		}
		return s.PutFault(ctx, r)
	})
}

func runFaultList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Faults(ctx) })
}

func runFaultDelete(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "the rule's id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return map[string]int64{"deleted": 1}, s.DeleteFault(ctx, *id)
	})
}

func runFaultClear(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		n, err := s.ClearFaults(ctx)
		return map[string]int64{"deleted": n}, err
	})
}
