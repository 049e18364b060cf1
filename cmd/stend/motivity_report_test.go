package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stend"
	"stend/job"
	"stend/motivity"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// The report commands read what a serving node's job built, on the same
// database and blob store: a report created through the public API is
// listed, shown, written out byte for byte as reports/data serves it, and
// deleted with its bytes.
func TestMotivityReportCommands(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		dir := t.TempDir()
		cfg := stendtest.Config()
		cfg.DataDir = dir
		// The node's secret: the commands then read the token's hash as
		// the node keyed it.
		flags := []string{"--data-dir", dir, "--secret", cfg.Secret, "--log-level", "warn"}
		if o.Name == "postgres" {
			cfg.DatabaseURL = postgresSchema(t)
			flags = append(flags, "--database-url", cfg.DatabaseURL)
		}
		stendCmd := func(args ...string) (string, error) {
			var out, errs bytes.Buffer
			err := run(context.Background(), append(args, flags...), &out, &errs)
			return out.String() + errs.String(), err
		}

		// The serving node: it takes the request and its job builds the
		// report.
		store, err := server.OpenStore(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		if _, err := store.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		built := make(chan stend.Job, 4)
		node := stendtest.On(t, store, stendtest.NewManualClock(stendtest.Now), stendtest.Options{Config: &cfg, StartJobs: true,
			Jobs: job.Config{Recorded: func(j stend.Job, state stend.JobState) {
				if j.Kind == motivity.ReportBuildJobKind && state == stend.JobCompleted {
					built <- j
				}
			}}})
		var seed operator.Seed
		seed.Motivity.Platform = &operator.SeedMotivityPlatform{PublicToken: "report-commands-token"}
		seed.Motivity.Users = []operator.MotivityUserInput{{Identifier: "a@example.ru"}}
		if err := node.Node.Operator.LoadSeed(context.Background(), seed, node.Node.Logger); err != nil {
			t.Fatal(err)
		}
		public := func(method, path, body string) stendtest.Answer {
			req := httptest.NewRequest(method, "/public/api/v1/reports/"+path, strings.NewReader(body))
			req.Header.Set("X-Auth-Token", "report-commands-token")
			return node.Serve(req)
		}
		a := public("POST", "create/users", `{"filters":{"users":["a@example.ru"]}}`)
		var created struct{ ID int64 }
		if err := json.Unmarshal([]byte(a.Body), &created); a.Status != 200 || err != nil {
			t.Fatalf("create: %d %s", a.Status, a.Body)
		}
		<-built
		id := strconv.FormatInt(created.ID, 10)
		whole := public("GET", "data/"+id, "")
		if whole.Status != 200 || !strings.Contains(whole.Body, `"a@example.ru"`) {
			t.Fatalf("data: %d %s", whole.Status, whole.Body)
		}

		if out, err := stendCmd("motivity", "report", "list"); err != nil || !strings.Contains(out, `"id": `+id) || !strings.Contains(out, `"state": "ready"`) {
			t.Fatalf("list: %s %v", out, err)
		}
		if out, err := stendCmd("motivity", "report", "show", "--id", id); err != nil || !strings.Contains(out, `"type": "users"`) ||
			!strings.Contains(out, `"users": [`) || !strings.Contains(out, `"size": `+strconv.Itoa(len(whole.Body))) {
			t.Fatalf("show: %s %v", out, err)
		}
		if out, err := stendCmd("motivity", "report", "data", "--id", id); err != nil || out != whole.Body {
			t.Fatalf("data to stdout:\n%s\nwant\n%s (%v)", out, whole.Body, err)
		}
		file := filepath.Join(t.TempDir(), "report.json")
		if out, err := stendCmd("motivity", "report", "data", "--id", id, "--out", file); err != nil || !strings.Contains(out, `"etag": `) {
			t.Fatalf("data --out: %s %v", out, err)
		}
		if got, err := os.ReadFile(file); err != nil || string(got) != whole.Body {
			t.Fatalf("the file written: %s %v", got, err)
		}
		rep, err := store.Motivity().CreatedReport(context.Background(), created.ID)
		if err != nil || rep.BlobKey() == "" {
			t.Fatalf("the record: %+v %v", rep, err)
		}
		if out, err := stendCmd("motivity", "report", "delete", "--id", id); err != nil || !strings.Contains(out, `"id": `+id) {
			t.Fatalf("delete: %s %v", out, err)
		}
		if a := public("GET", "data/"+id, ""); a.Status != 404 || a.Body != `{"result":false,"message":"Report not found"}` {
			t.Fatalf("data after the delete: %d %s", a.Status, a.Body)
		}
		if _, err := node.Node.Blobs.Stat(context.Background(), rep.BlobKey()); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("the bytes after the delete: %v", err)
		}
		for _, args := range [][]string{{"show", "--id", id}, {"data", "--id", id}, {"delete", "--id", id}} {
			if out, err := stendCmd(append([]string{"motivity", "report"}, args...)...); err == nil || !strings.Contains(err.Error(), "no report") {
				t.Errorf("%v after the delete: %s %v", args, out, err)
			}
		}
		if out, err := stendCmd("motivity", "report", "list"); err != nil || strings.TrimSpace(out) != "[]" {
			t.Fatalf("list after the delete: %s %v", out, err)
		}
	})
}
