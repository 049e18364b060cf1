// Package openapi holds the OpenAPI 3.1 documents of the stand's published
// APIs and of its operator API, written by hand from the documents in
// shared/specs and the stand's decisions (docs/<api>.md), never generated
// from the code: they are the contract the code is held to (the tests
// validate every request and answer against them, stendtest) and what
// integrators read instead of the Russian prose.
//
// Each API's document is kept as fragments, openapi/<api>/NN-topic.yaml,
// each a complete OpenAPI document, so that its sections can be written and
// reviewed apart; the lowest-numbered one is the base (info, servers,
// security), the others add paths, components and tags. The stand merges
// them once, at start, and serves the merged document (Handler).
package openapi

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// sources are the fragments, one directory per API; files deeper down
// (the page's node_modules in a checkout) are never embedded.
//
//go:embed */*.yaml
var sources embed.FS

// API is one of the stand's HTTP APIs that has a document.
type API struct {
	// Name is the document's name in its URL: /openapi/<Name>.json.
	Name string
	// Title is what the page's list shows.
	Title string
	// Prefixes are the paths the API serves under; every path of its
	// document starts with one of them (a test holds it).
	Prefixes []string
}

// APIs are the documented APIs, in the order the page lists them.
var APIs = []API{
	{Name: "fssp", Title: "ФССП: банк данных исполнительных производств", Prefixes: []string{"/api/v1.0/"}},
	{Name: "migrant-exam", Title: "Экзамены мигрантов: еженедельные отчёты", Prefixes: []string{"/Reports/"}},
	{Name: "reestro", Title: "Reestro: проверки по объектам недвижимости", Prefixes: []string{"/realty/assessment/v1/"}},
	{Name: "motivity", Title: "Motivity: публичное API", Prefixes: []string{"/public/api/v1/", "/file/"}},
	{Name: "operator", Title: "Operator API of the stand", Prefixes: []string{"/operator/v1/"}},
}

// ForPath is the API that serves p, if a document covers it.
func ForPath(p string) (API, bool) {
	for _, a := range APIs {
		for _, prefix := range a.Prefixes {
			if strings.HasPrefix(p, prefix) || p+"/" == prefix {
				return a, true
			}
		}
	}
	return API{}, false
}

// Document is an API's merged document.
type Document struct {
	API API
	// YAML and JSON are the same document in two encodings, keys in the
	// order the fragments wrote them.
	YAML, JSON []byte
	// Operations counts the document's operations (path and method).
	Operations int
}

var (
	loadOnce  sync.Once
	documents map[string]*Document
	loadErr   error
)

// Documents are the merged documents by API name; an error names the
// fragment at fault (a key defined twice, YAML that does not parse).
func Documents() (map[string]*Document, error) {
	loadOnce.Do(func() { documents, loadErr = load(sources) })
	return documents, loadErr
}

// Get is the merged document of an API.
func Get(name string) (*Document, error) {
	docs, err := Documents()
	if err != nil {
		return nil, err
	}
	d, ok := docs[name]
	if !ok {
		return nil, fmt.Errorf("openapi: no document %q", name)
	}
	return d, nil
}

// MustDocument is the merged document of an API; the embedded fragments
// are checked by this package's tests, so a failure is a broken build.
func MustDocument(name string) *Document {
	docs, err := Documents()
	if err != nil {
		panic(err)
	}
	d, ok := docs[name]
	if !ok {
		panic(fmt.Sprintf("openapi: no document %q", name))
	}
	return d
}

func load(fsys fs.FS) (map[string]*Document, error) {
	docs := map[string]*Document{}
	for _, api := range APIs {
		names, err := fs.Glob(fsys, path.Join(api.Name, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(names) == 0 {
			continue
		}
		slices.Sort(names)
		var fragments []fragment
		for _, name := range names {
			b, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			fragments = append(fragments, fragment{name: name, text: b})
		}
		doc, err := merge(fragments)
		if err != nil {
			return nil, fmt.Errorf("openapi: %s: %w", api.Name, err)
		}
		doc.API = api
		docs[api.Name] = doc
	}
	return docs, nil
}
