package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"net/url"
	"testing"
	"time"
)

// A leaked key of the stand's CA cannot issue S/MIME, code-signing or
// client-auth certificates that a verifier accepts: the CA is for servers.
func TestCASignsServersOnly(t *testing.T) {
	now := time.Now()
	ca, _, err := NewCA([]string{"api-ip.fssprus.ru", "localhost", "127.0.0.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca.Cert)
	u, _ := url.Parse("spiffe://bank.example/payments")
	for _, c := range []struct {
		name string
		tmpl x509.Certificate
		eku  x509.ExtKeyUsage
	}{
		{"S/MIME for any mailbox", x509.Certificate{Subject: pkix.Name{CommonName: "ceo"}, EmailAddresses: []string{"ceo@bank.example"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}, x509.ExtKeyUsageEmailProtection},
		{"code signing", x509.Certificate{Subject: pkix.Name{CommonName: "Microsoft Corporation"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}}, x509.ExtKeyUsageCodeSigning},
		{"client auth with a URI SAN", x509.Certificate{Subject: pkix.Name{CommonName: "svc"}, URIs: []*url.URL{u}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, x509.ExtKeyUsageClientAuth},
	} {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := c.tmpl
		tmpl.SerialNumber = serial()
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-time.Hour), now.Add(time.Hour)
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, ca.Cert, &key.PublicKey, ca.Key)
		if err != nil {
			t.Fatal(err)
		}
		leaf, _ := x509.ParseCertificate(der)
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{c.eku}}); err == nil {
			t.Errorf("%s: a leaked key of the CA issues it and Go accepts it", c.name)
		}
	}
}
