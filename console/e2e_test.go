package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"stend/stand"
)

// browserEnv names Chromium's executable: .ci/run installs Debian's
// chromium and sets it. Unset, the browser test cannot run here and says
// so; set, anything it needs that is missing fails it.
const browserEnv = "STEND_TEST_BROWSER"

// artifactsEnv is where the screenshots of each page are kept (CI keeps
// the directory); unset, the test's temporary directory.
const artifactsEnv = "STEND_TEST_ARTIFACTS"

// The console in headless Chromium, driven by Playwright (web/e2e), against
// a real stand on SQLite: the console is the same on either store, and the
// operator API it calls is tested on both (operator, server).
func TestConsoleInChromium(t *testing.T) {
	browser := os.Getenv(browserEnv)
	if browser == "" {
		t.Skip(browserEnv + " is not set: the browser test runs where Chromium is (.ci/run installs it)")
	}
	for _, need := range []string{browser, "web/node_modules/playwright-core/package.json"} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("%s is set, but %v (.ci/run installs Chromium and runs npm ci in console/web)", browserEnv, err)
		}
	}
	node := nodeFor(t)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("%s is set, but curl is missing (the test runs a copied command): %v", browserEnv, err)
	}
	artifacts := t.TempDir()
	if dir := os.Getenv(artifactsEnv); dir != "" {
		artifacts = filepath.Join(dir, "console")
	}
	artifacts, err := filepath.Abs(artifacts)
	if err != nil {
		t.Fatal(err)
	}
	s := stand.Start(t, stand.Options{SeedFile: "testdata/seed.json"})

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e/console.e2e.mjs")
	cmd.Dir = "web"
	cmd.Env = append(os.Environ(), "STEND_URL="+s.URL, "STEND_OPERATOR_TOKEN="+s.OperatorToken, "STEND_TEST_BROWSER="+browser,
		"STEND_TEST_ARTIFACTS="+artifacts)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the browser test failed: %v", err)
	}
	for _, page := range []string{"login", "stand", "journal", "journal-refused", "migrant-exam", "migrant-exam-report", "fssp", "reestro", "motivity", "motivity-user", "motivity-quest", "motivity-thread", "motivity-reports", "motivity-report"} {
		if info, err := os.Stat(filepath.Join(artifacts, page+".png")); err != nil || info.Size() == 0 {
			t.Errorf("no screenshot of %s: %v", page, err)
		}
	}
	t.Logf("screenshots in %s", artifacts)
}
