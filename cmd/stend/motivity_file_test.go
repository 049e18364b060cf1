package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMotivityFileCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stend := func(args ...string) (string, error) {
		var out, errs bytes.Buffer
		args = append(args[:3:3], append([]string{"--data-dir", dir, "--log-level", "warn"}, args[3:]...)...)
		err := run(context.Background(), args, &out, &errs)
		return out.String() + errs.String(), err
	}
	path := filepath.Join(t.TempDir(), "badge.svg")
	if err := os.WriteFile(path, []byte("<svg/>"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := stend("motivity", "file", "upload", "--name", "Значок.svg", path)
	if err != nil || !strings.Contains(out, `"id": 1`) || !strings.Contains(out, `"name": "Значок.svg"`) || !strings.Contains(out, `"origin": "operator"`) {
		t.Fatalf("upload: %s %v", out, err)
	}
	if out, err := stend("motivity", "file", "upload", path); err != nil || !strings.Contains(out, `"name": "badge.svg"`) {
		t.Fatalf("upload under the path's name: %s %v", out, err)
	}
	if out, err := stend("motivity", "file", "upload", "--name", "a.exe", path); err == nil {
		t.Fatalf("a format not allowed: %s", out)
	}
	if out, err := stend("motivity", "file", "list"); err != nil || strings.Count(out, `"id"`) != 2 {
		t.Fatalf("list: %s %v", out, err)
	}
	if out, err := stend("motivity", "file", "delete", "--id", "1"); err != nil || !strings.Contains(out, `"id": 1`) {
		t.Fatalf("delete: %s %v", out, err)
	}
	if out, err := stend("motivity", "file", "show", "--id", "1"); err == nil {
		t.Fatalf("a deleted file: %s", out)
	}
	if out, err := stend("motivity", "file", "show", "--id", "2"); err != nil || !strings.Contains(out, `"sha256": "`) {
		t.Fatalf("show: %s %v", out, err)
	}
}
