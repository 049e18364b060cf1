package main

import (
	"context"
	"errors"
	"io"
	"maps"
	"os"

	"stend/operator"
	"stend/server"
)

// The `stend motivity report …` commands: reports made by the public
// API's reports/create, as the operator API offers them. Their bytes are
// read from the configured blob store (--blob-store, --data-dir or the S3
// settings), as the server's.
var motivityReportCommands = map[string]command{
	"motivity report list":   {"list created reports by id ([--after] [--limit])", runMotivityReportList},
	"motivity report show":   {"show a created report's record: type, locale, filters, state, size, times, error (--id)", runMotivityReportShow},
	"motivity report data":   {"write a built report's JSON to stdout, or to --out FILE (then print its record) (--id [--out])", runMotivityReportData},
	"motivity report delete": {"delete a created report and its bytes: reports/data then answers Report not found (--id)", runMotivityReportDelete},
}

func init() { maps.Copy(commands, motivityReportCommands) }

func runMotivityReportList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	after := fs.Int64("after", 0, "reports with an id greater than this (paging)")
	limit := fs.Int("limit", 100, "at most this many (1–1000)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityReports(ctx, *after, *limit) })
}

func runMotivityReportShow(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "the report's id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityReport(ctx, *id) })
}

func runMotivityReportData(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("id", 0, "the report's id")
	out := fs.String("out", "", "write the report to this file instead of stdout")
	return withNode(ctx, e, args, func(node *server.Node) error {
		rep, body, err := node.Operator.MotivityReportContent(ctx, *id)
		if err != nil {
			return err
		}
		defer body.Close()
		if *out == "" {
			_, err := io.Copy(e.stdout, body)
			return err
		}
		if err := writeFile(*out, body); err != nil {
			return err
		}
		return e.print(rep, nil)
	})
}

// writeFile streams r into a new file at path; a copy cut short removes
// it rather than leave a truncated report that looks whole.
func writeFile(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	if err = errors.Join(err, f.Close()); err != nil {
		_ = os.Remove(path)
	}
	return err
}

func runMotivityReportDelete(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "the report's id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.DeleteMotivityReport(ctx, *id) })
}
