// Package certs is the stand's certificate authority and the server
// certificates it issues for the host names clients hard-code, so that a
// client that cannot change its base URL reaches the stand through a hosts
// entry and a trusted CA.
//
// Standard library only: crypto/x509 makes and parses every certificate
// the stand needs (a CA, a leaf with SANs, name constraints) in a few
// calls, so a dependency (cfssl, a copy of mkcert's code) would bring
// nothing but code to trust. Keys are ECDSA P-256: every TLS client
// accepts them (Java, OpenSSL, .NET, Go, browsers), a key is made in
// microseconds, and handshakes are smaller than with RSA; Ed25519
// certificates are still refused by browsers and several TLS stacks.
package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"stend"
)

const (
	// caValidity is how long a CA the stand makes lasts: users trust it
	// once, and should not have to again for years.
	caValidity = 10 * 365 * 24 * time.Hour
	// LeafValidity is how long an issued certificate lasts: under the 398
	// days some clients allow a server certificate at most. A node issues
	// its own at start and again after half of it (Issuer).
	LeafValidity = 397 * 24 * time.Hour
	// backdate moves every NotBefore back, so that a client whose clock
	// is behind the stand's machine accepts a certificate made just now.
	backdate = 24 * time.Hour
)

// CA is a certificate authority: its certificate and key.
type CA struct {
	Cert *x509.Certificate
	Key  crypto.Signer
	// CertPEM is the certificate as users trust it.
	CertPEM []byte
}

// Fingerprint is the SHA-256 of the CA's certificate, in the form
// `openssl x509 -fingerprint -sha256` prints, so that a user can compare
// what they trust with what the stand serves.
func (ca *CA) Fingerprint() string { return Fingerprint(ca.Cert) }

// Fingerprint is the SHA-256 of c's DER, as colon-separated hex pairs.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(pairs, ":")
}

// NewCA makes a CA that may vouch only for names: each host name and its
// subdomains, each IP address, loopback and private addresses (X.509 name
// constraints). A user who trusts it system-wide then lets it impersonate
// those names and nothing else, should its key leak; the price is that a
// name added later needs a new CA, trusted again.
func NewCA(names []string, now time.Time) (*CA, []byte, error) {
	hosts, ips, err := splitNames(names)
	if err != nil {
		return nil, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("ca key: %w", err)
	}
	permittedHosts := make([]string, 0, len(hosts))
	for _, h := range hosts {
		// A constraint "x" permits x and every name under it, which a
		// wildcard *.x needs.
		permittedHosts = append(permittedHosts, strings.TrimPrefix(h, "*."))
	}
	permittedIPs := privateRanges()
	for _, ip := range ips {
		if !slices.ContainsFunc(permittedIPs, func(n *net.IPNet) bool { return n.Contains(ip) }) {
			permittedIPs = append(permittedIPs, hostRange(ip))
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber:                serial(),
		Subject:                     pkix.Name{Organization: []string{"stend"}, CommonName: "stend CA " + now.UTC().Format("2006-01-02 15:04:05")},
		NotBefore:                   now.Add(-backdate),
		NotAfter:                    now.Add(caValidity),
		KeyUsage:                    x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid:       true,
		IsCA:                        true,
		MaxPathLenZero:              true, // it signs server certificates, never another CA
		PermittedDNSDomainsCritical: true, // RFC 5280: a client that cannot enforce them must refuse
		PermittedDNSDomains:         permittedHosts,
		PermittedIPRanges:           permittedIPs,
		// Servers only, and no mailbox or URI at all ("invalid" is a
		// reserved name nothing has): a leaked key must not sign mail,
		// code or client identities that a trust store would accept.
		ExtKeyUsage:             []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		PermittedEmailAddresses: []string{"invalid"},
		PermittedURIDomains:     []string{"invalid"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("ca certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("ca certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("ca key: %w", err)
	}
	ca := &CA{Cert: cert, Key: key, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return ca, keyPEM, nil
}

// privateRanges are the addresses a stand is reached at without a public
// certificate: loopback, the private IPv4 ranges, carrier-grade NAT (VPN
// overlays) and IPv6 unique local addresses.
func privateRanges() []*net.IPNet {
	var out []*net.IPNet
	for _, cidr := range []string{"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "::1/128", "fc00::/7"} {
		_, n, _ := net.ParseCIDR(cidr)
		out = append(out, n)
	}
	return out
}

func hostRange(ip net.IP) *net.IPNet {
	if v4 := ip.To4(); v4 != nil {
		return &net.IPNet{IP: v4, Mask: net.CIDRMask(32, 32)}
	}
	return &net.IPNet{IP: ip, Mask: net.CIDRMask(128, 128)}
}

// ParseCA reads a CA from PEM: the first certificate of certPEM, and the
// private key of keyPEM (PKCS #8, SEC 1 or PKCS #1; other blocks, such as a
// certificate kept with the key, are skipped). The key must be the
// certificate's, and the certificate a CA's that may sign certificates.
func ParseCA(certPEM, keyPEM []byte) (*CA, error) {
	cert, err := firstCertificate(certPEM)
	if err != nil {
		return nil, err
	}
	if !cert.IsCA || cert.KeyUsage != 0 && cert.KeyUsage&x509.KeyUsageCertSign == 0 {
		return nil, stend.Errorf(stend.Invalid, "tls", "the certificate %q is not a CA's that may sign certificates", cert.Subject.CommonName)
	}
	key, err := ParseKey(keyPEM)
	if err != nil {
		return nil, err
	}
	if err := matches(cert, key); err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})}, nil
}

func firstCertificate(b []byte) (*x509.Certificate, error) {
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			return nil, stend.Errorf(stend.Invalid, "tls", "no PEM certificate found")
		}
		if block.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, stend.Errorf(stend.Invalid, "tls", "certificate: %v", err)
			}
			return c, nil
		}
	}
}

// ParseKey reads the first private key of b.
func ParseKey(b []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			return nil, stend.Errorf(stend.Invalid, "tls", "no PEM private key found")
		}
		var (
			k   any
			err error
		)
		switch block.Type {
		case "PRIVATE KEY":
			k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "ENCRYPTED PRIVATE KEY":
			return nil, stend.Errorf(stend.Invalid, "tls", "the private key is encrypted: give it decrypted (openssl pkey -in KEY -out PLAIN), in a file only the stand's account can read")
		default:
			continue
		}
		if err != nil {
			return nil, stend.Errorf(stend.Invalid, "tls", "private key: %v", err)
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, stend.Errorf(stend.Invalid, "tls", "private key of type %T cannot sign", k)
		}
		return s, nil
	}
}

// matches reports whether key is the private half of cert's public key.
func matches(cert *x509.Certificate, key crypto.Signer) error {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	switch key.Public().(type) {
	case *ecdsa.PublicKey, *rsa.PublicKey, ed25519.PublicKey:
	default:
		return stend.Errorf(stend.Invalid, "tls", "private key of type %T is not supported", key)
	}
	if pub, ok := key.Public().(equaler); !ok || !pub.Equal(cert.PublicKey) {
		return stend.Errorf(stend.Invalid, "tls", "the private key is not the key of the certificate %q", cert.Subject.CommonName)
	}
	return nil
}

// Issue makes a server certificate for names (host names, *.wildcards, IP
// addresses), signed by ca, with a key of its own; the first name is also
// its subject, for the clients that still read it.
func (ca *CA) Issue(names []string, now time.Time) (*tls.Certificate, error) {
	hosts, ips, err := splitNames(names)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, stend.Errorf(stend.Invalid, "tls", "a certificate needs at least one name")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("certificate key: %w", err)
	}
	notAfter := now.Add(LeafValidity)
	if notAfter.After(ca.Cert.NotAfter) {
		notAfter = ca.Cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{Organization: []string{"stend"}, CommonName: names[0]},
		NotBefore:    now.Add(-backdate),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     hosts,
		IPAddresses:  ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	cert := &tls.Certificate{Certificate: [][]byte{der, ca.Cert.Raw}, PrivateKey: key, Leaf: leaf}
	// Checked here, not by the first client: a CA given by the operator
	// may be constrained to other names, or expired.
	if err := Verify(cert, ca.Cert, names, now); err != nil {
		return nil, err
	}
	return cert, nil
}

// Verify checks that a client trusting root alone accepts cert for every
// one of names at the time now.
func Verify(cert *tls.Certificate, root *x509.Certificate, names []string, now time.Time) error {
	leaf := cert.Leaf
	if leaf == nil {
		var err error
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return stend.Errorf(stend.Invalid, "tls", "certificate: %v", err)
		}
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)
	inter := x509.NewCertPool()
	for _, der := range cert.Certificate[1:] {
		if c, err := x509.ParseCertificate(der); err == nil && !bytes.Equal(c.Raw, root.Raw) {
			inter.AddCert(c)
		}
	}
	for _, name := range names {
		// A wildcard is checked with a name it covers.
		host := strings.Replace(name, "*", "stend-check", 1)
		_, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
		if err != nil {
			return stend.Errorf(stend.Invalid, "tls", "a client trusting the CA %q would refuse the certificate for %s: %v", root.Subject.CommonName, name, err)
		}
	}
	return nil
}

// CheckNames reports the first of names that is neither a host name (a
// *. wildcard allowed in front) nor an IP address.
func CheckNames(names []string) error {
	_, _, err := splitNames(names)
	return err
}

func splitNames(names []string) (hosts []string, ips []net.IP, err error) {
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			ips = append(ips, ip)
			continue
		}
		if !validHost(n) {
			return nil, nil, stend.Errorf(stend.Invalid, "tls", "%q is neither a host name (letters, digits, hyphens, dots; *. in front for a wildcard) nor an IP address", n)
		}
		hosts = append(hosts, strings.ToLower(n))
	}
	return hosts, ips, nil
}

func validHost(name string) bool {
	name = strings.TrimPrefix(name, "*.")
	if name == "" || len(name) > 253 {
		return false
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// serial is a random 128-bit serial number: unique without a counter to
// keep, as RFC 5280 asks (positive, at most 20 bytes).
func serial() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[0] &= 0x7f
	return new(big.Int).SetBytes(b)
}

// Issuer hands out the server certificate of names that ca issued, and
// issues a new one once half of the last one's life has passed, so that a
// node running for years never serves an expired certificate. Time is
// real time (now), never the stand's clock: clients check certificates
// against their own clocks.
type Issuer struct {
	ca    *CA
	names []string
	now   func() time.Time

	// RenewFailed, when set, hears why a renewal failed (the operator's CA
	// expired), at most once an hour: the certificate served meanwhile
	// runs out.
	RenewFailed func(error)

	mu       sync.Mutex
	cert     *tls.Certificate
	toldFail time.Time
}

// NewIssuer issues the first certificate at once, so that a CA that cannot
// vouch for names fails the start, not a client's handshake.
func NewIssuer(ca *CA, names []string, now func() time.Time) (*Issuer, error) {
	cert, err := ca.Issue(names, now())
	if err != nil {
		return nil, err
	}
	return &Issuer{ca: ca, names: names, now: now, cert: cert}, nil
}

// Certificate is the certificate to serve now.
func (i *Issuer) Certificate() *tls.Certificate {
	i.mu.Lock()
	defer i.mu.Unlock()
	leaf := i.cert.Leaf
	if now := i.now(); now.After(leaf.NotBefore.Add(leaf.NotAfter.Sub(leaf.NotBefore) / 2)) {
		// On failure the current one, still valid for half its life, is
		// served and the next handshake tries again.
		if cert, err := i.ca.Issue(i.names, now); err == nil {
			i.cert = cert
		} else if i.RenewFailed != nil && now.Sub(i.toldFail) >= time.Hour {
			i.toldFail = now
			i.RenewFailed(err)
		}
	}
	return i.cert
}

// GetCertificate is Certificate for tls.Config.
func (i *Issuer) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return i.Certificate(), nil
}
