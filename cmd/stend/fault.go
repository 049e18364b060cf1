package main

import (
	"context"
	"encoding/json"
	"flag"
	"maps"
	"strings"

	"stend"
	"stend/fault"
	"stend/operator"
)

// The `stend fault …` commands: rules that make the stand fail matching
// requests or jobs (a running node applies a change within half a second).
var faultCommands = map[string]command{
	"fault add": {`add or replace (by name) a fault rule, given by its flags or by --json as in the seed file's faults (flags win): ` +
		`--name busy --api fssp --path /api/v1.0/result --status 429 --retry-after-s 5 --times 2; ` +
		`--name bank-down --api fssp --credential "token bank" --status 503; --name task-fails --job fssp.task --times 1`, runFaultAdd},
	"fault list":   {"list the fault rules with how often each matched and failed a request or a job", runFaultList},
	"fault delete": {"delete a fault rule (--id)", runFaultDelete},
	"fault clear":  {"delete every fault rule", runFaultClear},
}

func init() { maps.Copy(commands, faultCommands) }

// faultFlags are the rule's fields as flags of `fault add`: flag name,
// JSON member, what it does, and its type (by its zero value).
var faultFlags = []struct {
	flag, member, usage string
	zero                any
}{
	{"name", "name", "the rule's name: a rule of that name is replaced", ""},
	{"api", "api", "the API it fails: migrant-exam, fssp, motivity, motivity-files, reestro (empty: all; a job's own API)", ""},
	{"job", "job", "fail runs of this job instead of requests: fssp.task (searches fail, status 3), reestro.check (the check Failed), motivity.report.build (the created report failed)", ""},
	{"method", "method", "only requests with this method", ""},
	{"path", "path", "only requests to this path (a prefix when it ends with *)", ""},
	{"credential", "credential", `only requests (or jobs) of this credential, as the journal names it: "token <name>", "organization <username>", "key <id> for <organization>", PUBLIC_API_TOKEN (a prefix when it ends with *)`, ""},
	{"field", "field", "only JSON bodies (a job's items) whose member at this path (examinationAreaId, params.region) …", ""},
	{"value", "value", "… equals this (as text)", ""},
	{"latency-ms", "latencyMs", "wait this long first (with neither --status nor --cut the request then goes through)", 0},
	{"status", "status", "answer this status (400–599) in the API's envelope", 0},
	{"message", "message", "the answer's message (a job: the failure's message)", ""},
	{"retry-after-s", "retryAfterS", "send Retry-After with this many seconds", 0},
	{"cut", "cut", "cut the connection instead of answering", false},
	{"times", "times", "fail only this many matching requests or jobs (0: every one)", int64(0)},
	{"probability", "probability", "fail each with this probability (0 or 1: always), drawn from --seed", 0.0},
	{"seed", "seed", "the seed of the probability's draws: the same seed fails the same ones", uint64(0)},
}

func runFaultAdd(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	doc := fs.String("json", "", "the rule, as in the seed file's faults; flags given as well win")
	members := map[string]string{}
	for _, f := range faultFlags {
		members[f.flag] = f.member
		switch z := f.zero.(type) {
		case string:
			fs.String(f.flag, z, f.usage)
		case int:
			fs.Int(f.flag, z, f.usage)
		case int64:
			fs.Int64(f.flag, z, f.usage)
		case uint64:
			fs.Uint64(f.flag, z, f.usage)
		case float64:
			fs.Float64(f.flag, z, f.usage)
		case bool:
			fs.Bool(f.flag, z, f.usage)
		}
	}
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		r, err := faultFromFlags(fs, *doc, members)
		if err != nil {
			return nil, err
		}
		return s.PutFault(ctx, r)
	})
}

// faultFromFlags is the rule of --json with the members of the flags
// given set over it, checked as strictly as the JSON alone.
func faultFromFlags(fs *flag.FlagSet, doc string, members map[string]string) (fault.Rule, error) {
	rule := map[string]any{}
	if doc != "" {
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber() // a seed is a uint64, beyond a float's digits
		if err := dec.Decode(&rule); err != nil {
			return fault.Rule{}, stend.Errorf(stend.Invalid, "fault add", "--json: %v", err)
		}
	}
	fs.Visit(func(f *flag.Flag) {
		if m, ok := members[f.Name]; ok {
			rule[m] = f.Value.(flag.Getter).Get()
		}
	})
	b, err := json.Marshal(rule)
	if err != nil {
		return fault.Rule{}, stend.Errorf(stend.Invalid, "fault add", "%v", err)
	}
	return strictJSON[fault.Rule]("fault add", string(b))
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
