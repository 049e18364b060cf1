package openapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"stend/openapi"
	"stend/stendtest"
	"stend/store/storetest"
)

// TestStandServesTheDocuments reads the page, its list and every document
// in both encodings through a node's router.
func TestStandServesTheDocuments(t *testing.T) {
	s := stendtest.On(t, storetest.OpenSQLite(t), stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
	get := func(path string, header ...string) stendtest.Answer {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return s.Serve(req)
	}
	page := get("/openapi/")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "swagger-ui-bundle.js") || page.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("the page: %d %s %.200s", page.Status, page.Header.Get("Content-Type"), page.Body)
	}
	if a := get("/openapi"); a.Status != http.StatusMovedPermanently || a.Header.Get("Location") != "/openapi/" {
		t.Errorf("/openapi: %d %s", a.Status, a.Header.Get("Location"))
	}
	for _, asset := range []string{"stend-openapi.js", "assets/swagger-ui-bundle.js", "assets/swagger-ui.css", "assets/swagger-ui-standalone-preset.js"} {
		if a := get("/openapi/" + asset); a.Status != http.StatusOK || len(a.Body) == 0 {
			t.Errorf("%s: %d", asset, a.Status)
		}
	}
	var list []struct {
		Name, Title, JSON, YAML string
		Operations              int
	}
	listed := get("/openapi/apis.json")
	if err := json.Unmarshal([]byte(listed.Body), &list); err != nil {
		t.Fatalf("apis.json: %v: %s", err, listed.Body)
	}
	docs, err := openapi.Documents()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(docs) {
		t.Errorf("apis.json lists %d documents, the stand has %d", len(list), len(docs))
	}
	for _, entry := range list {
		doc := docs[entry.Name]
		if doc == nil || entry.Title != doc.API.Title || entry.Operations != doc.Operations {
			t.Errorf("apis.json: %+v", entry)
			continue
		}
		j := get("/openapi/" + entry.JSON)
		var fromJSON, fromYAML any
		if j.Status != http.StatusOK || j.Header.Get("Content-Type") != "application/json" || j.Header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("%s: %d %v", entry.JSON, j.Status, j.Header)
		}
		if err := json.Unmarshal([]byte(j.Body), &fromJSON); err != nil {
			t.Errorf("%s: %v", entry.JSON, err)
		}
		y := get("/openapi/" + entry.YAML)
		if y.Status != http.StatusOK || y.Header.Get("Content-Type") != "application/yaml" {
			t.Errorf("%s: %d %s", entry.YAML, y.Status, y.Header.Get("Content-Type"))
		}
		if err := yaml.Unmarshal([]byte(y.Body), &fromYAML); err != nil {
			t.Errorf("%s: %v", entry.YAML, err)
		}
		// The two encodings are one document.
		jb, _ := json.Marshal(fromJSON)
		yb, err := json.Marshal(fromYAML)
		if err != nil || string(jb) != string(yb) {
			t.Errorf("%s and %s differ (%v)", entry.JSON, entry.YAML, err)
		}
		if again := get("/openapi/"+entry.JSON, "If-None-Match", j.Header.Get("ETag")); again.Status != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d", entry.JSON, again.Status)
		}
	}
	if a := get("/openapi/nothing.json"); a.Status != http.StatusNotFound {
		t.Errorf("an unknown document: %d", a.Status)
	}
	req := httptest.NewRequest(http.MethodPost, "/openapi/apis.json", strings.NewReader("{}"))
	if a := s.Serve(req); a.Status != http.StatusMethodNotAllowed || a.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d %v", a.Status, a.Header)
	}
}
