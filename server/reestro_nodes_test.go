package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"stend/operator"
	"stend/reestro"
	"stend/stendtest"
	"stend/store/storetest"
)

// Two nodes on one database, each with its job runner, run Reestro checks
// whichever node picks a check's job up between its looks at the FSSP
// search: both search with the deployment's one token (each used its own,
// so the other node's look found no task, failed an attempt and searched
// again). A client refused for wrong FSSP tokens from the loopback address
// does not touch the node's own calls, which are made in process.
func TestChecksRunAcrossNodes(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		db := store.Open(t)
		base := stendtest.NewRunningClock(stendtest.Now)
		cfg := stendtest.Config()
		cfg.ReestroFSSPPollMax = 20 * time.Millisecond
		cfg.AuthFailures = 3
		nodes := []*stendtest.Stand{stendtest.On(t, db, base, stendtest.Options{Config: &cfg}), stendtest.On(t, db, base, stendtest.Options{Config: &cfg})}
		ctx := context.Background()
		first := nodes[0].Node
		if _, err := first.Operator.GenerateBank(ctx, 3, 500, nil); err != nil {
			t.Fatal(err)
		}
		const org, key = "1269f58a-3d40-42e1-91ad-a4251566419c", "the-two-nodes-reestro-key"
		if _, err := first.Operator.CreateReestroOrganization(ctx, operator.NewReestroOrganization{ID: org, Name: "Org"}); err != nil {
			t.Fatal(err)
		}
		if _, err := first.Operator.IssueReestroKey(ctx, operator.NewReestroKey{Name: "k", Key: key, Organizations: []string{org}}); err != nil {
			t.Fatal(err)
		}
		var addrs []string
		for _, n := range nodes {
			addrs = append(addrs, "http://"+serve(t, n))
		}
		call := func(method, url, body string) (int, string) {
			req, _ := http.NewRequest(method, url, strings.NewReader(body))
			req.Header.Set("Authorization", "ReestroAuth apiKey="+key+"&portal.orgid="+org)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, string(b)
		}
		// The loopback address is refused by both nodes' FSSP APIs.
		for _, a := range addrs {
			for range cfg.AuthFailures + 1 {
				resp, err := http.Get(a + "/api/v1.0/status?token=wrong&task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D")
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
		}
		status, body := call(http.MethodPost, addrs[0]+"/realty/assessment/v1/subjects", `{"person":{"surname":"Иванов","name":"Сергей","patronymic":"Петрович","birthDate":"1982-06-09"}}`)
		var subject struct{ SubjectID string }
		if status != http.StatusOK || json.Unmarshal([]byte(body), &subject) != nil {
			t.Fatalf("subject: %d %s", status, body)
		}
		const checks = 12
		for i := range checks {
			status, body := call(http.MethodPost, addrs[i%2]+"/realty/assessment/v1/checks", `{"fssp":{"subjectId":"`+subject.SubjectID+`","regions":["77","66"]}}`)
			if status != http.StatusOK {
				t.Fatalf("check %d: %d %s", i, status, body)
			}
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			var processing int
			if err := db.ReadDB().QueryRow(`SELECT count(*) FROM reestro_checks WHERE state = 1`).Scan(&processing); err != nil {
				t.Fatal(err)
			}
			var unsettled int
			if err := db.ReadDB().QueryRow(`SELECT count(*) FROM jobs WHERE kind = '` + reestro.CheckJobKind + `' AND state IN ('running', 'available')`).Scan(&unsettled); err != nil {
				t.Fatal(err)
			}
			if processing == 0 && unsettled == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d checks still Processing, %d check jobs unfinished", processing, unsettled)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// States as stored: 1 Processing, 2 Processed (reestro.CheckState).
		var failedAttempts, notProcessed, tasks int
		var failures []string // each failed job's attempt and error, for the message
		rows, err := db.ReadDB().Query(`SELECT attempt, coalesce(CAST(last_error AS TEXT), '') FROM jobs WHERE kind = '` + reestro.CheckJobKind + `' AND (attempt <> 1 OR last_error IS NOT NULL)`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var attempt int
			var lastError string
			if err := rows.Scan(&attempt, &lastError); err != nil {
				t.Fatal(err)
			}
			failedAttempts++
			failures = append(failures, fmt.Sprintf("attempt %d: %q", attempt, lastError))
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			t.Fatal(err)
		}
		if err := db.ReadDB().QueryRow(`SELECT count(*) FROM reestro_checks WHERE state <> 2`).Scan(&notProcessed); err != nil {
			t.Fatal(err)
		}
		if err := db.ReadDB().QueryRow(`SELECT count(*) FROM fssp_tasks`).Scan(&tasks); err != nil {
			t.Fatal(err)
		}
		if failedAttempts != 0 || notProcessed != 0 || tasks != checks {
			t.Fatalf("%d check jobs failed an attempt %v, %d checks not Processed, %d FSSP searches for %d checks", failedAttempts, failures, notProcessed, tasks, checks)
		}
	})
}

// Nodes starting together ensure the deployment's token at once: the one
// that loses the race to issue it takes the other's, rather than failing
// to start.
func TestTwoNodesEnsureOneTokenAtOnce(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		db := store.Open(t)
		base := stendtest.NewManualClock(stendtest.Now)
		a, b := stendtest.On(t, db, base, stendtest.Options{}), stendtest.On(t, db, base, stendtest.Options{})
		for i := range 20 {
			token := fmt.Sprintf("the-deployment-token-%02d-of-this-test", i)
			errs := make(chan error, 2)
			for _, s := range []*stendtest.Stand{a, b} {
				go func() {
					_, _, err := s.Node.Operator.EnsureFSSPToken(context.Background(), operator.NewFSSPToken{Name: "shared", Token: token})
					errs <- err
				}()
			}
			for range 2 {
				if err := <-errs; err != nil {
					t.Fatalf("token %d: %v", i, err)
				}
			}
		}
	})
}
