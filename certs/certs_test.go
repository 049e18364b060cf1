package certs

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"stend"
)

var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// A CA made for some names issues a certificate that a client trusting it
// alone accepts for each of them, and for nothing else: its name
// constraints refuse even a certificate it signed for another name.
func TestCAIssuesForItsNamesOnly(t *testing.T) {
	names := []string{"api-ip.fssprus.ru", "*.reestro.test", "localhost", "127.0.0.1", "::1", "203.0.113.7"}
	ca, keyPEM, err := NewCA(names, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(keyPEM), "PRIVATE KEY") || strings.Contains(string(ca.CertPEM), "PRIVATE") {
		t.Fatalf("key and certificate PEM mixed up")
	}
	cert, err := ca.Issue(names, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(cert, ca.Cert, []string{"api.reestro.test", "203.0.113.7"}, now.Add(300*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{"api.migrant-exam.ru", "reestro.test", "10.0.0.1"} {
		if err := Verify(cert, ca.Cert, []string{other}, now); err == nil {
			t.Errorf("the certificate verified for %s, which it does not name", other)
		}
	}
	// The CA signs what it is asked, but its constraints bind clients:
	// Issue checks as a client would, and refuses.
	if _, err := ca.Issue([]string{"www.bank.example"}, now); err == nil || !strings.Contains(err.Error(), "would refuse") {
		t.Fatalf("a certificate for a name outside the CA's constraints: %v", err)
	}
	if _, err := ca.Issue([]string{"8.8.8.8"}, now); err == nil {
		t.Fatal("a certificate for a public address the CA was not made for")
	}
	if _, err := ca.Issue([]string{"10.1.2.3"}, now); err != nil {
		t.Fatalf("a private address: %v", err)
	}
}

// The CA read back from its PEM is the same CA; a key that is not the
// certificate's, a certificate that is no CA's, and an encrypted key are
// refused with what to do.
func TestParseCA(t *testing.T) {
	ca, keyPEM, err := NewCA([]string{"localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Both in one file, as the stand keeps its own.
	both := append(append([]byte{}, keyPEM...), ca.CertPEM...)
	again, err := ParseCA(both, both)
	if err != nil {
		t.Fatal(err)
	}
	if again.Fingerprint() != ca.Fingerprint() || len(ca.Fingerprint()) != 32*3-1 {
		t.Fatalf("fingerprints %s, %s", ca.Fingerprint(), again.Fingerprint())
	}
	other, otherKey, _ := NewCA([]string{"localhost"}, now)
	cert, _ := ca.Issue([]string{"localhost"}, now)
	leafPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})
	for name, c := range map[string]struct {
		cert, key []byte
		want      string
	}{
		"another CA's key": {ca.CertPEM, otherKey, "is not the key of"},
		"a server's":       {leafPEM, keyPEM, "is not a CA's"},
		"no key":           {other.CertPEM, other.CertPEM, "no PEM private key"},
		"no certificate":   {keyPEM, keyPEM, "no PEM certificate"},
		"encrypted":        {ca.CertPEM, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}}), "give it decrypted"},
	} {
		_, err := ParseCA(c.cert, c.key)
		if err == nil || !strings.Contains(err.Error(), c.want) || stend.KindOf(err) != stend.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// An operator's CA may be RSA, with its key in PKCS #1, and carry no name
// constraints: the stand's certificates still chain to it.
func TestOperatorsRSACA(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: serial(), Subject: pkix.Name{CommonName: "Corp test root"}, NotBefore: now.Add(-time.Hour),
		NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := ParseCA(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue([]string{"api.migrant-exam.ru", "stend.corp.example"}, now)
	if err != nil {
		t.Fatal(err)
	}
	// Never past its CA.
	if !cert.Leaf.NotAfter.Equal(ca.Cert.NotAfter) {
		t.Fatalf("leaf until %v, CA until %v", cert.Leaf.NotAfter, ca.Cert.NotAfter)
	}
	// Past the CA's end, Issue refuses rather than hand out what no client takes.
	if _, err := ca.Issue([]string{"localhost"}, now.Add(48*time.Hour)); err == nil {
		t.Fatal("a certificate from an expired CA")
	}
}

// The issuer serves one certificate for half its life, then a new one.
func TestIssuerRenewsAfterHalfItsLife(t *testing.T) {
	ca, _, err := NewCA([]string{"localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	at := now
	is, err := NewIssuer(ca, []string{"localhost"}, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	first := is.Certificate()
	at = now.Add(LeafValidity/2 - 2*backdate)
	if got, _ := is.GetCertificate(nil); got != first {
		t.Fatal("renewed before half its life")
	}
	at = now.Add(LeafValidity / 2)
	renewed := is.Certificate()
	if renewed == first || !renewed.Leaf.NotAfter.After(first.Leaf.NotAfter) {
		t.Fatal("not renewed after half its life")
	}
	if _, err := NewIssuer(ca, []string{"elsewhere.example"}, func() time.Time { return now }); err == nil {
		t.Fatal("an issuer for names the CA may not vouch for")
	}
}

func TestCheckNames(t *testing.T) {
	if err := CheckNames([]string{"api.reestro.test", "*.corp.example", "10.0.0.5", "fe80::1", "LOCALHOST"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "https://x.example", "x.example:443", "-x.example", "x..example", "a_b.example", "*", "x.*.example", strings.Repeat("a", 64) + ".example"} {
		if err := CheckNames([]string{bad}); err == nil || stend.KindOf(err) != stend.Invalid {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestIssuerTellsARenewalThatFailed: once the CA itself has run out, the
// renewal fails; the issuer says so, at most once an hour, and serves the
// certificate it has.
func TestIssuerTellsARenewalThatFailed(t *testing.T) {
	ca, _, err := NewCA([]string{"localhost"}, now)
	if err != nil {
		t.Fatal(err)
	}
	at := now
	is, err := NewIssuer(ca, []string{"localhost"}, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	var told []error
	is.RenewFailed = func(err error) { told = append(told, err) }
	first := is.Certificate()
	at = ca.Cert.NotAfter.Add(time.Minute)
	for range 3 {
		if is.Certificate() != first {
			t.Fatal("a certificate issued by a CA past its end")
		}
	}
	at = at.Add(time.Hour)
	is.Certificate()
	if len(told) != 2 {
		t.Fatalf("told %d times, want 2 (once, then an hour later): %v", len(told), told)
	}
}
