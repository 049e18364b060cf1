package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// The lean client reads what net/http's server writes: bodies by length
// and in chunks, several answers on one connection, and a connection the
// server closes.
func TestLeanConnReadsWhatTheServerWrites(t *testing.T) {
	var dials atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/api/v1.0/small":
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, r.Method+" "+r.URL.RawQuery+" "+string(body))
		case "/api/v1.0/chunked":
			w.Write([]byte(strings.Repeat("a", 5000)))
			w.(http.Flusher).Flush()
			w.Write([]byte(strings.Repeat("b", 3000)))
		case "/api/v1.0/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	l, err := newLeanConn(srv.URL + "/api/v1.0/")
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	for range 2 {
		code, b, err := l.roundTrip("GET", "small?a=1", "")
		if err != nil || code != http.StatusTeapot || string(b) != "GET a=1 " {
			t.Fatalf("GET: %d %q %v", code, b, err)
		}
	}
	code, b, err := l.roundTrip("POST", "small", `{"x":1}`)
	if err != nil || code != http.StatusTeapot || string(b) != `POST  {"x":1}` {
		t.Fatalf("POST: %d %q %v", code, b, err)
	}
	code, b, err = l.roundTrip("GET", "chunked", "")
	if err != nil || code != http.StatusOK || string(b) != strings.Repeat("a", 5000)+strings.Repeat("b", 3000) {
		t.Fatalf("chunked: %d %d bytes %v", code, len(b), err)
	}
	if dials.Load() != 1 {
		t.Fatalf("%d connections for four answers, want one kept alive", dials.Load())
	}
	if _, b, err = l.roundTrip("GET", "close", ""); err != nil || string(b) != "bye" || l.conn != nil {
		t.Fatalf("close: %q %v, connection kept: %v", b, err, l.conn != nil)
	}
	if _, _, err = l.roundTrip("GET", "small", ""); err != nil || dials.Load() != 2 {
		t.Fatalf("after a close: %v, %d connections", err, dials.Load())
	}
}
