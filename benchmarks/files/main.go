// Command files uploads many small files at once to a stand's Motivity
// files API and reports files a second and latency percentiles: the
// "64 concurrent 1 MB uploads" figure of docs/motivity.md, "Files".
//
//	go run ./benchmarks/files -url http://127.0.0.1:18080 -token T -c 64 -n 2048 -size 1048576
package main

import (
	"bytes"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18080", "the stand")
	token := flag.String("token", "", "X-Auth-Token")
	clients := flag.Int("c", 64, "uploads at once")
	count := flag.Int("n", 2048, "uploads in all")
	size := flag.Int("size", 1<<20, "bytes of each file")
	flag.Parse()
	content := make([]byte, *size)
	_, _ = rand.Read(content)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "отчёт.pdf")
	_, _ = w.Write(content)
	_ = mw.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	var next atomic.Int64
	latencies := make([]time.Duration, *count)
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range *clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(*count) {
					return
				}
				req, _ := http.NewRequest("POST", *base+"/public/api/v1/file/upload", bytes.NewReader(body.Bytes()))
				req.Header.Set("X-Auth-Token", *token)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				latencies[i] = time.Since(t)
				if err != nil {
					failed.Add(1)
					log.Print(err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		return latencies[int(p*float64(len(latencies)-1))].Round(time.Millisecond)
	}
	fmt.Printf("%d uploads of %d bytes, %d at once: %.0f files/s, p50 %v, p99 %v, max %v, %d failed\n",
		*count, *size, *clients, float64(*count)/elapsed.Seconds(), pct(0.5), pct(0.99), latencies[len(latencies)-1].Round(time.Millisecond), failed.Load())
}
