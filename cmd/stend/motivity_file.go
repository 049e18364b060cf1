package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"stend/operator"
)

// The `stend motivity file …` commands: files the platform knows, as the
// operator API offers them. The blob store is the configured one
// (--blob-store, --data-dir or the S3 settings), as the server's.
var motivityFileCommands = map[string]command{
	"motivity file upload": {"store a file (PATH [--name]); prints its id", runMotivityFileUpload},
	"motivity file list":   {"list files ([--after] [--limit])", runMotivityFileList},
	"motivity file show":   {"show a file (--id)", runMotivityFileShow},
	"motivity file delete": {"delete a file: its id and links stop working, its bytes are removed (--id)", runMotivityFileDelete},
}

func init() { maps.Copy(commands, motivityFileCommands) }

func runMotivityFileUpload(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	name := fs.String("name", "", "the file's name, its extension one of the document's formats (default: the path's last element)")
	e.takesFiles = true
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		if fs.NArg() != 1 {
			return nil, fmt.Errorf("name one file to upload")
		}
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if *name == "" {
			*name = filepath.Base(fs.Arg(0))
		}
		return s.UploadMotivityFile(ctx, *name, "", f)
	})
}

func runMotivityFileList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	after := fs.Int64("after", 0, "files with an id greater than this (paging)")
	limit := fs.Int("limit", 100, "at most this many (1–1000)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityFiles(ctx, *after, *limit) })
}

func runMotivityFileShow(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "the file's id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityFile(ctx, *id) })
}

func runMotivityFileDelete(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "the file's id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.DeleteMotivityFile(ctx, *id) })
}
