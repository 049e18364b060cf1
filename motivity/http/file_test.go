package http_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"

	"stend/blob/blobtest"
	"stend/motivity"
	motivityhttp "stend/motivity/http"
	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// «Файлы»: every rule through the router, on each store and each blob
// store.

// fileLimit is the largest file the test stands take, so that "File size
// not allowed" is reachable without 10 GB.
const fileLimit = 1 << 20

// forEachFileStand runs fn on a stand of every store kind with every blob
// store kind, the platform holding only its token.
func forEachFileStand(t *testing.T, fn func(t *testing.T, s *stand)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		for _, b := range blobtest.Openers() {
			t.Run(b.Name, func(t *testing.T) {
				t.Parallel()
				fn(t, fileStand(t, o, b.Name, nil))
			})
		}
	})
}

// fileStand is a stand whose files go to a blob store of kind blobs;
// adjust changes its configuration first.
func fileStand(t *testing.T, o storetest.Opener, blobs string, adjust func(*server.Config)) *stand {
	t.Helper()
	cfg := fileConfig(t, blobs)
	if adjust != nil {
		adjust(&cfg)
	}
	s := fileNode(t, o.Open(t), cfg)
	t.Cleanup(func() {
		ctx := context.Background()
		for info, err := range s.node.Blobs.List(ctx, "") {
			if err == nil {
				_ = s.node.Blobs.Delete(ctx, info.Key)
			}
		}
	})
	return s
}

// fileConfig keeps files in a blob store of kind blobs of the test's own:
// a directory, or a prefix of the test bucket.
func fileConfig(t *testing.T, blobs string) server.Config {
	cfg := testConfig()
	cfg.MotivityMaxFileBytes = fileLimit
	cfg.DataDir = t.TempDir()
	if blobs == "s3" {
		s3 := blobtest.S3Config(t)
		cfg.BlobStore, cfg.S3Endpoint, cfg.S3Bucket, cfg.S3Region, cfg.S3Prefix = "s3", s3.Endpoint, s3.Bucket, s3.Region, s3.Prefix
	}
	return cfg
}

// fileNode is a node over db holding the platform with only its token.
func fileNode(t *testing.T, db *sqlstore.DB, cfg server.Config) *stand {
	var sd operator.Seed
	sd.Motivity.Platform = &operator.SeedMotivityPlatform{PublicToken: token}
	return standOn(t, db, stendtest.NewManualClock(today), sd, cfg)
}

// part is one part of a multipart body: a file when filename is set;
// namedEmpty sends filename="" as a browser's empty file input does.
type part struct {
	field, filename, contentType string
	content                      []byte
	namedEmpty                   bool
}

// multipartBody encodes parts; the content type carries its boundary.
func multipartBody(parts ...part) (body []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		disp := fmt.Sprintf(`form-data; name=%q`, p.field)
		if p.filename != "" || p.namedEmpty {
			disp += fmt.Sprintf(`; filename=%q`, p.filename)
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(p.content)
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

func (s *stand) upload(parts ...part) answer {
	s.t.Helper()
	body, ct := multipartBody(parts...)
	return s.call("POST", "/public/api/v1/file/upload", string(body), "Content-Type: "+ct)
}

func fileAnswer(id int64, name string, size int) string {
	return fmt.Sprintf(`{"result":true,"files":[{"id":%d,"name":%q,"size":%d}]}`, id, name, size)
}

func messageAnswer(msg string) string { return `{"result":false,"message":"` + msg + `"}` }

// nothingStored fails unless the stand holds no file record and no blob.
func (s *stand) nothingStored() {
	s.t.Helper()
	files, err := s.store.Motivity().Files(context.Background(), 0, 100)
	if err != nil || len(files) != 0 {
		s.t.Fatalf("file records: %v %v", files, err)
	}
	for info, err := range s.node.Blobs.List(context.Background(), "") {
		s.t.Fatalf("blob left: %+v %v", info, err)
	}
}

func TestUploadFile(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		const xls = "application/vnd.ms-excel"
		refusals := []struct {
			name  string
			parts []part
			want  string
		}{
			{"no parts", nil, "File not transmitted. File required"},
			{"fields only", []part{{field: "comment", content: []byte("hi")}}, "File not transmitted. File required"},
			{"empty file input", []part{{field: "file", content: nil}}, "File not transmitted. File required"},
			{"empty file input as a browser sends it", []part{{field: "file", namedEmpty: true, contentType: "application/octet-stream"}}, "File not transmitted. File required"},
			{"empty file input beside fields", []part{{field: "comment", content: []byte("hi")}, {field: "file", namedEmpty: true, contentType: "application/octet-stream"}}, "File not transmitted. File required"},
			{"file under another name", []part{{field: "document", filename: "a.pdf", content: []byte("x")}}, "File not transmitted. File required"},
			{"two files", []part{{field: "file", filename: "a.pdf", content: []byte("x")}, {field: "file", filename: "b.pdf", content: []byte("y")}}, "Only one file allowed"},
			{"a second file under another name", []part{{field: "file", filename: "a.pdf", content: []byte("x")}, {field: "other", filename: "b.exe", content: []byte("y")}}, "Only one file allowed"},
			{"another file first", []part{{field: "other", filename: "b.pdf", content: []byte("y")}, {field: "file", filename: "a.pdf", content: []byte("x")}}, "Only one file allowed"},
			{"format", []part{{field: "file", filename: "a.exe", content: []byte("x")}}, "File format not allowed"},
			{"no extension", []part{{field: "file", filename: "pdf", content: []byte("x")}}, "File format not allowed"},
			{"declared type does not count", []part{{field: "file", filename: "a.txt", contentType: "image/jpeg", content: []byte("x")}}, "File format not allowed"},
			{"empty file", []part{{field: "file", filename: "a.pdf"}}, "File size not allowed"},
			{"one byte over", []part{{field: "file", filename: "a.pdf", content: make([]byte, fileLimit+1)}}, "File size not allowed"},
			{"a name the store cannot hold", []part{{field: "file", filename: strings.Repeat("я", 600) + ".pdf", content: []byte("x")}}, "Required parameters are not filled in"},
			{"fields over the body limit", []part{{field: "comment", content: make([]byte, 5000)}, {field: "file", filename: "a.pdf", content: []byte("x")}}, "File size not allowed"},
		}
		for _, c := range refusals {
			if a := s.upload(c.parts...); a.status != 400 || a.body != messageAnswer(c.want) {
				t.Errorf("%s: %d %s, want 400 %q", c.name, a.status, a.body, c.want)
			}
		}
		// Bodies off the document (multipart/form-data with its file), sent
		// marked.
		for _, c := range []struct{ name, body, ct string }{
			{"not multipart", `{"file":"x"}`, "application/json"},
			{"no content type", "x", ""},
			{"no boundary", "x", "multipart/form-data"},
			{"cut before the closing boundary", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\nxyz", "multipart/form-data; boundary=b"},
		} {
			a := s.call("POST", "/public/api/v1/file/upload", c.body, "Content-Type: "+c.ct, malformed)
			if a.status != 400 || a.body != messageAnswer("File not transmitted. File required") {
				t.Errorf("%s: %d %s", c.name, a.status, a.body)
			}
		}
		s.nothingStored()
		s.expect(s.call("POST", "/public/api/v1/file/upload", "", "X-Auth-Token:", malformed), 401, messageAnswer("Invalid public API token"))

		// The name exactly as sent; ids a sequence; the largest size
		// allowed; any case of an extension; fields beside the file.
		data := blobtest.Random(95446)
		s.expect(s.upload(part{field: "file", filename: "Ответ на вопрос.xls", contentType: xls, content: data}), 200, fileAnswer(1, "Ответ на вопрос.xls", len(data)))
		s.expect(s.upload(part{field: "note", content: []byte("x")}, part{field: "file", filename: "PHOTO.JPG_LARGE", content: make([]byte, fileLimit)}, part{field: "n2"}),
			200, fileAnswer(2, "PHOTO.JPG_LARGE", fileLimit))
		s.expect(s.upload(part{field: "file", filename: `dir\a "b".pdf`, content: []byte("%PDF")}), 200, fileAnswer(3, `dir\a "b".pdf`, 4))
		f, err := s.store.Motivity().File(context.Background(), 1)
		sum := sha256.Sum256(data)
		if err != nil || !bytes.Equal(f.SHA256, sum[:]) || f.DeclaredType != xls || f.Origin != motivity.OriginPublicAPI || !f.CreatedAt.Equal(today) {
			t.Fatalf("record: %+v %v", f, err)
		}
	})
}

// A refusal stops reading the body at once: a file over the limit is read
// no further than the limit (and what the parser buffers), a file of a
// format not allowed not at all.
func TestUploadStopsReading(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := fileStand(t, o, "disk", nil)
		for _, c := range []struct {
			name, filename string
			most           int64
			want           string
		}{
			{"size", "a.pdf", fileLimit + 1<<20 + 1<<16, "File size not allowed"},
			{"format", "a.exe", 1 << 16, "File format not allowed"},
		} {
			head, ct := multipartBody(part{field: "file", filename: c.filename})
			head = head[:bytes.LastIndex(head, []byte("\r\n--"))] // the part's header, its content to come
			body := &counting{r: io.MultiReader(bytes.NewReader(head), endless{})}
			req := httptest.NewRequest("POST", "/public/api/v1/file/upload", body)
			req.Header.Set("X-Auth-Token", token)
			req.Header.Set("Content-Type", ct)
			a := s.stand.Serve(req)
			if a.Status != 400 || a.Body != messageAnswer(c.want) || a.Header.Get("Connection") != "close" {
				t.Fatalf("%s: %d %s %v", c.name, a.Status, a.Body, a.Header)
			}
			if body.n > c.most {
				t.Fatalf("%s: read %d bytes, at most %d expected", c.name, body.n, c.most)
			}
		}
		s.nothingStored()
	})
}

type endless struct{}

func (endless) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type counting struct {
	r io.Reader
	n int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// cutOff yields r, then fails as a connection that dropped.
type cutOff struct{ r io.Reader }

func (c cutOff) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		return n, errors.New("connection reset by peer")
	}
	return n, err
}

// A client cut off mid-file leaves no record and no blob, whether the
// parser or the blob store saw the failure.
func TestUploadCutOff(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		full, ct := multipartBody(part{field: "file", filename: "big.mp4", content: blobtest.Random(fileLimit)})
		for _, at := range []int{200, 100_000, len(full) - 10} {
			req := httptest.NewRequest("POST", "/public/api/v1/file/upload", cutOff{bytes.NewReader(full[:at])})
			req.Header.Set("X-Auth-Token", token)
			req.Header.Set("Content-Type", ct)
			if a := s.stand.Serve(req); a.Status != 400 {
				t.Fatalf("cut at %d: %d %s", at, a.Status, a.Body)
			}
			// A client that went away gets no answer and leaves nothing:
			// no answer for the contract check to hold either, so it goes
			// to the router unchecked.
			ctx, cancel := context.WithCancel(context.Background())
			req = httptest.NewRequest("POST", "/public/api/v1/file/upload", &cancelAfter{r: bytes.NewReader(full), n: at, cancel: cancel}).WithContext(ctx)
			req.Header.Set("X-Auth-Token", token)
			req.Header.Set("Content-Type", ct)
			s.node.Handler().ServeHTTP(httptest.NewRecorder(), req)
			cancel()
		}
		s.nothingStored()
	})
}

// cancelAfter ends the request's context once n bytes are read, as the
// server does when the client's connection closes.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
		return 0, context.Canceled
	}
	if len(p) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= n
	return n, err
}

var linkPattern = regexp.MustCompile(`^\{"result":true,"fileId":(\d+),"file":"(https?://[^/"]+)(/file/[A-Za-z0-9_-]{43}/[^"]+)"\}$`)

// link asks for a download link of file id and returns its path.
func (s *stand) link(id int64) (base, path string) {
	s.t.Helper()
	a := s.call("POST", fmt.Sprintf("/public/api/v1/file/%d", id), "")
	m := linkPattern.FindStringSubmatch(a.body)
	if a.status != 200 || m == nil || m[1] != fmt.Sprint(id) {
		s.t.Fatalf("link of %d: %d %s", id, a.status, a.body)
	}
	return m[2], m[3]
}

// fetch downloads path without the token.
func (s *stand) fetch(method, path string, headers ...string) answer {
	s.t.Helper()
	return s.serveWith(httptest.NewRequest(method, path, nil), headers)
}

// serveWith sends req through the router with headers ("Name: value"
// each) and call's options (malformed, undocumented).
func (s *stand) serveWith(req *http.Request, headers []string) answer {
	for _, h := range headers {
		switch h {
		case malformed:
			req = stendtest.Malformed(req)
		case undocumented:
			req = stendtest.Undocumented(req)
		default:
			name, value, _ := strings.Cut(h, ":")
			req.Header.Set(name, strings.TrimSpace(value))
		}
	}
	a := s.stand.Serve(req)
	return answer{a.Status, a.Body, a.Header}
}

func TestFileLinkAndDownload(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		s.expect(s.call("POST", "/public/api/v1/file/1", ""), 404, messageAnswer("File not found"))
		// Ids the document does not allow (INT from 1), sent on purpose.
		for _, id := range []string{"0", "-1", "abc", "99999999999999999999"} {
			s.expect(s.call("POST", "/public/api/v1/file/"+id, "", malformed), 404, messageAnswer("File not found"))
		}
		s.expect(s.call("POST", "/public/api/v1/file/1", "", "X-Auth-Token:"), 401, messageAnswer("Invalid public API token"))

		data := blobtest.Random(300_000)
		name := "Отчёт за май 2025.pdf"
		s.expect(s.upload(part{field: "file", filename: name, content: data}), 200, fileAnswer(1, name, len(data)))
		// A malformed id is no file, even where strconv would read 1;
		// leading zeros are digits, as a goal's id takes them.
		for _, id := range []string{"+1", "%2B1", "%201", "1%20", "0x1", "1e0", "1.0", "-0"} {
			s.expect(s.call("POST", "/public/api/v1/file/"+id, "", malformed), 404, messageAnswer("File not found"))
		}
		if a := s.call("POST", "/public/api/v1/file/01", ""); a.status != 200 || !strings.Contains(a.body, `"fileId":1,`) {
			t.Fatalf("01: %d %s", a.status, a.body)
		}
		base, path := s.link(1)
		if base != "http://example.com" {
			t.Fatalf("base %s: the request's host", base)
		}
		sum := sha256.Sum256(data)
		etag := `"` + hex.EncodeToString(sum[:]) + `"`

		a := s.fetch("GET", path)
		if a.status != 200 || a.body != string(data) {
			t.Fatalf("download: %d, %d bytes", a.status, len(a.body))
		}
		for h, want := range map[string]string{
			"Content-Type":           "application/pdf",
			"Content-Disposition":    `attachment; filename="_____ __ ___ 2025.pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20%D0%B7%D0%B0%20%D0%BC%D0%B0%D0%B9%202025.pdf`,
			"Etag":                   etag,
			"Accept-Ranges":          "bytes",
			"Content-Length":         fmt.Sprint(len(data)),
			"X-Content-Type-Options": "nosniff",
		} {
			if got := a.header.Get(h); got != want {
				t.Errorf("%s: %q, want %q", h, got, want)
			}
		}
		// Ranges: exactly the bytes asked for; a resumed download; a
		// range past the end; a conditional request.
		for rng, want := range map[string][2]int{"bytes=5-9": {5, 10}, "bytes=299990-": {299990, 300000}, "bytes=-3": {299997, 300000}, "bytes=0-0": {0, 1}} {
			a := s.fetch("GET", path, "Range: "+rng)
			if a.status != 206 || a.body != string(data[want[0]:want[1]]) ||
				a.header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", want[0], want[1]-1, len(data)) {
				t.Fatalf("%s: %d %d bytes %s", rng, a.status, len(a.body), a.header.Get("Content-Range"))
			}
		}
		if a := s.fetch("GET", path, "Range: bytes=300000-"); a.status != 416 {
			t.Fatalf("range past the end: %d", a.status)
		}
		if a := s.fetch("GET", path, "Range: bytes=0-1,10-11"); a.status != 206 || !strings.HasPrefix(a.header.Get("Content-Type"), "multipart/byteranges") {
			t.Fatalf("two ranges: %d %s", a.status, a.header.Get("Content-Type"))
		}
		if a := s.fetch("GET", path, "If-None-Match: "+etag); a.status != 304 {
			t.Fatalf("if-none-match: %d", a.status)
		}
		if a := s.fetch("GET", path, "Range: bytes=5-9", `If-Range: "other"`); a.status != 200 || len(a.body) != len(data) {
			t.Fatalf("if-range of another version: %d", a.status)
		}
		// Each read of the blob is bounded by the range that holds it;
		// past its end the rest is read all the same.
		if a := s.fetch("GET", path, "Range: bytes=0-9", `If-Range: "other"`); a.status != 200 || a.body != string(data) {
			t.Fatalf("if-range of another version from a range at the start: %d, %d bytes", a.status, len(a.body))
		}
		if a := s.fetch("GET", path, "Range: bytes=0-99,50-149"); a.status != 206 || !strings.Contains(a.body, string(data[:100])) || !strings.Contains(a.body, string(data[50:150])) {
			t.Fatalf("overlapping ranges: %d", a.status)
		}
		if a := s.fetch("HEAD", path); a.status != 200 || a.header.Get("Content-Length") != fmt.Sprint(len(data)) || a.body != "" {
			t.Fatalf("head: %d %v", a.status, a.header)
		}
		// The name segment is for clients that save under it; a tampered
		// token or an unknown path is not found.
		tok := strings.Split(path, "/")[2]
		if a := s.fetch("GET", "/file/"+tok+"/other.pdf"); a.status != 200 {
			t.Fatalf("another name segment: %d", a.status)
		}
		forged := tok[:len(tok)-1] + map[bool]string{true: "A", false: "B"}[tok[len(tok)-1] != 'A']
		for _, p := range []string{"/file/" + forged + "/x.pdf", "/file/" + tok, "/file/", "/file/x/y"} {
			var opts []string
			if strings.Count(p, "/") < 3 {
				opts = append(opts, undocumented) // not a link's path
			}
			if a := s.fetch("GET", p, opts...); a.status != 404 || a.body != messageAnswer("File not found") {
				t.Fatalf("%s: %d %s", p, a.status, a.body)
			}
		}
		// Expiry, by the stand's clock: 24 hours.
		s.clock.Set(today.Add(24*time.Hour - time.Second))
		if a := s.fetch("GET", path); a.status != 200 {
			t.Fatalf("before expiry: %d", a.status)
		}
		s.clock.Set(today.Add(24 * time.Hour))
		if a := s.fetch("GET", path); a.status != 404 || a.body != messageAnswer("File not found") {
			t.Fatalf("after expiry: %d %s", a.status, a.body)
		}
		_, fresh := s.link(1)
		if a := s.fetch("GET", fresh); a.status != 200 {
			t.Fatalf("a new link: %d", a.status)
		}
	})
}

// The links' base is a setting, and so is their lifetime.
func TestFileLinkSettings(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := fileStand(t, o, "disk", func(c *server.Config) {
			c.PublicURL = "https://stand.example/"
			c.MotivityFileLinkTTL = time.Hour
		})
		s.expect(s.upload(part{field: "file", filename: "a.png", content: []byte("png")}), 200, fileAnswer(1, "a.png", 3))
		base, path := s.link(1)
		if base != "https://stand.example" {
			t.Fatalf("base %s", base)
		}
		if a := s.fetch("GET", path); a.status != 200 || a.header.Get("Content-Type") != "image/png" {
			t.Fatalf("%d %v", a.status, a.header)
		}
		s.clock.Set(today.Add(time.Hour))
		if a := s.fetch("GET", path); a.status != 404 {
			t.Fatalf("after an hour: %d", a.status)
		}
	})
}

// The sweep removes blobs that no file names once they are old enough,
// and never a file's own.
func TestSweepFiles(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		ctx := context.Background()
		s.expect(s.upload(part{field: "file", filename: "a.pdf", content: []byte("kept")}), 200, fileAnswer(1, "a.pdf", 4))
		if _, err := s.node.Blobs.Put(ctx, motivity.FileBlobPrefix+"ab/orphan", strings.NewReader("left by a crash")); err != nil {
			t.Fatal(err)
		}
		if n, err := motivityhttp.SweepFiles(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("young orphan: %d %v", n, err)
		}
		if n, err := motivityhttp.SweepFiles(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(time.Minute)); err != nil || n != 1 {
			t.Fatalf("old orphan: %d %v", n, err)
		}
		// A tus upload is kept a week after its last write.
		abandoned := "tus/0123456789abcdef0123456789abcdef/part-00000000000000000000"
		if _, err := s.node.Blobs.Put(ctx, abandoned, strings.NewReader("half")); err != nil {
			t.Fatal(err)
		}
		if n, err := motivityhttp.SweepFiles(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(6*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("a tus upload of today: %d %v", n, err)
		}
		if n, err := motivityhttp.SweepFiles(ctx, s.store.Motivity(), s.node.Blobs, time.Now().Add(8*24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("a tus upload of a week ago: %d %v", n, err)
		}
		var left []string
		for info, err := range s.node.Blobs.List(ctx, "") {
			if err != nil {
				t.Fatal(err)
			}
			left = append(left, info.Key)
		}
		f, err := s.store.Motivity().File(ctx, 1)
		if err != nil || len(left) != 1 || left[0] != f.BlobKey {
			t.Fatalf("left %v, file %+v %v", left, f, err)
		}
		_, path := s.link(1)
		if a := s.fetch("GET", path); a.body != "kept" {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
}

// Nodes that share a database and a blob store serve each other's files:
// uploaded through one, linked by another, downloaded through either.
func TestFilesAcrossNodes(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		other := fileNode(t, s.store, s.node.Config)
		data := blobtest.Random(70_000)
		s.expect(s.upload(part{field: "file", filename: "общий.docx", content: data}), 200, fileAnswer(1, "общий.docx", len(data)))
		_, path := other.link(1)
		for _, n := range []*stand{s, other} {
			if a := n.fetch("GET", path); a.status != 200 || a.body != string(data) {
				t.Fatalf("%d, %d bytes", a.status, len(a.body))
			}
		}
		other.expect(other.upload(part{field: "file", filename: "второй.docx", content: []byte("x")}), 200, fileAnswer(2, "второй.docx", 1))
	})
}

// Operators upload (the body itself, named by ?name=), list and delete
// files; the public API serves what they upload, and forgets what they
// delete.
func TestOperatorFiles(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		op := s.stand.Operator
		// The public upload's limit holds for operators too.
		for _, c := range []struct{ query, body string }{{"?name=a.exe", "x"}, {"", "x"}, {"?name=a.svg", ""}, {"?name=a.pdf", strings.Repeat("x", fileLimit+1)}} {
			send := func() answer { return s.op("POST", "files"+c.query, c.body) }
			if c.query == "" {
				// Without the name the operator document requires.
				send = func() answer { return s.opMalformed("POST", "files", c.body) }
			}
			if a := send(); a.status != 400 {
				t.Fatalf("%q: %d %s", c.query, a.status, a.body)
			}
		}
		s.nothingStored()
		a := op("POST", "/operator/v1/motivity/files?name=%D0%97%D0%BD%D0%B0%D1%87%D0%BE%D0%BA.svg", "image/svg+xml", "<svg/>")
		if a.Status != 201 || !strings.Contains(a.Body, `"id":1,"name":"Значок.svg","size":6,"contentType":"image/svg+xml"`) || !strings.Contains(a.Body, `"origin":"operator"`) {
			t.Fatalf("upload: %d %s", a.Status, a.Body)
		}
		_, path := s.link(1)
		if d := s.fetch("GET", path); d.status != 200 || d.body != "<svg/>" || d.header.Get("Content-Security-Policy") != "sandbox" {
			t.Fatalf("download: %d %s %v", d.status, d.body, d.header)
		}
		if a := op("GET", "/operator/v1/motivity/files", "", ""); a.Status != 200 || strings.Count(a.Body, `"id"`) != 1 {
			t.Fatalf("list: %d %s", a.Status, a.Body)
		}
		if a := op("DELETE", "/operator/v1/motivity/files/1", "", ""); a.Status != 200 {
			t.Fatalf("delete: %d %s", a.Status, a.Body)
		}
		if a := op("GET", "/operator/v1/motivity/files/1", "", ""); a.Status != 404 {
			t.Fatalf("deleted: %d %s", a.Status, a.Body)
		}
		if a := op("DELETE", "/operator/v1/motivity/files/1", "", ""); a.Status != 404 {
			t.Fatalf("deleted twice: %d %s", a.Status, a.Body)
		}
		s.expect(s.call("POST", "/public/api/v1/file/1", ""), 404, messageAnswer("File not found"))
		if d := s.fetch("GET", path); d.status != 404 {
			t.Fatalf("a deleted file's link: %d", d.status)
		}
		for info, err := range s.node.Blobs.List(context.Background(), "") {
			t.Fatalf("blob left: %+v %v", info, err)
		}
	})
}

// Every format the document allows is taken in any case and downloaded
// with its type: the table is written out here, apart from the code's.
func TestFileFormats(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		formats := []struct{ ext, contentType string }{
			{"bmp", "image/bmp"},
			{"doc", "application/msword"},
			{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			{"epub", "application/epub+zip"},
			{"flv", "video/x-flv"},
			{"gif", "image/gif"},
			{"heic", "image/heic"},
			{"jfi", "image/jpeg"},
			{"jfif", "image/jpeg"},
			{"jpeg", "image/jpeg"},
			{"jpg", "image/jpeg"},
			{"jpg_large", "image/jpeg"},
			{"m4a", "audio/mp4"},
			{"mov", "video/quicktime"},
			{"mp4", "video/mp4"},
			{"pdf", "application/pdf"},
			{"png", "image/png"},
			{"ppt", "application/vnd.ms-powerpoint"},
			{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
			{"svg", "image/svg+xml"},
			{"webp", "image/webp"},
			{"xls", "application/vnd.ms-excel"},
			{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		}
		for i, f := range formats {
			// Lower, upper and mixed case in turn: "pDf", "PDF", "pdf".
			ext := f.ext
			switch i % 3 {
			case 0:
				b := []byte(ext)
				for j := 1; j < len(b); j += 2 {
					b[j] = strings.ToUpper(string(b[j]))[0]
				}
				ext = string(b)
			case 1:
				ext = strings.ToUpper(ext)
			}
			name, content := "file "+f.ext+"."+ext, "content of "+f.ext
			id := int64(i + 1)
			s.expect(s.upload(part{field: "file", filename: name, contentType: "application/octet-stream", content: []byte(content)}), 200, fileAnswer(id, name, len(content)))
			_, path := s.link(id)
			if a := s.fetch("GET", path); a.status != 200 || a.body != content || a.header.Get("Content-Type") != f.contentType {
				t.Errorf("%s: %d %q %q, want %q", name, a.status, a.body, a.header.Get("Content-Type"), f.contentType)
			}
		}
	})
}
