package openapi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"stend/openapi"
	"stend/stand"
)

// The OpenAPI page in headless Chromium, driven by Playwright
// (page/e2e/openapi.e2e.mjs), against a real stand: it loads, shows every
// document with all of its operations, and its "Try it out" reaches the
// stand. STEND_TEST_BROWSER names Chromium (.ci/run installs it); unset,
// the test says so and skips; set, anything missing fails it.
func TestPageInChromium(t *testing.T) {
	browser := os.Getenv("STEND_TEST_BROWSER")
	if browser == "" {
		t.Skip("STEND_TEST_BROWSER is not set: the browser test runs where Chromium is (.ci/run installs it)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("STEND_TEST_BROWSER is set, but node is missing: %v", err)
	}
	for _, need := range []string{browser, "page/node_modules/playwright-core/package.json"} {
		if _, err := os.Stat(need); err != nil {
			t.Fatalf("STEND_TEST_BROWSER is set, but %v (.ci/run installs Chromium and runs npm ci in openapi/page)", err)
		}
	}
	artifacts := t.TempDir()
	if dir := os.Getenv("STEND_TEST_ARTIFACTS"); dir != "" {
		artifacts = filepath.Join(dir, "openapi")
	}
	artifacts, err = filepath.Abs(artifacts)
	if err != nil {
		t.Fatal(err)
	}
	s := stand.Start(t, stand.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "e2e/openapi.e2e.mjs")
	cmd.Dir = "page"
	cmd.Env = append(os.Environ(), "STEND_URL="+s.URL, "STEND_OPERATOR_TOKEN="+s.OperatorToken, "STEND_TEST_BROWSER="+browser,
		"STEND_TEST_ARTIFACTS="+artifacts)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the browser test failed: %v", err)
	}
	docs, err := openapi.Documents()
	if err != nil {
		t.Fatal(err)
	}
	for name := range docs {
		if info, err := os.Stat(filepath.Join(artifacts, "openapi-"+name+".png")); err != nil || info.Size() == 0 {
			t.Errorf("no screenshot of the %s document: %v", name, err)
		}
	}
}
