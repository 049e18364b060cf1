package server

import (
	"net"
	"testing"
	"time"
)

// More connections than the limit wait to be accepted until one closes.
func TestConnectionsBeyondTheLimitWaitForOneToClose(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitConnections(inner, 1)
	defer ln.Close()
	accepted := make(chan net.Conn, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for range 2 {
		c, err := net.Dial("tcp", inner.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
	}
	first := <-accepted
	select {
	case <-accepted:
		t.Fatal("a second connection was accepted while the first was open")
	case <-time.After(100 * time.Millisecond):
	}
	first.Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(30 * time.Second):
		t.Fatal("the second connection was not accepted after the first closed")
	}
}

// A listener closed while its accept waits for a slot returns.
func TestALimitedListenerClosesWhileFull(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitConnections(inner, 1)
	c, err := net.Dial("tcp", inner.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := ln.Accept(); err != nil {
		t.Fatal(err)
	}
	returned := make(chan error, 1)
	go func() { _, err := ln.Accept(); returned <- err }()
	ln.Close()
	select {
	case err := <-returned:
		if err == nil {
			t.Fatal("accepted after close")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Accept still waiting after Close")
	}
}
