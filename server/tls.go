package server

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"stend"
	"stend/certs"
)

// DocumentedHosts are the host names clients hard-code, as the documents
// (shared/specs) give them; the stand's certificate covers them all, so
// that a hosts entry sends such a client to the stand. Every API answers
// under every name: their paths never collide (docs/stand.md, "Under the
// real host names"), so nothing routes by host.
var DocumentedHosts = []string{
	// fssp-bdip.ru.md, 4: «Адрес точки доступа к API: https://api-ip.fssprus.ru/api/v1.0/».
	"api-ip.fssprus.ru",
	// The same API since the service moved to fssp.gov.ru: not in the
	// document, but the base URL of clients written since.
	"api-ip.fssp.gov.ru",
	// migrant-exam-reports.ru.md: «Эндпоинт для отправки запросов: POST https://api.migrant-exam.ru/Reports/Report».
	"api.migrant-exam.ru",
	// motivity-public.ru.md: the host of its sample file links. A
	// platform answers under its company's name, which the operator adds
	// (--tls-hosts); so does Reestro's, which its document does not name.
	"support.motivationportal.ru",
}

// localNames are the names a stand is reached by on its own machine.
var localNames = []string{"localhost", "127.0.0.1", "::1"}

// The CA a node makes when given none, in the data directory: the key
// file holds the key and the certificate (one file, so that it appears
// whole or not at all when nodes sharing the directory start together);
// the certificate file holds the certificate alone, for users to trust.
const (
	tlsDir     = "tls"
	caKeyFile  = "ca-key.pem"
	caCertFile = "ca.pem"
)

// TLSNames are the names the node's certificate covers: the documented
// hosts, the operator's (--tls-hosts), and the local ones.
func (c Config) TLSNames() []string {
	var names []string
	for _, n := range slices.Concat(DocumentedHosts, c.tlsHosts(), localNames) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func (c Config) tlsHosts() []string {
	var hosts []string
	for h := range strings.SplitSeq(c.TLSHosts, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// TLSCA is the CA that issues the node's certificate: the operator's
// (--tls-ca-cert, --tls-ca-key), or the one kept in the data directory,
// made at the first need; made names its key file when it was made now.
// With a certificate given as it is (--tls-cert), there is none.
func (c Config) TLSCA() (ca *certs.CA, made string, err error) {
	switch {
	case c.TLSCert != "":
		return nil, "", stend.Errorf(stend.NotFound, "tls", "the stand serves the certificate it was given (--tls-cert) and holds no CA: trust that certificate's issuer")
	case c.TLSCACert != "":
		certPEM, err := os.ReadFile(c.TLSCACert)
		if err != nil {
			return nil, "", fmt.Errorf("tls-ca-cert: %w", err)
		}
		keyPEM, err := os.ReadFile(c.TLSCAKey)
		if err != nil {
			return nil, "", fmt.Errorf("tls-ca-key: %w", err)
		}
		if ca, err = certs.ParseCA(certPEM, keyPEM); err != nil {
			return nil, "", fmt.Errorf("tls-ca-cert, tls-ca-key: %w", err)
		}
		return ca, "", nil
	}
	dir := filepath.Join(c.DataDir, tlsDir)
	if err := os.MkdirAll(dir, dataDirMode); err != nil {
		return nil, "", fmt.Errorf("tls: %w", err)
	}
	keyPath := filepath.Join(dir, caKeyFile)
	if _, err := os.Stat(keyPath); errors.Is(err, fs.ErrNotExist) {
		ca, keyPEM, err := certs.NewCA(c.TLSNames(), time.Now())
		if err != nil {
			return nil, "", err
		}
		created, err := createFile(keyPath, append(keyPEM, ca.CertPEM...))
		if err != nil {
			return nil, "", fmt.Errorf("tls: %w", err)
		}
		if created {
			made = keyPath
		}
	}
	if info, err := os.Stat(keyPath); err == nil && runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, "", stend.Errorf(stend.Invalid, "tls", "%s is readable by other accounts (mode %v): whoever reads it can impersonate the hosts its CA vouches for; chmod 600 it", keyPath, info.Mode().Perm())
	}
	b, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, "", fmt.Errorf("tls: %w", err)
	}
	if ca, err = certs.ParseCA(b, b); err != nil {
		return nil, "", fmt.Errorf("tls: %s: %w", keyPath, err)
	}
	// Rewritten at every load: it is the key file's certificate, for
	// users to trust, and whoever deletes it gets it back.
	if err := replaceFile(filepath.Join(dir, caCertFile), ca.CertPEM, 0o644); err != nil {
		return nil, "", fmt.Errorf("tls: %w", err)
	}
	return ca, made, nil
}

// HTTPS is what a node serves HTTPS with.
type HTTPS struct {
	TLS *tls.Config
	// CA issued the certificate; nil when the operator gave the
	// certificate as it is.
	CA *certs.CA
	// Names are the names the certificate covers.
	Names []string
}

// HTTPS prepares the node's HTTPS: the certificate given, or one the CA
// issues for TLSNames (again after half its life).
func (c Config) HTTPS(logger *slog.Logger) (*HTTPS, error) {
	h := &HTTPS{TLS: &tls.Config{
		MinVersion: tls.VersionTLS12,
		// HTTP/1.1 alone: the stand's defences against slow bodies and
		// the faults that cut a connection are written for it, and every
		// client of these APIs speaks it.
		NextProtos: []string{"http/1.1"},
	}}
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("tls-cert, tls-key: %w", err)
		}
		h.TLS.Certificates = []tls.Certificate{cert}
		h.Names = slices.Concat(cert.Leaf.DNSNames, ipStrings(cert.Leaf.IPAddresses))
		return h, nil
	}
	ca, made, err := c.TLSCA()
	if err != nil {
		return nil, err
	}
	if made != "" {
		logger.Warn("made the stand's certificate authority: trust its certificate (stend tls ca) where clients run, and give the same files to every node", "file", made, "sha256", ca.Fingerprint())
	}
	h.CA, h.Names = ca, c.TLSNames()
	issuer, err := certs.NewIssuer(ca, h.Names, time.Now)
	if err != nil {
		if made == "" && c.TLSCACert == "" {
			err = fmt.Errorf("%w (the CA kept in %s may vouch only for the names it was made with, before this one was in --tls-hosts: delete that directory to make a new CA for every name, and trust it again)", err, filepath.Join(c.DataDir, tlsDir))
		}
		return nil, err
	}
	issuer.RenewFailed = func(err error) {
		logger.Warn("tls: renewing the stand's certificate failed; the current one is served until it runs out", "err", err)
	}
	h.TLS.GetCertificate = issuer.GetCertificate
	return h, nil
}

func ipStrings(ips []net.IP) []string {
	out := make([]string, len(ips))
	for i, ip := range ips {
		out[i] = ip.String()
	}
	return out
}

// replaceFile writes data to path unless it already holds it, through a
// file aside renamed into place, so that a reader sees the old or the new
// content whole.
func replaceFile(path string, data []byte, mode os.FileMode) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}
