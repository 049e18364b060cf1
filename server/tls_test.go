package server

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/certs"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// The CA a node makes is kept in the data directory, its key readable by
// the node's account alone, and read back at the next start (the same
// fingerprint); nodes sharing the directory that start together end up
// with one CA.
func TestTLSCAKeptInTheDataDirectory(t *testing.T) {
	cfg := Defaults()
	cfg.DataDir = t.TempDir()
	const nodes = 8
	fingerprints := make([]string, nodes)
	var made sync.Map
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			ca, file, err := cfg.TLSCA()
			if err != nil {
				t.Error(err)
				return
			}
			fingerprints[i] = ca.Fingerprint()
			if file != "" {
				made.Store(i, file)
			}
		})
	}
	wg.Wait()
	count := 0
	made.Range(func(any, any) bool { count++; return true })
	if count != 1 {
		t.Fatalf("%d nodes made the CA", count)
	}
	for _, f := range fingerprints {
		if f != fingerprints[0] {
			t.Fatalf("nodes starting together hold different CAs: %v", fingerprints)
		}
	}
	key := filepath.Join(cfg.DataDir, tlsDir, caKeyFile)
	if info, err := os.Stat(key); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", info.Mode(), err)
	}
	// A restart reads the same CA, and gives back the certificate file
	// whoever deleted it.
	if err := os.Remove(filepath.Join(cfg.DataDir, tlsDir, caCertFile)); err != nil {
		t.Fatal(err)
	}
	ca, file, err := cfg.TLSCA()
	if err != nil || file != "" || ca.Fingerprint() != fingerprints[0] {
		t.Fatalf("after a restart: %v %q %v", ca, file, err)
	}
	if b, err := os.ReadFile(filepath.Join(cfg.DataDir, tlsDir, caCertFile)); err != nil || string(b) != string(ca.CertPEM) {
		t.Fatalf("certificate file: %v", err)
	}
	// Others able to read the key could impersonate the hosts: refused.
	if err := os.Chmod(key, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cfg.TLSCA(); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("a key readable by others: %v", err)
	}
}

// A CA made before a name was added cannot vouch for it: the start fails,
// saying what to do, instead of every client's handshake.
func TestTLSCAMadeForOtherNames(t *testing.T) {
	cfg := Defaults()
	cfg.DataDir = t.TempDir()
	if _, err := cfg.HTTPS(quiet); err != nil {
		t.Fatal(err)
	}
	cfg.TLSHosts = "api.reestro.test"
	if _, err := cfg.HTTPS(quiet); err == nil || !strings.Contains(err.Error(), "delete that directory") || !strings.Contains(err.Error(), "api.reestro.test") {
		t.Fatalf("a name the CA was not made for: %v", err)
	}
	// Named before the CA is made, it is covered.
	cfg.DataDir = t.TempDir()
	h, err := cfg.HTTPS(quiet)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := h.TLS.GetCertificate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := certs.Verify(cert, h.CA.Cert, append(DocumentedHosts, "api.reestro.test", "localhost", "127.0.0.1", "::1"), time.Now()); err != nil {
		t.Fatal(err)
	}
}

// The operator's CA issues the certificate, and the data directory is left
// alone; a certificate given as it is is served as it is, with no CA to
// export.
func TestTLSGivenCAOrCertificate(t *testing.T) {
	dir := t.TempDir()
	ca, keyPEM, err := certs.NewCA([]string{"api-ip.fssprus.ru", "api-ip.fssp.gov.ru", "api.migrant-exam.ru", "support.motivationportal.ru", "localhost"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := Defaults()
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.TLSCACert, cfg.TLSCAKey = write("ca.pem", ca.CertPEM), write("ca-key.pem", keyPEM)
	h, err := cfg.HTTPS(quiet)
	if err != nil {
		t.Fatal(err)
	}
	if h.CA.Fingerprint() != ca.Fingerprint() {
		t.Fatal("not the operator's CA")
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, tlsDir)); !os.IsNotExist(err) {
		t.Fatalf("a CA of the stand's own made beside the operator's: %v", err)
	}

	leaf, err := ca.Issue([]string{"api.migrant-exam.ru"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(leaf.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	cfg = Defaults()
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.TLSCert = write("leaf.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Certificate[0]}))
	cfg.TLSKey = write("leaf-key.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if h, err = cfg.HTTPS(quiet); err != nil {
		t.Fatal(err)
	}
	if h.CA != nil || len(h.TLS.Certificates) != 1 || strings.Join(h.Names, ",") != "api.migrant-exam.ru" {
		t.Fatalf("given certificate: %+v", h)
	}
	if _, _, err := cfg.TLSCA(); stend.KindOf(err) != stend.NotFound {
		t.Fatalf("the CA of a given certificate: %v", err)
	}
	cfg.TLSKey = cfg.TLSCACert
	if _, err := cfg.HTTPS(quiet); err == nil {
		t.Fatal("a key that is not the certificate's")
	}
}

func TestTLSSettingsValidated(t *testing.T) {
	for name, set := range map[string]func(*Config){
		"a CA without its key":   func(c *Config) { c.TLSCACert = "ca.pem" },
		"a key without its cert": func(c *Config) { c.TLSKey = "k.pem" },
		"both ways":              func(c *Config) { c.TLSCACert, c.TLSCAKey, c.TLSCert, c.TLSKey = "a", "b", "c", "d" },
		"a URL for a host":       func(c *Config) { c.TLSHosts = "api.reestro.test, https://x.example" },
	} {
		cfg := Defaults()
		set(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cfg := Defaults()
	cfg.TLSHosts = " api.reestro.test ,*.Corp.example,10.0.0.5,API-IP.fssprus.ru, "
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.TLSNames(), ","); got != strings.Join(DocumentedHosts, ",")+",api.reestro.test,*.corp.example,10.0.0.5,localhost,127.0.0.1,::1" {
		t.Fatalf("names: %s", got)
	}
}
