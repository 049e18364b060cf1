package server_test

import (
	"flag"
	"strings"
	"testing"

	"stend"
	"stend/job"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// --job-workers: the count of every kind, then kind=count; a kind no job
// has is refused when the node is built, not ignored.
func TestJobWorkersSetting(t *testing.T) {
	t.Parallel()
	for value, want := range map[string]string{
		"16":                              "16",
		"8,fssp.task=32":                  "8,fssp.task=32",
		"fssp.task=32":                    "16,fssp.task=32",
		"4, reestro.check=2 ,fssp.task=3": "4,fssp.task=3,reestro.check=2",
	} {
		cfg := server.Defaults()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		cfg.Register(fs)
		if err := fs.Parse([]string{"--job-workers", value}); err != nil {
			t.Fatalf("%q: %v", value, err)
		}
		if got := cfg.JobWorkers.String(); got != want {
			t.Errorf("%q read as %q, want %q", value, got, want)
		}
	}
	for _, bad := range []string{"0", "x", "fssp.task=0", "4,8", "=3", "2000"} {
		cfg := server.Defaults()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(new(strings.Builder))
		cfg.Register(fs)
		if err := fs.Parse([]string{"--job-workers", bad}); err == nil {
			t.Errorf("%q accepted as %q", bad, cfg.JobWorkers.String())
		}
	}
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		if err := cfg.JobWorkers.Set("4,reestro.chek=2"); err != nil {
			t.Fatal(err)
		}
		_, err := server.NewNodeWith(t.Context(), cfg, store.Open(t), stendtest.NewManualClock(stendtest.Now), stend.RandomIDs{}, stendtest.Logger(), job.Config{})
		if err == nil || !strings.Contains(err.Error(), `"reestro.chek"`) || !strings.Contains(err.Error(), "reestro.check") {
			t.Fatalf("a mistyped kind: %v", err)
		}
	})
}

// --database-pool: PostgreSQL connections a node keeps, 16 unless told; a
// pool of none, or one no server would grant, is refused at start.
func TestDatabasePoolSetting(t *testing.T) {
	t.Parallel()
	if got := server.Defaults().DatabasePool; got != 16 {
		t.Fatalf("default pool %d, want 16", got)
	}
	for value, valid := range map[string]bool{"4": true, "1000": true, "0": false, "-1": false, "1001": false} {
		cfg := server.Defaults()
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		cfg.Register(fs)
		if err := fs.Parse([]string{"--database-pool", value}); err != nil {
			t.Fatalf("%q: %v", value, err)
		}
		err := cfg.Validate()
		if valid != (err == nil) || (err != nil && !strings.Contains(err.Error(), "database-pool must be between 1 and 1000")) {
			t.Errorf("--database-pool %s: %v", value, err)
		}
	}
}
