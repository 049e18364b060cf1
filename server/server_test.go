package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stend/credential"
	"stend/operator"
	"stend/server"
	"stend/stand"
	"stend/stendtest"
	"stend/store/sqlite"
	"stend/store/storetest"
)

var today = stendtest.Now

const reportBody = `{"examinationAreaId":101,"periodStartDate":"2025-06-02","periodEndDate":"2025-06-08",
"noExamInSelectedPeriod":false,"examinationAreaDoesNotWork":false,"noPatentExamType":true,
"noTemporaryResidenceExamType":true,"noResidencePermitExamType":true,"noCitizenshipRussianLangExamType":true,
"noCitizenshipHistoryExamType":true,"requests":[{"identityDocumentNumber":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
"examDate":"2025-06-04","migrationExamType":1,"migrationExamStatus":1}]}`

// running is a node serving on a loopback port, backed by a SQLite file in
// dir, the way `stend serve` runs it.
type running struct {
	base   string
	node   *server.Node
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, dir string, wrap func(http.Handler) http.Handler) *running {
	t.Helper()
	return startWith(t, dir, wrap, nil)
}

// startWith is start with settings changed by set before the node runs.
func startWith(t *testing.T, dir string, wrap func(http.Handler) http.Handler, set func(*server.Config)) *running {
	t.Helper()
	cfg := stendtest.Config()
	cfg.DataDir = dir
	cfg.OperatorToken = "op"
	cfg.ShutdownTimeout = 10 * time.Second
	if set != nil {
		set(&cfg)
	}
	clock := stendtest.NewManualClock(today)
	store, err := server.OpenStore(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	node := stendtest.On(t, store, clock, stendtest.Options{Config: &cfg}).Node
	if err := node.Operator.LoadSeed(context.Background(), reportSeed(), node.Logger); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{base: "http://" + ln.Addr().String(), node: node, cancel: cancel, done: make(chan error, 1)}
	// The traffic of a real listener is held to the documents as a stand's
	// Handler is; a test's own wrap stays outermost, seeing what the
	// client sent.
	checked := func(h http.Handler) http.Handler { return stendtest.Checked(t, h) }
	if wrap != nil {
		given := wrap
		checked = func(h http.Handler) http.Handler { return given(stendtest.Checked(t, h)) }
	}
	go func() {
		err := node.ServeHandler(ctx, ln, checked)
		store.Close()
		r.done <- err
	}()
	t.Cleanup(func() { r.stop(t) })
	return r
}

// reportSeed is what every stand of these tests holds: the organization
// demo (password pw, x-api-key key) with the area 101.
func reportSeed() operator.Seed {
	var seed operator.Seed
	seed.MigrantExam.Organizations = []operator.SeedOrganization{{
		NewOrganization: operator.NewOrganization{Username: "demo", Password: "pw", APIKey: "key"},
		Areas:           []operator.SeedArea{{ID: 101}},
	}}
	return seed
}

// startStand starts a whole stand (package stand, as integrators do) on
// the store at databaseURL, with reportSeed and the least password cost.
func startStand(t *testing.T, databaseURL string) *stand.Stand {
	t.Helper()
	seed := reportSeed()
	return stand.Start(t, stand.Options{DatabaseURL: databaseURL, Seed: &seed,
		Config: func(c *server.Config) { c.PasswordIterations = credential.MinPasswordIterations }})
}

func (r *running) stop(t *testing.T) {
	if r.cancel == nil {
		return
	}
	r.cancel()
	r.cancel = nil
	if err := <-r.done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

func (r *running) post(t *testing.T, body io.Reader) (int, string) {
	t.Helper()
	return postReport(t, r.base, body)
}

// postReport sends a report as the seeded organization to the stand at
// base.
func postReport(t *testing.T, base string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/Reports/Report", body)
	req.SetBasicAuth("demo", "pw")
	req.Header.Set("x-api-key", "key")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (r *running) get(t *testing.T, path string, auth string) (int, string) {
	t.Helper()
	return get(t, r.base, path, auth)
}

// get GETs path of the stand at base, with the Bearer token auth unless
// it is empty.
func get(t *testing.T, base, path, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAcknowledgedReportSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := start(t, dir, nil)
	code, body := first.post(t, strings.NewReader(reportBody))
	id := reportID(body)
	if code != 200 || id == 0 {
		t.Fatalf("%d %s", code, body)
	}
	first.stop(t)

	second := start(t, dir, nil)
	code, body = second.get(t, fmt.Sprint("/operator/v1/migrant-exam/reports/", id), "op")
	if code != 200 || !strings.Contains(body, `"identityDocumentNumber":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`) {
		t.Fatalf("after restart: %d %s", code, body)
	}
	// The week is still taken after the restart.
	if code, body := second.post(t, strings.NewReader(reportBody)); code != 400 || !strings.Contains(body, fmt.Sprintf("reportId = %d.", id)) {
		t.Fatalf("duplicate after restart: %d %s", code, body)
	}
}

// reportID is the id in a report's 200 answer ({"reportId":N}), 0 for any
// other body: ids are random.
func reportID(body string) int64 {
	var r struct{ ReportID int64 }
	if json.Unmarshal([]byte(body), &r) != nil || body != fmt.Sprintf(`{"reportId":%d}`, r.ReportID) {
		return 0
	}
	return r.ReportID
}

func TestCutOffBodyLeavesNothing(t *testing.T) {
	t.Parallel()
	served := make(chan struct{}, 1)
	r := start(t, t.TempDir(), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			h.ServeHTTP(w, req)
			if req.URL.Path == "/Reports/Report" {
				served <- struct{}{}
			}
		})
	})
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	half := reportBody[:len(reportBody)/2]
	// A body cut off is no report of the document: the request goes marked.
	fmt.Fprintf(conn, "POST /Reports/Report HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ZGVtbzpwdw==\r\nx-api-key: key\r\nContent-Type: application/json\r\n%s: 1\r\nContent-Length: %d\r\n\r\n%s", stendtest.MalformedHeader, len(reportBody), half)
	conn.Close()
	select {
	case <-served:
	case <-time.After(10 * time.Second):
		t.Fatal("the cut-off request was never served")
	}
	code, body := r.get(t, "/operator/v1/migrant-exam/reports", "op")
	if code != 200 || body != `{"reports":[]}` {
		t.Fatalf("after a cut-off request: %d %s", code, body)
	}
}

func TestShutdownFinishesRequestsInFlight(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	r := start(t, t.TempDir(), func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if req.URL.Path == "/Reports/Report" {
				close(entered)
			}
			h.ServeHTTP(w, req)
		})
	})
	pr, pw := io.Pipe()
	result := make(chan string, 1)
	go func() {
		code, body := r.post(t, pr)
		result <- fmt.Sprint(code, " ", body)
	}()
	// Half the body, then wait until the handler runs, then shut down while
	// the rest is still to come.
	_, _ = pw.Write([]byte(reportBody[:20]))
	<-entered
	r.cancel()
	r.cancel = nil
	_, _ = pw.Write([]byte(reportBody[20:]))
	pw.Close()
	got := <-result
	id := reportID(strings.TrimPrefix(got, "200 "))
	if !strings.HasPrefix(got, "200 ") || id == 0 {
		t.Fatalf("request in flight during shutdown: %s", got)
	}
	if err := <-r.done; err != nil {
		t.Fatal(err)
	}
	// What it acknowledged is on disk.
	store, err := sqlite.Open(filepath.Join(r.node.Config.DataDir, "stend.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.MigrantExam().Report(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		s := startStand(t, databaseURL)
		if code, body := get(t, s.URL, "/healthz", ""); code != 200 || body != "ok\n" {
			t.Fatalf("healthz: %d %q", code, body)
		}
		if code, body := get(t, s.URL, "/readyz", ""); code != 200 || body != "ready\n" {
			t.Fatalf("readyz: %d %q", code, body)
		}
		postReport(t, s.URL, strings.NewReader(reportBody))
		postReport(t, s.URL, strings.NewReader(`{}`))
		code, body := get(t, s.URL, "/metrics", "")
		want := []string{
			`stend_http_requests_total{api="migrant-exam",route="POST /Reports/Report",status="200"} 1`,
			`stend_http_requests_total{api="migrant-exam",route="POST /Reports/Report",status="400"} 1`,
			`stend_http_request_duration_seconds_bucket{api="migrant-exam",route="POST /Reports/Report",le="+Inf"} 2`,
		}
		if databaseURL == "" {
			// SQLite: one writer, readers apart.
			want = append(want, `go_sql_max_open_connections{db_name="write"} 1`, `go_sql_open_connections{db_name="read"}`)
		} else {
			want = append(want, `go_sql_open_connections{db_name="pool"}`)
		}
		for _, w := range want {
			if code != 200 || !strings.Contains(body, w) {
				t.Errorf("metrics lack %s", w)
			}
		}
	})
}

func TestRequestIDs(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		s := startStand(t, databaseURL)
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/healthz", nil)
		req.Header.Set("X-Request-Id", "client-chosen-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); got != "client-chosen-1" {
			t.Fatalf("kept id %q", got)
		}
		req.Header.Set("X-Request-Id", "bad id with spaces and \"quotes\"")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Request-Id"); len(got) != 16 {
			t.Fatalf("generated id %q", got)
		}
	})
}

func TestOperatorAPI(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		s := startStand(t, databaseURL)
		call := func(method, path, token, body string) (int, map[string]any) {
			req, _ := http.NewRequest(method, s.URL+path, bytes.NewBufferString(body))
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&out)
			return resp.StatusCode, out
		}
		if code, out := call("GET", "/operator/v1/migrant-exam/organizations", "", ""); code != 401 || out["error"].(map[string]any)["kind"] != "unauthenticated" {
			t.Fatalf("no token: %d %v", code, out)
		}
		if code, _ := call("GET", "/operator/v1/migrant-exam/organizations", "wrong", ""); code != 401 {
			t.Fatalf("wrong token: %d", code)
		}
		code, created := call("POST", "/operator/v1/migrant-exam/organizations", s.OperatorToken, `{"name":"Центр","username":"center"}`)
		if code != 201 {
			t.Fatalf("create: %d %v", code, created)
		}
		creds := created["credentials"].(map[string]any)
		password, key := creds["password"].(string), creds["apiKey"].(string)
		if len(password) < 16 || len(key) < 32 {
			t.Fatalf("generated credentials too weak: %v", creds)
		}
		id := int64(created["id"].(float64))
		if code, _ := call("POST", "/operator/v1/migrant-exam/organizations", s.OperatorToken, `{"username":"center"}`); code != 409 {
			t.Fatalf("duplicate username: %d", code)
		}
		if code, _ := call("POST", "/operator/v1/migrant-exam/organizations", s.OperatorToken, `{"username":"x","bogus":1}`); code != 400 {
			t.Fatalf("unknown field: %d", code)
		}
		if code, out := call("POST", fmt.Sprintf("/operator/v1/migrant-exam/organizations/%d/areas", id), s.OperatorToken, `{"id":101}`); code != 409 {
			t.Fatalf("grant an area held by another organization: %d %v", code, out)
		}
		if code, out := call("POST", fmt.Sprintf("/operator/v1/migrant-exam/organizations/%d/areas", id), s.OperatorToken, `{"id":300,"name":"Тула"}`); code != 200 || out["id"].(float64) != 300 {
			t.Fatalf("grant: %d %v", code, out)
		}
		if code, _ := call("GET", "/operator/v1/migrant-exam/organizations/999/areas", s.OperatorToken, ""); code != 404 {
			t.Fatalf("areas of an unknown organization: %d", code)
		}
		// The generated credentials work on the published API.
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/Reports/Report", strings.NewReader(strings.Replace(reportBody, `"examinationAreaId":101`, `"examinationAreaId":300`, 1)))
		req.SetBasicAuth("center", password)
		req.Header.Set("x-api-key", key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("report with generated credentials: %d", resp.StatusCode)
		}
		if code, out := call("GET", fmt.Sprintf("/operator/v1/migrant-exam/reports?organizationId=%d", id), s.OperatorToken, ""); code != 200 || len(out["reports"].([]any)) != 1 {
			t.Fatalf("reports of the organization: %d %v", code, out)
		}
		if code, _ := call("GET", "/operator/v1/migrant-exam/reports?limit=x", s.OperatorToken, ""); code != 400 {
			t.Fatalf("bad limit: %d", code)
		}
		if code, _ := call("GET", "/operator/v1/migrant-exam/reports/999", s.OperatorToken, ""); code != 404 {
			t.Fatalf("unknown report: %d", code)
		}
		// Rotation: the old credentials stop working at once.
		code, rotated := call("POST", fmt.Sprintf("/operator/v1/migrant-exam/organizations/%d/credentials", id), s.OperatorToken, "")
		if code != 200 || rotated["password"] == password {
			t.Fatalf("rotate: %d %v", code, rotated)
		}
		req, _ = http.NewRequest(http.MethodPost, s.URL+"/Reports/Report", strings.NewReader(reportBody))
		req.SetBasicAuth("center", password)
		req.Header.Set("x-api-key", key)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Fatalf("old credentials after rotation: %d", resp.StatusCode)
		}
		if code, _ := call("DELETE", fmt.Sprintf("/operator/v1/migrant-exam/organizations/%d/areas/300", id), s.OperatorToken, ""); code != 204 {
			t.Fatalf("revoke: %d", code)
		}
	})
}

func TestSeedIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// start loads the same seed each time; the second start must neither
	// fail nor duplicate anything.
	start(t, dir, nil).stop(t)
	r := start(t, dir, nil)
	code, body := r.get(t, "/operator/v1/migrant-exam/organizations", "op")
	if code != 200 || strings.Count(body, `"username"`) != 1 {
		t.Fatalf("organizations after two seeds: %s", body)
	}
	if code, body := r.post(t, strings.NewReader(reportBody)); code != 200 {
		t.Fatalf("seeded credentials after reseed: %d %s", code, body)
	}
}

func TestConfigValidation(t *testing.T) {
	if err := server.Defaults().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if c := stendtest.Config(); c.Validate() != nil || c.PasswordIterations != 1000 {
		t.Fatalf("the tests' configuration: %d iterations, %v", c.PasswordIterations, c.Validate())
	}
	bad := map[string]func(*server.Config){
		"log format":            func(c *server.Config) { c.LogFormat = "xml" },
		"fssp max items 0":      func(c *server.Config) { c.FSSPMaxItems = 0 },
		"fssp max items huge":   func(c *server.Config) { c.FSSPMaxItems = 100_000 },
		"fssp parallel 0":       func(c *server.Config) { c.FSSPParallel = 0 },
		"fssp search timeout":   func(c *server.Config) { c.FSSPSearchTimeout = 0 },
		"fssp sweep":            func(c *server.Config) { c.FSSPSweepEvery = -time.Second },
		"timezone":              func(c *server.Config) { c.Timezone = "Mars/Olympus" },
		"migrant-exam max rows": func(c *server.Config) { c.MigrantExamMaxRows = 0 },
		"password iterations":   func(c *server.Config) { c.PasswordIterations = 999 },
	}
	for name, mutate := range bad {
		c := server.Defaults()
		mutate(&c)
		if c.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestUncleanPathsStayInTheirAPI: a path ServeMux would redirect is
// answered by the API it names, in its envelope, credentials first.
func TestUncleanPathsStayInTheirAPI(t *testing.T) {
	clock := stendtest.NewManualClock(time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC))
	node := stendtest.On(t, storetest.OpenSQLite(t), clock, stendtest.Options{}).Node
	h := node.Handler()
	for path, want := range map[string]int{
		"/api/v1.0//status":      http.StatusNotFound,
		"/api/v1.0/../v1.0/x":    http.StatusNotFound,
		"/public/api/v1//badge":  http.StatusUnauthorized,
		"/public/api/v1":         http.StatusUnauthorized,
		"/operator/v1//anything": http.StatusUnauthorized,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %q %s", path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}

// At shutdown /readyz answers 503 for the drain period while the listener
// still takes connections, so that a load balancer moves away first; then
// the listener closes.
func TestReadyzDrainsBeforeTheListenerCloses(t *testing.T) {
	t.Parallel()
	r := startWith(t, t.TempDir(), nil, func(c *server.Config) { c.DrainPeriod = time.Second })
	done := r.done
	r.cancel()
	r.cancel = nil
	saw503 := false
	for deadline := time.Now().Add(900 * time.Millisecond); time.Now().Before(deadline) && !saw503; {
		code, body := r.get(t, "/readyz", "")
		saw503 = code == http.StatusServiceUnavailable && body == "shutting down\n"
	}
	if !saw503 {
		t.Fatal("readyz never answered 503 during the drain")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(r.base + "/readyz"); err == nil {
		resp.Body.Close()
		t.Fatal("the listener still answers after the shutdown")
	}
}
