package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/job"
	"stend/motivity"
	"stend/stendtest"
	"stend/store/storetest"
)

// Created reports: create/{type} answers an id at once; data/{id} is 202
// while a job builds it, then the report as generate gives it, served in
// ranges as Azure Logic Apps' chunked download asks; it expires.

// jobSignals records the jobs a stand's runner finished, by kind.
type jobSignals chan stend.Job

func (c jobSignals) config() job.Config {
	return job.Config{Recorded: func(j stend.Job, state stend.JobState) {
		if state == stend.JobCompleted || state == stend.JobDiscarded {
			c <- j
		}
	}}
}

// wait waits for a finished job of kind.
func (c jobSignals) wait(t *testing.T, kind string) stend.Job {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case j := <-c:
			if j.Kind == kind {
				return j
			}
		case <-timeout:
			t.Fatalf("no %s job finished", kind)
		}
	}
}

func (s *stand) createReport(kind, filters string, headers ...string) int64 {
	s.t.Helper()
	a := s.call("POST", reportsPath+"create/"+kind, `{"filters":`+filters+`}`, headers...)
	var body struct{ ID int64 }
	if err := json.Unmarshal([]byte(a.body), &body); a.status != 200 || err != nil || body.ID <= 0 || a.body != fmt.Sprintf(`{"id":%d}`, body.ID) {
		s.t.Fatalf("create: %d %s", a.status, a.body)
	}
	return body.ID
}

// jobStand is questSeed's platform on a fresh store of o's kind, whose job
// runner tells signals what it finished, running or not yet (StartJobs).
func jobStand(t *testing.T, o storetest.Opener, running bool) (*stand, jobSignals) {
	t.Helper()
	signals := make(jobSignals, 16)
	cfg := questConfig()
	return standWith(t, o.Open(t), stendtest.NewManualClock(today), questSeed(),
		stendtest.Options{Config: &cfg, Jobs: signals.config(), StartJobs: running}), signals
}

func dataPath(id int64) string { return reportsPath + "data/" + strconv.FormatInt(id, 10) }

func TestCreatedReport(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := jobStand(t, o, false)
		rs := newReportStand(t, s)
		filters := `{"period":{"from":"2025-06-11"},"user_status":["active","deactivated"]}`
		id := s.createReport("points", filters, "Locale: en")
		// Not built yet: the runner has not started.
		processing := `{"result":true,"status":"processing"}`
		s.expect(s.call("GET", dataPath(id), ""), 202, processing)
		s.stand.StartJobs()
		signals.wait(t, motivity.ReportBuildJobKind)

		whole := s.call("GET", dataPath(id), "")
		want := rs.report("points", filters, "Locale: en")
		if whole.status != 200 || whole.body != want.body {
			t.Fatalf("data: %d %s\nwant %s", whole.status, whole.body, want.body)
		}
		built, err := s.store.Motivity().CreatedReport(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		key := built.BlobKey()
		etag := whole.header.Get("ETag")
		size := len(whole.body)
		if whole.header.Get("Accept-Ranges") != "bytes" || !strings.HasPrefix(whole.header.Get("Content-Type"), "application/json") ||
			len(etag) < 3 || whole.header.Get("Content-Length") != strconv.Itoa(size) {
			t.Fatalf("headers: %v", whole.header)
		}
		// HEAD tells the size; the chunks, each 206 with its
		// Content-Range and the same ETag, reassemble the whole.
		head := s.call("HEAD", dataPath(id), "")
		if head.status != 200 || head.body != "" || head.header.Get("Content-Length") != strconv.Itoa(size) || head.header.Get("ETag") != etag {
			t.Fatalf("HEAD: %d %v", head.status, head.header)
		}
		const chunk = 97
		var got strings.Builder
		for off := 0; off < size; off += chunk {
			end := min(off+chunk, size) - 1
			a := s.call("GET", dataPath(id), "", fmt.Sprintf("Range: bytes=%d-%d", off, end))
			if a.status != 206 || a.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", off, end, size) || a.header.Get("ETag") != etag {
				t.Fatalf("chunk at %d: %d %v", off, a.status, a.header)
			}
			got.WriteString(a.body)
		}
		if got.String() != whole.body {
			t.Fatalf("chunks reassembled differ from the whole")
		}
		s.expect(s.call("GET", dataPath(id), "", "If-None-Match: "+etag), 304, "")
		past := s.call("GET", dataPath(id), "", fmt.Sprintf("Range: bytes=%d-", size))
		if past.status != 416 || past.header.Get("Content-Range") != fmt.Sprintf("bytes */%d", size) {
			t.Fatalf("past the end: %d %v", past.status, past.header)
		}
		notFound := `{"result":false,"message":"Report not found"}`
		s.expect(s.call("GET", reportsPath+"data/999999", ""), 404, notFound)
		// Ids the document does not allow, sent on purpose.
		for _, p := range []string{"0", "-1", "x", "+1", "1.0", "99999999999999999999"} {
			s.expect(s.call("GET", reportsPath+"data/"+p, "", malformed), 404, notFound)
		}

		// A wrong filter is created too: the report carries the error.
		bad := s.createReport("points", `{"users":["x@example.ru"]}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		if a := s.call("GET", dataPath(bad), ""); a.status != 200 || !strings.HasSuffix(a.body, `"data":[],"metadata":{},"hasErrors":true,"errors":{"users":"User not found: x@example.ru"}}`) {
			t.Fatalf("wrong filter: %d %s", a.status, a.body)
		}

		// Kept 24 hours from when it was built: then "not found", and the
		// expiry job removes its bytes.
		s.clock.Set(today.Add(48*time.Hour - time.Second))
		if a := s.call("GET", dataPath(id), ""); a.status != 200 {
			t.Fatalf("before expiry: %d", a.status)
		}
		s.clock.Set(today.Add(48 * time.Hour))
		s.expect(s.call("GET", dataPath(id), ""), 404, notFound)
		if a := s.call("HEAD", dataPath(id), ""); a.status != 404 {
			t.Fatalf("HEAD after expiry: %d", a.status)
		}
		// Both reports' expiry jobs came due with the move.
		signals.wait(t, motivity.ReportExpireJobKind)
		signals.wait(t, motivity.ReportExpireJobKind)
		if _, err := s.node.Blobs.Stat(context.Background(), key); stend.KindOf(err) != stend.NotFound {
			t.Fatalf("expired report's bytes: %v", err)
		}
		if _, err := s.store.Motivity().CreatedReport(context.Background(), id); stend.KindOf(err) != stend.NotFound {
			t.Fatalf("expired report's record: %v", err)
		}
		for info, err := range s.node.Blobs.List(context.Background(), motivity.ReportBlobPrefix) {
			t.Errorf("left behind: %+v %v", info, err)
		}
	})
}

// A report asked for before a restart is built after it, by the restarted
// node's runner.
func TestCreatedReportSurvivesRestart(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			first, reopen := storetest.Reopenable(t, o.Name)
			cfg := questConfig()
			cfg.DataDir = t.TempDir() // the blobs both nodes keep
			clock := stendtest.NewManualClock(today)
			before := standOn(t, first, clock, questSeed(), cfg)
			id := before.createReport("users", `{}`)
			want := before.report("users", `{}`)
			before.node.Close()

			signals := make(jobSignals, 4)
			after := stendtest.On(t, reopen(), clock, stendtest.Options{Config: &cfg, Jobs: signals.config(), StartJobs: true})
			signals.wait(t, motivity.ReportBuildJobKind)
			req := httptest.NewRequest("GET", dataPath(id), nil)
			req.Header.Set("X-Auth-Token", token)
			if a := after.Serve(req); a.Status != 200 || a.Body != want.body {
				t.Fatalf("after the restart: %d %s\nwant %s", a.Status, a.Body, want.body)
			}
		})
	}
}

// An operator's fault rule fails a build as failing every attempt would:
// the report answers "could not be built" until it expires.
func TestCreatedReportFault(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := jobStand(t, o, true)
		if a := s.stand.Operator("POST", "/operator/v1/faults", "application/json",
			`{"name":"report fails","job":"motivity.report.build","field":"type","value":"users","times":1}`); a.Status != 200 {
			t.Fatalf("rule: %d %s", a.Status, a.Body)
		}
		failed := s.createReport("users", `{}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		s.expect(s.call("GET", dataPath(failed), ""), 500, `{"result":false,"message":"Report could not be built"}`)
		rep, err := s.store.Motivity().CreatedReport(context.Background(), failed)
		if err != nil || rep.State != motivity.ReportFailed || rep.Error != "report build failed" {
			t.Fatalf("record: %+v %v", rep, err)
		}
		// The rule fired once: the next report is built.
		built := s.createReport("users", `{}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		if a := s.call("GET", dataPath(built), ""); a.status != 200 {
			t.Fatalf("next report: %d %s", a.status, a.body)
		}
		s.clock.Set(today.Add(24 * time.Hour))
		s.expect(s.call("GET", dataPath(failed), ""), 404, `{"result":false,"message":"Report not found"}`)
	})
}

// heldWriter is a client that reads the first part of an answer, then
// stops reading until released.
type heldWriter struct {
	header  http.Header
	body    bytes.Buffer
	first   chan struct{}
	release chan struct{}
	writes  int
}

func (w *heldWriter) Header() http.Header { return w.header }
func (w *heldWriter) WriteHeader(int)     {}
func (w *heldWriter) Write(p []byte) (int, error) {
	w.writes++
	if w.writes == 1 {
		close(w.first)
		<-w.release
	}
	return w.body.Write(p)
}

// manyPoints gives a@example.ru batches of 5 points: some 300 KB of points
// report for 300, several buffers. It answers one batch's body.
func (s *stand) manyPoints(batches int) string {
	s.t.Helper()
	item := `{"userId":"a@example.ru","balanceType":"score","amount":1,"message":"Начисление за участие в проекте"}`
	body := "[" + strings.Repeat(item+",", 4) + item + "]"
	for range batches {
		if a := s.call("POST", "/public/api/v1/points", body); a.status != 200 {
			s.t.Fatalf("points: %d %s", a.status, a.body)
		}
	}
	return body
}

// heldGenerate starts a points report for a client that stops reading
// after its first buffer until released; done closes when it is answered.
func (s *stand) heldGenerate() (*heldWriter, chan struct{}) {
	w := &heldWriter{header: http.Header{}, first: make(chan struct{}), release: make(chan struct{})}
	req := httptest.NewRequest("POST", reportsPath+"generate/points", strings.NewReader(`{}`))
	req.Header.Set("X-Auth-Token", token)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.handler.ServeHTTP(w, req)
	}()
	return w, done
}

// Clients that stop reading their reports hold at most half the node's
// read connections (the others wait for a slot): the rest of the API
// answers, and every report is answered once its client reads on.
func TestReportsLeaveTheAPIFree(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		s.manyPoints(300)
		open := s.store.ReadDB().Stats().MaxOpenConnections
		var held []*heldWriter
		var dones []chan struct{}
		for range open + 2 {
			w, done := s.heldGenerate()
			held, dones = append(held, w), append(dones, done)
		}
		// Any of them (the others may be waiting for a slot) has its
		// client's first buffer: its rows are open.
		firstWrites := make(chan struct{}, len(held))
		for _, w := range held {
			go func() {
				<-w.first
				firstWrites <- struct{}{}
			}()
		}
		<-firstWrites
		answered := make(chan answer, 1)
		go func() { answered <- s.call("GET", "/public/api/v1/badge", "") }()
		select {
		case a := <-answered:
			if a.status != 200 {
				t.Errorf("badges while reports are held: %d %s", a.status, a.body)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("the API waited for reports held by their clients")
		}
		for _, w := range held {
			close(w.release)
		}
		for i, w := range held {
			<-dones[i]
			var rep struct{ Data []json.RawMessage }
			if err := json.Unmarshal(w.body.Bytes(), &rep); err != nil || len(rep.Data) != 1500 {
				t.Fatalf("report %d: %d rows, %v", i, len(rep.Data), err)
			}
		}
	})
}

// A report being written streams from one read of the store while the API
// goes on: points change, and reports are created, while a client holds a
// generate half-read; the report is the ledger as it was when it began.
func TestReportStreamsWhileTheAPIGoesOn(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		const batches = 300
		body := s.manyPoints(batches)
		w, done := s.heldGenerate()
		<-w.first
		if a := s.call("POST", "/public/api/v1/points", body); a.status != 200 {
			t.Errorf("points while a report is written: %d %s", a.status, a.body)
		}
		s.createReport("users", `{}`)
		close(w.release)
		<-done
		var rep struct{ Data []json.RawMessage }
		if err := json.Unmarshal(w.body.Bytes(), &rep); err != nil {
			t.Fatalf("report: %v", err)
		}
		if len(rep.Data) != batches*5 || w.writes < 3 {
			t.Fatalf("%d rows in %d writes, want %d rows in several", len(rep.Data), w.writes, batches*5)
		}
	})
}

// A snapshot holds its reports' bytes: a report deleted after it comes back
// with its restore. The sweep removes report bytes that no report and no
// snapshot holds, once old enough.
func TestCreatedReportInSnapshots(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := jobStand(t, o, true)
		id := s.createReport("users", `{}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		want := s.call("GET", dataPath(id), "")
		for _, c := range []struct{ method, path, body string }{
			{"POST", "/operator/v1/stand/snapshots", `{"name":"with a report"}`},
			{"DELETE", "/operator/v1/motivity/reports/" + strconv.FormatInt(id, 10), ""},
		} {
			if a := s.stand.Operator(c.method, c.path, "application/json", c.body); a.Status/100 != 2 {
				t.Fatalf("%s %s: %d %s", c.method, c.path, a.Status, a.Body)
			}
		}
		s.expect(s.call("GET", dataPath(id), ""), 404, `{"result":false,"message":"Report not found"}`)
		ctx := context.Background()
		orphan := motivity.NewReportBlobKey(999, "orphan")
		if _, err := s.node.Blobs.Put(ctx, orphan, strings.NewReader("{}")); err != nil {
			t.Fatal(err)
		}
		// Nothing is old enough yet.
		if n, err := motivity.SweepReports(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(-time.Hour)); n != 0 || err != nil {
			t.Fatalf("young bytes swept: %d %v", n, err)
		}
		// The snapshot's bytes stay; the orphan goes.
		if n, err := motivity.SweepReports(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(time.Hour)); n != 1 || err != nil {
			t.Fatalf("sweep: %d %v", n, err)
		}
		if a := s.stand.Operator("POST", "/operator/v1/stand/snapshots/with%20a%20report/restore", "", ""); a.Status/100 != 2 {
			t.Fatalf("restore: %d %s", a.Status, a.Body)
		}
		if a := s.call("GET", dataPath(id), ""); a.status != 200 || a.body != want.body {
			t.Fatalf("restored: %d %s", a.status, a.body)
		}
		// With the snapshot deleted and the report removed, nothing holds
		// the bytes.
		for _, c := range []struct{ method, path string }{
			{"DELETE", "/operator/v1/stand/snapshots/with%20a%20report"},
			{"DELETE", "/operator/v1/motivity/reports/" + strconv.FormatInt(id, 10)},
		} {
			if a := s.stand.Operator(c.method, c.path, "", ""); a.Status/100 != 2 {
				t.Fatalf("%s %s: %d %s", c.method, c.path, a.Status, a.Body)
			}
		}
		for info, err := range s.node.Blobs.List(ctx, motivity.ReportBlobPrefix) {
			t.Errorf("left behind: %+v %v", info, err)
		}
	})
}

// A report whose build job ended without building it (its node died, or
// lost its lease, on the last attempt) reads as failed, and expires as a
// failed build does, rather than "processing" for ever.
func TestCreatedReportWhoseJobWasDiscarded(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := jobStand(t, o, false)
		id := s.createReport("users", `{}`)
		ctx, now := context.Background(), s.stand.Clock.Now()
		claimed, err := s.store.ClaimJobs(ctx, "lost-node", map[string]int{motivity.ReportBuildJobKind: 1}, now, now.Add(time.Minute))
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		if err := s.store.DiscardJob(ctx, claimed[0].ID, "lost-node", now, "node lost"); err != nil {
			t.Fatal(err)
		}
		s.expect(s.call("GET", dataPath(id), ""), 500, `{"result":false,"message":"Report could not be built"}`)
		rep, err := s.store.Motivity().CreatedReport(ctx, id)
		if err != nil || rep.State != motivity.ReportFailed || rep.Error != "the build job ended without building it: node lost" ||
			rep.FinishedAt == nil || rep.ExpiresAt == nil {
			t.Fatalf("record: %+v %v", rep, err)
		}
		s.stand.StartJobs()
		s.clock.Set(today.Add(24 * time.Hour))
		signals.wait(t, motivity.ReportExpireJobKind)
		if _, err := s.store.Motivity().CreatedReport(ctx, id); stend.KindOf(err) != stend.NotFound {
			t.Fatalf("expired: %v", err)
		}
	})
}
