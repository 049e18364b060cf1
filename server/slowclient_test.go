package server_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stend/server"
	"stend/stand"
	"stend/stendtest"
)

// serveOnLoopback starts a whole stand (package stand) on the store at
// databaseURL, its settings changed by set, and returns its address.
func serveOnLoopback(t *testing.T, databaseURL string, set func(*server.Config)) string {
	t.Helper()
	s := stand.Start(t, stand.Options{DatabaseURL: databaseURL, Config: set})
	return strings.TrimPrefix(s.URL, "http://")
}

// serve runs the stand's node on a loopback port, as `stend serve` does,
// until the test ends, and returns its address.
func serve(t *testing.T, s *stendtest.Stand) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Node.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return ln.Addr().String()
}

// A client that sends its body a byte at a time is disconnected once it
// falls behind the least pace, before it has sent it all, and clients
// after it are served though the slow ones filled every connection slot.
func TestSlowBodiesAreCutOffAndFreshClientsStillServed(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		const maxConnections = 4
		addr := serveOnLoopback(t, databaseURL, func(c *server.Config) {
			c.MaxConnections = maxConnections
			c.BodyGrace = 300 * time.Millisecond
			c.MinBodyRate = 1024
		})
		const bodyLen = 1000
		type outcome struct {
			sent int64
			err  error
		}
		results := make(chan outcome, maxConnections)
		for range maxConnections {
			go func() {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					results <- outcome{err: err}
					return
				}
				defer conn.Close()
				// The token is in the body: the FSSP API must read it.
				fmt.Fprintf(conn, "POST /api/v1.0/search/group HTTP/1.1\r\nHost: stend\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", bodyLen)
				var sent atomic.Int64
				closed := make(chan struct{})
				go func() {
					defer close(closed)
					_, _ = io.Copy(io.Discard, conn) // until the server closes
				}()
				tick := time.NewTicker(50 * time.Millisecond)
				defer tick.Stop()
				safety := time.After(30 * time.Second)
				for sent.Load() < bodyLen {
					select {
					case <-closed:
						results <- outcome{sent: sent.Load()}
						return
					case <-safety:
						results <- outcome{sent: sent.Load(), err: fmt.Errorf("still connected after 30 s")}
						return
					case <-tick.C:
						if _, err := conn.Write([]byte(" ")); err != nil {
							results <- outcome{sent: sent.Load()}
							return
						}
						sent.Add(1)
					}
				}
				results <- outcome{sent: sent.Load(), err: fmt.Errorf("the whole slow body was taken")}
			}()
		}
		for range maxConnections {
			o := <-results
			if o.err != nil {
				t.Fatalf("slow client (sent %d bytes): %v", o.sent, o.err)
			}
		}
		client := &http.Client{Timeout: 30 * time.Second}
		resp, err := client.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("a fresh client after the slow ones: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("a fresh client after the slow ones: %d", resp.StatusCode)
		}
	})
}

// Every API whose credentials are in headers checks them before it reads
// a body: a wrong one is answered at once, without waiting for a body that
// may never come. The FSSP API cannot (its token may be in the body, which
// wins over the query string: docs/fssp.md); its bodies are held to the
// pace of TestSlowBodiesAreCutOffAndFreshClientsStillServed.
func TestWrongCredentialsAreAnsweredBeforeTheBody(t *testing.T) {
	t.Parallel()
	stendtest.ForEachDatabase(t, func(t *testing.T, databaseURL string) {
		// Only the credentials can answer early.
		addr := serveOnLoopback(t, databaseURL, func(c *server.Config) { c.BodyGrace = time.Hour })
		for _, c := range []struct{ name, target, header string }{
			{"migrant exam", "/Reports/Report", "Authorization: Basic bm9ib2R5OndoYXRldmVy\r\nx-api-key: nobodys\r\n"},
			{"motivity", "/public/api/v1/points", "X-Auth-Token: nobodys\r\n"},
			{"reestro", "/realty/assessment/v1/checks", "Authorization: ReestroAuth apiKey=nobodys&portal.orgid=1269f58a-3d40-42e1-91ad-a4251566419c\r\n"},
			{"operator", "/operator/v1/fssp/tokens", "Authorization: Bearer nobodys\r\n"},
		} {
			t.Run(c.name, func(t *testing.T) {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: stend\r\n%sContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", c.target, c.header)
				_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
				resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
				if err != nil {
					t.Fatalf("no answer before the body: %v", err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("status %d", resp.StatusCode)
				}
			})
		}
	})
}
