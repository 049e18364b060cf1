package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
)

// leanConn is one keep-alive HTTP/1.1 connection that its client's own
// goroutine writes and reads. net/http's client hands every request
// between three goroutines (the caller, the connection's writer and its
// reader), and on a two-core machine that the client shares with the
// server and the database, that hand-off's CPU is taken from what is
// measured. It speaks only what stend answers: a status line, headers,
// then a body by Content-Length or in chunks.
type leanConn struct {
	host, prefix string
	conn         net.Conn
	r            *bufio.Reader
	w            *bufio.Writer
	req          []byte
}

// newLeanConn parses base ("http://host:port/api/v1.0/"); it dials on the
// first request.
func newLeanConn(base string) (*leanConn, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("the lean client speaks plain HTTP, not %s", u.Scheme)
	}
	return &leanConn{host: u.Host, prefix: u.Path}, nil
}

// roundTrip sends one request and returns the answer's status code and
// body. An error closes the connection; the next request dials again. A
// request is not retried on a connection the server closed while idle, as
// net/http's client would: the server keeps one for two minutes, and the
// load never leaves one idle that long.
func (l *leanConn) roundTrip(method, pathAndQuery, body string) (int, []byte, error) {
	if l.conn == nil {
		c, err := net.Dial("tcp", l.host)
		if err != nil {
			return 0, nil, err
		}
		l.conn, l.r, l.w = c, bufio.NewReaderSize(c, 16<<10), bufio.NewWriterSize(c, 16<<10)
	}
	code, b, keep, err := l.exchange(method, pathAndQuery, body)
	if err != nil || !keep {
		l.conn.Close()
		l.conn = nil
	}
	return code, b, err
}

func (l *leanConn) exchange(method, pathAndQuery, body string) (code int, b []byte, keep bool, err error) {
	req := append(l.req[:0], method...)
	req = append(req, ' ')
	req = append(req, l.prefix...)
	req = append(req, pathAndQuery...)
	req = append(req, " HTTP/1.1\r\nHost: "...)
	req = append(req, l.host...)
	req = append(req, "\r\n"...)
	if method == "POST" {
		req = append(req, "Content-Type: application/json\r\nContent-Length: "...)
		req = strconv.AppendInt(req, int64(len(body)), 10)
		req = append(req, "\r\n"...)
	}
	req = append(req, "\r\n"...)
	l.req = req
	if _, err = l.w.Write(req); err == nil {
		_, err = l.w.WriteString(body)
	}
	if err == nil {
		err = l.w.Flush()
	}
	if err != nil {
		return 0, nil, false, err
	}

	line, err := l.r.ReadSlice('\n')
	if err != nil {
		return 0, nil, false, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, nil, false, fmt.Errorf("status line %q", line)
	}
	if code, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, nil, false, fmt.Errorf("status line %q", line)
	}
	length, chunked, keep := -1, false, true
	for {
		h, err := l.r.ReadSlice('\n')
		if err != nil {
			return 0, nil, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return 0, nil, false, fmt.Errorf("header %q", h)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil || length < 0 {
				return 0, nil, false, fmt.Errorf("header %q", h)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		b, err = l.readChunks()
	case length >= 0:
		b = make([]byte, length)
		_, err = io.ReadFull(l.r, b)
	default:
		return 0, nil, false, errors.New("an answer with neither a length nor chunks")
	}
	if err != nil {
		return 0, nil, false, err
	}
	return code, b, keep, nil
}

func (l *leanConn) readChunks() ([]byte, error) {
	var b []byte
	for {
		line, err := l.r.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.ParseInt(string(bytes.TrimRight(line, "\r\n")), 16, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("chunk size %q", line)
		}
		if size == 0 {
			// Trailers, if any, end with an empty line.
			for {
				t, err := l.r.ReadSlice('\n')
				if err != nil {
					return nil, err
				}
				if len(bytes.TrimRight(t, "\r\n")) == 0 {
					return b, nil
				}
			}
		}
		n := len(b)
		b = append(b, make([]byte, size)...)
		if _, err := io.ReadFull(l.r, b[n:]); err != nil {
			return nil, err
		}
		if crlf, err := l.r.ReadSlice('\n'); err != nil || string(crlf) != "\r\n" {
			return nil, fmt.Errorf("a chunk not ended by CRLF: %q (%v)", crlf, err)
		}
	}
}

func (l *leanConn) close() {
	if l.conn != nil {
		l.conn.Close()
		l.conn = nil
	}
}
