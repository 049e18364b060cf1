package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"stend/credential"
)

func TestMain(m *testing.M) {
	// The crash test runs this binary as `stend` itself.
	if os.Getenv("STEND_TEST_RUN_AS_STEND") == "1" {
		main()
		os.Exit(0)
	}
	// The password cost is configuration like any other: full strength
	// would dominate a suite that creates organizations; the crash test's
	// child process inherits the setting.
	os.Setenv("STEND_PASSWORD_ITERATIONS", strconv.Itoa(credential.MinPasswordIterations))
	os.Exit(m.Run())
}

// TestKilledProcessKeepsAcknowledgedReports runs stend as a separate
// process, sends reports, kills it with SIGKILL (no shutdown at all), starts
// it again on the same data directory and reads every acknowledged report.
func TestKilledProcessKeepsAcknowledgedReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	areas := `[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5}]`
	if err := os.WriteFile(seed, []byte(`{"migrantExam":{"organizations":[{"username":"u","password":"p","apiKey":"k","areas":`+areas+`}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	startStend := func() *process {
		return stendProcess(t, addr, "--data-dir", filepath.Join(dir, "data"), "--seed", seed, "--operator-token", "op", "--log-level", "warn")
	}
	first := startStend()
	const reports = 20
	for i := range reports {
		monday := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -7*(i/5))
		body := fmt.Sprintf(`{"examinationAreaId":%d,"periodStartDate":%q,"periodEndDate":%q,"noExamInSelectedPeriod":true,`+
			`"examinationAreaDoesNotWork":true}`, 1+i%5, monday.Format(time.DateOnly), monday.AddDate(0, 0, 6).Format(time.DateOnly))
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/Reports/Report", strings.NewReader(body))
		req.SetBasicAuth("u", "p")
		req.Header.Set("x-api-key", "k")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("report %d: %d %s", i, resp.StatusCode, b)
		}
	}
	first.kill(t)

	startStend()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/operator/v1/migrant-exam/reports", nil)
	req.Header.Set("Authorization", "Bearer op")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Reports []json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Reports) != reports {
		t.Fatalf("%d reports after the crash, %d were acknowledged", len(out.Reports), reports)
	}
}

// freeAddr is a loopback address no one listens on, for a process to
// listen on (and a restarted one after it).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// process is a stend running as a process of its own.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// kill ends the process with SIGKILL (no shutdown at all) and waits for
// it to be gone.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// stendProcess runs this binary as `stend serve --addr addr` with args, a
// process of its own, and waits until it is ready; it is killed when the
// test ends if it still runs.
func stendProcess(t *testing.T, addr string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Env = append(os.Environ(), "STEND_TEST_RUN_AS_STEND=1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	// Nothing signals readiness but /readyz.
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case <-p.exited:
			t.Fatalf("stend exited: %v", cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("stend did not become ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
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
	t.Parallel()
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

// TestSeedCommandAndDemoSeed loads the demo seed twice (it is loaded at
// every start) and finds each API's demo objects once, unchanged by the
// second load. One data directory serves every API's checks: the seed
// generates a bank, the slowest part of loading it.
func TestSeedCommandAndDemoSeed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := filepath.Join("..", "..", "demo", "seed.json")
	runStend(t, dir, "seed", "--file", seed)
	badgesBefore := runStend(t, dir, "motivity", "badge", "list")
	runStend(t, dir, "seed", "--file", seed)
	out := runStend(t, dir, "migrant-exam", "org", "list")
	if strings.Count(out, `"username"`) != 2 {
		t.Fatalf("demo organizations after loading the seed twice: %s", out)
	}
	if out := runStend(t, dir, "migrant-exam", "area", "list", "--org", "1"); !strings.Contains(out, `"id": 101`) {
		t.Fatalf("demo areas: %s", out)
	}
	// Motivity
	if after := runStend(t, dir, "motivity", "badge", "list"); after != badgesBefore {
		t.Fatalf("loading the seed again rewrote badges:\n%s\n%s", badgesBefore, after)
	}
	if out := runStend(t, dir, "motivity", "user", "list"); strings.Count(out, `"identifier"`) != 6 {
		t.Fatalf("demo users after loading the seed twice: %s", out)
	}
	// The quest's steps were played once: petrov's first task paid once.
	if out := runStend(t, dir, "motivity", "quest", "student", "--quest", "123", "--user", "petrov@example.ru"); strings.Count(out, `"kind": "task"`) != 1 ||
		!strings.Contains(out, `"task": 13,`+"\n"+`      "status": "checking"`) {
		t.Fatalf("demo quest after loading the seed twice: %s", out)
	}
	if out := runStend(t, dir, "motivity", "user", "show", "--identifier", "petrov@example.ru"); !strings.Contains(out, `"managerId": 4`) {
		t.Fatalf("demo manager: %s", out)
	}
	// Goals in every state, added once however often the seed is loaded.
	if out := runStend(t, dir, "motivity", "goal", "list", "--user", "petrov@example.ru"); strings.Count(out, `"action": "created"`) != 7 ||
		!strings.Contains(out, `"completedBy": "smirnova@example.ru"`) || !strings.Contains(out, `"deletedAt": "20`) {
		t.Fatalf("demo goals after loading the seed twice: %s", out)
	}
	if out := runStend(t, dir, "motivity", "platform", "show"); !strings.Contains(out, `"prizeCatalogValid": true`) || !strings.Contains(out, `"publicTokenSet": true`) {
		t.Fatalf("demo platform: %s", out)
	}
	// Reestro
	if out := runStend(t, dir, "reestro", "org", "list"); strings.Count(out, `"id"`) != 1 {
		t.Fatalf("demo organizations after loading twice: %s", out)
	}
	if out := runStend(t, dir, "reestro", "key", "list"); strings.Count(out, `"id"`) != 1 || !strings.Contains(out, "1269f58a-3d40-42e1-91ad-a4251566419c") {
		t.Fatalf("demo keys after loading twice: %s", out)
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
	for _, arg := range []string{"--version", "version"} {
		out.Reset()
		// Tests carry no module version, but say they are stend and which
		// Go built them.
		if err := run(context.Background(), []string{arg}, &out, &errs); err != nil || !strings.HasPrefix(out.String(), "stend ") ||
			!strings.Contains(out.String(), "go1.") {
			t.Fatalf("%s: %v %q", arg, err, out.String())
		}
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

func TestFlagWinsOverAMalformedEnvironmentValue(t *testing.T) {
	t.Setenv("STEND_PASSWORD_ITERATIONS", "many")
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--data-dir", dir}, &out, &errs); err == nil || !strings.Contains(err.Error(), "STEND_PASSWORD_ITERATIONS") {
		t.Fatalf("malformed variable without a flag: %v", err)
	}
	if err := run(context.Background(), []string{"migrate", "--data-dir", dir, "--password-iterations", "600000"}, &out, &errs); err != nil {
		t.Fatalf("the flag should win: %v", err)
	}
	// A setting only a serving node has is neither a flag of another
	// command nor read from its variable.
	t.Setenv("STEND_SHUTDOWN_TIMEOUT", "soon")
	if err := run(context.Background(), []string{"migrate", "--data-dir", dir, "--password-iterations", "600000"}, &out, &errs); err != nil {
		t.Fatalf("a serve setting's variable broke a command: %v", err)
	}
	errs.Reset()
	if err := run(context.Background(), []string{"migrate", "--shutdown-timeout", "5s"}, &out, &errs); err == nil {
		t.Fatal("migrate took a serve setting")
	}
	errs.Reset()
	_ = run(context.Background(), []string{"clock", "show", "--help"}, &out, &errs)
	if help := errs.String(); !strings.HasPrefix(help, "stend clock show: show the stand's time") || strings.Contains(help, "-addr") || !strings.Contains(help, "-data-dir") {
		t.Fatalf("clock show --help:\n%s", help)
	}
}

func TestHelpIsNotAnError(t *testing.T) {
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"serve", "--help"}, &out, &errs)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(errs.String(), "STEND_ADDR") {
		t.Fatalf("serve --help: %v", err)
	}
}

func TestFSSPCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var issued struct {
		ID     int64
		Token  string
		Limits struct{ SinglePerHour, SinglePerDay, GroupPerDay int }
	}
	out := runStend(t, dir, "fssp", "token", "issue", "--name", "Интегратор", "--single-per-hour", "7")
	if err := json.Unmarshal([]byte(out), &issued); err != nil || issued.ID != 1 || len(issued.Token) < 20 ||
		issued.Limits.SinglePerHour != 7 || issued.Limits.SinglePerDay != 1000 || issued.Limits.GroupPerDay != 5000 {
		t.Fatalf("issue: %v %s", err, out)
	}
	if out := runStend(t, dir, "fssp", "token", "list"); strings.Contains(out, issued.Token) || !strings.Contains(out, "Интегратор") {
		t.Fatalf("list: %s", out)
	}
	if out := runStend(t, dir, "fssp", "token", "revoke", "--id", "1"); !strings.Contains(out, "revokedAt") {
		t.Fatalf("revoke: %s", out)
	}
	if out := runStend(t, dir, "fssp", "generate", "--count", "2000", "--random-seed", "3"); !strings.Contains(out, `"generated": 2000`) {
		t.Fatalf("generate: %s", out)
	}
	// A file with a bad row is refused whole, the row named by line.
	csv := filepath.Join(dir, "bank.csv")
	header := "kind,last_name,first_name,number,opened,doc_type,doc_date,doc_number,doc_issuer,subject,department_name\n"
	row := "physical,ИВАНОВ,ИВАН,%d/24/66001-ИП,01.01.2024,Судебный приказ,01.12.2023,2-1,Суд,Налог,РОСП\n"
	_ = os.WriteFile(csv, []byte(header+fmt.Sprintf(row, 1)+"physical,ИВАНОВ,ИВАН,bad,01.01.2024,x,01.12.2023,2-1,Суд,Налог,РОСП\n"+fmt.Sprintf(row, 2)), 0o600)
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"fssp", "import", "--data-dir", dir, csv}, &stdout, &stderr)
	if err == nil || !strings.Contains(stderr.String(), "bank.csv:3: number \"bad\"") {
		t.Fatalf("import of a bad file: %v\n%s", err, stderr.String())
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"fssp", "import", "--data-dir", dir, "--skip-bad", csv}, &stdout, &stderr); err != nil ||
		!strings.Contains(stdout.String(), `"imported": 2, "badRows": 1`) {
		t.Fatalf("import --skip-bad: %v %s", err, stdout.String())
	}
	if out := runStend(t, dir, "fssp", "task", "list"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("task list: %s", out)
	}
}
