package openapi

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// TestDocumentsAreValid holds every merged document to the OpenAPI 3.1
// schema, with its references resolved, its paths under its API's
// prefixes and its operation ids unique.
func TestDocumentsAreValid(t *testing.T) {
	docs, err := Documents()
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			parsed, err := libopenapi.NewDocument(doc.JSON)
			if err != nil {
				t.Fatal(err)
			}
			if v := parsed.GetVersion(); v != "3.1.0" {
				t.Errorf("version %q, want 3.1.0", v)
			}
			model, err := parsed.BuildV3Model()
			if err != nil {
				t.Fatalf("references: %v", err)
			}
			v, errs := validator.NewValidator(parsed)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if ok, errs := v.ValidateDocument(); !ok {
				for _, e := range errs {
					t.Errorf("%s: %s", e.Message, e.Reason)
					for _, s := range e.SchemaValidationErrors {
						t.Errorf("\t%s: %s", s.FieldPath, s.Reason)
					}
				}
			}
			ids := map[string]string{}
			for p, item := range model.Model.Paths.PathItems.FromOldest() {
				if api, ok := ForPath(p); !ok || api.Name != doc.API.Name {
					t.Errorf("path %s is under none of %v", p, doc.API.Prefixes)
				}
				for method, op := range item.GetOperations().FromOldest() {
					where := strings.ToUpper(method) + " " + p
					if op.OperationId == "" {
						t.Errorf("%s has no operationId", where)
					} else if other, ok := ids[op.OperationId]; ok {
						t.Errorf("operationId %s is both %s and %s", op.OperationId, other, where)
					}
					ids[op.OperationId] = where
				}
			}
			if len(ids) != doc.Operations {
				t.Errorf("%d operations counted, %d in the model", doc.Operations, len(ids))
			}
			if !json.Valid(doc.JSON) {
				t.Error("the JSON encoding is not JSON")
			}
		})
	}
}

func TestFragmentsMerge(t *testing.T) {
	fsys := fstest.MapFS{
		"fssp/00-base.yaml": {Data: []byte(`openapi: 3.1.0
info: {title: base, version: "1"}
paths: {}
components:
  schemas:
    Envelope: {type: object}
tags: [{name: a}]
`)},
		"fssp/10-search.yaml": {Data: []byte(`openapi: 3.1.0
info: {title: part, version: "0"}
paths:
  /api/v1.0/search/physical:
    get: {operationId: searchPhysical, responses: {"200": {description: ok}}}
    post: {operationId: searchPhysicalForm, responses: {"200": {description: "a <b> & c"}}}
components:
  schemas:
    Task: {type: object, properties: {n: {type: integer, maximum: 1.5}, s: {const: "007"}, z: {type: "null"}}}
  responses:
    Refused: {description: no}
tags: [{name: b}]
`)},
	}
	docs, err := load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	doc := docs["fssp"]
	want := `{"openapi":"3.1.0","info":{"title":"base","version":"1"},"paths":{"/api/v1.0/search/physical":{"get":{"operationId":"searchPhysical","responses":{"200":{"description":"ok"}}},"post":{"operationId":"searchPhysicalForm","responses":{"200":{"description":"a <b> & c"}}}}},"components":{"schemas":{"Envelope":{"type":"object"},"Task":{"type":"object","properties":{"n":{"type":"integer","maximum":1.5},"s":{"const":"007"},"z":{"type":"null"}}}},"responses":{"Refused":{"description":"no"}}},"tags":[{"name":"a"},{"name":"b"}]}`
	if string(doc.JSON) != want {
		t.Errorf("merged:\n%s\nwant\n%s", doc.JSON, want)
	}
	if doc.Operations != 2 {
		t.Errorf("%d operations, want 2", doc.Operations)
	}

	fsys["fssp/20-again.yaml"] = &fstest.MapFile{Data: []byte(`openapi: 3.1.0
info: {title: again, version: "0"}
paths: {}
components:
  schemas:
    Task: {type: string}
`)}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), "fssp/20-again.yaml: components/schemas/Task is defined twice") {
		t.Errorf("a component defined twice: %v", err)
	}
}
