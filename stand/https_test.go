package stand_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stend/server"
	"stend/stand"
)

// A client that cannot change its base URLs, as it runs with hosts entries
// sending the documented host names to the stand and the stand's CA
// trusted (and nothing else trusted), calls each of the four APIs under
// its real host name over HTTPS; a client that does not trust the CA is
// refused the connection. On SQLite, and on PostgreSQL when
// STEND_TEST_DATABASE_URL names one.
func TestRealHostNamesOverHTTPS(t *testing.T) {
	t.Parallel()
	seed := demoSeedWithoutBank(t)
	for name, dsn := range map[string]string{"sqlite": "", "postgres": os.Getenv("STEND_TEST_DATABASE_URL")} {
		if name == "postgres" && dsn == "" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := stand.Start(t, stand.Options{SeedFile: seed, DatabaseURL: dsn, HTTPS: true,
				// Reestro's host: its document names none, so the operator does.
				Config: func(c *server.Config) { c.TLSHosts = "api.reestro.test" }})
			roots := x509.NewCertPool()
			if !roots.AppendCertsFromPEM(s.CACert) {
				t.Fatal("CA certificate")
			}
			standAddr := strings.TrimPrefix(s.HTTPSURL, "https://")
			// As a hosts entry would: every name resolves to the stand;
			// the port the URL names (443) is the stand's listener.
			hostsEntry := func(ctx context.Context, network, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, standAddr)
			}
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, DialContext: hostsEntry}}
			call := func(c *http.Client, method, rawURL, body string, header ...string) (int, string) {
				t.Helper()
				req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < len(header); i += 2 {
					req.Header.Set(header[i], header[i+1])
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Fatalf("%s %s: %v", method, rawURL, err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}

			// FSSP, under the document's host, then the service's current one.
			q := url.Values{"token": {"demo-fssp-token"}, "region": {"66"}, "lastname": {"Иванов"}, "firstname": {"Сергей"}}
			code, body := call(client, "GET", "https://api-ip.fssprus.ru/api/v1.0/search/physical?"+q.Encode(), "")
			var submitted struct{ Response struct{ Task string } }
			if code != 200 || json.Unmarshal([]byte(body), &submitted) != nil || submitted.Response.Task == "" {
				t.Fatalf("FSSP search: %d %s", code, body)
			}
			q = url.Values{"token": {"demo-fssp-token"}, "task": {submitted.Response.Task}}
			if code, body := call(client, "GET", "https://api-ip.fssp.gov.ru/api/v1.0/status?"+q.Encode(), ""); code != 200 || !strings.Contains(body, `"status":"success"`) {
				t.Fatalf("FSSP status: %d %s", code, body)
			}
			// Migrant exam.
			report := `{"examinationAreaId":101,"periodStartDate":"2025-05-26","periodEndDate":"2025-06-01","noExamInSelectedPeriod":false,
				"examinationAreaDoesNotWork":false,"noPatentExamType":false,"patentNearestStartDate":"2025-07-05","noTemporaryResidenceExamType":true,
				"noResidencePermitExamType":true,"noCitizenshipRussianLangExamType":true,"noCitizenshipHistoryExamType":true,
				"requests":[{"identityDocumentNumber":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","examDate":"2025-05-28","migrationExamType":1,"migrationExamStatus":1}]}`
			code, body = call(client, "POST", "https://demo:demo-password@api.migrant-exam.ru/Reports/Report", report,
				"x-api-key", "demo-api-key", "Content-Type", "application/json")
			if code != 200 || !strings.Contains(body, `"reportId"`) {
				t.Fatalf("migrant-exam report: %d %s", code, body)
			}
			// Reestro, under the operator's name for it.
			code, body = call(client, "GET", "https://api.reestro.test/realty/assessment/v1/checks", "",
				"Authorization", "ReestroAuth apiKey=0b8e5f4c-6a1d-4f2e-9c3b-7d2a1e5f8c40&portal.orgid=1269f58a-3d40-42e1-91ad-a4251566419c")
			if code != 200 || !strings.Contains(body, `"items"`) {
				t.Fatalf("Reestro checks: %d %s", code, body)
			}
			// Motivity, through the package's own client for integrators.
			code, body = call(s.HostsClient(t), "GET", "https://support.motivationportal.ru/public/api/v1/badge", "", "X-Auth-Token", "demo-public-token")
			if code != 200 || !strings.Contains(body, `"id":93`) {
				t.Fatalf("Motivity badges: %d %s", code, body)
			}
			// The operator API gives the CA to trust.
			if code, body := call(client, "GET", "https://localhost/operator/v1/tls/ca", "", "Authorization", "Bearer "+s.OperatorToken); code != 200 || body != string(s.CACert) {
				t.Fatalf("the CA from the operator API: %d %s", code, body)
			}

			// Without the CA: the system's roots do not know it.
			untrusting := &http.Client{Transport: &http.Transport{DialContext: hostsEntry}}
			resp, err := untrusting.Get("https://api-ip.fssprus.ru/api/v1.0/status")
			var unknown x509.UnknownAuthorityError
			if err == nil || !errors.As(err, &unknown) {
				if resp != nil {
					resp.Body.Close()
				}
				t.Fatalf("a client without the CA: %v", err)
			}
			// With it, for a name it does not cover: refused too.
			resp, err = client.Get("https://api.other.example/api/v1.0/status")
			var hostname x509.HostnameError
			if err == nil || !errors.As(err, &hostname) {
				if resp != nil {
					resp.Body.Close()
				}
				t.Fatalf("a name the certificate does not cover: %v", err)
			}
		})
	}
}

// demoSeedWithoutBank is the demo seed (demo/seed.json: every API's demo
// credentials and objects) without its generated FSSP bank, which takes
// seconds to load and no call here needs.
func demoSeedWithoutBank(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "demo", "seed.json"))
	if err != nil {
		t.Fatal(err)
	}
	var seed map[string]any
	if err := json.Unmarshal(b, &seed); err != nil {
		t.Fatal(err)
	}
	delete(seed["fssp"].(map[string]any), "bank")
	out, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The files the seed names by path (quest images), beside it.
	images, err := filepath.Glob(filepath.Join("..", "demo", "*.png"))
	if err != nil || len(images) == 0 {
		t.Fatalf("demo images: %v %v", images, err)
	}
	for _, img := range images {
		b, err := os.ReadFile(img)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, filepath.Base(img)), b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A stand serving no HTTPS has no CA to give, and says how to get one.
func TestNoCAWithoutHTTPS(t *testing.T) {
	t.Parallel()
	s := stand.Start(t, stand.Options{})
	req, _ := http.NewRequest("GET", s.URL+"/operator/v1/tls/ca", nil)
	req.Header.Set("Authorization", "Bearer "+s.OperatorToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "--tls-addr") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}
