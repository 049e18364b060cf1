// Package console serves the stand's web console: a page that shows and
// steers the stand through the operator API. The page is built from
// console/web (npm run build) into console/web/dist, which is committed and
// embedded, so that the binary serves it with nothing else at run time.
//
// The console holds no data and no access of its own: the assets are
// public, and every call the page makes is an operator API call with the
// operator's token as a bearer, kept in the browser tab's sessionStorage.
package console

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Prefix is where the console is served.
const Prefix = "/console/"

//go:embed all:web/dist
var dist embed.FS

// contentSecurity lets the page run only its own scripts and styles and
// talk only to its own origin, and forbids framing it (clickjacking of
// the reset and restore buttons).
const contentSecurity = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the console under Prefix: its assets by name, and its
// page for every other path below it (the page routes by path).
func Handler() http.Handler {
	files, err := fs.Sub(dist, "web/dist")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic(err)
	}
	assets := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == strings.TrimSuffix(Prefix, "/") {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		if strings.HasPrefix(name, "assets/") {
			// Named by their content's hash: a name never changes its bytes.
			if info, err := fs.Stat(files, path.Clean(name)); err != nil || info.IsDir() {
				http.NotFound(w, r)
				return
			}
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
			r2 := r.Clone(r.Context())
			r2.URL.Path = "/" + name
			assets.ServeHTTP(w, r2)
			return
		}
		// The page, for every route of it (a user's route may end in
		// ".ru"): it may change with any build.
		h.Set("Cache-Control", "no-cache")
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(index)
	})
}
