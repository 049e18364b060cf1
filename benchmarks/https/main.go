// Command https measures what HTTPS costs next to plain HTTP on a running
// stend serving both (--addr and --tls-addr): FSSP /status of one task,
// over kept-alive connections and over a new connection a request (a TLS
// handshake each), in rounds that alternate the four, so that the
// machine's neighbours weigh on each alike. See docs/benchmarks.md and
// run.sh.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	httpBase := flag.String("http", "http://127.0.0.1:18095", "the stand over HTTP")
	httpsBase := flag.String("https", "https://localhost:18096", "the same stand over HTTPS")
	caFile := flag.String("ca", "stend-ca.pem", "the stand's CA (stend tls ca)")
	task := flag.String("task", "", "an FSSP task of the token demo-fssp-token")
	rounds := flag.Int("rounds", 3, "rounds of the four measurements")
	clients := flag.Int("clients", 8, "clients at once")
	flag.Parse()
	pemCA, err := os.ReadFile(*caFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemCA) {
		fmt.Fprintln(os.Stderr, "no certificate in", *caFile)
		os.Exit(1)
	}
	path := "/api/v1.0/status?token=demo-fssp-token&task=" + *task
	trust := &tls.Config{RootCAs: roots}
	kinds := []struct {
		name     string
		url      string
		client   *http.Client
		requests int
	}{
		{"http, kept alive", *httpBase + path, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}, 8000},
		{"https, kept alive", *httpsBase + path, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients, TLSClientConfig: trust}}, 8000},
		{"http, a connection each", *httpBase + path, &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, 2000},
		{"https, a handshake each", *httpsBase + path, &http.Client{Transport: &http.Transport{DisableKeepAlives: true, TLSClientConfig: trust}}, 2000},
	}
	for r := range *rounds {
		fmt.Println("round", r+1)
		for _, k := range kinds {
			measure(k.name, k.client, k.url, k.requests, *clients)
		}
	}
}

// measure sends n requests from clients goroutines and prints the rate and
// latency percentiles.
func measure(name string, c *http.Client, url string, n, clients int) {
	var mu sync.Mutex
	lat := make([]time.Duration, 0, n)
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Go(func() {
			for range n / clients {
				t := time.Now()
				resp, err := c.Get(url)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					fmt.Fprintln(os.Stderr, name, resp.Status)
					os.Exit(1)
				}
				mu.Lock()
				lat = append(lat, time.Since(t))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	fmt.Printf("  %-26s %7.0f req/s  p50 %-9v p99 %v\n", name, float64(len(lat))/elapsed.Seconds(),
		lat[len(lat)/2].Round(time.Microsecond), lat[len(lat)*99/100].Round(time.Microsecond))
}
