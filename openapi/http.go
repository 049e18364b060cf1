package openapi

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Prefix is where the documents and their page are served.
const Prefix = "/openapi/"

// page is the documents' page: the renderer's files as the lock file's
// package ships them (assets/, checked by .ci/run) and the page's own.
//
//go:embed page/index.html page/stend-openapi.js page/assets
var page embed.FS

// apiEntry is one document as the page's list (apis.json) names it.
type apiEntry struct {
	Name       string `json:"name"`
	Title      string `json:"title"`
	JSON       string `json:"json"`
	YAML       string `json:"yaml"`
	Operations int    `json:"operations"`
}

// Handler serves the page at /openapi/, the list of documents at
// /openapi/apis.json and each document at /openapi/<api>.json and .yaml.
// The documents are public: anyone may read the contract, as anyone may
// read the services' own documents; cross-origin reads are allowed so that
// tools elsewhere (an editor, a generator) can load them from a stand.
func Handler() (http.Handler, error) { return handlerOnce() }

// handlerOnce builds the handler once per process: a node builds its router
// more than once (its in-process FSSP client, tests), and each build would
// hash the page's 2 MB again.
var handlerOnce = sync.OnceValues(newHandler)

func newHandler() (http.Handler, error) {
	docs, err := Documents()
	if err != nil {
		return nil, err
	}
	files := map[string]servedFile{}
	var list []apiEntry
	for _, api := range APIs {
		doc, ok := docs[api.Name]
		if !ok {
			continue
		}
		files[api.Name+".json"] = newServedFile("application/json", doc.JSON)
		files[api.Name+".yaml"] = newServedFile("application/yaml", doc.YAML)
		list = append(list, apiEntry{Name: api.Name, Title: api.Title, JSON: api.Name + ".json", YAML: api.Name + ".yaml", Operations: doc.Operations})
	}
	listed, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	files["apis.json"] = newServedFile("application/json", listed)
	pageFiles, err := fs.Sub(page, "page")
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(pageFiles, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(pageFiles, name)
		if err != nil {
			return err
		}
		files[name] = newServedFile(contentType(name), b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	files[""] = files["index.html"]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path+"/" == Prefix {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		f, ok := files[name]
		if !ok || !strings.HasPrefix(r.URL.Path, Prefix) {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("ETag", f.etag)
		// A new binary may serve other bytes at the same name.
		h.Set("Cache-Control", "no-cache")
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".yaml") {
			h.Set("Access-Control-Allow-Origin", "*")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	}), nil
}

// MustHandler is Handler for a binary whose embedded documents this
// package's tests have checked: an error is a broken build.
func MustHandler() http.Handler {
	h, err := Handler()
	if err != nil {
		panic(err)
	}
	return h
}

type servedFile struct {
	contentType, etag string
	body              []byte
}

func newServedFile(contentType string, body []byte) servedFile {
	sum := sha256.Sum256(body)
	return servedFile{contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, body: body}
}

func contentType(name string) string {
	for suffix, ct := range map[string]string{
		".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
		".png": "image/png", ".txt": "text/plain; charset=utf-8",
	} {
		if strings.HasSuffix(name, suffix) {
			return ct
		}
	}
	return "text/plain; charset=utf-8" // LICENSE, NOTICE
}
