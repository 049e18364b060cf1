package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// paceBodies makes a request body arrive at a least pace: its first bytes
// within grace, then on average minRate bytes a second from the start.
// Without it a client sending a byte every few seconds holds a connection
// and a goroutine for as long as it likes, and a few thousand of them hold
// the node. The deadline is the connection's, moved on as bytes arrive, so
// an upload of any size that keeps the pace is never cut: it extends its
// own deadline. Once the body is read the deadline is lifted, so that a
// slow handler is not mistaken for a gone client.
func paceBodies(grace time.Duration, minRate int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		start := time.Now()
		if err := rc.SetReadDeadline(start.Add(grace)); err != nil {
			// Not a connection of net/http's (a test's recorder): no
			// client to pace.
			next.ServeHTTP(w, r)
			return
		}
		body := &pacedBody{ReadCloser: r.Body, rc: rc, start: start, grace: grace, minRate: minRate}
		r.Body = body
		next.ServeHTTP(w, r)
		body.handlerDone()
	})
}

type pacedBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	start   time.Time
	grace   time.Duration
	minRate int64

	mu       sync.Mutex
	received int64
	ended    bool
}

func (b *pacedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.received += int64(n)
	switch {
	case b.ended:
	case errors.Is(err, io.EOF):
		b.ended = true
		_ = b.rc.SetReadDeadline(time.Time{})
	case n > 0:
		// In float seconds: bytes × 1e9 overflows int64 past 9 GB.
		owed := time.Duration(float64(b.received) / float64(b.minRate) * float64(time.Second))
		_ = b.rc.SetReadDeadline(b.start.Add(b.grace + owed))
	}
	return n, err
}

// handlerDone stops the wait for a body the handler did not read (it
// answered without it: wrong credentials, too large). net/http would read
// the rest to keep the connection, before sending the answer; a client
// that never sends it would hold both. Past the deadline the server closes
// the connection after the answer instead.
func (b *pacedBody) handlerDone() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.ended {
		b.ended = true
		_ = b.rc.SetReadDeadline(time.Now())
	}
}

// limitConnections accepts at most max connections at once; more wait in
// the kernel's backlog until one closes, instead of taking file
// descriptors the database and the job runner need.
func limitConnections(ln net.Listener, max int) *limitedListener {
	return &limitedListener{Listener: ln, slots: make(chan struct{}, max), closed: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{}
	closed    chan struct{}
	closeOnce sync.Once
}

func (l *limitedListener) Accept() (net.Conn, error) {
	select {
	case l.slots <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: sync.OnceFunc(func() { <-l.slots })}, nil
}

// sharing is ln under the same cap as l: the node's connections count
// those of every listener.
func (l *limitedListener) sharing(ln net.Listener) *limitedListener {
	return &limitedListener{Listener: ln, slots: l.slots, closed: make(chan struct{})}
}

func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release()
	return err
}
