package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/job"
	"stend/stendtest"
	"stend/store/storetest"
)

// The FSSP tasks and Reestro checks on /metrics, read from the database
// when scraped: how many are in each state, every state shown at 0 before
// any work (the job queue's kinds and the journal's losses too), and the
// age of the oldest unfinished one on the stand's clock; on both stores.
func TestTaskAndCheckMetrics(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		events := make(chan struct{}, 1)
		s := stendtest.Open(t, store, stendtest.Options{Jobs: job.Config{Recorded: func(stend.Job, stend.JobState) {
			select {
			case events <- struct{}{}:
			default:
			}
		}}})
		provisionEveryAPI(t, s, secrets)
		metrics := func() string {
			_, body := callAPI(s, http.MethodGet, "/metrics", "")
			return body
		}
		lacks := func(m string, want []string) []string {
			var missing []string
			for _, w := range want {
				if !strings.Contains(m, "\n"+w+"\n") {
					missing = append(missing, w)
				}
			}
			return missing
		}
		expect := func(when string, want ...string) {
			t.Helper()
			m := metrics()
			if missing := lacks(m, want); missing != nil {
				t.Fatalf("%s: the metrics lack %q in\n%s", when, missing, m)
			}
		}
		expect("before any work",
			`stend_jobs{kind="fssp.task",state="available"} 0`, `stend_jobs{kind="fssp.task",state="running"} 0`,
			`stend_jobs{kind="reestro.check",state="available"} 0`, `stend_jobs{kind="reestro.check",state="running"} 0`,
			`stend_fssp_tasks{state="queued"} 0`, `stend_fssp_tasks{state="running"} 0`, `stend_fssp_tasks{state="done"} 0`,
			`stend_fssp_tasks{state="done_with_errors"} 0`, `stend_fssp_task_oldest_unfinished_seconds 0`,
			`stend_reestro_checks{state="processing"} 0`, `stend_reestro_checks{state="processed"} 0`,
			`stend_reestro_checks{state="failed"} 0`, `stend_reestro_check_oldest_processing_seconds 0`,
			`stend_journal_dropped_total 0`)

		// A search and a check wait, no runner started, while the clock
		// moves 90 seconds.
		search := func() {
			t.Helper()
			if code, body := callAPI(s, http.MethodGet, "/api/v1.0/search/physical?token=fssp-secret&region=66&lastname=Иванов&firstname=Сергей", ""); code != 200 {
				t.Fatalf("search: %d %s", code, body)
			}
		}
		search()
		reestroAuth := "ReestroAuth apiKey=" + secrets.reestroKey + "&portal.orgid=" + secrets.reestroOrg
		_, body := callAPI(s, http.MethodPost, "/realty/assessment/v1/subjects",
			`{"person":{"surname":"Иванов","name":"Сергей","birthDate":"1982-06-09"}}`, "Authorization", reestroAuth, "Content-Type", "application/json")
		var subject struct{ SubjectID string }
		if json.Unmarshal([]byte(body), &subject) != nil || subject.SubjectID == "" {
			t.Fatalf("subject: %s", body)
		}
		if code, body := callAPI(s, http.MethodPost, "/realty/assessment/v1/checks", `{"fssp":{"subjectId":"`+subject.SubjectID+`","regions":["66"]}}`,
			"Authorization", reestroAuth, "Content-Type", "application/json"); code != 200 {
			t.Fatalf("check: %d %s", code, body)
		}
		s.Base.Set(stendtest.Now.Add(90 * time.Second))
		expect("waiting",
			`stend_jobs{kind="fssp.task",state="available"} 1`, `stend_jobs{kind="reestro.check",state="available"} 1`,
			`stend_fssp_tasks{state="queued"} 1`, `stend_fssp_task_oldest_unfinished_seconds 90`,
			`stend_reestro_checks{state="processing"} 1`, `stend_reestro_check_oldest_processing_seconds 90`)

		// Faults end the task with status 3 and fail the check; the task
		// after them is done.
		for _, rule := range []string{`{"name":"task","job":"fssp.task","times":1}`, `{"name":"check","job":"reestro.check","times":1}`} {
			if a := s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", rule); a.Status != 200 {
				t.Fatalf("fault %s: %d %s", rule, a.Status, a.Body)
			}
		}
		s.StartJobs()
		waitFor := func(want ...string) {
			t.Helper()
			deadline := time.After(60 * time.Second)
			for m := metrics(); lacks(m, want) != nil; m = metrics() {
				select {
				case <-events:
				case <-deadline:
					t.Fatalf("the metrics never showed %q:\n%s", lacks(m, want), m)
				}
			}
		}
		waitFor(`stend_fssp_tasks{state="done_with_errors"} 1`, `stend_reestro_checks{state="failed"} 1`)
		search()
		waitFor(`stend_fssp_tasks{state="done"} 1`)
		expect("done",
			`stend_fssp_tasks{state="queued"} 0`, `stend_fssp_tasks{state="running"} 0`, `stend_fssp_task_oldest_unfinished_seconds 0`,
			`stend_reestro_checks{state="processing"} 0`, `stend_reestro_checks{state="processed"} 0`,
			`stend_reestro_check_oldest_processing_seconds 0`, `stend_jobs{kind="fssp.task",state="available"} 0`)
	})
}

// TestMetricsWithoutOneCollector: a collector whose query fails loses its
// own series, not the scrape: the other series are still answered.
func TestMetricsWithoutOneCollector(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		if _, err := s.Store.WriteDB().Exec(`ALTER TABLE reestro_checks RENAME TO reestro_checks_gone`); err != nil {
			t.Fatal(err)
		}
		code, body := callAPI(s, http.MethodGet, "/metrics", "")
		if code != http.StatusOK || !strings.Contains(body, "\nstend_fssp_tasks{state=\"queued\"} 0\n") || strings.Contains(body, "stend_reestro_checks{") {
			t.Fatalf("/metrics with the checks' table gone: %d\n%s", code, body)
		}
	})
}
