package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"stend/fault"
)

// TestFaultCommands: `fault add` takes every field of a rule as a flag,
// over --json (the flags win), the new credential and job fields included;
// a bad rule is refused with the field named and nothing is stored.
func TestFaultCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var r fault.Rule
	out := runStend(t, dir, "fault", "add", "--name", "bank's task", "--job", "fssp.task", "--credential", "token bank", "--field", "params.region", "--value", "77",
		"--message", "region 77 is down", "--times", "1", "--probability", "0.5", "--seed", "18446744073709551615")
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Job != "fssp.task" || r.API != "fssp" || r.Credential != "token bank" || r.Field != "params.region" ||
		r.Value != "77" || r.Message != "region 77 is down" || r.Times != 1 || r.Probability != 0.5 || r.Seed != 1<<64-1 {
		t.Fatalf("add: %+v %v\n%s", r, err, out)
	}
	out = runStend(t, dir, "fault", "add", "--json", `{"name":"busy","api":"fssp","status":429,"seed":18446744073709551615}`, "--status", "503", "--retry-after-s", "5",
		"--method", "get", "--path", "/api/v1.0/*", "--latency-ms", "10")
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Status != 503 || r.RetryAfterS != 5 || r.Method != "GET" || r.Path != "/api/v1.0/*" || r.LatencyMS != 10 || r.Seed != 1<<64-1 {
		t.Fatalf("add over --json: %+v %v\n%s", r, err, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "x", "--job", "ftp.task"}, "job must be"},
		{[]string{"--name", "x", "--api", "fssp", "--credential", "bank", "--status", "500"}, "credential"},
		{[]string{"--name", "x", "--job", "reestro.check", "--cut"}, "a job rule fails its job"},
		{[]string{"--json", `{"name":"x","jobs":"fssp.task"}`}, `unknown field "jobs"`},
	} {
		args := append([]string{"fault", "add"}, c.args...)
		err := run(context.Background(), append(args, "--data-dir", dir, "--log-level", "warn"), &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v", c.args, err)
		}
	}
	var rules []fault.Rule
	if err := json.Unmarshal([]byte(runStend(t, dir, "fault", "list")), &rules); err != nil || len(rules) != 2 || rules[0].Name != "bank's task" || rules[1].Name != "busy" {
		t.Fatalf("list: %+v %v", rules, err)
	}
	if out := runStend(t, dir, "fault", "clear"); !strings.Contains(out, `"deleted": 2`) {
		t.Fatalf("clear: %s", out)
	}
}
