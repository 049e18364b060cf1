package main

import (
	"context"
	"log/slog"
	"maps"
	"net"
	"strings"

	"stend/server"
)

// The `stend tls …` commands: the CA whose certificates the stand serves
// under the real host names (docs/stand.md, "Under the real host names").
var tlsCommands = map[string]command{
	"tls ca": {"print the PEM certificate of the stand's CA, for clients to trust (made in the data directory if there is none yet: give --tls-hosts then)", runTLSCA},
}

func init() { maps.Copy(commands, tlsCommands) }

func runTLSCA(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	if err := e.parse(args); err != nil {
		return err
	}
	ca, made, err := e.cfg.TLSCA()
	if err != nil {
		return err
	}
	if made != "" {
		e.logger().Warn("made the stand's certificate authority: give the same files to every node", "file", made, "sha256", ca.Fingerprint())
	}
	_, err = e.stdout.Write(ca.CertPEM)
	return err
}

// serveTLS serves the node on ln and, over HTTPS as https says, on addr.
func serveTLS(ctx context.Context, addr string, https *server.HTTPS, node *server.Node, ln net.Listener, logger *slog.Logger) error {
	tlsLn, err := net.Listen("tcp", addr)
	if err != nil {
		ln.Close()
		return err
	}
	attrs := []any{"base", "https://" + tlsLn.Addr().String(), "names", strings.Join(https.Names, ",")}
	if https.CA != nil {
		attrs = append(attrs, "ca-sha256", https.CA.Fingerprint(), "trust", "stend tls ca > stend-ca.pem")
	}
	logger.Info("listening over HTTPS", attrs...)
	return node.ServeTLS(ctx, ln, tlsLn, https)
}
