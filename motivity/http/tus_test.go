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
	"testing"

	"stend/blob/blobtest"
	motivityhttp "stend/motivity/http"
)

// tus sends a tus request through the router with the token; body may be
// any reader.
func (s *stand) tus(method, path string, body io.Reader, headers ...string) answer {
	s.t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Tus-Resumable", "1.0.0")
	for _, h := range headers {
		name, value, _ := strings.Cut(h, ":")
		req.Header.Set(name, strings.TrimSpace(value))
	}
	a := s.stand.Serve(req)
	return answer{a.Status, a.Body, a.Header}
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
			{"0", tusMeta("filename", "a.mp4"), 400, messageAnswer("File size not allowed")},
			{fmt.Sprint(fileLimit + 1), tusMeta("filename", "a.mp4"), 413, ""},
		} {
			a := s.tus("POST", create, nil, "Upload-Length: "+c.length, c.meta)
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
