// Command slowclients holds many connections to a running stend that send a
// request body one byte every few seconds, the way a slowloris client
// does, and reports over time how many the server still keeps open and how
// long a fresh client waits for /healthz meanwhile. See docs/benchmarks.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "stend address")
	conns := flag.Int("conns", 3000, "slow connections")
	every := flag.Duration("every", 3*time.Second, "pause between the bytes of a body")
	duration := flag.Duration("duration", 30*time.Second, "how long to watch")
	flag.Parse()
	var open, refused atomic.Int64
	for range *conns {
		c, err := net.Dial("tcp", *addr)
		if err != nil {
			refused.Add(1)
			continue
		}
		open.Add(1)
		go hold(c, *every, &open)
	}
	fmt.Printf("opened %d slow connections (%d refused)\n", open.Load(), refused.Load())
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	var waits []time.Duration
	for time.Since(start) < *duration {
		t := time.Now()
		resp, err := client.Get("http://" + *addr + "/healthz")
		wait := time.Since(t)
		status := "error: "
		if err == nil {
			status = resp.Status
			resp.Body.Close()
			waits = append(waits, wait)
		} else {
			status += err.Error()
		}
		fmt.Printf("t=%4.0fs still open %5d  fresh /healthz %s in %v\n", time.Since(start).Seconds(), open.Load(), status, wait.Round(time.Microsecond))
		time.Sleep(5 * time.Second)
	}
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	if len(waits) > 0 {
		fmt.Printf("fresh clients: median %v, max %v over %d\n", waits[len(waits)/2].Round(time.Microsecond), waits[len(waits)-1].Round(time.Microsecond), len(waits))
	}
	fmt.Printf("after %v: %d of the slow connections still open\n", *duration, open.Load())
	os.Exit(0)
}

// hold sends the headers of a 1,000-byte body, then a byte every pause,
// until the server closes the connection.
func hold(c net.Conn, pause time.Duration, open *atomic.Int64) {
	defer open.Add(-1)
	defer c.Close()
	fmt.Fprintf(c, "POST /api/v1.0/search/group HTTP/1.1\r\nHost: stend\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
	closed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, c)
		close(closed)
	}()
	t := time.NewTicker(pause)
	defer t.Stop()
	for range 1000 {
		select {
		case <-closed:
			return
		case <-t.C:
			if _, err := c.Write([]byte(" ")); err != nil {
				return
			}
		}
	}
}
