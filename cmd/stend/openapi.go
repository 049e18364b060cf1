package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"stend/openapi"
)

// `stend openapi write` puts the merged documents the stand serves into a
// directory: for tools that take files (the breaking-change check in
// .ci/run, generators), and to release a contract (docs/openapi.md).
var openapiCommands = map[string]command{
	"openapi write": {"write each API's OpenAPI document, as the stand serves it, into a directory (--dir [--format json|yaml])", runOpenAPIWrite},
}

func init() { maps.Copy(commands, openapiCommands) }

func runOpenAPIWrite(_ context.Context, e *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("stend "+e.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dir := fs.String("dir", "", "the directory to write <api>.json (or .yaml) into; made if missing")
	format := fs.String("format", "json", "json or yaml")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("openapi write: --dir is required, and nothing else")
	}
	if *format != "json" && *format != "yaml" {
		return fmt.Errorf("openapi write: --format %q: json or yaml", *format)
	}
	docs, err := openapi.Documents()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	for _, api := range openapi.APIs {
		doc, ok := docs[api.Name]
		if !ok {
			continue
		}
		body := doc.JSON
		if *format == "yaml" {
			body = doc.YAML
		}
		name := filepath.Join(*dir, api.Name+"."+*format)
		if err := os.WriteFile(name, body, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %d operations\n", name, doc.Operations)
	}
	return nil
}
