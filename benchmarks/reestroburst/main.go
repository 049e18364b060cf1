// Command reestroburst measures how Reestro checks keep up with their
// creation on a running stend: a burst (n checks created within one
// second, then the time until none is Processing) and a steady rate (r
// checks a second for a while, the Processing backlog sampled each
// second). Each check really searches the FSSP bank through the node's
// FSSP API. See docs/benchmarks.md; run.sh starts a stand and runs both.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type client struct {
	base, auth string
	http       *http.Client
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "stend base URL")
	key := flag.String("key", "0b8e5f4c-6a1d-4f2e-9c3b-7d2a1e5f8c40", "Reestro apiKey (the demo seed's)")
	org := flag.String("org", "1269f58a-3d40-42e1-91ad-a4251566419c", "portal.orgid (the demo seed's)")
	burst := flag.Int("burst", 1000, "checks created within one second (0: no burst)")
	rate := flag.Int("rate", 100, "checks a second of the steady phase (0: none)")
	steady := flag.Duration("steady", time.Minute, "length of the steady phase")
	regions := flag.String("regions", "77", "regions of every check, comma-separated")
	limit := flag.Duration("limit", 5*time.Minute, "give up waiting for Processing checks after this")
	flag.Parse()
	c := &client{
		base: strings.TrimRight(*base, "/") + "/realty/assessment/v1/",
		auth: "ReestroAuth apiKey=" + *key + "&portal.orgid=" + *org,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: time.Minute},
	}
	var subject struct{ SubjectID string }
	if err := c.post("subjects", `{"person":{"surname":"Иванов","name":"Сергей","patronymic":"Петрович","birthDate":"1982-06-09"}}`, &subject); err != nil {
		fail(err)
	}
	quoted := `"` + strings.Join(strings.Split(*regions, ","), `","`) + `"`
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	body := func(phase string) string {
		return `{"fssp":{"subjectId":"` + subject.SubjectID + `","regions":[` + quoted + `]},"correlationId":"` + phase + `-` + run + `"}`
	}
	if *burst > 0 {
		phase := "burst-" + run
		start := time.Now()
		created := c.createAt(*burst, time.Second, body("burst"))
		fmt.Printf("burst: %d checks created in %v\n", created, time.Since(start).Round(time.Millisecond))
		done := c.drain(phase, start, *limit, func(t time.Duration, processing int) {
			fmt.Printf("  t=%5.1fs processing=%d\n", t.Seconds(), processing)
		})
		fmt.Printf("burst: all %d left Processing %v after the first was created; failed: %d\n", created, done.Round(10*time.Millisecond), c.count(phase, "Failed"))
	}
	if *rate > 0 {
		phase := "steady-" + run
		n := int(steady.Seconds() * float64(*rate))
		start := time.Now()
		stop := make(chan struct{})
		var peak atomic.Int64
		go func() {
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					p := c.count(phase, "Processing")
					if int64(p) > peak.Load() {
						peak.Store(int64(p))
					}
					fmt.Printf("  t=%5.1fs processing=%d\n", time.Since(start).Seconds(), p)
				}
			}
		}()
		created := c.createAt(n, *steady, body("steady"))
		close(stop)
		ended := time.Now()
		backlog := c.count(phase, "Processing")
		done := c.drain(phase, ended, *limit, nil)
		fmt.Printf("steady: %d checks at %d/s over %v; peak backlog %d, backlog at the end %d, drained %v after the last; failed: %d\n",
			created, *rate, steady.Round(time.Second), peak.Load(), backlog, done.Round(10*time.Millisecond), c.count(phase, "Failed"))
	}
}

// createAt creates n checks spread evenly over span, each at its moment,
// from as many goroutines as it takes; it returns how many were created.
func (c *client) createAt(n int, span time.Duration, body string) int {
	var created atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	sem := make(chan struct{}, 256)
	for i := range n {
		at := start.Add(span * time.Duration(i) / time.Duration(n))
		time.Sleep(time.Until(at))
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := c.post("checks", body, nil); err != nil {
				fmt.Fprintln(os.Stderr, "create:", err)
				return
			}
			created.Add(1)
		}()
	}
	wg.Wait()
	return int(created.Load())
}

// drain waits until none of the phase's checks is Processing and returns
// how long after from that was.
func (c *client) drain(phase string, from time.Time, limit time.Duration, sample func(time.Duration, int)) time.Duration {
	for {
		p := c.count(phase, "Processing")
		if sample != nil {
			sample(time.Since(from), p)
		}
		if p == 0 {
			return time.Since(from)
		}
		if time.Since(from) > limit {
			fail(fmt.Errorf("%d checks still Processing after %v", p, limit))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// count walks the listing of the phase's checks in a state.
func (c *client) count(phase, state string) int {
	n, after := 0, ""
	for {
		q := url.Values{"correlationId": {phase}, "state": {state}, "count": {"30"}}
		if after != "" {
			q.Set("afterCheckId", after)
		}
		var page struct {
			Items       []json.RawMessage `json:"items"`
			LastCheckID *string           `json:"lastCheckId"`
		}
		if err := c.get("checks?"+q.Encode(), &page); err != nil {
			fail(err)
		}
		n += len(page.Items)
		if page.LastCheckID == nil || len(page.Items) < 30 {
			return n
		}
		after = *page.LastCheckID
	}
}

func (c *client) post(path, body string, out any) error {
	req, _ := http.NewRequest(http.MethodPost, c.base+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, out)
}

func (c *client) get(path string, out any) error {
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req, out)
}

func (c *client) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", c.auth)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "reestroburst:", err)
	os.Exit(1)
}
