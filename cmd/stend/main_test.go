package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stend/credential"
)

func TestMain(m *testing.M) {
	credential.PasswordIterations = 1000
	os.Exit(m.Run())
}

func runStend(t *testing.T, dir string, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	args = append(args, "--data-dir", dir, "--log-level", "warn")
	if err := run(context.Background(), args, &out, &errs); err != nil {
		t.Fatalf("stend %v: %v\n%s", args, err, errs.String())
	}
	return out.String()
}

func TestOperatorCommands(t *testing.T) {
	dir := t.TempDir()
	if out := runStend(t, dir, "migrate"); !strings.Contains(out, "up to date: sqlite") {
		t.Fatalf("migrate: %s", out)
	}
	var created struct {
		ID          int64
		Credentials struct{ Username, Password, APIKey string }
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "migrant-exam", "org", "create", "--name", "Центр", "--username", "center")), &created); err != nil {
		t.Fatal(err)
	}
	if created.ID != 1 || created.Credentials.Username != "center" || len(created.Credentials.Password) < 16 || len(created.Credentials.APIKey) < 32 {
		t.Fatalf("created %+v", created)
	}
	if out := runStend(t, dir, "migrant-exam", "area", "grant", "--org", "1", "--area", "55", "--name", "Тула"); !strings.Contains(out, `"id": 55`) {
		t.Fatalf("grant: %s", out)
	}
	if out := runStend(t, dir, "migrant-exam", "area", "list", "--org", "1"); !strings.Contains(out, `"name": "Тула"`) {
		t.Fatalf("list areas: %s", out)
	}
	if out := runStend(t, dir, "migrant-exam", "org", "list"); strings.Contains(out, "hash") || !strings.Contains(out, `"username": "center"`) {
		t.Fatalf("org list: %s", out)
	}
	if out := runStend(t, dir, "migrant-exam", "report", "list"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("report list: %s", out)
	}
	var errs bytes.Buffer
	err := run(context.Background(), []string{"migrant-exam", "report", "show", "--id", "7", "--data-dir", dir}, &bytes.Buffer{}, &errs)
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("show a missing report: %v", err)
	}
}

func TestSeedCommandAndDemoSeed(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join("..", "..", "demo", "seed.json")
	runStend(t, dir, "seed", "--file", seed)
	runStend(t, dir, "seed", "--file", seed)
	out := runStend(t, dir, "migrant-exam", "org", "list")
	if strings.Count(out, `"username"`) != 2 {
		t.Fatalf("demo organizations after loading the seed twice: %s", out)
	}
	if out := runStend(t, dir, "migrant-exam", "area", "list", "--org", "1"); !strings.Contains(out, `"id": 101`) {
		t.Fatalf("demo areas: %s", out)
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, &out, &errs); err == nil {
		t.Fatal("unknown command accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"--help"}, &out, &errs); err != nil || !strings.Contains(out.String(), "migrant-exam org create") {
		t.Fatalf("help: %v %s", err, out.String())
	}
}

func TestSecretsStayOutOfHelp(t *testing.T) {
	t.Setenv("STEND_OPERATOR_TOKEN", "super-secret-token")
	t.Setenv("STEND_DATABASE_URL", "postgres://u:hunter2@h/db")
	var out, errs bytes.Buffer
	_ = run(context.Background(), []string{"serve", "--help"}, &out, &errs)
	help := errs.String()
	if !strings.Contains(help, "STEND_OPERATOR_TOKEN") || strings.Contains(help, "super-secret-token") || strings.Contains(help, "hunter2") {
		t.Fatalf("help shows a secret or lacks the variable:\n%s", help)
	}
}
