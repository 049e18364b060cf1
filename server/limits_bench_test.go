package server

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// BenchmarkBodyPace measures what pacing costs a request with a body over
// loopback, against the same server without it: a 1 KiB JSON body and a
// 1 MiB one.
func BenchmarkBodyPace(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		body := bytes.Repeat([]byte("x"), size)
		for _, paced := range []bool{false, true} {
			name := map[bool]string{false: "plain", true: "paced"}[paced]
			b.Run(name+"/"+map[int]string{1 << 10: "1KiB", 1 << 20: "1MiB"}[size], func(b *testing.B) {
				var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					w.WriteHeader(http.StatusNoContent)
				})
				if paced {
					h = paceBodies(10*time.Second, 1024, h)
				}
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					b.Fatal(err)
				}
				srv := &http.Server{Handler: h}
				go srv.Serve(ln)
				defer srv.Close()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
				url := "http://" + ln.Addr().String() + "/"
				b.SetBytes(int64(size))
				b.ResetTimer()
				for b.Loop() {
					resp, err := client.Post(url, "application/json", bytes.NewReader(body))
					if err != nil {
						b.Fatal(err)
					}
					resp.Body.Close()
				}
			})
		}
	}
}
