package operator

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"stend"
	"stend/fssp"
	"stend/journal"
	"stend/reestro"
)

// Reads that let people look through what the stand holds, searched and
// paged on the server: the newest journal entries first, organizations and
// users by a part of their names, a badge's holders, a token's use of its
// limits, an organization's Reestro checks with what they found, and a
// file's bytes. The web console is built on them; they are plain operator
// API calls, for anyone holding the operator token.

// maxSearchText bounds a search's text: a name is never longer.
const maxSearchText = 200

func searchText(op string, r *http.Request) (string, error) {
	q := r.URL.Query().Get("q")
	if len(q) > maxSearchText || !stend.StorableText(q) {
		return "", stend.Errorf(stend.Invalid, op, "q: at most %d bytes of text without U+0000", maxSearchText)
	}
	return q, nil
}

// NewestJournal lists the entries q selects newest first, before beforeID
// (0: from the newest), limit at most 1000; q.AfterID is not used.
func (s *Service) NewestJournal(ctx context.Context, q JournalQuery, beforeID int64) ([]journal.Entry, error) {
	const op = "operator.NewestJournal"
	q.AfterID = 0
	f, err := q.filter(op)
	if err != nil {
		return nil, err
	}
	if err := s.flushJournal(ctx); err != nil {
		return nil, err
	}
	es, err := s.Search.NewestJournal(ctx, f, beforeID)
	return nonNil(es), err
}

// SearchOrganizations pages the migrant-exam organizations whose name or
// username contains q.
func (s *Service) SearchOrganizations(ctx context.Context, q string, afterID int64, limit int) ([]Organization, error) {
	orgs, err := s.Search.SearchMigrantExamOrganizations(ctx, q, afterID, limit)
	out := make([]Organization, 0, len(orgs))
	for _, o := range orgs {
		out = append(out, organizationView(o))
	}
	return out, err
}

// SearchMotivityUsers pages the Motivity users whose identifier, name or
// e-mail contains q, deleted ones too.
func (s *Service) SearchMotivityUsers(ctx context.Context, q string, afterID int64, limit int) ([]MotivityUser, error) {
	users, err := s.Search.SearchMotivityUsers(ctx, q, afterID, limit)
	out := make([]MotivityUser, 0, len(users))
	for _, u := range users {
		out = append(out, userView(u))
	}
	return out, err
}

// BadgeHolders pages the holders of a badge (of any of its grades).
func (s *Service) BadgeHolders(ctx context.Context, badgeID, afterUserID int64, limit int) ([]BadgeHolder, error) {
	if _, err := s.Motivity.Badge(ctx, badgeID); err != nil {
		return nil, err
	}
	hs, err := s.Search.BadgeHolders(ctx, badgeID, afterUserID, limit)
	out := make([]BadgeHolder, 0, len(hs))
	for _, h := range hs {
		out = append(out, BadgeHolder(h))
	}
	return out, err
}

// TokenWindow is how much of one limit a token has used.
type TokenWindow struct {
	Class   string     `json:"class"` // single or group
	Span    string     `json:"span"`  // 1h0m0s, 24h0m0s
	Limit   int        `json:"limit"`
	Used    int        `json:"used"`
	FreesAt *time.Time `json:"freesAt,omitempty"` // when a search is counted no more (none counted: absent)
}

// FSSPTokenUsage counts a token's searches in each window of its limits at
// the stand's now, as a submission would count them.
func (s *Service) FSSPTokenUsage(ctx context.Context, id int64) ([]TokenWindow, error) {
	t, err := s.FSSP.Token(ctx, id)
	if err != nil {
		return nil, err
	}
	windows := append(t.Limits.Windows(fssp.Single), t.Limits.Windows(fssp.Group)...)
	now := s.now()
	var counts []fssp.RateCount
	err = s.FSSP.InTx(ctx, func(ctx context.Context, tx fssp.Tx) error {
		counts, err = tx.CountRate(ctx, id, windows, now)
		return err
	})
	out := make([]TokenWindow, 0, len(counts))
	for _, c := range counts {
		w := TokenWindow{Class: "single", Span: c.Window.Span.String(), Limit: c.Window.Limit, Used: c.Used}
		if c.Window.Class == fssp.Group {
			w.Class = "group"
		}
		if c.Used > 0 && !c.FreesAt.IsZero() {
			at := c.FreesAt.UTC()
			w.FreesAt = &at
		}
		out = append(out, w)
	}
	return out, err
}

// ReestroCheck is a check as operators see it: what was asked, where it
// is, what it found (the API's result, as stored) and about whom.
type ReestroCheck struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	State         string          `json:"state"`
	CorrelationID string          `json:"correlationId"`
	ExternalID    string          `json:"externalId"`
	SubjectID     string          `json:"subjectId"`
	Regions       []string        `json:"regions"`
	CreatedAt     time.Time       `json:"createdAt"`
	FinishedAt    *time.Time      `json:"finishedAt,omitempty"`
	Failure       string          `json:"failure,omitempty"`
	Result        json.RawMessage `json:"result,omitempty"`
	Subject       *ReestroSubject `json:"subject,omitempty"`
}

// ReestroSubject is the person a check is about.
type ReestroSubject struct {
	ID         string    `json:"id"`
	Surname    string    `json:"surname"`
	Name       string    `json:"name"`
	Patronymic string    `json:"patronymic,omitempty"`
	BirthDate  string    `json:"birthDate,omitempty"`
	Document   string    `json:"document,omitempty"` // series and number
	CreatedAt  time.Time `json:"createdAt"`
}

func reestroCheckView(c reestro.Check) ReestroCheck {
	v := ReestroCheck{ID: c.ID, Type: c.Type.String(), State: c.State.String(), CorrelationID: c.CorrelationID, ExternalID: c.ExternalID,
		SubjectID: c.SubjectID, Regions: nonNil(c.Regions), CreatedAt: c.CreatedAt, FinishedAt: c.FinishedAt, Failure: c.Failure}
	if json.Valid(c.Result) {
		v.Result = c.Result
	}
	return v
}

// ReestroCheckQuery selects an organization's checks: the API's listing
// filters, and its paging (after a check id).
type ReestroCheckQuery struct {
	CorrelationID, ExternalID, SubjectID, State, AfterID string
	Limit                                                int
}

func (s *Service) reestroOrganizationRef(ctx context.Context, id string) (int64, error) {
	if guid, ok := reestro.ParseGUID(id); ok {
		id = guid
	}
	orgs, err := s.Reestro.Organizations(ctx)
	if err != nil {
		return 0, err
	}
	for _, o := range orgs {
		if o.ID == id {
			return o.Ref, nil
		}
	}
	return 0, stend.Errorf(stend.NotFound, "operator", "no such Reestro organization")
}

// ReestroChecks pages an organization's checks, newest first.
func (s *Service) ReestroChecks(ctx context.Context, orgID string, q ReestroCheckQuery) ([]ReestroCheck, error) {
	const op = "operator.ReestroChecks"
	if err := storable(op, q); err != nil {
		return nil, err
	}
	// Bounded as the Reestro API bounds them: a longer one matches no
	// check, and need not reach the database.
	if utf8.RuneCountInString(q.CorrelationID) > reestro.MaxClientID || utf8.RuneCountInString(q.ExternalID) > reestro.MaxClientID {
		return nil, stend.Errorf(stend.Invalid, op, "correlationId and externalId are at most %d characters", reestro.MaxClientID)
	}
	for _, id := range []*string{&q.SubjectID, &q.AfterID} {
		if *id == "" {
			continue
		}
		guid, ok := reestro.ParseGUID(*id)
		if !ok {
			return nil, stend.Errorf(stend.Invalid, op, "subjectId and afterId are GUIDs")
		}
		*id = guid
	}
	ref, err := s.reestroOrganizationRef(ctx, orgID)
	if err != nil {
		return nil, err
	}
	f := reestro.CheckFilter{OrganizationRef: ref, CorrelationID: q.CorrelationID, ExternalID: q.ExternalID, SubjectID: q.SubjectID,
		AfterID: q.AfterID, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	if q.State != "" {
		st, ok := reestro.ParseCheckState(q.State)
		if !ok {
			return nil, stend.Errorf(stend.Invalid, op, "state is Processing, Processed or Failed")
		}
		f.State = st
	}
	checks, err := s.Reestro.Checks(ctx, f)
	out := make([]ReestroCheck, 0, len(checks))
	for _, c := range checks {
		out = append(out, reestroCheckView(c))
	}
	return out, err
}

// ReestroCheck is one of an organization's checks, with its subject.
func (s *Service) ReestroCheck(ctx context.Context, orgID, id string) (ReestroCheck, error) {
	id, ok := reestro.ParseGUID(id)
	if !ok {
		return ReestroCheck{}, stend.Errorf(stend.NotFound, "operator", "no such check")
	}
	ref, err := s.reestroOrganizationRef(ctx, orgID)
	if err != nil {
		return ReestroCheck{}, err
	}
	c, err := s.Reestro.Check(ctx, ref, id)
	if err != nil {
		return ReestroCheck{}, err
	}
	v := reestroCheckView(c)
	if c.SubjectID != "" {
		sub, err := s.Reestro.Subject(ctx, ref, c.SubjectID)
		if err != nil {
			return ReestroCheck{}, err
		}
		v.Subject = reestroSubjectView(sub)
	}
	return v, nil
}

func reestroSubjectView(sub reestro.Subject) *ReestroSubject {
	p := sub.Person
	v := &ReestroSubject{ID: sub.ID, Surname: p.Surname, Name: p.Name, Patronymic: p.Patronymic, CreatedAt: sub.CreatedAt}
	if p.BirthDate != nil {
		v.BirthDate = p.BirthDate.String()
	}
	if p.Document != nil {
		v.Document = p.Document.Series + " " + p.Document.Number
	}
	return v
}

// MotivityFileContent opens a file's bytes; the caller closes them.
func (s *Service) MotivityFileContent(ctx context.Context, id int64) (MotivityFile, io.ReadCloser, error) {
	f, err := s.Motivity.File(ctx, id)
	if err != nil {
		return MotivityFile{}, nil, err
	}
	body, err := s.Blobs.Get(ctx, f.BlobKey, 0, -1)
	if err != nil {
		return MotivityFile{}, nil, err
	}
	return motivityFileOut(f), body, nil
}

func (h *HTTP) searchRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Prefix+"journal/newest", h.answer(func(r *http.Request) (any, error) {
		q, err := journalQuery(r.URL.Query())
		if err != nil {
			return nil, err
		}
		before, err := queryID(r, "beforeId")
		if err != nil {
			return nil, err
		}
		es, err := h.svc.NewestJournal(r.Context(), q, before)
		return map[string]any{"entries": es}, err
	}))
	m.HandleFunc("GET "+Prefix+"search/migrant-exam/organizations", h.search("operator.SearchOrganizations", "organizations",
		func(ctx context.Context, q string, after int64, limit int) (any, error) {
			return h.svc.SearchOrganizations(ctx, q, after, limit)
		}))
	m.HandleFunc("GET "+Prefix+"search/motivity/users", h.search("operator.SearchMotivityUsers", "users",
		func(ctx context.Context, q string, after int64, limit int) (any, error) {
			return h.svc.SearchMotivityUsers(ctx, q, after, limit)
		}))
	m.HandleFunc("GET "+Prefix+"motivity/badges/{id}/holders", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		hs, err := h.svc.BadgeHolders(r.Context(), id, after, limit)
		return map[string]any{"holders": hs}, err
	}))
	m.HandleFunc("GET "+Prefix+"motivity/files/{id}/content", h.fileContent)
	m.HandleFunc("GET "+Prefix+"fssp/tokens/{id}/usage", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		ws, err := h.svc.FSSPTokenUsage(r.Context(), id)
		return map[string]any{"windows": ws}, err
	}))
	m.HandleFunc("GET "+Prefix+"reestro/organizations/{id}/checks", h.answer(func(r *http.Request) (any, error) {
		v := r.URL.Query()
		q := ReestroCheckQuery{CorrelationID: v.Get("correlationId"), ExternalID: v.Get("externalId"), SubjectID: v.Get("subjectId"),
			State: v.Get("state"), AfterID: v.Get("afterId")}
		limit, err := queryID(r, "limit")
		if err != nil {
			return nil, err
		}
		q.Limit = int(min(limit, 1000))
		checks, err := h.svc.ReestroChecks(r.Context(), r.PathValue("id"), q)
		return map[string]any{"checks": checks}, err
	}))
	m.HandleFunc("GET "+Prefix+"reestro/organizations/{id}/checks/{checkId}", h.answer(func(r *http.Request) (any, error) {
		return h.svc.ReestroCheck(r.Context(), r.PathValue("id"), r.PathValue("checkId"))
	}))
}

// search answers find's page for the request's q, afterId and limit, as
// {name: […]}.
func (h *HTTP) search(op, name string, find func(ctx context.Context, q string, after int64, limit int) (any, error)) http.HandlerFunc {
	return h.answer(func(r *http.Request) (any, error) {
		q, err := searchText(op, r)
		if err != nil {
			return nil, err
		}
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		found, err := find(r.Context(), q, after, limit)
		return map[string]any{name: found}, err
	})
}

// fileContent streams a file's bytes, named for saving.
func (h *HTTP) fileContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	f, body, err := h.svc.MotivityFileContent(r.Context(), id)
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	defer body.Close()
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	// What clients uploaded, from the stand's own origin (an SVG may hold
	// script), opened by a link or typed: never sniffed, never run as a
	// page, as Motivity's own downloads.
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "sandbox")
	_, _ = io.Copy(w, body)
}
