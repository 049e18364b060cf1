package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/fault"
	"stend/fssp"
	"stend/job"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// Faults in jobs, end to end on both stores: a rule (from the seed) on
// the FSSP task job and a token ends that token's next task with status 3,
// its search failed as a real failed search reads, while another token's
// task and the token's task after it are done; a rule on a member of the
// sub-requests fails those of a group only; a rule on the Reestro check job,
// a key and a region fails that key's check for that region as a search
// that kept failing would (naming the region the rule matched), while the
// key's other check and another key's check are Processed; the FSSP tasks
// of the node's own checks are neither failed nor counted. Each fault is
// counted on its rule; job rules that name what only requests have are
// refused.
func TestFaultsInJobs(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		cfg.ReestroFSSPPollMax = 20 * time.Millisecond
		j := newJobStand(t, store, stendtest.NewRunningClock(stendtest.Now), cfg)
		s := j.s
		provisionEveryAPI(t, s, secrets)
		ctx := context.Background()
		op := s.Node.Operator
		faulted := provisionOtherCredentials(t, s)
		var seed operator.Seed
		seed.Faults = []fault.Rule{{Name: "bank's next task", Job: "fssp.task", Credential: "token bank", Times: 1}}
		for range 2 {
			if err := op.LoadSeed(ctx, seed, s.Node.Logger); err != nil {
				t.Fatal(err)
			}
		}
		serve(t, s)
		call, waitFor, submit, finished, physical := j.call, j.waitFor, j.submit, j.finished, j.physical
		const failedSearch = `{"status":3,"query":{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":null,"lastname":"Иванов","birthdate":null}},"result":{"code":0,"message":"search failed"}}`
		if status, result := finished("fssp-secret", physical("fssp-secret")); status != `{"status":"success","code":0,"exception":"","response":{"status":3,"progress":"0 of 1"}}` ||
			!strings.Contains(result, failedSearch) {
			t.Fatalf("the rule's token's task: %s %s", status, result)
		}
		for _, token := range []string{"other-fssp-secret", "fssp-secret"} {
			if status, result := finished(token, physical(token)); !strings.Contains(status, `"status":0,"progress":"1 of 1"`) {
				t.Fatalf("%s's task: %s %s", token, status, result)
			}
		}
		rules, err := op.Faults(ctx)
		if err != nil || len(rules) != 1 || rules[0].API != "fssp" || rules[0].Matched != 2 || rules[0].Injected != 1 {
			t.Fatalf("the seeded rule: %+v %v", rules, err)
		}
		if err := op.LoadSeed(ctx, seed, s.Node.Logger); err != nil {
			t.Fatal(err)
		}
		if again, err := op.Faults(ctx); err != nil || len(again) != 1 || again[0] != rules[0] {
			t.Fatalf("the seed loaded again: %+v %v", again, err)
		}
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")

		// A member of the sub-requests: the group's matching search fails
		// with the rule's message, the other is done.
		if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json",
			`{"name":"region 77 down","job":"fssp.task","field":"params.region","value":"77","message":"region 77 is down"}`); a.Status != 200 {
			t.Fatalf("put: %d %s", a.Status, a.Body)
		}
		group := submit("group", "application/json", `{"token":"fssp-secret","request":[{"type":1,"params":{"region":66,"lastname":"Иванов","firstname":"Сергей"}},`+
			`{"type":1,"params":{"region":"77","lastname":"Иванов","firstname":"Сергей"}}]}`)
		status, result := finished("fssp-secret", group)
		var r struct {
			Response struct{ Result []struct{ Status int } }
		}
		if !strings.Contains(status, `"status":3,"progress":"1 of 2"`) || json.Unmarshal([]byte(result), &r) != nil || len(r.Response.Result) != 2 ||
			r.Response.Result[0].Status != 0 || !strings.Contains(result, `"result":{"code":0,"message":"region 77 is down"}`) {
			t.Fatalf("group: %s %s", status, result)
		}
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")

		// A Reestro check of the rule's key for region 77 fails; the key's
		// check for 66 and another key's for 77 are Processed.
		auth := func(key string) string { return "ReestroAuth apiKey=" + key + "&portal.orgid=" + secrets.reestroOrg }
		st, body := call("POST", "/realty/assessment/v1/subjects", "application/json", `{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09"}}`,
			"Authorization", auth(secrets.reestroKey))
		var subject struct{ SubjectID string }
		if st != 200 || json.Unmarshal([]byte(body), &subject) != nil {
			t.Fatalf("subject: %d %s", st, body)
		}
		rule := fmt.Sprintf(`{"name":"check fails","job":"reestro.check","credential":"key %d for %s","field":"fssp.regions.0","value":"77"}`, faulted, secrets.reestroOrg)
		if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", rule); a.Status != 200 {
			t.Fatalf("put: %d %s", a.Status, a.Body)
		}
		type view struct {
			CheckState string
			Error      *struct{ Code, Message string }
		}
		check := func(key string, regions ...string) view {
			t.Helper()
			asked, _ := json.Marshal(map[string]any{"fssp": map[string]any{"subjectId": subject.SubjectID, "regions": regions}})
			st, body := call("POST", "/realty/assessment/v1/checks", "application/json", string(asked), "Authorization", auth(key))
			var created struct{ CheckID string }
			if st != 200 || json.Unmarshal([]byte(body), &created) != nil {
				t.Fatalf("check: %d %s", st, body)
			}
			var v view
			waitFor("check "+created.CheckID, func() bool {
				_, body := call("GET", "/realty/assessment/v1/checks/"+created.CheckID, "", "", "Authorization", auth(key))
				if json.Unmarshal([]byte(body), &v) != nil {
					t.Fatalf("check: %s", body)
				}
				return v.CheckState != "Processing"
			})
			return v
		}
		if v := check("faulted-reestro-key", "77"); v.CheckState != "Failed" || v.Error == nil || v.Error.Code != "CheckFailed" ||
			v.Error.Message != "The FSSP search kept failing: FSSP search in region 77: search failed" {
			t.Errorf("the rule's check: %+v", v)
		}
		if v := check("faulted-reestro-key", "66"); v.CheckState != "Processed" {
			t.Errorf("the key's check for another region: %+v", v)
		}
		if v := check(secrets.reestroKey, "77"); v.CheckState != "Processed" {
			t.Errorf("another key's check: %+v", v)
		}
		if rules, err := op.Faults(ctx); err != nil || len(rules) != 1 || rules[0].API != "reestro" || rules[0].Matched != 1 || rules[0].Injected != 1 {
			t.Errorf("the check rule: %+v %v", rules, err)
		}
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")

		// A rule on a check's second region names that region.
		if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json",
			`{"name":"second region","job":"reestro.check","field":"fssp.regions.1","value":"77"}`); a.Status != 200 {
			t.Fatalf("put: %d %s", a.Status, a.Body)
		}
		if v := check(secrets.reestroKey, "66", "77"); v.CheckState != "Failed" || v.Error == nil ||
			v.Error.Message != "The FSSP search kept failing: FSSP search in region 77: search failed" {
			t.Errorf("the check failed for its second region: %+v %+v", v, v.Error)
		}
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")

		// The FSSP tasks of the node's own Reestro checks are not clients'
		// tasks: a rule on the next task leaves them alone, uncounted, and
		// fails the next client's.
		if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", `{"name":"next task","job":"fssp.task","times":1}`); a.Status != 200 {
			t.Fatalf("put: %d %s", a.Status, a.Body)
		}
		if v := check(secrets.reestroKey, "66"); v.CheckState != "Processed" {
			t.Errorf("a check under a rule on the next task: %+v", v)
		}
		if r := j.rule(); r.Matched != 0 || r.Injected != 0 {
			t.Errorf("the node's own task was matched: %+v", r)
		}
		if status, result := finished("fssp-secret", physical("fssp-secret")); !strings.Contains(status, `"status":3`) {
			t.Errorf("the next client's task: %s %s", status, result)
		}

		// A job rule naming what only requests have, or an unknown job, is
		// refused, naming the field; the operator document already forbids
		// an unknown job.
		for bad, field := range map[string]string{
			`{"name":"x","job":"fssp.search"}`:                             "job",
			`{"name":"x","job":"fssp.task","api":"reestro"}`:               "api",
			`{"name":"x","job":"fssp.task","status":500}`:                  "status",
			`{"name":"x","job":"fssp.task","path":"/api/v1.0/status"}`:     "path",
			`{"name":"x","job":"reestro.check","credential":"token bank"}`: "credential",
		} {
			malformed := field == "job"
			if a := operatorAs(s, malformed)(http.MethodPost, "/operator/v1/faults", "application/json", bad); a.Status != http.StatusBadRequest || !strings.Contains(a.Body, field) {
				t.Errorf("%s: %d %s", bad, a.Status, a.Body)
			}
		}
	})
}

// jobStand is a stand whose job runner reports each outcome, and what its
// job tests do through the router.
type jobStand struct {
	t         *testing.T
	s         *stendtest.Stand
	events    chan struct{}
	completed atomic.Int64 // jobs completed
}

// newJobStand is a stand on store, its clock moved from base; its jobs run
// once the test serves it or starts them.
func newJobStand(t *testing.T, store storetest.Opener, base *stendtest.ManualClock, cfg server.Config) *jobStand {
	j := &jobStand{t: t, events: make(chan struct{}, 1)}
	j.s = stendtest.On(t, store.Open(t), base, stendtest.Options{Config: &cfg, Jobs: job.Config{
		Recorded: func(_ stend.Job, state stend.JobState) {
			if state == stend.JobCompleted {
				j.completed.Add(1)
			}
			select {
			case j.events <- struct{}{}:
			default:
			}
		},
	}})
	return j
}

// call sends a request through the router, with a Content-Type.
func (j *jobStand) call(method, target, contentType, body string, headers ...string) (int, string) {
	return callAPI(j.s, method, target, body, append(headers, "Content-Type", contentType)...)
}

// waitFor waits for done, looking again after each job's outcome.
func (j *jobStand) waitFor(what string, done func() bool) {
	j.t.Helper()
	deadline := time.After(60 * time.Second)
	for !done() {
		select {
		case <-j.events:
		case <-deadline:
			j.t.Fatalf("%s: not done", what)
		}
	}
}

// submit submits an FSSP search and answers its task.
func (j *jobStand) submit(method, contentType, body string) string {
	j.t.Helper()
	var task struct{ Response struct{ Task string } }
	status, answer := j.call("POST", "/api/v1.0/search/"+method, contentType, body)
	if status != 200 || json.Unmarshal([]byte(answer), &task) != nil {
		j.t.Fatalf("submit: %d %s", status, answer)
	}
	return task.Response.Task
}

// physical submits a single search of token's.
func (j *jobStand) physical(token string) string {
	return j.submit("physical", "application/x-www-form-urlencoded", "token="+token+"&region=66&lastname=Иванов&firstname=Сергей")
}

// finished waits for the task's end and answers its /status and /result.
func (j *jobStand) finished(token, id string) (status, result string) {
	j.t.Helper()
	j.waitFor("task "+id, func() bool {
		_, status = j.call("GET", "/api/v1.0/status?token="+token+"&task="+id, "", "")
		return strings.Contains(status, `"status":0`) || strings.Contains(status, `"status":3`)
	})
	_, result = j.call("GET", "/api/v1.0/result?token="+token+"&task="+id, "", "")
	return status, result
}

// rule is the only fault rule, with its counts.
func (j *jobStand) rule() fault.Rule {
	j.t.Helper()
	rules, err := j.s.Node.Operator.Faults(context.Background())
	if err != nil || len(rules) != 1 {
		j.t.Fatalf("rules: %+v %v", rules, err)
	}
	return rules[0]
}

// A job rule fails only what a run still has to do, on both stores: a
// resumed task's search already done is not matched, and tasks purged
// before their jobs ran spend no "times": the next task fails.
func TestJobFaultsMatchOnlyWhatIsPending(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		base := stendtest.NewManualClock(stendtest.Now)
		j := newJobStand(t, store, base, stendtest.Config())
		s := j.s
		provisionEveryAPI(t, s, secrets)
		put := func(rule string) {
			t.Helper()
			s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")
			if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", rule); a.Status != http.StatusOK {
				t.Fatalf("put: %d %s", a.Status, a.Body)
			}
		}

		// A task resumed with its search in region 77 done (as after a
		// restart): the rule on region 77 has nothing left to fail.
		resumed := j.submit("group", "application/json", `{"token":"fssp-secret","request":[{"type":1,"params":{"region":77,"lastname":"Иванов","firstname":"Сергей"}},`+
			`{"type":1,"params":{"region":66,"lastname":"Иванов","firstname":"Сергей"}}]}`)
		done := `{"status":0,"query":{"type":1,"params":{"region":"77","firstname":"Сергей","secondname":null,"lastname":"Иванов","birthdate":null}},"result":[]}`
		if err := s.Store.FSSP().SaveSubResults(context.Background(), resumed, []fssp.SubResult{{Index: 0, Body: []byte(done)}}); err != nil {
			t.Fatal(err)
		}
		put(`{"name":"region 77 down","job":"fssp.task","field":"params.region","value":"77"}`)
		stop := s.StartJobs()
		if status, result := j.finished("fssp-secret", resumed); !strings.Contains(status, `"status":0,"progress":"2 of 2"`) {
			t.Errorf("the resumed task: %s %s", status, result)
		}
		if r := j.rule(); r.Matched != 0 || r.Injected != 0 {
			t.Errorf("a search already done was matched: %+v", r)
		}
		stop()

		// Tasks purged before their jobs ran.
		put(`{"name":"next task","job":"fssp.task","times":1}`)
		j.physical("fssp-secret")
		j.submit("group", "application/json", `{"token":"fssp-secret","request":[{"type":1,"params":{"region":66,"lastname":"Иванов","firstname":"Сергей"}},`+
			`{"type":1,"params":{"region":77,"lastname":"Иванов","firstname":"Сергей"}}]}`)
		base.Set(stendtest.Now.Add(fssp.TaskRetention + time.Hour))
		before := j.completed.Load()
		s.StartJobs()
		j.waitFor("the purged tasks' jobs", func() bool { return j.completed.Load() >= before+2 })
		if r := j.rule(); r.Matched != 0 || r.Injected != 0 {
			t.Errorf("a purged task was matched: %+v", r)
		}
		if status, result := j.finished("fssp-secret", j.physical("fssp-secret")); !strings.Contains(status, `"status":3`) {
			t.Errorf("the next task: %s %s", status, result)
		}
		if r := j.rule(); r.Matched != 1 || r.Injected != 1 {
			t.Errorf("the rule after the next task: %+v", r)
		}
	})
}
