package operator

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"stend"
	"stend/journal"
)

// The request journal as operators and integrators' tests read it: what was
// sent to the four APIs, filtered, counted, cleared.

// JournalQuery selects entries; empty fields select all. Since and Until
// are RFC 3339; Field is a body member's path ("examinationAreaId",
// "requests.0.examDate") that must equal Value (as text).
type JournalQuery struct {
	API        string `json:"api,omitempty"`
	Route      string `json:"route,omitempty"`
	Path       string `json:"path,omitempty"`
	Status     int    `json:"status,omitempty"`
	Credential string `json:"credential,omitempty"`
	Since      string `json:"since,omitempty"`
	Until      string `json:"until,omitempty"`
	Field      string `json:"field,omitempty"`
	Value      string `json:"value,omitempty"`
	AfterID    int64  `json:"afterId,omitempty"`
	Limit      int    `json:"limit,omitempty"`
}

func (q JournalQuery) filter(op string) (journal.Filter, error) {
	f := journal.Filter{API: q.API, Route: q.Route, Path: q.Path, Status: q.Status, Credential: q.Credential, Field: q.Field, Value: q.Value,
		AfterID: q.AfterID, Limit: q.Limit}
	for _, t := range []struct {
		v  string
		to *time.Time
	}{{q.Since, &f.Since}, {q.Until, &f.Until}} {
		if t.v == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, t.v)
		if err != nil {
			return f, stend.Errorf(stend.Invalid, op, "since and until are RFC 3339 instants: %q", t.v)
		}
		*t.to = at
	}
	if !stend.StorableText(q.API+q.Route+q.Path+q.Credential+q.Field+q.Value) || len(q.Field) > 500 || len(q.Value) > 10_000 {
		return f, stend.Errorf(stend.Invalid, op, "texts of a query: no U+0000, a field path of at most 500 bytes")
	}
	return f, nil
}

// flushJournal waits until this node's requests answered so far are in the
// journal.
func (s *Service) flushJournal(ctx context.Context) error {
	if s.Journal == nil {
		return nil
	}
	return s.Journal.Flush(ctx)
}

// JournalEntries lists entries oldest first, in pages (afterId, limit at
// most 1000).
func (s *Service) JournalEntries(ctx context.Context, q JournalQuery) ([]journal.Entry, error) {
	f, err := q.filter("operator.JournalEntries")
	if err != nil {
		return nil, err
	}
	if err := s.flushJournal(ctx); err != nil {
		return nil, err
	}
	es, err := s.JournalStore.Journal(ctx, f)
	if es == nil {
		es = []journal.Entry{}
	}
	return es, err
}

// CountJournal counts the entries q selects: a test asserts that exactly
// one report for an area was sent.
func (s *Service) CountJournal(ctx context.Context, q JournalQuery) (int64, error) {
	f, err := q.filter("operator.CountJournal")
	if err != nil {
		return 0, err
	}
	if err := s.flushJournal(ctx); err != nil {
		return 0, err
	}
	return s.JournalStore.CountJournal(ctx, f)
}

// ClearJournal removes every entry and says how many there were.
func (s *Service) ClearJournal(ctx context.Context) (int64, error) {
	if err := s.flushJournal(ctx); err != nil {
		return 0, err
	}
	return s.JournalStore.ClearJournal(ctx)
}

// journalQuery reads a query from URL parameters.
func journalQuery(v url.Values) (JournalQuery, error) {
	q := JournalQuery{API: v.Get("api"), Route: v.Get("route"), Path: v.Get("path"), Credential: v.Get("credential"), Since: v.Get("since"),
		Until: v.Get("until"), Field: v.Get("field"), Value: v.Get("value")}
	for _, n := range []struct {
		name string
		to   func(int64)
	}{
		{"status", func(x int64) { q.Status = int(x) }},
		{"afterId", func(x int64) { q.AfterID = x }},
		{"limit", func(x int64) { q.Limit = int(x) }},
	} {
		if s := v.Get(n.name); s != "" {
			x, err := strconv.ParseInt(s, 10, 32)
			if err != nil || x < 0 {
				return q, stend.Errorf(stend.Invalid, "operator.journal", "%s must be a non-negative integer", n.name)
			}
			n.to(x)
		}
	}
	return q, nil
}

func (h *HTTP) journalRoutes(m *http.ServeMux) {
	const p = Prefix + "journal"
	m.HandleFunc("GET "+p, h.answer(func(r *http.Request) (any, error) {
		q, err := journalQuery(r.URL.Query())
		if err != nil {
			return nil, err
		}
		es, err := h.svc.JournalEntries(r.Context(), q)
		return map[string]any{"entries": es}, err
	}))
	m.HandleFunc("GET "+p+"/count", h.answer(func(r *http.Request) (any, error) {
		q, err := journalQuery(r.URL.Query())
		if err != nil {
			return nil, err
		}
		n, err := h.svc.CountJournal(r.Context(), q)
		return map[string]int64{"count": n}, err
	}))
	m.HandleFunc("DELETE "+p, h.answer(func(r *http.Request) (any, error) {
		n, err := h.svc.ClearJournal(r.Context())
		return map[string]int64{"deleted": n}, err
	}))
}
