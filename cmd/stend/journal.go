package main

import (
	"context"
	"maps"

	"stend/operator"
)

// The `stend journal …` commands: the request journal of the stand whose
// database they open (entries a running node still holds in its queue are
// written within a moment).
var journalCommands = map[string]command{
	"journal list":  {"list journalled requests, oldest first ([--api] [--route] [--path] [--status] [--credential] [--since] [--until] [--field --value] [--after] [--limit])", runJournalList},
	"journal count": {"count journalled requests (the filters of journal list)", runJournalCount},
	"journal clear": {"remove every journalled request", runJournalClear},
}

func init() { maps.Copy(commands, journalCommands) }

func journalFlags(e *cmdEnv) *operator.JournalQuery {
	fs := e.flags()
	var q operator.JournalQuery
	fs.StringVar(&q.API, "api", "", "only this API: migrant-exam, fssp, motivity, motivity-files, reestro")
	fs.StringVar(&q.Route, "route", "", "only this route pattern (as the entries name it)")
	fs.StringVar(&q.Path, "path", "", "only requests to this path")
	fs.IntVar(&q.Status, "status", 0, "only answers with this status")
	fs.StringVar(&q.Credential, "credential", "", `only requests made with this credential ("token demo", "organization demo")`)
	fs.StringVar(&q.Since, "since", "", "only requests at or after this instant (RFC 3339)")
	fs.StringVar(&q.Until, "until", "", "only requests before this instant (RFC 3339)")
	fs.StringVar(&q.Field, "field", "", "only JSON bodies whose member at this path (examinationAreaId, requests.0.examDate) …")
	fs.StringVar(&q.Value, "value", "", "… equals this (as text)")
	fs.Int64Var(&q.AfterID, "after", 0, "entries with an id greater than this (paging)")
	fs.IntVar(&q.Limit, "limit", 100, "at most this many (1–1000)")
	return &q
}

func runJournalList(ctx context.Context, e *cmdEnv, args []string) error {
	q := journalFlags(e)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.JournalEntries(ctx, *q) })
}

func runJournalCount(ctx context.Context, e *cmdEnv, args []string) error {
	q := journalFlags(e)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		n, err := s.CountJournal(ctx, *q)
		return map[string]int64{"count": n}, err
	})
}

func runJournalClear(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		n, err := s.ClearJournal(ctx)
		return map[string]int64{"deleted": n}, err
	})
}
