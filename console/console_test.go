package console_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"stend/stendtest"
	"stend/store/storetest"
)

// The console is served by the stand's own router, without a token: its
// page and assets are public, its data comes from the operator API.
func TestConsoleServesPageAssetsAndHeaders(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		s := stendtest.Open(t, store, stendtest.Options{})
		get := func(path string) stendtest.Answer {
			return s.Serve(httptest.NewRequest(http.MethodGet, path, nil))
		}
		page := get("/console/")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `<div id="app"></div>`) {
			t.Fatalf("page: %d %q", page.Status, page.Body)
		}
		for name, want := range map[string]string{
			"Content-Type":            "text/html; charset=utf-8",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Cache-Control":           "no-cache",
			"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		} {
			if got := page.Header.Get(name); got != want {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		if strings.Contains(page.Body, "<script>") || strings.Contains(page.Body, "<style") {
			t.Errorf("the page holds an inline script or style, which its CSP refuses: %s", page.Body)
		}
		// Every route of the page answers the page (it routes by path).
		for _, path := range []string{"/console/journal", "/console/migrant-exam/reports/123", "/console/motivity/users/a%40b.ru", "/console/motivity/reports", "/console/motivity/reports/7"} {
			if a := get(path); a.Status != http.StatusOK || a.Body != page.Body {
				t.Errorf("%s: %d, not the page", path, a.Status)
			}
		}
		if a := get("/console"); a.Status != http.StatusMovedPermanently || a.Header.Get("Location") != "/console/" {
			t.Errorf("/console: %d %q", a.Status, a.Header.Get("Location"))
		}
		assets := regexp.MustCompile(`/console/assets/[^"]+\.(js|css)`).FindAllString(page.Body, -1)
		if len(assets) != 2 {
			t.Fatalf("assets named by the page: %v", assets)
		}
		for _, path := range assets {
			a := get(path)
			wantType := map[bool]string{true: "text/javascript; charset=utf-8", false: "text/css; charset=utf-8"}[strings.HasSuffix(path, ".js")]
			if a.Status != http.StatusOK || a.Header.Get("Content-Type") != wantType || len(a.Body) < 1000 {
				t.Errorf("%s: %d %q, %d bytes", path, a.Status, a.Header.Get("Content-Type"), len(a.Body))
			}
			if a.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || a.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s: headers %v", path, a.Header)
			}
		}
		// A missing asset is 404, not the page.
		for _, path := range []string{"/console/assets/missing.js", "/console/assets/../../go.mod", "/console/assets/"} {
			if a := get(path); a.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, a.Status)
			}
		}
		// HEAD answers what GET does, without the body, through a real
		// server (a recorder keeps what a handler writes for HEAD).
		srv := httptest.NewServer(s.Handler)
		defer srv.Close()
		for _, path := range []string{"/console/", "/console/journal", assets[0], assets[1]} {
			want := get(path)
			res, err := http.Head(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || len(body) != 0 || res.ContentLength != int64(len(want.Body)) {
				t.Errorf("HEAD %s: %d, %d bytes, Content-Length %d; GET has %d bytes", path, res.StatusCode, len(body), res.ContentLength, len(want.Body))
			}
			for _, name := range []string{"Content-Type", "Content-Security-Policy", "X-Frame-Options", "Cache-Control"} {
				if res.Header.Get(name) != want.Header.Get(name) {
					t.Errorf("HEAD %s: %s %q, GET has %q", path, name, res.Header.Get(name), want.Header.Get(name))
				}
			}
		}
		post := s.Serve(httptest.NewRequest(http.MethodPost, "/console/", strings.NewReader("x")))
		if post.Status != http.StatusMethodNotAllowed || post.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST: %d %v", post.Status, post.Header)
		}
	})
}

// The console gets nothing the operator API does not give: without the
// token its calls are refused like anyone's.
func TestConsoleDataNeedsTheOperatorToken(t *testing.T) {
	s := stendtest.Open(t, storetest.Openers()[0], stendtest.Options{})
	srv := httptest.NewServer(s.Handler)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/operator/v1/journal/newest")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a token: %d %s", res.StatusCode, body)
	}
}
