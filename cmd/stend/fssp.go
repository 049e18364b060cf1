package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"stend/fssp"
	"stend/fssp/bankcsv"
	"stend/operator"
	"stend/server"
)

func init() {
	for name, c := range map[string]command{
		"fssp token issue":  {"issue an FSSP API token valid a year (--name [--token] [--single-per-hour --single-per-day --group-per-day]); prints it once", runFSSPTokenIssue},
		"fssp token list":   {"list FSSP API tokens", runFSSPTokenList},
		"fssp token revoke": {"revoke an FSSP API token (--id)", runFSSPTokenRevoke},
		"fssp task list":    {"list FSSP tasks, newest first ([--token] [--status] [--from] [--to] [--limit])", runFSSPTaskList},
		"fssp task show":    {"show an FSSP task with its requests and results (--id)", runFSSPTaskShow},
		"fssp generate":     {"add synthetic proceedings to the FSSP data bank (--count [--random-seed])", runFSSPGenerate},
		"fssp import":       {"load proceedings from CSV files into the FSSP data bank ([--layout stend|opendata] [--skip-bad] FILE…)", runFSSPImport},
	} {
		commands[name] = c
	}
}

func runFSSPTokenIssue(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var n operator.NewFSSPToken
	limits := fssp.DefaultLimits
	fs.StringVar(&n.Name, "name", "", "whom the token is for")
	fs.StringVar(&n.Token, "token", "", "the token (generated when empty)")
	fs.IntVar(&limits.SinglePerHour, "single-per-hour", limits.SinglePerHour, "single searches per sliding hour (0: no limit)")
	fs.IntVar(&limits.SinglePerDay, "single-per-day", limits.SinglePerDay, "single searches per sliding day (0: no limit)")
	fs.IntVar(&limits.GroupPerDay, "group-per-day", limits.GroupPerDay, "group requests per sliding day (0: no limit)")
	n.Limits = &limits
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.IssueFSSPToken(ctx, n) })
}

func runFSSPTokenList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.FSSPTokens(ctx) })
}

func runFSSPTokenRevoke(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("id", 0, "token id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.RevokeFSSPToken(ctx, *id) })
}

func runFSSPTaskList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var f fssp.TaskFilter
	fs.Int64Var(&f.TokenID, "token", 0, "only this token's tasks")
	status := fs.Int("status", -1, "only tasks in this status (0 done, 1 running, 2 queued, 3 done with errors)")
	from := fs.String("from", "", "submitted at or after (RFC 3339)")
	to := fs.String("to", "", "submitted before (RFC 3339)")
	fs.IntVar(&f.Limit, "limit", 100, "at most this many")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		var err error
		if f.From, err = optionalTime(*from); err != nil {
			return nil, err
		}
		if f.To, err = optionalTime(*to); err != nil {
			return nil, err
		}
		if *status >= 0 {
			f.State = status
		}
		return s.FSSPTasks(ctx, f)
	})
}

func optionalTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return t, fmt.Errorf("%q is not an RFC 3339 time", s)
	}
	return t, nil
}

func runFSSPTaskShow(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.String("id", "", "task id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.FSSPTask(ctx, *id) })
}

// bulkGC lets a bulk load's garbage (each row's values boxed for
// database/sql) pile up to a memory limit instead of collecting it at every
// doubling of a small heap: collections took a fifth of a load's CPU.
func bulkGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(1<<30)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

func runFSSPGenerate(ctx context.Context, e *cmdEnv, args []string) error {
	defer bulkGC()()
	fs := e.flags()
	count := fs.Int64("count", 100_000, "proceedings to add")
	seed := fs.Uint64("random-seed", 1, "generator seed: the same seed makes the same proceedings")
	return withNode(ctx, e, args, func(node *server.Node) error {
		bar := newProgress(e.stderr, *count)
		n, err := node.Operator.GenerateBank(ctx, *seed, *count, bar.update)
		bar.done(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "{\"generated\": %d, \"seconds\": %.1f}\n", n, bar.elapsed().Seconds())
		return nil
	})
}

func runFSSPImport(ctx context.Context, e *cmdEnv, args []string) error {
	defer bulkGC()()
	fs := e.flags()
	layout := fs.String("layout", bankcsv.LayoutStend, "column layout: stend (docs/fssp.md) or opendata (the FSSP open data set of legal entities)")
	skipBad := fs.Bool("skip-bad", false, "load the good rows and report the bad ones; by default one bad row keeps the whole file out")
	e.takesFiles = true
	return withNode(ctx, e, args, func(node *server.Node) error {
		files := fs.Args()
		if len(files) == 0 {
			return fmt.Errorf("name the CSV files to import")
		}
		total := operator.ImportResult{BadRows: []bankcsv.LineError{}}
		for _, name := range files {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			info, _ := f.Stat()
			counter := &countingReader{r: f}
			bar := newProgress(e.stderr, 0)
			res, err := node.Operator.ImportBank(ctx, counter, *layout, *skipBad, func(n int64) {
				if info != nil && info.Size() > 0 {
					bar.total = n * info.Size() / max(counter.n, 1)
				}
				bar.update(n)
			})
			f.Close()
			bar.done(res.Imported)
			for _, b := range res.BadRows {
				fmt.Fprintf(e.stderr, "%s:%d: %s\n", name, b.Line, b.Message)
			}
			for _, d := range res.ReplacedDepartments {
				fmt.Fprintf(e.stderr, "%s: department %05d was %q, %q, %q in the bank; now %q, %q, %q\n", name, d.Department,
					d.Was.Name, d.Was.PostalIndex, d.Was.Address, d.Now.Name, d.Now.PostalIndex, d.Now.Address)
			}
			total.Imported += res.Imported
			total.BadRows = append(total.BadRows, res.BadRows...)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		fmt.Fprintf(e.stdout, "{\"imported\": %d, \"badRows\": %d}\n", total.Imported, len(total.BadRows))
		return nil
	})
}

// countingReader counts the bytes read, for the progress bar's estimate.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
