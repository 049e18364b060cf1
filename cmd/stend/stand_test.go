package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"stend/store/storetest"
)

// TestStandCommands: snapshots taken, listed, restored and deleted, and a
// reset to the seed file, by commands on the stand's database; on SQLite,
// and on PostgreSQL when STEND_TEST_DATABASE_URL names one.
func TestStandCommands(t *testing.T) {
	t.Parallel()
	onEachStore(t, standCommandsOn)
}

// onEachStore runs fn on SQLite, and on PostgreSQL (in a schema of its
// own, which dsn's flags name) when STEND_TEST_DATABASE_URL names one.
func onEachStore(t *testing.T, fn func(t *testing.T, dsn []string)) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			var dsn []string
			if store == "postgres" {
				if os.Getenv(storetest.PostgresEnv) == "" {
					t.Skip(storetest.PostgresEnv + " is not set")
				}
				dsn = []string{"--database-url", postgresSchema(t)}
			}
			fn(t, dsn)
		})
	}
}

func standCommandsOn(t *testing.T, dsn []string) {
	dir := t.TempDir()
	runStend := func(t *testing.T, dir string, args ...string) string {
		t.Helper()
		return runStend(t, dir, append(args, dsn...)...)
	}
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"migrantExam":{"organizations":[{"name":"Из сида","username":"seeded","password":"seeded-password-1","apiKey":"seeded-api-key-0123456789abcdef0123"}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	usernames := func() []string {
		t.Helper()
		var orgs []struct{ Username string }
		if err := json.Unmarshal([]byte(runStend(t, dir, "migrant-exam", "org", "list")), &orgs); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, o := range orgs {
			names = append(names, o.Username)
		}
		slices.Sort(names)
		return names
	}
	runStend(t, dir, "seed", "--file", seed)
	runStend(t, dir, "migrant-exam", "org", "create", "--name", "Центр", "--username", "extra")
	var taken struct {
		Name string
		Rows int64
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "snapshot", "take", "--name", "base")), &taken); err != nil || taken.Name != "base" || taken.Rows < 2 {
		t.Fatalf("take: %+v %v", taken, err)
	}
	runStend(t, dir, "migrant-exam", "org", "create", "--name", "Центр", "--username", "later")
	if err := json.Unmarshal([]byte(runStend(t, dir, "snapshot", "restore", "--name", "base")), &struct{}{}); err != nil {
		t.Fatal(err)
	}
	if got := usernames(); !slices.Equal(got, []string{"extra", "seeded"}) {
		t.Fatalf("after restoring base: %v", got)
	}
	var reset struct{ Rebuilt bool }
	if err := json.Unmarshal([]byte(runStend(t, dir, "reset", "--seed", seed)), &reset); err != nil || !reset.Rebuilt {
		t.Fatalf("reset: %+v %v", reset, err)
	}
	if got := usernames(); !slices.Equal(got, []string{"seeded"}) {
		t.Fatalf("after the reset: %v", got)
	}
	var list []struct{ Name string }
	if err := json.Unmarshal([]byte(runStend(t, dir, "snapshot", "list")), &list); err != nil || len(list) != 2 || list[0].Name != "@seed" || list[1].Name != "base" {
		t.Fatalf("list: %+v %v", list, err)
	}
	runStend(t, dir, "snapshot", "delete", "--name", "base")
	err := run(context.Background(), append([]string{"snapshot", "restore", "--name", "base", "--data-dir", dir, "--log-level", "warn"}, dsn...), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `no snapshot named "base"`) {
		t.Fatalf("restore of a deleted snapshot: %v", err)
	}
	// Without a seed a reset empties the stand.
	runStend(t, dir, "reset")
	if got := usernames(); len(got) != 0 {
		t.Fatalf("after a reset without a seed: %v", got)
	}
}
