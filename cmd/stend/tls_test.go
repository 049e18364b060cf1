package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"stend/certs"
)

// `stend tls ca` makes the stand's CA once and prints it; a stand started
// on the same data directory serves a certificate that CA issued (a client
// trusting that PEM alone connects under a documented host name) and gives
// the same PEM through the operator API; after a restart it is still the
// same CA.
func TestTLSCAKeptAcrossRestarts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"tls", "ca", "--data-dir", dir}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	pemCA := out.String()
	if !strings.HasPrefix(pemCA, "-----BEGIN CERTIFICATE-----") || !strings.Contains(errs.String(), "made the stand's certificate authority") ||
		strings.Contains(out.String()+errs.String(), "PRIVATE KEY") {
		t.Fatalf("first export:\n%s\n%s", pemCA, errs.String())
	}
	if info, err := os.Stat(filepath.Join(dir, "tls", "ca-key.pem")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
	out.Reset()
	errs.Reset()
	if err := run(context.Background(), []string{"tls", "ca", "--data-dir", dir}, &out, &errs); err != nil || out.String() != pemCA || errs.Len() != 0 {
		t.Fatalf("second export: %v %q", err, errs.String())
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(pemCA)) {
		t.Fatal("the exported CA does not parse")
	}
	fingerprint := ""
	for range 2 {
		addr, stop := startServing(t, dir)
		client := &http.Client{Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots},
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
		}}
		req, _ := http.NewRequest("GET", "https://api-ip.fssprus.ru/operator/v1/tls/ca", nil)
		req.Header.Set("Authorization", "Bearer op")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != pemCA {
			t.Fatalf("the operator API's CA: %d %s", resp.StatusCode, body)
		}
		chain := resp.TLS.VerifiedChains[0]
		served := certs.Fingerprint(chain[len(chain)-1])
		if fingerprint != "" && served != fingerprint {
			t.Fatalf("another CA after a restart: %s, then %s", fingerprint, served)
		}
		fingerprint = served
		client.CloseIdleConnections()
		stop()
	}
}

// startServing runs `stend serve` with HTTPS on the data directory dir until
// the returned stop is called, and answers the HTTPS listener's address,
// read from the line the node logs once it listens.
func startServing(t *testing.T, dir string) (addr string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &watchedLog{want: "listening over HTTPS", found: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--tls-addr", "127.0.0.1:0",
			"--operator-token", "op", "--drain-period", "0"}, io.Discard, logs)
	}()
	select {
	case line := <-logs.found:
		m := regexp.MustCompile(`base=https://(\S+)`).FindStringSubmatch(line)
		if m == nil {
			cancel()
			t.Fatalf("no address in %q", line)
		}
		addr = m[1]
	case err := <-done:
		cancel()
		t.Fatalf("serve ended: %v\n%s", err, logs.String())
	}
	return addr, func() {
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
	}
}

// watchedLog keeps what a node logs and hands over the first record that
// holds want.
type watchedLog struct {
	want  string
	found chan string
	mu    sync.Mutex
	all   bytes.Buffer
}

func (w *watchedLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all.Write(p)
	if bytes.Contains(p, []byte(w.want)) {
		select {
		case w.found <- string(p):
		default:
		}
	}
	return len(p), nil
}

func (w *watchedLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.all.String()
}

// `stend tls ca` lists its own flags, and has no CA to print for a stand
// given its certificate as it is.
func TestTLSCACommandFlags(t *testing.T) {
	t.Parallel()
	var out, errs bytes.Buffer
	_ = run(context.Background(), []string{"tls", "ca", "--help"}, &out, &errs)
	if help := errs.String(); !strings.Contains(help, "-tls-hosts") || !strings.Contains(help, "-tls-ca-cert") || strings.Contains(help, "-addr") ||
		strings.Contains(help, "-database-url") {
		t.Fatalf("help:\n%s", help)
	}
	err := run(context.Background(), []string{"tls", "ca", "--data-dir", t.TempDir(), "--tls-cert", "a.pem", "--tls-key", "b.pem"}, &out, &errs)
	if err == nil || !strings.Contains(err.Error(), "trust that certificate's issuer") {
		t.Fatalf("a given certificate: %v", err)
	}
	if err := run(context.Background(), []string{"tls", "ca", "--data-dir", t.TempDir(), "--tls-hosts", "https://x.example"}, &out, &errs); err == nil {
		t.Fatal("a URL taken for a host name")
	}
}
