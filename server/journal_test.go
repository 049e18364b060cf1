package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"stend/fssp"
	"stend/httpx"
	"stend/journal"
	"stend/operator"
	"stend/stendtest"
	"stend/store/storetest"
)

// Every request to the four APIs is journalled with its credential named
// and every kind of secret masked (Basic, x-api-key, FSSP token in the query,
// a form body and a JSON body, ReestroAuth, X-Auth-Token); the operator API
// lists, filters (by API, status, credential, a body member), counts and
// clears it; the operator's own requests are not in it.
func TestJournal(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		org := secrets.reestroOrg
		provisionEveryAPI(t, s, secrets)
		send := func(method, target, contentType, body string, headers ...string) {
			r := httptest.NewRequest(method, target, strings.NewReader(body))
			if contentType != "" {
				r.Header.Set("Content-Type", contentType)
			}
			for i := 0; i < len(headers); i += 2 {
				r.Header.Set(headers[i], headers[i+1])
			}
			s.Handler.ServeHTTP(httptest.NewRecorder(), r)
		}
		// The reports here are off the migrant-exam document (fields
		// missing): marked malformed.
		send("POST", "/Reports/Report", "application/json", `{"examinationAreaId":101}`,
			"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("org:basic-secret")), "x-api-key", "key-secret", stendtest.MalformedHeader, "1")
		send("GET", "/api/v1.0/status?task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D&token=fssp-secret", "", "")
		send("POST", "/api/v1.0/search/physical", "application/x-www-form-urlencoded", "token=fssp-secret&region=66&lastname=Иванов&firstname=Сергей")
		send("POST", "/api/v1.0/search/group", "application/json", `{"token":"fssp-secret","request":[]}`, stendtest.MalformedHeader, "1")
		send("GET", "/public/api/v1/badge", "", "", "X-Auth-Token", "motivity-secret")
		send("GET", "/public/api/v1/badge", "", "", "X-Auth-Token", "wrong-motivity-secret")
		send("GET", "/realty/assessment/v1/checks", "", "", "Authorization", "ReestroAuth apiKey=reestro-secret-key&portal.orgid="+org)
		send("GET", "/operator/v1/clock", "", "", "Authorization", "Bearer "+stendtest.OperatorToken)
		// Secrets in every shape the APIs accept them: a JSON body labelled
		// as a form (curl -d), a multipart part, a form after a newline, a
		// ReestroAuth key after a space, an Authorization without a scheme.
		// (The FSSP ones are off its document: marked, their answers still checked.)
		send("POST", "/api/v1.0/search/group", "application/x-www-form-urlencoded", `{"token":"fssp-secret","request":[]}`, stendtest.MalformedHeader, "1")
		send("POST", "/api/v1.0/search/physical", "multipart/form-data; boundary=b",
			"--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\nfssp-secret\r\n--b\r\nContent-Disposition: form-data; name=\"region\"\r\n\r\n66\r\n--b--\r\n",
			stendtest.MalformedHeader, "1")
		send("POST", "/api/v1.0/search/physical", "text/plain", "\ntoken=fssp-secret&region=66", stendtest.MalformedHeader, "1")
		send("GET", "/realty/assessment/v1/checks", "", "", "Authorization", "ReestroAuth apiKey= reestro-secret-key&portal.orgid="+org)
		send("GET", "/public/api/v1/badge", "", "", "Authorization", "motivity-secret", "X-Auth-Token", "motivity-secret")
		// A path PostgreSQL cannot hold as text, and a JSON body jsonb
		// refuses, lose no entry.
		send("GET", "/api/v1.0/st%ffatus?token=fssp-secret", "", "", stendtest.UndocumentedHeader, "1")
		send("POST", "/public/api/v1/points/", "application/json", `[{"userId":"\u0000","balanceType":"score","amount":1}]`, "X-Auth-Token", "motivity-secret",
			stendtest.MalformedHeader, "1")
		send("POST", "/Reports/Report", "application/json", `{"examinationAreaId":101,"noExamInSelectedPeriod":false}`,
			"Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("org:basic-secret")), "x-api-key", "key-secret", stendtest.MalformedHeader, "1")
		// The node's own calls (its Reestro checks' FSSP searches) are not
		// clients' requests.
		internal := httptest.NewRequest("GET", "/api/v1.0/status?task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D&token=fssp-secret", nil)
		s.Handler.ServeHTTP(httptest.NewRecorder(), internal.WithContext(httpx.Internal(internal.Context())))

		list := func(query string) []journal.Entry {
			t.Helper()
			a := s.Operator(http.MethodGet, "/operator/v1/journal"+query, "", "")
			var out struct{ Entries []journal.Entry }
			if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &out) != nil {
				t.Fatalf("journal%s: %d %s", query, a.Status, a.Body)
			}
			return out.Entries
		}
		all := list("")
		if len(all) != 15 {
			t.Fatalf("%d entries, want the 15 requests of clients to the APIs", len(all))
		}
		raw, _ := json.Marshal(all)
		for _, secret := range []string{"basic-secret", base64.StdEncoding.EncodeToString([]byte("org:basic-secret")), "key-secret",
			"fssp-secret", "motivity-secret", "reestro-secret-key", stendtest.OperatorToken} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the journal holds a secret: %s", secret)
			}
		}
		want := []struct{ api, credential string }{
			{"migrant-exam", "organization org"}, {"fssp", "token bank"}, {"fssp", "token bank"}, {"fssp", "token bank"},
			{"motivity", "PUBLIC_API_TOKEN"}, {"motivity", ""}, {"reestro", "key "},
		}
		for i, w := range want {
			if e := all[i]; e.API != w.api || !strings.HasPrefix(e.Credential, w.credential) || w.credential == "" && e.Credential != "" {
				t.Errorf("entry %d: %s %q, want %s %q", i, e.API, e.Credential, w.api, w.credential)
			}
		}
		if e := all[0]; e.Status != 400 || e.Reason == "" || !strings.Contains(e.Headers, `"Basic ***"`) || !strings.Contains(e.Headers, `"X-Api-Key":["***"]`) ||
			e.Body != `{"examinationAreaId":101}` || e.Route == "" {
			t.Errorf("migrant-exam entry: %+v", e)
		}
		if e := all[1]; !strings.Contains(e.Query, "token=%2A%2A%2A") || e.Status != 404 {
			t.Errorf("FSSP token in the query: %+v", e)
		}
		if e := all[2]; !strings.HasPrefix(e.Body, "token=***&") {
			t.Errorf("FSSP token in a form body: %q", e.Body)
		}
		if e := all[3]; !strings.Contains(e.Body, `"token":"***"`) {
			t.Errorf("FSSP token in a JSON body: %q", e.Body)
		}
		if e := all[5]; e.Status != 401 || e.Reason != "Invalid public API token" || !strings.Contains(e.Headers, `"X-Auth-Token":["***"]`) {
			t.Errorf("a refused Motivity request: %+v", e)
		}
		if e := all[6]; !strings.Contains(e.Headers, `"ReestroAuth apiKey=***\u0026portal.orgid=`+org) && !strings.Contains(e.Headers, `ReestroAuth apiKey=***&portal.orgid=`+org) {
			t.Errorf("ReestroAuth: %s", e.Headers)
		}
		count := func(query string) int64 {
			t.Helper()
			a := s.Operator(http.MethodGet, "/operator/v1/journal/count"+query, "", "")
			var out struct{ Count int64 }
			if a.Status != http.StatusOK || json.Unmarshal([]byte(a.Body), &out) != nil {
				t.Fatalf("count%s: %d %s", query, a.Status, a.Body)
			}
			return out.Count
		}
		for q, n := range map[string]int64{
			"?api=fssp": 7, "?api=motivity&status=401": 1, "?credential=" + url.QueryEscape("token bank"): 6,
			"?field=examinationAreaId&value=101": 2, "?field=examinationAreaId&value=102": 0, "?api=reestro&afterId=" + strconv.FormatInt(all[5].ID, 10): 2,
			"?field=noExamInSelectedPeriod&value=false": 1, "?path=" + url.QueryEscape("/api/v1.0/search/physical"): 3,
		} {
			if got := count(q); got != n {
				t.Errorf("count%s: %d, want %d", q, got, n)
			}
		}
		if got := list("?api=migrant-exam&field=examinationAreaId&value=101"); len(got) != 2 || got[0].ID != all[0].ID {
			t.Errorf("filtered list: %+v", got)
		}
		if a := operatorMalformed(s, http.MethodGet, "/operator/v1/journal?since=yesterday", "", ""); a.Status != http.StatusBadRequest {
			t.Errorf("a malformed since: %d", a.Status)
		}
		if a := s.Operator(http.MethodDelete, "/operator/v1/journal", "", ""); a.Status != http.StatusOK || a.Body != `{"deleted":15}` {
			t.Fatalf("clear: %d %s", a.Status, a.Body)
		}
		if n := count(""); n != 0 {
			t.Fatalf("%d entries after clearing", n)
		}
	})
}

// credentials are what provisionEveryAPI gives the four APIs: an
// organization "org" with a password and x-api-key, an FSSP token "bank"
// without limits, the Motivity public token, a Reestro organization with a
// key.
type credentials struct{ password, apiKey, fsspToken, publicToken, reestroOrg, reestroKey string }

// secrets are the journal's and the faults' tests' credentials: each
// distinct and long enough to be scrubbed wherever it appears.
var secrets = credentials{password: "basic-secret", apiKey: "key-secret", fsspToken: "fssp-secret",
	publicToken: "motivity-secret", reestroOrg: "1269f58a-3d40-42e1-91ad-a4251566419c", reestroKey: "reestro-secret-key"}

func provisionEveryAPI(t *testing.T, s *stendtest.Stand, c credentials) {
	t.Helper()
	ctx := context.Background()
	op := s.Node.Operator
	if _, err := op.CreateOrganization(ctx, operator.NewOrganization{Name: "Org", Username: "org", Password: c.password, APIKey: c.apiKey}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := op.EnsureFSSPToken(ctx, operator.NewFSSPToken{Name: "bank", Token: c.fsspToken, Limits: &fssp.Limits{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := op.SetPublicToken(ctx, c.publicToken); err != nil {
		t.Fatal(err)
	}
	if _, err := op.CreateReestroOrganization(ctx, operator.NewReestroOrganization{ID: c.reestroOrg, Name: "Org"}); err != nil {
		t.Fatal(err)
	}
	if _, err := op.IssueReestroKey(ctx, operator.NewReestroKey{Name: "k", Key: c.reestroKey, Organizations: []string{c.reestroOrg}}); err != nil {
		t.Fatal(err)
	}
}

// The job queue's metrics: an FSSP search runs as a job of kind fssp.task,
// counted by outcome, with its wait and run time. The node queues every
// search here (--fssp-at-once=false).
func TestJobMetrics(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		cfg.FSSPAtOnce = false
		s := stendtest.Open(t, store, stendtest.Options{Config: &cfg, StartJobs: true})
		provisionEveryAPI(t, s, secrets)
		get := func(target string) string {
			w := httptest.NewRecorder()
			s.Handler.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
			return w.Body.String()
		}
		var submitted struct{ Response struct{ Task string } }
		if err := json.Unmarshal([]byte(get("/api/v1.0/search/physical?token=fssp-secret&region=66&lastname=Иванов&firstname=Сергей")), &submitted); err != nil || submitted.Response.Task == "" {
			t.Fatalf("search: %v", err)
		}
		for range 500 {
			if strings.Contains(get("/api/v1.0/status?token=fssp-secret&task="+submitted.Response.Task), `"status":0`) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		// The runner reports a run once its outcome is written, which
		// /status may show a moment before.
		var metrics string
		for range 500 {
			if metrics = get("/metrics"); strings.Contains(metrics, `stend_job_runs_total{kind="fssp.task"`) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		for _, want := range []string{`stend_job_runs_total{kind="fssp.task",outcome="completed"} 1`, `stend_job_wait_seconds_count{kind="fssp.task"} 1`,
			`stend_job_run_seconds_count{kind="fssp.task"} 1`} {
			if !strings.Contains(metrics, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
	})
}

// TestJournalKeepsDownloadLinksOut: a Motivity download link works without
// the API's token, so its token is a secret: neither the answer that hands
// it out nor the download's path shows it in the journal.
func TestJournalKeepsDownloadLinksOut(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		provisionEveryAPI(t, s, secrets)
		ctx := context.Background()
		var body strings.Builder
		mw := multipart.NewWriter(&body)
		part, _ := mw.CreateFormFile("file", "план.pdf")
		part.Write([]byte("%PDF-1.4 план"))
		mw.Close()
		r := httptest.NewRequest(http.MethodPost, "/public/api/v1/file/upload", strings.NewReader(body.String()))
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.Header.Set("X-Auth-Token", secrets.publicToken)
		up := s.Serve(r)
		var uploaded struct{ Files []struct{ ID int64 } }
		if json.Unmarshal([]byte(up.Body), &uploaded) != nil || len(uploaded.Files) != 1 {
			t.Fatalf("upload: %d %s", up.Status, up.Body)
		}
		r = httptest.NewRequest(http.MethodPost, "/public/api/v1/file/"+strconv.FormatInt(uploaded.Files[0].ID, 10), nil)
		r.Header.Set("X-Auth-Token", secrets.publicToken)
		var linked struct{ File string }
		if a := s.Serve(r); json.Unmarshal([]byte(a.Body), &linked) != nil || linked.File == "" {
			t.Fatalf("link: %d %s", a.Status, a.Body)
		}
		link, err := url.Parse(linked.File)
		if err != nil {
			t.Fatal(err)
		}
		if a := s.Serve(httptest.NewRequest(http.MethodGet, link.EscapedPath(), nil)); a.Status != http.StatusOK || a.Body != "%PDF-1.4 план" {
			t.Fatalf("download: %d %s", a.Status, a.Body)
		}
		token := strings.Split(link.EscapedPath(), "/")[2]
		if err := s.Node.Journal.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		entries, err := s.Node.Operator.JournalEntries(ctx, operator.JournalQuery{API: "", Limit: 100})
		if err != nil || len(entries) < 3 {
			t.Fatalf("journal: %d entries, %v", len(entries), err)
		}
		for _, e := range entries {
			if b, _ := json.Marshal(e); strings.Contains(string(b), token) {
				t.Fatalf("the link's token is in the journal: %s", b)
			}
		}
	})
}
