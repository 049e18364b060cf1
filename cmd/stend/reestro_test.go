package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestReestroCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const org = "1269F58A-3D40-42E1-91AD-A4251566419C"
	if out := runStend(t, dir, "reestro", "org", "create", "--id", org, "--name", "Агентство"); !strings.Contains(out, `"id": "1269f58a-3d40-42e1-91ad-a4251566419c"`) {
		t.Fatalf("org create: %s", out)
	}
	var generated struct {
		ID  int64
		Key string
	}
	runStend(t, dir, "reestro", "org", "create", "--name", "Второе")
	if err := json.Unmarshal([]byte(runStend(t, dir, "reestro", "key", "issue", "--name", "integrator", "--orgs", org)), &generated); err != nil {
		t.Fatal(err)
	}
	if generated.ID != 1 || len(generated.Key) != 36 {
		t.Fatalf("issued %+v", generated)
	}
	out := runStend(t, dir, "reestro", "key", "list")
	if strings.Contains(out, generated.Key) || strings.Contains(out, "hash") || !strings.Contains(out, `"1269f58a-3d40-42e1-91ad-a4251566419c"`) {
		t.Fatalf("key list shows the key or misses the grant: %s", out)
	}
	if out := runStend(t, dir, "reestro", "grant", "remove", "--key-id", "1", "--org", org); !strings.Contains(out, `"organizations": []`) {
		t.Fatalf("grant remove: %s", out)
	}
	if out := runStend(t, dir, "reestro", "grant", "add", "--key-id", "1", "--org", org); !strings.Contains(out, `"organizations": [`+"\n") {
		t.Fatalf("grant add: %s", out)
	}
	if out := runStend(t, dir, "reestro", "key", "revoke", "--key-id", "1"); !strings.Contains(out, `"revokedAt"`) {
		t.Fatalf("revoke: %s", out)
	}
	if out := runStend(t, dir, "reestro", "org", "list"); strings.Count(out, `"id"`) != 2 {
		t.Fatalf("org list: %s", out)
	}
	for _, bad := range [][]string{
		{"reestro", "org", "create", "--name", "dup", "--id", org},
		{"reestro", "org", "create", "--id", "not-a-guid", "--name", "x"},
		{"reestro", "org", "create"},
		{"reestro", "key", "issue", "--name", "short", "--key", "short"},
		{"reestro", "key", "issue", "--name", "nowhere", "--orgs", "2269f58a-3d40-42e1-91ad-a4251566419c"},
		{"reestro", "grant", "add", "--key-id", "9", "--org", org},
		{"reestro", "key", "revoke", "--key-id", "9"},
	} {
		if err := run(context.Background(), append(bad, "--data-dir", dir, "--log-level", "warn"), &strings.Builder{}, &strings.Builder{}); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
	// A key refused for an unknown organization was not issued at all.
	if out := runStend(t, dir, "reestro", "key", "list"); strings.Count(out, `"id"`) != 1 {
		t.Fatalf("keys after the refusals: %s", out)
	}
}
