package console_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// "Copy as curl" (web/src/curl.js) run by bash and sh with a stand-in for
// curl, on journal entries that hold quotes, $(…), backticks, newlines,
// masks next to them and header names that are no shell names: the
// arguments come back exactly and nothing in an entry runs
// (web/test/curl.test.mjs). It needs only node, no node_modules.
func TestConsoleCopyAsCurlQuotesHostileEntries(t *testing.T) {
	node := nodeFor(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "test/curl.test.mjs")
	cmd.Dir = "web"
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the curl test failed: %v", err)
	}
}

// nodeFor finds node. Where the browser test is asked for (browserEnv),
// a missing node fails the test; elsewhere the test cannot run and says so.
func nodeFor(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		return node
	}
	if os.Getenv(browserEnv) != "" {
		t.Fatalf("%s is set, but node is missing: %v", browserEnv, err)
	}
	t.Skipf("node is missing (%v): the console's JavaScript tests run where it is (.ci/run makes sure of it)", err)
	return ""
}
