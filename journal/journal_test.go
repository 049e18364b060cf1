package journal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMasking(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Basic b3JnOnNlY3JldA==")
	h.Set("X-Api-Key", "k")
	h.Set("X-Auth-Token", "t")
	h.Set("Cookie", "c")
	h.Set("Accept", "application/json")
	got := maskHeaders(h)
	for _, want := range []string{`"Authorization":["Basic ***"]`, `"X-Api-Key":["***"]`, `"X-Auth-Token":["***"]`, `"Cookie":["***"]`, `"Accept":["application/json"]`} {
		if !strings.Contains(got, want) {
			t.Errorf("headers %s lack %s", got, want)
		}
	}
	h.Set("Authorization", "ReestroAuth apiKey=secret&portal.orgid=org-1")
	if got := maskHeaders(h); !strings.Contains(got, `ReestroAuth apiKey=***\u0026portal.orgid=org-1`) {
		t.Errorf("ReestroAuth: %s", got)
	}
	h.Set("Authorization", "ReestroAuth portal.orgId=org-1&APIKEY=secret")
	if got := maskHeaders(h); strings.Contains(got, "secret") {
		t.Errorf("ReestroAuth, other order and case: %s", got)
	}
	for raw, want := range map[string]string{
		"token=s&region=66":  "region=66&token=%2A%2A%2A",
		"region=66&Token=s":  "Token=%2A%2A%2A&region=66",
		"region=66":          "region=66",
		"token=%zz&region=1": "token=***&region=1",
	} {
		if got := maskQuery(raw); got != want {
			t.Errorf("query %q: %q, want %q", raw, got, want)
		}
	}
	for body, want := range map[string]string{
		`{"token":"s","request":[]}`:      `{"token":"***","request":[]}`,
		`{ "token" : "s\"x" }`:            `{ "token" : "***" }`,
		`{"token":12345}`:                 `{"token":"***"}`,
		`{"request":[],"TOKEN":"s"}`:      `{"request":[],"TOKEN":"***"}`,
		`{"name":"tokenish","region":66}`: `{"name":"tokenish","region":66}`,
	} {
		if got := string(maskBody([]byte(body))); got != want {
			t.Errorf("body %s: %s, want %s", body, got, want)
		}
	}
	for body, want := range map[string]string{
		"region=66&token=s":   "region=66&token=***",
		"\ntoken=s&region=66": "\ntoken=***&region=66",
		` {"token":"s"}`:      ` {"token":"***"}`, // JSON whatever its Content-Type said
	} {
		if got := string(maskBody([]byte(body))); got != want {
			t.Errorf("body %q: %q, want %q", body, got, want)
		}
	}
	for v, want := range map[string]string{
		"SECRET":                               "***",
		"Basic\tb3Jn":                          "***",
		"Token abc":                            "***",
		"bearer xyz":                           "bearer ***",
		"ReestroAuth apiKey= S&portal.orgid=o": "ReestroAuth apiKey=***&portal.orgid=o",
	} {
		if got := maskAuthorization(v); got != want {
			t.Errorf("Authorization %q: %q, want %q", v, got, want)
		}
	}
	// A secret the API read is scrubbed in every encoding it may have
	// travelled in; a short one is left alone.
	secrets := scrubbable([]string{"s3cret/+&\"q", "ab"})
	for in, want := range map[string]string{
		"token=s3cret%2F%2B%26%22q&x=ab": "token=***&x=ab",
		`{"token":"s3cret/+&\"q"}`:       `{"token":"***"}`,
		"--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\ns3cret/+&\"q\r\n": "--b\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n***\r\n",
	} {
		if got := scrub(in, secrets); got != want {
			t.Errorf("scrub %q: %q, want %q", in, got, want)
		}
	}
	if got := storable("/a\xff\x00b"); got != "/a\uFFFDb" {
		t.Errorf("storable: %q", got)
	}
}

func TestRefusalReasons(t *testing.T) {
	for answer, want := range map[string]string{
		`{"status":"error","code":401,"exception":"Токен не найден","response":[]}`:                                  "Токен не найден",
		`{"error":"Площадка не предоставлена"}`:                                                                      "Площадка не предоставлена",
		`{"type":"x","title":"One or more validation errors occurred.","status":400,"errors":{"B":["b"],"A":["a"]}}`: "A: a",
		`{"result":false,"errors":[{"message":"User not found","cause":"authorId"}]}`:                                "User not found (authorId)",
		`{"result":false,"message":"Invalid public API token"}`:                                                      "Invalid public API token",
		`{"code":"WrongFieldValue","message":"count","target":"count"}`:                                              "count",
		`[1,2]`: "",
	} {
		if got := refusal([]byte(answer)); got != want {
			t.Errorf("%s: %q, want %q", answer, got, want)
		}
	}
}

// memory is a Store in memory that can hold its appends.
type memory struct {
	Store
	mu      sync.Mutex
	entries []Entry
	hold    chan struct{}
	batches chan int // each append's size, when set
}

func (m *memory) AppendJournal(_ context.Context, es []Entry) error {
	if m.hold != nil {
		<-m.hold
	}
	m.mu.Lock()
	m.entries = append(m.entries, es...)
	m.mu.Unlock()
	if m.batches != nil {
		m.batches <- len(es)
	}
	return nil
}

func (m *memory) PruneJournal(context.Context, int64) error { return nil }

// Flush answers once every entry added before it is written, and Close
// writes what is queued.
func TestWriterFlushAndClose(t *testing.T) {
	m := &memory{}
	w := NewWriter(m, 10, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i := range 1000 {
		w.Add(Entry{ID: int64(i)})
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	n := len(m.entries)
	m.mu.Unlock()
	if n != 1000 {
		t.Fatalf("%d entries written before Flush answered, want 1000", n)
	}
	w.Add(Entry{ID: 1000})
	w.Close()
	if len(m.entries) != 1001 || w.Dropped() != 0 {
		t.Fatalf("after Close: %d written, %d dropped", len(m.entries), w.Dropped())
	}
}

// A store that does not keep up makes the queue drop entries, counted,
// rather than hold requests.
func TestWriterDropsRatherThanBlocks(t *testing.T) {
	m := &memory{hold: make(chan struct{})}
	w := NewWriter(m, 10, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i := range queueSize + maxBatch + 100 {
		w.Add(Entry{ID: int64(i)})
	}
	if w.Dropped() == 0 {
		t.Fatal("nothing dropped with the store stuck")
	}
	close(m.hold)
	w.Close()
}

// Flush waits for the requests in flight to queue their entries, but not
// for the request that calls it.
func TestFlushWaitsForRequestsInFlight(t *testing.T) {
	m := &memory{}
	w := NewWriter(m, 10, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer w.Close()
	_, end := w.begin()
	own, endOwn := w.begin()
	defer endOwn()
	ctx := context.WithValue(context.Background(), requestKey{}, own)
	flushed := make(chan error, 1)
	go func() { flushed <- w.Flush(ctx) }()
	select {
	case <-flushed:
		t.Fatal("Flush answered with a request in flight")
	case <-time.After(50 * time.Millisecond):
	}
	w.Add(Entry{ID: 1})
	end()
	if err := <-flushed; err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.entries) != 1 {
		t.Fatalf("%d entries written when Flush answered", len(m.entries))
	}
}

// A batch waits for more entries, up to its bound, unless a flush waits
// for it.
func TestWriterLingersForABatch(t *testing.T) {
	m := &memory{batches: make(chan int, 16)}
	w := newWriter(m, 0, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer w.Close()
	w.Add(Entry{ID: 1})
	w.Add(Entry{ID: 2})
	select {
	case n := <-m.batches:
		t.Fatalf("a batch of %d written within the linger", n)
	case <-time.After(50 * time.Millisecond):
	}
	if err := w.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := <-m.batches; n != 2 {
		t.Fatalf("flushed in a batch of %d, want both entries", n)
	}
	for i := range maxBatch {
		w.Add(Entry{ID: int64(3 + i)})
	}
	select {
	case n := <-m.batches:
		if n != maxBatch {
			t.Fatalf("a full batch written as %d", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a full batch waited for the linger")
	}
}
