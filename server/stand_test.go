package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/fault"
	"stend/fssp"
	"stend/job"
	motivityhttp "stend/motivity/http"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// standSeed is what the reset tests put back: an organization, an FSSP
// token and a fault rule.
func standSeed() operator.Seed {
	var seed operator.Seed
	seed.MigrantExam.Organizations = []operator.SeedOrganization{{NewOrganization: operator.NewOrganization{
		Name: "Из сида", Username: "seeded", Password: "seeded-password-1", APIKey: "seeded-api-key-0123456789abcdef0123"}}}
	seed.FSSP.Tokens = []operator.NewFSSPToken{{Name: "seeded", Token: "seeded-token", Limits: &fssp.Limits{}}}
	seed.Faults = []fault.Rule{{Name: "seeded-fault", API: "fssp", Path: "/api/v1.0/never", Status: 503}}
	return seed
}

func decodeAnswer[T any](t *testing.T, a stendtest.Answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(a.Body), &v); err != nil {
		t.Fatalf("%d %s: %v", a.Status, a.Body, err)
	}
	return v
}

func usernames(t *testing.T, s *stendtest.Stand) []string {
	t.Helper()
	a := s.Operator(http.MethodGet, "/operator/v1/migrant-exam/organizations", "", "")
	var names []string
	for _, o := range decodeAnswer[struct{ Organizations []operator.Organization }](t, a).Organizations {
		names = append(names, o.Username)
	}
	slices.Sort(names)
	return names
}

func faultNames(t *testing.T, s *stendtest.Stand) []string {
	t.Helper()
	var names []string
	for _, r := range decodeAnswer[struct{ Faults []fault.Rule }](t, s.Operator(http.MethodGet, "/operator/v1/faults", "", "")).Faults {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	return names
}

func createOrganization(t *testing.T, s *stendtest.Stand, username string) {
	t.Helper()
	if a := s.Operator(http.MethodPost, "/operator/v1/migrant-exam/organizations", "application/json",
		fmt.Sprintf(`{"name":"Центр","username":%q}`, username)); a.Status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", username, a.Status, a.Body)
	}
}

// TestResetAndSnapshotsPutTheStandBack: through the operator API, a reset
// builds the seed's state (the stand started empty) and puts it back with
// its fault rules, an empty journal and real time; a snapshot taken later
// is restored exactly, keys continue after the restored ones, and names
// and unknown snapshots are refused without changing anything.
func TestResetAndSnapshotsPutTheStandBack(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		s.Node.AddSeed(standSeed())
		reset := func(body string) operator.Restored {
			t.Helper()
			a := s.Operator(http.MethodPost, "/operator/v1/stand/reset", "application/json", body)
			if a.Status != http.StatusOK {
				t.Fatalf("reset: %d %s", a.Status, a.Body)
			}
			return decodeAnswer[operator.Restored](t, a)
		}
		if r := reset(""); !r.Rebuilt || r.Snapshot.Name != "@seed" || r.Generation != 1 {
			t.Fatalf("first reset: %+v", r)
		}
		if got := usernames(t, s); !slices.Equal(got, []string{"seeded"}) {
			t.Fatalf("after the first reset: %v", got)
		}
		if got := faultNames(t, s); !slices.Equal(got, []string{"seeded-fault"}) {
			t.Fatalf("faults after the first reset: %v", got)
		}
		// Keys continue after the restored rows (PostgreSQL's identities
		// do not by themselves: the stand had none before).
		createOrganization(t, s, "after-reset")
		a := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"one"}`)
		if a.Status != http.StatusCreated {
			t.Fatalf("take: %d %s", a.Status, a.Body)
		}
		if snap := decodeAnswer[stend.Snapshot](t, a); snap.Name != "one" || snap.Rows < 3 || snap.Tables < 10 {
			t.Fatalf("taken: %+v", snap)
		}
		createOrganization(t, s, "after-snapshot")
		s.Operator(http.MethodPost, "/operator/v1/faults", "application/json", `{"name":"later","api":"fssp","status":500}`)
		s.Operator(http.MethodDelete, "/operator/v1/faults", "", "")
		if a := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots/one/restore", "", ""); a.Status != http.StatusOK {
			t.Fatalf("restore: %d %s", a.Status, a.Body)
		}
		if got := usernames(t, s); !slices.Equal(got, []string{"after-reset", "seeded"}) {
			t.Fatalf("after restoring one: %v", got)
		}
		if got := faultNames(t, s); !slices.Equal(got, []string{"seeded-fault"}) {
			t.Fatalf("faults after restoring one: %v", got)
		}
		createOrganization(t, s, "after-restore")

		// A reset also clears the journal and releases the clock.
		s.Serve(httptestRequest(http.MethodGet, "/api/v1.0/status?token=wrong&task=ADAB49B2-F435-49CC-80DF-55F2F57D3057"))
		_ = s.Node.Journal.Flush(context.Background())
		if n := decodeAnswer[struct{ Count int64 }](t, s.Operator(http.MethodGet, "/operator/v1/journal/count", "", "")).Count; n == 0 {
			t.Fatal("the request was not journalled")
		}
		s.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"5h"}`)
		if r := reset(`{}`); r.Rebuilt {
			t.Fatalf("the seed did not change, yet it was built again: %+v", r)
		}
		if got := usernames(t, s); !slices.Equal(got, []string{"seeded"}) {
			t.Fatalf("after the second reset: %v", got)
		}
		if n := decodeAnswer[struct{ Count int64 }](t, s.Operator(http.MethodGet, "/operator/v1/journal/count", "", "")).Count; n != 0 {
			t.Fatalf("journal after a reset: %d entries", n)
		}
		if s.Clock.Offset() != 0 {
			t.Fatalf("clock after a reset: %v ahead", s.Clock.Offset())
		}
		if r := reset(`{"rebuild":true}`); !r.Rebuilt {
			t.Fatalf("rebuild asked for: %+v", r)
		}

		list := decodeAnswer[struct{ Snapshots []stend.Snapshot }](t, s.Operator(http.MethodGet, "/operator/v1/stand/snapshots", "", "")).Snapshots
		if len(list) != 2 || list[0].Name != "@seed" || list[1].Name != "one" {
			t.Fatalf("snapshots: %+v", list)
		}
		for _, c := range []struct {
			method, path, body string
			status             int
			malformed          bool // the operator document already forbids it
		}{
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"name":""}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"name":"@mine"}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"name":"` + strings.Repeat("x", 101) + `"}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"nom":"x"}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"name":".."}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots", `{"name":"a/b"}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/reset", `{"rebuild":1}`, 400, true},
			{http.MethodPost, "/operator/v1/stand/snapshots/nope/restore", "", 404, false},
			{http.MethodDelete, "/operator/v1/stand/snapshots/nope", "", 404, false},
			{http.MethodDelete, "/operator/v1/stand/snapshots/one", "", 204, false},
			{http.MethodPost, "/operator/v1/stand/snapshots/one/restore", "", 404, false},
		} {
			if a := operatorAs(s, c.malformed)(c.method, c.path, "application/json", c.body); a.Status != c.status {
				t.Fatalf("%s %s %s: %d %s, want %d", c.method, c.path, c.body, a.Status, a.Body, c.status)
			}
		}
		if got := usernames(t, s); !slices.Equal(got, []string{"seeded"}) {
			t.Fatalf("refused calls changed the stand: %v", got)
		}
	})
}

func httptestRequest(method, target string) *http.Request {
	r, _ := http.NewRequest(method, target, nil)
	r.RequestURI = target
	r.RemoteAddr = "192.0.2.1:1234"
	return r
}

// TestRestoreReachesOtherNodes: a token another node had cached is
// refused there once a restore through the first node removed it.
func TestRestoreReachesOtherNodes(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		a := stendtest.On(t, first, stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		b := stendtest.On(t, reopen(), stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Node.FollowStand(ctx)
		if r := a.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"before"}`); r.Status != http.StatusCreated {
			t.Fatalf("take: %d %s", r.Status, r.Body)
		}
		if r := a.Operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"late","token":"late-token-0123456789"}`); r.Status != http.StatusCreated {
			t.Fatalf("issue: %d %s", r.Status, r.Body)
		}
		search := func(token string) stendtest.Answer {
			q := url.Values{"token": {token}, "region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}
			return b.Serve(httptestRequest(http.MethodGet, "/api/v1.0/search/physical?"+q.Encode()))
		}
		if r := search("late-token-0123456789"); r.Status != http.StatusOK {
			t.Fatalf("the new token on the other node: %d %s", r.Status, r.Body)
		}
		restored := decodeAnswer[operator.Restored](t, a.Operator(http.MethodPost, "/operator/v1/stand/snapshots/before/restore", "", ""))
		for deadline := time.Now().Add(10 * time.Second); b.Node.Generation() != restored.Generation; {
			if time.Now().After(deadline) {
				t.Fatalf("the other node never followed the restore (generation %d, want %d)", b.Node.Generation(), restored.Generation)
			}
			time.Sleep(10 * time.Millisecond)
		}
		got, never := search("late-token-0123456789"), search("never-issued-0123456789")
		if got.Status != never.Status || got.Body != never.Body {
			t.Fatalf("after the restore the other node answers %d %s, as for a token never issued %d %s", got.Status, got.Body, never.Status, never.Body)
		}
	})
}

// TestRestoreStopsRunningJobsAndResumes: a restore stops the job running
// (released, its attempt not used), puts back the snapshot's queue, taken
// while the job ran, as it was before the claim, and the runner then runs
// it again and to the end.
func TestRestoreStopsRunningJobsAndResumes(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		var (
			mu       sync.Mutex
			outcomes []string
		)
		s := stendtest.Open(t, o, stendtest.Options{Jobs: job.Config{Observe: func(kind, outcome string, _, _ time.Duration) {
			if kind == "test.block" {
				mu.Lock()
				outcomes = append(outcomes, outcome)
				mu.Unlock()
			}
		}}})
		started := make(chan int, 4)
		stopped := make(chan error, 4)
		finish := make(chan struct{})
		s.Node.Jobs.Handle("test.block", func(ctx context.Context, j stend.Job) error {
			started <- j.Attempt
			select {
			case <-ctx.Done():
				stopped <- ctx.Err()
				return ctx.Err()
			case <-finish:
				return nil
			}
		})
		s.StartJobs()
		ctx := context.Background()
		id, err := s.Store.EnqueueJob(ctx, stend.JobSpec{Kind: "test.block", At: s.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if attempt := <-started; attempt != 1 {
			t.Fatalf("first run: attempt %d", attempt)
		}
		if r := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"running"}`); r.Status != http.StatusCreated {
			t.Fatalf("take: %d %s", r.Status, r.Body)
		}
		if r := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots/running/restore", "", ""); r.Status != http.StatusOK {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		select {
		case <-stopped:
		default:
			t.Fatal("the restore answered while the job still ran")
		}
		if attempt := <-started; attempt != 1 {
			t.Fatalf("after the restore the job ran as attempt %d, want 1 again", attempt)
		}
		close(finish)
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			j, err := s.Store.Job(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if j.State == stend.JobCompleted {
				if j.Attempt != 1 {
					t.Fatalf("completed at attempt %d", j.Attempt)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("job after the restore: %+v", j)
			}
		}
		// The metrics count the stopped run as released, not as retried.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			mu.Lock()
			got := slices.Clone(outcomes)
			mu.Unlock()
			if len(got) == 2 {
				if !slices.Equal(got, []string{"released", "completed"}) {
					t.Fatalf("outcomes observed: %v", got)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("outcomes observed: %v", got)
			}
		}
	})
}

// TestRestoreUnderLoadLosesNoWriteAfterIt: organizations created while a
// restore runs are either all there or not, and every one acknowledged
// after the restore answered is there.
func TestRestoreUnderLoadLosesNoWriteAfterIt(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		if r := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"empty"}`); r.Status != http.StatusCreated {
			t.Fatalf("take: %d %s", r.Status, r.Body)
		}
		var (
			mu                    sync.Mutex
			before, after, inside []string
			restoring, restored   bool
			stop                  = make(chan struct{})
			wg                    sync.WaitGroup
		)
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					startedAfter := restored
					mu.Unlock()
					name := fmt.Sprintf("w%d-%d", w, i)
					a := s.Operator(http.MethodPost, "/operator/v1/migrant-exam/organizations", "application/json", fmt.Sprintf(`{"name":"x","username":%q}`, name))
					if a.Status != http.StatusCreated {
						t.Errorf("create %s: %d %s", name, a.Status, a.Body)
						return
					}
					mu.Lock()
					switch {
					case startedAfter:
						after = append(after, name)
					case !restoring:
						before = append(before, name)
					default:
						inside = append(inside, name)
					}
					mu.Unlock()
				}
			}()
		}
		waitFor := func(n int) {
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
				mu.Lock()
				got := len(before) + len(after)
				mu.Unlock()
				if got >= n {
					return
				}
				if time.Now().After(deadline) {
					t.Fatal("the writers made no progress")
				}
			}
		}
		waitFor(20)
		mu.Lock()
		restoring = true
		mu.Unlock()
		if r := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots/empty/restore", "", ""); r.Status != http.StatusOK {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		mu.Lock()
		restored = true
		n := len(before)
		mu.Unlock()
		waitFor(n + 20)
		close(stop)
		wg.Wait()
		held := map[string]bool{}
		for _, u := range usernames(t, s) {
			held[u] = true
		}
		for _, u := range after {
			if !held[u] {
				t.Fatalf("%s, acknowledged after the restore, is lost", u)
			}
		}
		for _, u := range before {
			if held[u] {
				t.Fatalf("%s, acknowledged before the restore began, survived it", u)
			}
		}
		if len(held) > len(after)+len(inside) {
			t.Fatalf("%d organizations held, only %d created after or during the restore", len(held), len(after)+len(inside))
		}
	})
}

// TestRestorePutsBackTheBankItHolds: the FSSP bank, which a restore leaves
// be when the snapshot holds the bank loaded now, is put back when it does
// not, and a load made since is taken away.
func TestRestorePutsBackTheBankItHolds(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		call := func(method, path, body string, status int) string {
			t.Helper()
			a := s.Operator(method, path, "application/json", body)
			if a.Status != status {
				t.Fatalf("%s %s: %d %s", method, path, a.Status, a.Body)
			}
			return a.Body
		}
		size := func() int64 {
			return decodeAnswer[struct{ Proceedings int64 }](t, s.Operator(http.MethodGet, "/operator/v1/fssp/bank", "", "")).Proceedings
		}
		call(http.MethodPost, "/operator/v1/stand/snapshots", `{"name":"no-bank"}`, 201)
		call(http.MethodPost, "/operator/v1/fssp/bank/generate", `{"count":300,"seed":7}`, 200)
		call(http.MethodPost, "/operator/v1/stand/snapshots", `{"name":"bank"}`, 201)
		for _, step := range []struct {
			name string
			want int64
		}{{"no-bank", 0}, {"bank", 300}, {"bank", 300}, {"no-bank", 0}, {"no-bank", 0}, {"bank", 300}} {
			call(http.MethodPost, "/operator/v1/stand/snapshots/"+step.name+"/restore", "", 200)
			if got := size(); got != step.want {
				t.Fatalf("after restoring %s: %d proceedings, want %d", step.name, got, step.want)
			}
		}
		// A second load after the snapshot: the restore takes it away.
		call(http.MethodPost, "/operator/v1/fssp/bank/generate", `{"count":50,"seed":8}`, 200)
		if got := size(); got != 350 {
			t.Fatalf("after a second load: %d", got)
		}
		call(http.MethodPost, "/operator/v1/stand/snapshots/bank/restore", "", 200)
		if got := size(); got != 300 {
			t.Fatalf("after restoring bank over a second load: %d", got)
		}
	})
}

// TestSnapshotsKeepTheirFilesBytes: a file deleted after a snapshot took
// it keeps its bytes (neither the deletion nor the sweep removes them)
// and is whole again after the restore; once no snapshot holds it, the
// sweep removes them.
func TestSnapshotsKeepTheirFilesBytes(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		ctx := context.Background()
		a := s.Operator(http.MethodPost, "/operator/v1/motivity/files?name=%D0%BF%D0%BB%D0%B0%D0%BD.pdf", "application/pdf", "план на квартал")
		if a.Status != http.StatusCreated {
			t.Fatalf("upload: %d %s", a.Status, a.Body)
		}
		id := decodeAnswer[operator.MotivityFile](t, a).ID
		f, err := s.Store.Motivity().File(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		bytesOf := func() (string, error) {
			r, err := s.Node.Blobs.Get(ctx, f.BlobKey, 0, -1)
			if err != nil {
				return "", err
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			return string(b), err
		}
		sweep := func() {
			t.Helper()
			if _, err := motivityhttp.SweepFiles(ctx, s.Store.Motivity(), s.Node.Blobs, time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
		if a := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"with-file"}`); a.Status != http.StatusCreated {
			t.Fatalf("take: %d %s", a.Status, a.Body)
		}
		path := fmt.Sprintf("/operator/v1/motivity/files/%d", id)
		if a := s.Operator(http.MethodDelete, path, "", ""); a.Status != http.StatusOK {
			t.Fatalf("delete: %d %s", a.Status, a.Body)
		}
		sweep()
		if got, err := bytesOf(); err != nil || got != "план на квартал" {
			t.Fatalf("bytes of a deleted file a snapshot holds: %q %v", got, err)
		}
		if a := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots/with-file/restore", "", ""); a.Status != http.StatusOK {
			t.Fatalf("restore: %d %s", a.Status, a.Body)
		}
		if a := s.Operator(http.MethodGet, path, "", ""); a.Status != http.StatusOK || decodeAnswer[operator.MotivityFile](t, a).Name != "план.pdf" {
			t.Fatalf("the file after the restore: %d %s", a.Status, a.Body)
		}
		s.Operator(http.MethodDelete, "/operator/v1/stand/snapshots/with-file", "", "")
		if a := s.Operator(http.MethodDelete, path, "", ""); a.Status != http.StatusOK {
			t.Fatalf("delete again: %d %s", a.Status, a.Body)
		}
		sweep()
		if _, err := bytesOf(); stend.KindOf(err) != stend.NotFound {
			t.Fatalf("bytes of a deleted file no snapshot holds: %v", err)
		}
	})
}

// TestClockRefusesOffsetsItCannotHold: more than 290 years from real time
// is refused (a Go duration holds 292), and nothing moves.
func TestClockRefusesOffsetsItCannotHold(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		for _, c := range []struct{ path, body string }{
			{"/operator/v1/clock/set", `{"at":"2400-01-01"}`},
			{"/operator/v1/clock/set", `{"at":"1700-01-01T00:00:00Z"}`},
			{"/operator/v1/clock/advance", `{"by":"2550000h"}`},
		} {
			if a := s.Operator(http.MethodPost, c.path, "application/json", c.body); a.Status != http.StatusBadRequest || !strings.Contains(a.Body, "290 years") {
				t.Fatalf("%s %s: %d %s", c.path, c.body, a.Status, a.Body)
			}
		}
		if a := s.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"2000000h"}`); a.Status != http.StatusOK {
			t.Fatalf("228 years on: %d %s", a.Status, a.Body)
		}
		if a := s.Operator(http.MethodPost, "/operator/v1/clock/advance", "application/json", `{"by":"1000000h"}`); a.Status != http.StatusBadRequest {
			t.Fatalf("342 years on in two steps: %d %s", a.Status, a.Body)
		}
		if got := s.Clock.Offset(); got != 2000000*time.Hour {
			t.Fatalf("offset after the refusals: %v", got)
		}
	})
}

// TestRestoreUnderSearchLoad: FSSP searches (tasks naming their token,
// jobs) go on while restores run; every restore succeeds, on PostgreSQL
// too, where writers run beside it and are held off its tables.
func TestRestoreUnderSearchLoad(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{StartJobs: true})
		if r := s.Operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"t","token":"load-token-0123456789","limits":{}}`); r.Status != http.StatusCreated {
			t.Fatal(r.Body)
		}
		if r := s.Operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"s"}`); r.Status != http.StatusCreated {
			t.Fatal(r.Body)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var searched atomic.Int64
		for range 4 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					q := url.Values{"token": {"load-token-0123456789"}, "region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}
					if a := s.Serve(httptestRequest(http.MethodGet, "/api/v1.0/search/physical?"+q.Encode())); a.Status == http.StatusOK {
						searched.Add(1)
					}
				}
			})
		}
		for searched.Load() < 10 {
			time.Sleep(time.Millisecond)
		}
		for i := range 15 {
			if _, err := s.Node.Operator.RestoreSnapshot(context.Background(), "s"); err != nil {
				t.Errorf("restore %d under %d searches: %v", i, searched.Load(), err)
			}
		}
		close(stop)
		wg.Wait()
	})
}

// TestAPausedStandClaimsNoJobs: while a restore's pause holds, no node
// claims a job (the claim itself looks, so a node that has not yet seen
// the pause cannot start one); a pause ends only by its own restore.
func TestAPausedStandClaimsNoJobs(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		ctx := context.Background()
		now := s.Clock.Now()
		if _, err := s.Store.EnqueueJob(ctx, stend.JobSpec{Kind: "test.paused", At: now}); err != nil {
			t.Fatal(err)
		}
		claim := func() int {
			t.Helper()
			jobs, err := s.Store.ClaimJobs(ctx, "elsewhere", map[string]int{"test.paused": 5}, now, now.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			return len(jobs)
		}
		if err := s.Store.QuiesceStand(ctx, now.Add(time.Minute), "restore-a"); err != nil {
			t.Fatal(err)
		}
		if n := claim(); n != 0 {
			t.Fatalf("claimed %d jobs during a pause", n)
		}
		if err := s.Store.EndQuiesce(ctx, "restore-b"); err != nil {
			t.Fatal(err)
		}
		if n := claim(); n != 0 {
			t.Fatalf("another restore ended the pause: %d claimed", n)
		}
		if err := s.Store.EndQuiesce(ctx, "restore-a"); err != nil {
			t.Fatal(err)
		}
		if n := claim(); n != 1 {
			t.Fatalf("after the pause: %d claimed", n)
		}
		// The pause is on the stand's clock: once that passes it, it holds
		// no more, even if no restore ended it.
		if _, err := s.Store.EnqueueJob(ctx, stend.JobSpec{Kind: "test.paused", At: now}); err != nil {
			t.Fatal(err)
		}
		if err := s.Store.QuiesceStand(ctx, now.Add(time.Minute), "restore-c"); err != nil {
			t.Fatal(err)
		}
		if n := claim(); n != 0 {
			t.Fatalf("claimed %d jobs during a pause", n)
		}
		now = now.Add(2 * time.Minute)
		if n := claim(); n != 1 {
			t.Fatalf("after the pause lapsed on the stand's clock: %d claimed", n)
		}
	})
}

// TestResetAfterTheClockMoved: the seed's state is built on real time,
// not on a clock an operator moved: the seed's token is valid after the
// reset, and after the next one.
func TestResetAfterTheClockMoved(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		s.Node.AddSeed(standSeed())
		q := url.Values{"token": {"seeded-token"}, "region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}
		for i := range 2 {
			if a := s.Operator(http.MethodPost, "/operator/v1/clock/set", "application/json", `{"at":"2020-01-01T00:00:00Z"}`); a.Status != http.StatusOK {
				t.Fatal(a.Body)
			}
			if a := s.Operator(http.MethodPost, "/operator/v1/stand/reset", "", ""); a.Status != http.StatusOK {
				t.Fatal(a.Body)
			}
			if a := s.Serve(httptestRequest(http.MethodGet, "/api/v1.0/search/physical?"+q.Encode())); a.Status != http.StatusOK {
				t.Fatalf("reset %d: the seed's token: %d %s", i+1, a.Status, a.Body)
			}
		}
	})
}

// TestRestoreElsewhereKeepsTheOwnFSSPToken: a reset made through another
// node (a command) leaves the serving node the token its Reestro checks
// search its own FSSP API with, although the seed's state lacks it.
func TestRestoreElsewhereKeepsTheOwnFSSPToken(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		served := stendtest.On(t, first, stendtest.NewManualClock(time.Now()), stendtest.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := server.SearchOwnFSSP(ctx, served.Node); err != nil {
			t.Fatal(err)
		}
		go served.Node.FollowStand(ctx)
		command := stendtest.On(t, reopen(), stendtest.NewManualClock(time.Now()), stendtest.Options{})
		restored, err := command.Node.Operator.Reset(ctx, operator.ResetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); served.Node.Generation() != restored.Generation; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the served node never followed the reset")
			}
		}
		var names []string
		for _, tk := range decodeAnswer[struct{ Tokens []operator.FSSPToken }](t, served.Operator(http.MethodGet, "/operator/v1/fssp/tokens", "", "")).Tokens {
			names = append(names, tk.Name)
		}
		if !slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "reestro checks") }) {
			t.Fatalf("tokens after a reset made elsewhere: %v", names)
		}
	})
}
