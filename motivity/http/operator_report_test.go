package http_test

import (
	"context"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/blob"
	"stend/motivity"
	motivityhttp "stend/motivity/http"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// operatorReportStand is a stand of seed() whose job runner tells each finished
// job; the runner is started when start is true.
func operatorReportStand(t *testing.T, o storetest.Opener, start bool) (*stand, jobSignals) {
	signals := make(jobSignals, 16)
	cfg := testConfig()
	return standWith(t, o.Open(t), stendtest.NewManualClock(today), seed(), stendtest.Options{Config: &cfg, Jobs: signals.config(), StartJobs: start}), signals
}

// reportBlobs lists the keys of created reports' bytes.
func (s *stand) reportBlobs() []string {
	s.t.Helper()
	var keys []string
	for info, err := range s.node.Blobs.List(context.Background(), motivity.ReportBlobPrefix) {
		if err != nil {
			s.t.Fatal(err)
		}
		keys = append(keys, info.Key)
	}
	return keys
}

// Operators list, read, download and delete the reports made by the
// public API's create; a deleted one is gone from the public API with its
// bytes.
func TestOperatorReports(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := operatorReportStand(t, o, true)
		check := s.check
		check(s.op("GET", "reports", ""), 200, `{"reports":[]}`)
		n := s.createReport("users", `{"user_status": ["active", "deactivated"]}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		other := strconv.FormatInt(s.createReport("balances", `null`), 10)
		signals.wait(t, motivity.ReportBuildJobKind)
		id := strconv.FormatInt(n, 10)
		finished := today.Format(time.RFC3339)
		expires := today.Add(motivityhttp.DefaultReportKeep).Format(time.RFC3339)
		record := []string{`"id":` + id, `"type":"users"`, `"locale":"ru"`, `"filters":{"user_status":["active","deactivated"]}`,
			`"state":"ready"`, `"etag":"`, `"createdAt":"` + finished, `"finishedAt":"` + finished, `"expiresAt":"` + expires}
		check(s.op("GET", "reports/"+id, ""), 200, record...)
		check(s.op("GET", "reports/"+other, ""), 200, `"type":"balances"`, `"filters":null`)
		if a := s.op("GET", "reports/"+id, ""); strings.Contains(a.body, `"error"`) || !strings.Contains(a.body, `"size":`) {
			t.Fatalf("a built report: %s", a.body)
		}
		check(s.op("GET", "reports", ""), 200, append(record, `"id":`+other)...)
		if a := s.op("GET", "reports?afterId="+id, ""); strings.Contains(a.body, `"id":`+id+`,`) || !strings.Contains(a.body, `"id":`+other) {
			t.Fatalf("paged after %s: %s", id, a.body)
		}
		if a := s.op("GET", "reports?limit=1", ""); !strings.Contains(a.body, `"id":`+id+`,`) || strings.Contains(a.body, `"id":`+other) {
			t.Fatalf("limit 1: %s", a.body)
		}

		public := s.call("GET", dataPath(n), "")
		data := s.op("GET", "reports/"+id+"/data", "")
		check(data, 200)
		if data.body != public.body || !strings.Contains(data.body, `"a@example.ru"`) {
			t.Fatalf("operator's bytes differ from the public API's:\n%s\n%s", data.body, public.body)
		}
		if h := data.header; h.Get("Content-Type") != "application/json; charset=utf-8" || h.Get("ETag") != public.header.Get("ETag") ||
			h.Get("Content-Length") != strconv.Itoa(len(public.body)) || h.Get("Content-Disposition") != `attachment; filename=motivity-report-`+id+`-users.json` {
			t.Fatalf("download headers: %v (public ETag %s)", h, public.header.Get("ETag"))
		}

		check(s.op("DELETE", "reports/"+id, ""), 200, record...)
		s.expect(s.call("GET", dataPath(n), ""), 404, `{"result":false,"message":"Report not found"}`)
		if keys := s.reportBlobs(); len(keys) != 1 || !strings.HasPrefix(keys[0], motivity.ReportBlobPrefix+other+"-") {
			t.Fatalf("bytes left after the delete: %v", keys)
		}
		check(s.op("GET", "reports/"+id, ""), 404, `"kind":"not found"`)
		check(s.op("GET", "reports/"+id+"/data", ""), 404)
		check(s.op("DELETE", "reports/"+id, ""), 404)
		check(s.opMalformed("GET", "reports/0", ""), 404)
		check(s.opMalformed("GET", "reports/x/data", ""), 404)
		check(s.opMalformed("GET", "reports?afterId=-1", ""), 400)
		if a := s.op("GET", "reports", ""); strings.Contains(a.body, `"id":`+id+`,`) {
			t.Fatalf("listed after the delete: %s", a.body)
		}
	})
}

// heldPuts holds every write of a report's bytes until released, before
// the bytes reach the store or after, so that an operator can delete the
// report while its build is under way.
type heldPuts struct {
	blob.Store
	afterWrite *atomic.Bool
	putting    chan string
	release    chan struct{}
}

func (b heldPuts) Put(ctx context.Context, key string, r io.Reader) (blob.Info, error) {
	if !strings.HasPrefix(key, motivity.ReportBlobPrefix) {
		return b.Store.Put(ctx, key, r)
	}
	if !b.afterWrite.Load() {
		b.putting <- key
		<-b.release
	}
	info, err := b.Store.Put(ctx, key, r)
	if b.afterWrite.Load() {
		b.putting <- key
		<-b.release
	}
	return info, err
}

// A report deleted while it is being built leaves no bytes behind, whether
// they reach the blob store before the delete or after it: the operator
// removes what is there, the build what it writes once its record is
// gone. Until it is built, the operator API shows it processing and has
// no bytes to give.
func TestOperatorDeletesReportBeingBuilt(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := operatorReportStand(t, o, false)
		check := s.check
		held := heldPuts{Store: s.node.Blobs, afterWrite: new(atomic.Bool), putting: make(chan string), release: make(chan struct{})}
		h := motivityhttp.New(motivityhttp.Config{Blobs: held}, s.store.Motivity(), motivity.NewService(s.store.Motivity()), s.stand.Clock, stendtest.Logger())
		s.node.Jobs.Handle(motivity.ReportBuildJobKind, h.ReportJobHandler)
		s.stand.StartJobs()
		for _, afterWrite := range []bool{false, true} {
			held.afterWrite.Store(afterWrite)
			n := s.createReport("users", `{}`)
			id := strconv.FormatInt(n, 10)
			key := <-held.putting
			check(s.op("GET", "reports/"+id, ""), 200, `"state":"processing"`, `"finishedAt":null`, `"expiresAt":null`)
			check(s.op("GET", "reports/"+id+"/data", ""), 409, `"kind":"conflict"`, "still being built")
			s.expect(s.call("GET", dataPath(n), ""), 202, `{"result":true,"status":"processing"}`)
			check(s.op("DELETE", "reports/"+id, ""), 200, `"state":"processing"`)
			held.release <- struct{}{}
			// Recorded only when done: a first attempt that failed would
			// be retried.
			if j := signals.wait(t, motivity.ReportBuildJobKind); j.Attempt != 1 || j.LastError != "" {
				t.Fatalf("the build of a deleted report: attempt %d, %s", j.Attempt, j.LastError)
			}
			if _, err := s.node.Blobs.Stat(context.Background(), key); !stend.IsKind(err, stend.NotFound) {
				t.Fatalf("bytes written %s the delete are left: %v", map[bool]string{false: "after", true: "before"}[afterWrite], err)
			}
			s.expect(s.call("GET", dataPath(n), ""), 404, `{"result":false,"message":"Report not found"}`)
			check(s.op("GET", "reports/"+id, ""), 404)
		}
		check(s.op("GET", "reports", ""), 200, `{"reports":[]}`)
	})
}

// A report whose build failed (here by an operator's fault rule) shows
// why, and has no bytes to give.
func TestOperatorShowsFailedReport(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := operatorReportStand(t, o, true)
		if a := s.stand.Operator("POST", "/operator/v1/faults", "application/json",
			`{"name":"report fails","job":"motivity.report.build","field":"type","value":"users","times":1}`); a.Status != 200 {
			t.Fatalf("rule: %d %s", a.Status, a.Body)
		}
		id := strconv.FormatInt(s.createReport("users", `{}`), 10)
		signals.wait(t, motivity.ReportBuildJobKind)
		s.check(s.op("GET", "reports/"+id, ""), 200, `"state":"failed"`, `"error":"report build failed"`, `"size":0`)
		s.check(s.op("GET", "reports/"+id+"/data", ""), 409, "failed to build: report build failed")
		s.check(s.op("DELETE", "reports/"+id, ""), 200, `"state":"failed"`)
		s.check(s.op("GET", "reports", ""), 200, `{"reports":[]}`)
	})
}

// staleReports answers each created report as it was before its build
// was recorded: what a delete reads when the build ends right after.
type staleReports struct{ motivity.Store }

func (s staleReports) CreatedReport(ctx context.Context, id int64) (motivity.CreatedReport, error) {
	rep, err := s.Store.CreatedReport(ctx, id)
	rep.State, rep.Size, rep.ETag, rep.Blob, rep.FinishedAt, rep.ExpiresAt = motivity.ReportProcessing, 0, "", "", nil, nil
	return rep, err
}

// A delete that read the report before its build recorded the bytes still
// removes them: once the record is gone, nothing under the report's
// prefix is a report's.
func TestOperatorDeleteReadBeforeBuildEnded(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s, signals := operatorReportStand(t, o, true)
		id := s.createReport("users", `{}`)
		signals.wait(t, motivity.ReportBuildJobKind)
		if keys := s.reportBlobs(); len(keys) != 1 {
			t.Fatalf("built: %v", keys)
		}
		svc := &operator.Service{Motivity: staleReports{s.store.Motivity()}, Blobs: s.node.Blobs, Clock: s.stand.Clock}
		if rep, err := svc.DeleteMotivityReport(context.Background(), id); err != nil || rep.State != "processing" {
			t.Fatalf("delete: %+v %v", rep, err)
		}
		if keys := s.reportBlobs(); len(keys) != 0 {
			t.Fatalf("bytes left: %v", keys)
		}
		s.expect(s.call("GET", dataPath(id), ""), 404, `{"result":false,"message":"Report not found"}`)
	})
}
