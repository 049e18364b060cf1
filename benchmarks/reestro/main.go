// Command reestro measures the Reestro checks listing of a running stend
// over HTTP, as a client sees it: page 1 and a deep page (100,000 by
// default) of each filter set, one client at a time for latency, then many
// clients at once for pages per second. The deep page is reached the way a
// client reaches it, by walking afterCheckId from page 1, which also gives
// the pages per second of one sequential client. See docs/benchmarks.md;
// run.sh drives it on a generated history (`stend reestro generate`).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type scenario struct {
	name  string
	query url.Values
	// deep: the filter selects enough checks to have the deep page.
	deep bool
	// cursor is the afterCheckId of the deep page, found by walking.
	cursor string
}

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "stend base URL")
	key := flag.String("key", "", "Reestro apiKey")
	org := flag.String("org", "", "portal.orgid")
	depth := flag.Int("depth", 100_000, "the deep page's number")
	duration := flag.Duration("duration", 5*time.Second, "length of each latency measurement")
	clients := flag.Int("clients", 16, "concurrent clients of the throughput measurement (0: none)")
	pathsOut := flag.String("paths-out", "", "write the request paths of page 1 and the deep page of each filter set here, for wrk (pages.lua)")
	flag.Parse()
	c := &client{
		base: strings.TrimRight(*base, "/") + "/realty/assessment/v1/checks",
		auth: "ReestroAuth apiKey=" + *key + "&portal.orgid=" + *org,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
	}
	first, err := c.page(url.Values{}, "")
	if err != nil || len(first.Items) == 0 {
		fail(fmt.Errorf("page 1: %v (%d items)", err, len(first.Items)))
	}
	newest, _ := time.Parse(time.RFC3339Nano, first.Items[0].CreationDate)
	subject := first.Items[0].Fssp.SubjectID
	day := 24 * time.Hour
	scenarios := []*scenario{
		{name: "no filter", query: url.Values{}, deep: true},
		{name: "state=Processed", query: url.Values{"state": {"Processed"}}, deep: true},
		{name: "type=Fssp", query: url.Values{"type": {"Fssp"}}, deep: true},
		{name: "correlationId", query: url.Values{"correlationId": {"portfolio-0"}}, deep: true},
		{name: "from+to", query: url.Values{
			"from": {newest.Add(-330 * day).Format(time.RFC3339)}, "to": {newest.Add(-time.Hour).Format(time.RFC3339)}}, deep: true},
		{name: "correlationId+state+type", query: url.Values{"correlationId": {"portfolio-1"}, "state": {"Processed"}, "type": {"Fssp"}}, deep: true},
		{name: "subjectId", query: url.Values{"subjectId": {subject}}},
		{name: "externalId", query: url.Values{"externalId": {"deal-0000000005"}}},
		{name: "state=Failed (4%)", query: url.Values{"state": {"Failed"}}},
	}
	fmt.Printf("walking to page %d with afterCheckId (one client, count=30)\n", *depth)
	fmt.Printf("%-28s %10s %12s\n", "filter", "pages/s", "checks seen")
	for _, s := range scenarios {
		if !s.deep {
			continue
		}
		start := time.Now()
		cursor := ""
		for range *depth - 1 {
			p, err := c.page(s.query, cursor)
			if err != nil {
				fail(fmt.Errorf("%s: %w", s.name, err))
			}
			if p.LastCheckID == "" {
				fail(fmt.Errorf("%s: the listing ended before page %d", s.name, *depth))
			}
			cursor = p.LastCheckID
		}
		s.cursor = cursor
		el := time.Since(start)
		fmt.Printf("%-28s %10.0f %12d\n", s.name, float64(*depth-1)/el.Seconds(), (*depth-1)*30)
	}

	fmt.Printf("\nlatency, one client, %s each (ms)\n", *duration)
	fmt.Printf("%-28s %-12s %8s %8s %8s %8s %8s\n", "filter", "page", "pages", "p50", "p90", "p99", "max")
	for _, s := range scenarios {
		pages := []struct {
			name, cursor string
		}{{"1", ""}}
		if s.deep {
			pages = append(pages, struct{ name, cursor string }{fmt.Sprint(*depth), s.cursor})
		}
		for _, pg := range pages {
			lat := c.load(1, *duration, func(int) (url.Values, string) { return s.query, pg.cursor })
			report(s.name, pg.name, lat)
		}
	}

	if *pathsOut != "" {
		var b strings.Builder
		for _, s := range scenarios {
			if !s.deep {
				continue
			}
			for _, cursor := range []string{"", s.cursor} {
				q := s.query
				if cursor != "" {
					q = cloneWith(q, "afterCheckId", cursor)
				}
				fmt.Fprintf(&b, "/realty/assessment/v1/checks?%s\n", q.Encode())
			}
		}
		if err := os.WriteFile(*pathsOut, []byte(b.String()), 0o644); err != nil {
			fail(err)
		}
	}
	if *clients == 0 {
		return
	}
	fmt.Printf("\nthroughput, %d clients, %s, page 1 and page %d of every deep filter in turn\n", *clients, 2**duration, *depth)
	var mix []struct {
		q      url.Values
		cursor string
	}
	for _, s := range scenarios {
		if s.deep {
			mix = append(mix, struct {
				q      url.Values
				cursor string
			}{s.query, ""}, struct {
				q      url.Values
				cursor string
			}{s.query, s.cursor})
		}
	}
	lat := c.load(*clients, 2**duration, func(i int) (url.Values, string) { m := mix[i%len(mix)]; return m.q, m.cursor })
	fmt.Printf("pages/s %.0f over %d pages\n", float64(len(lat))/(2**duration).Seconds(), len(lat))
	report("mixed", "1 and deep", lat)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

type client struct {
	base, auth string
	http       *http.Client
}

type listing struct {
	Items []struct {
		CheckID      string `json:"checkId"`
		CreationDate string `json:"creationDate"`
		Fssp         struct {
			SubjectID string `json:"subjectId"`
		} `json:"fssp"`
	} `json:"items"`
	LastCheckID string `json:"lastCheckId"`
}

func (c *client) get(q url.Values, after string) (*http.Response, error) {
	if after != "" {
		q = cloneWith(q, "afterCheckId", after)
	}
	target := c.base
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", c.auth)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	return resp, nil
}

func (c *client) page(q url.Values, after string) (listing, error) {
	var l listing
	resp, err := c.get(q, after)
	if err != nil {
		return l, err
	}
	defer resp.Body.Close()
	return l, json.NewDecoder(resp.Body).Decode(&l)
}

func cloneWith(q url.Values, k, v string) url.Values {
	out := make(url.Values, len(q)+1)
	for key, vs := range q {
		out[key] = vs
	}
	out.Set(k, v)
	return out
}

// load runs n clients for d; each request reads the whole answer, as a
// client would. It returns every request's latency.
func (c *client) load(n int, d time.Duration, next func(i int) (url.Values, string)) []time.Duration {
	var mu sync.Mutex
	var all []time.Duration
	var seq atomic.Int64
	var failed atomic.Int64
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(stop) {
				q, after := next(int(seq.Add(1)))
				t := time.Now()
				resp, err := c.get(q, after)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		fail(fmt.Errorf("%d requests failed", f))
	}
	return all
}

func report(name, page string, lat []time.Duration) {
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	fmt.Printf("%-28s %-12s %8d %8.2f %8.2f %8.2f %8.2f\n", name, page, len(lat), pct(0.5), pct(0.9), pct(0.99), pct(1))
}
