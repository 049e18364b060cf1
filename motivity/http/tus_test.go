package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"stend/blob"
	"stend/blob/blobtest"
	motivityhttp "stend/motivity/http"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/storetest"
)

// tus sends a tus request through the router with the token; body may be
// any reader.
func (s *stand) tus(method, path string, body io.Reader, headers ...string) answer {
	s.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Tus-Resumable", "1.0.0")
	return s.serveWith(req, headers)
}

func tusMeta(pairs ...string) string {
	var out []string
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, pairs[i]+" "+base64.StdEncoding.EncodeToString([]byte(pairs[i+1])))
	}
	return "Upload-Metadata: " + strings.Join(out, ",")
}

// The tus extension: the same token, formats and sizes; a PATCH cut off
// keeps what arrived; the upload resumed from the offset HEAD reports
// becomes a file equal to the original byte for byte, addressed by the
// same ids as uploaded files.
func TestTusUpload(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		const create = motivityhttp.TusPrefix
		name := "Видео с субботника.mp4"
		if a := s.tus("POST", create, nil, "X-Auth-Token:", "Upload-Length: 10", tusMeta("filename", name)); a.status != 401 || a.body != messageAnswer("Invalid public API token") {
			t.Fatalf("no token: %d %s", a.status, a.body)
		}
		for _, c := range []struct {
			length, meta string
			status       int
			want         string
		}{
			{"10", tusMeta("filename", "a.exe"), 400, messageAnswer("File format not allowed")},
			{"10", tusMeta("filetype", "video/mp4"), 400, messageAnswer("File not transmitted. File required")},
			{"0", tusMeta("filename", "a.mp4"), 400, messageAnswer("File size not allowed")}, // malformed: the document allows 1 to 10 GB
			{fmt.Sprint(fileLimit + 1), tusMeta("filename", "a.mp4"), 413, ""},
		} {
			opts := []string{"Upload-Length: " + c.length, c.meta}
			if c.length == "0" {
				opts = append(opts, malformed)
			}
			a := s.tus("POST", create, nil, opts...)
			if a.status != c.status || c.want != "" && a.body != c.want {
				t.Fatalf("%s %s: %d %s", c.length, c.meta, a.status, a.body)
			}
		}
		s.nothingStored()

		data := blobtest.Random(fileLimit)
		a := s.tus("POST", create, nil, fmt.Sprintf("Upload-Length: %d", len(data)), tusMeta("filename", name, "filetype", "video/mp4"))
		loc, err := url.Parse(a.header.Get("Location"))
		if a.status != 201 || err != nil || !strings.HasPrefix(loc.Path, create) {
			t.Fatalf("create: %d %s %v", a.status, a.body, a.header)
		}
		patch := func(off int, body io.Reader) answer {
			return s.tus("PATCH", loc.Path, body, "Content-Type: application/offset+octet-stream", fmt.Sprintf("Upload-Offset: %d", off))
		}
		if a := patch(0, bytes.NewReader(data[:300_000])); a.status != 204 || a.header.Get("Upload-Offset") != "300000" {
			t.Fatalf("first patch: %d %s %v", a.status, a.body, a.header)
		}
		// The connection drops 200,000 bytes into the second PATCH: what
		// arrived is kept.
		patch(300_000, cutOff{bytes.NewReader(data[300_000:500_000])})
		head := s.tus("HEAD", loc.Path, nil)
		if head.status != 200 || head.header.Get("Upload-Offset") != "500000" || head.header.Get("Upload-Length") != fmt.Sprint(len(data)) {
			t.Fatalf("head after the cut: %d %v", head.status, head.header)
		}
		if a := patch(400_000, bytes.NewReader(data[400_000:])); a.status != 409 {
			t.Fatalf("a patch at the wrong offset: %d", a.status)
		}
		a = patch(500_000, bytes.NewReader(data[500_000:]))
		if a.status != 204 || a.header.Get(motivityhttp.FileIDHeader) != "1" {
			t.Fatalf("last patch: %d %s %v", a.status, a.body, a.header)
		}
		_, path := s.link(1)
		if d := s.fetch("GET", path); d.status != 200 || d.body != string(data) || d.header.Get("Content-Type") != "video/mp4" {
			t.Fatalf("download: %d, %d bytes", d.status, len(d.body))
		}
		f, err := s.store.Motivity().File(context.Background(), 1)
		sum := sha256.Sum256(data)
		if err != nil || f.Name != name || !bytes.Equal(f.SHA256, sum[:]) || f.DeclaredType != "video/mp4" {
			t.Fatalf("record: %+v %v", f, err)
		}
		// Only the file's blob and the finished upload's note are left.
		n := 0
		for info, err := range s.node.Blobs.List(context.Background(), "") {
			if err != nil || !strings.HasSuffix(info.Key, "/info") && info.Key != f.BlobKey {
				t.Fatalf("left: %+v %v", info, err)
			}
			n++
		}
		if n != 2 {
			t.Fatalf("%d blobs", n)
		}

		// An upload terminated before it finished leaves nothing.
		a = s.tus("POST", create, bytes.NewReader(data[:1000]), fmt.Sprintf("Upload-Length: %d", len(data)), tusMeta("filename", "b.pdf"),
			"Content-Type: application/offset+octet-stream")
		loc, _ = url.Parse(a.header.Get("Location"))
		if a.status != 201 || a.header.Get("Upload-Offset") != "1000" {
			t.Fatalf("creation with upload: %d %v", a.status, a.header)
		}
		if a := s.tus("DELETE", loc.Path, nil); a.status != 204 {
			t.Fatalf("terminate: %d %s", a.status, a.body)
		}
		if a := s.tus("HEAD", loc.Path, nil); a.status != 404 {
			t.Fatalf("terminated: %d", a.status)
		}
		for info, err := range s.node.Blobs.List(context.Background(), "tus/"+strings.TrimPrefix(loc.Path, create)) {
			t.Fatalf("left: %+v %v", info, err)
		}
		if a := s.tus("HEAD", create+"0123456789abcdef0123456789abcdef", nil); a.status != 404 {
			t.Fatalf("unknown upload: %d", a.status)
		}
	})
}

// segmentWriters counts, across nodes, the tus segments being written, and
// the most written at once.
type segmentWriters struct {
	mu        sync.Mutex
	now, most int
}

// countingBlobs is a node's blob store that counts the segments it writes.
type countingBlobs struct {
	blob.Store
	w *segmentWriters
}

func (c countingBlobs) Put(ctx context.Context, key string, r io.Reader) (blob.Info, error) {
	if strings.Contains(key, "/part-") {
		c.w.mu.Lock()
		c.w.now++
		c.w.most = max(c.w.most, c.w.now)
		c.w.mu.Unlock()
		defer func() {
			c.w.mu.Lock()
			c.w.now--
			c.w.mu.Unlock()
		}()
	}
	return c.Store.Put(ctx, key, r)
}

// twoTusNodes runs fn, on each store and each blob store, with two nodes
// over one database (each with its own handle, as two processes have) and
// one blob store, on one clock, counting the tus segments they write.
func twoTusNodes(t *testing.T, fn func(t *testing.T, a, b *stand, clock *stendtest.ManualClock, w *segmentWriters)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		for _, bo := range blobtest.Openers() {
			t.Run(bo.Name, func(t *testing.T) {
				t.Parallel()
				cfg := fileConfig(t, bo.Name)
				clock := stendtest.NewManualClock(today)
				first, reopen := storetest.Reopenable(t, o.Name)
				var sd operator.Seed
				sd.Motivity.Platform = &operator.SeedMotivityPlatform{PublicToken: token}
				w := &segmentWriters{}
				a, b := standOn(t, first, clock, sd, cfg), standOn(t, reopen(), clock, sd, cfg)
				for _, n := range []*stand{a, b} {
					n.node.Blobs = countingBlobs{n.node.Blobs, w}
					n.handler = stendtest.Checked(t, n.node.Handler())
					n.stand.Handler = n.handler
				}
				t.Cleanup(func() {
					for info, err := range a.node.Blobs.List(context.Background(), "") {
						if err == nil {
							_ = a.node.Blobs.Delete(context.Background(), info.Key)
						}
					}
				})
				fn(t, a, b, clock, w)
			})
		}
	})
}

// createTus creates an upload of size bytes through s: its path.
func (s *stand) createTus(size int, name string) string {
	s.t.Helper()
	a := s.tus("POST", motivityhttp.TusPrefix, nil, fmt.Sprintf("Upload-Length: %d", size), tusMeta("filename", name))
	loc, err := url.Parse(a.header.Get("Location"))
	if a.status != 201 || err != nil {
		s.t.Fatalf("create: %d %s %v", a.status, a.body, a.header)
	}
	return loc.Path
}

func (s *stand) patchTus(path string, off int, body io.Reader) answer {
	return s.tus("PATCH", path, body, "Content-Type: application/offset+octet-stream", fmt.Sprintf("Upload-Offset: %d", off))
}

// downloadsAs checks that file id, downloaded through s, is data.
func (s *stand) downloadsAs(id int64, data []byte) {
	s.t.Helper()
	_, path := s.link(id)
	d := s.fetch("GET", path)
	if got, want := sha256.Sum256([]byte(d.body)), sha256.Sum256(data); d.status != 200 || got != want {
		s.t.Fatalf("download: %d, %d bytes of %d", d.status, len(d.body), len(data))
	}
}

// One upload, two nodes: a PATCH through one node while the other writes
// the upload asks the writer to stop (it keeps what it wrote) and waits
// for it, so that only one node writes the upload at a time; the client
// resumes from the offset HEAD reports, and the file is the original. The
// same holds for two requests to one node.
func TestTusLockAcrossNodes(t *testing.T) {
	t.Parallel()
	twoTusNodes(t, func(t *testing.T, a, b *stand, _ *stendtest.ManualClock, w *segmentWriters) {
		for i, second := range []*stand{b, a} {
			concurrentPatches(t, a, second, w, int64(i+1))
		}
	})
}

// concurrentPatches writes one upload through a and b at once: it becomes
// file id.
func concurrentPatches(t *testing.T, a, b *stand, w *segmentWriters, id int64) {
	data := blobtest.Random(300_000)
	path := a.createTus(len(data), "двое.mp4")
	body, feed := io.Pipe()
	first := make(chan answer, 1)
	go func() { first <- a.patchTus(path, 0, body) }()
	// a has read these bytes: it holds the lock and writes a segment.
	if _, err := feed.Write(data[:100_000]); err != nil {
		t.Fatal(err)
	}
	second := b.patchTus(path, 0, bytes.NewReader(data))
	feed.Close() // a's client gives up, if a still reads
	<-first
	w.mu.Lock()
	most := w.most
	w.mu.Unlock()
	if most != 1 {
		t.Fatalf("%d requests wrote the upload at once (the second PATCH: %d %v)", most, second.status, second.header)
	}
	if second.status != 409 {
		t.Fatalf("the second PATCH, at an offset the first moved on: %d %s", second.status, second.body)
	}
	head := b.tus("HEAD", path, nil)
	if head.status != 200 || head.header.Get("Upload-Offset") != "100000" {
		t.Fatalf("head: %d %v", head.status, head.header)
	}
	if c := b.patchTus(path, 100_000, bytes.NewReader(data[100_000:])); c.status != 204 || c.header.Get(motivityhttp.FileIDHeader) != fmt.Sprint(id) {
		t.Fatalf("resumed: %d %s %v", c.status, c.body, c.header)
	}
	a.downloadsAs(id, data)
}

// A node that died holding an upload's lock leaves its lease; another
// node's PATCH asks for it, waits, and takes it over once the lease has
// ended unrenewed.
func TestTusLockOfADeadNode(t *testing.T) {
	t.Parallel()
	twoTusNodes(t, func(t *testing.T, a, b *stand, clock *stendtest.ManualClock, _ *segmentWriters) {
		data := blobtest.Random(200_000)
		path := a.createTus(len(data), "сирота.pdf")
		name := motivityhttp.TusLockName(strings.TrimPrefix(path, motivityhttp.TusPrefix))
		ctx := context.Background()
		if ok, err := a.store.TakeLease(ctx, name, "a node that died", today, today.Add(motivityhttp.TusLease)); !ok || err != nil {
			t.Fatalf("dead node's lease: %v %v", ok, err)
		}
		done := make(chan answer, 1)
		go func() { done <- b.patchTus(path, 0, bytes.NewReader(data)) }()
		// No signal tells that b waits but the request it leaves for the
		// holder.
		for {
			if l, err := a.store.Lease(ctx, name); err != nil || l.Wanted {
				break
			}
			select {
			case c := <-done:
				t.Fatalf("b's PATCH went ahead of a live lease: %d %s", c.status, c.body)
			case <-time.After(5 * time.Millisecond):
			}
		}
		clock.Set(today.Add(motivityhttp.TusLease + time.Second))
		if c := <-done; c.status != 204 || c.header.Get(motivityhttp.FileIDHeader) != "1" {
			t.Fatalf("b's PATCH: %d %s %v", c.status, c.body, c.header)
		}
		if _, err := a.store.Lease(ctx, name); err == nil {
			t.Fatal("the lease outlived the PATCH")
		}
		b.downloadsAs(1, data)
	})
}

// The default limit is the decisions' 10 GiB, inclusive: a creation
// declaring exactly that much is taken, a byte more is 413; no data sent.
func TestTusDefaultLimit(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := fileStand(t, o, "disk", func(c *server.Config) { c.MotivityMaxFileBytes = server.Defaults().MotivityMaxFileBytes })
		const limit = 10737418240
		if a := s.tus("POST", motivityhttp.TusPrefix, nil, fmt.Sprintf("Upload-Length: %d", limit+1), tusMeta("filename", "a.mp4")); a.status != 413 {
			t.Fatalf("a byte over: %d %s", a.status, a.body)
		}
		s.nothingStored()
		a := s.tus("POST", motivityhttp.TusPrefix, nil, fmt.Sprintf("Upload-Length: %d", limit), tusMeta("filename", "a.mp4"))
		if a.status != 201 || a.header.Get("Location") == "" {
			t.Fatalf("exactly the limit: %d %s %v", a.status, a.body, a.header)
		}
		loc, err := url.Parse(a.header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		if head := s.tus("HEAD", loc.Path, nil); head.status != 200 || head.header.Get("Upload-Length") != fmt.Sprint(limit) || head.header.Get("Upload-Offset") != "0" {
			t.Fatalf("head: %d %v", head.status, head.header)
		}
	})
}
