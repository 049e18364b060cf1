package http

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/fault"
	"stend/httpx"
	"stend/motivity"
)

// «Отчеты»: GET /reports/list, GET /reports/metadata/{type}, POST
// /reports/generate/{type}, POST /reports/create/{type}, GET (and HEAD)
// /reports/data/{id}, and the filters' value lists the metadata points to,
// GET /reports/filters/{filter}.

const (
	msgReportNotFound = "Report not found"
	msgReportFailed   = "Report could not be built"
	// msgUndecodable ("Could not decode request body") answers a body that
	// is not JSON or whose filters are not an object.

	// filterValuesLimit bounds a filter's value list: a select box shows
	// the first ones and narrows them with ?search=.
	filterValuesLimit = 100
)

// reportRoutes are the section's routes.
func (h *Handler) reportRoutes() []route {
	return []route{
		{http.MethodGet, "reports/list", h.listReports},
		{http.MethodGet, "reports/metadata/{type}", h.reportMetadata},
		{http.MethodPost, "reports/generate/{type}", h.generateReport},
		{http.MethodPost, "reports/create/{type}", h.createReport},
		{http.MethodGet, "reports/data/{id}", h.reportData},
		{http.MethodGet, "reports/filters/{filter}", h.filterValues},
	}
}

type reportListItem struct {
	Title string `json:"title"`
	Type  string `json:"type"`
}

func (h *Handler) listReports(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	locale := requestLocale(r, p)
	defs := motivity.ReportDefs()
	out := make([]reportListItem, len(defs))
	for i, d := range defs {
		out[i] = reportListItem{motivity.Localized(d.Title, locale, p), string(d.Kind)}
	}
	writeOK(w, out)
}

// reportDef is the path's report type; false (answered) when there is none.
func reportDef(w http.ResponseWriter, r *http.Request) (motivity.ReportDef, bool) {
	def, ok := motivity.ReportDefOf(r.PathValue("type"))
	if !ok {
		writeMessage(w, http.StatusNotFound, msgReportNotFound)
	}
	return def, ok
}

func (h *Handler) reportMetadata(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	def, ok := reportDef(w, r)
	if !ok {
		return
	}
	locale := requestLocale(r, p)
	label := func(t motivity.Texts) string { return motivity.Localized(t, locale, p) }
	b := append([]byte(nil), `{"headersList":`...)
	b = appendHeaders(b, append(def.Columns, motivity.StatusColumn), label)
	b = append(b, `,"filtersList":{`...)
	for i, f := range def.Filters {
		if i > 0 {
			b = append(b, ',')
		}
		b = httpx.AppendJSONString(b, f.Name)
		b = append(b, `:{"type":`...)
		b = httpx.AppendJSONString(b, f.Type)
		b = append(b, `,"label":`...)
		b = httpx.AppendJSONString(b, label(f.Label))
		b = append(b, `,"values":`...)
		if f.Values == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for j, v := range f.Values {
				if j > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"value":`...)
				b = httpx.AppendJSONString(b, v.Value)
				b = append(b, `,"label":`...)
				b = httpx.AppendJSONString(b, label(v.Label))
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, `,"url":`...)
		if f.URL == "" {
			b = append(b, "null"...)
		} else {
			b = httpx.AppendJSONString(b, Prefix+f.URL)
		}
		b = append(b, '}')
	}
	b = append(b, "}}"...)
	writeRaw(w, http.StatusOK, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func appendHeaders(b []byte, columns []motivity.ReportColumn, label func(motivity.Texts) string) []byte {
	b = append(b, '{')
	for i, c := range columns {
		if i > 0 {
			b = append(b, ',')
		}
		b = httpx.AppendJSONString(b, c.Name)
		b = append(b, ':')
		b = httpx.AppendJSONString(b, label(c.Title))
	}
	return append(b, '}')
}

// reportRequest is generate's and create's request: the path's report type
// and the body's filters; false (answered) when either is wrong.
func (h *Handler) reportRequest(w http.ResponseWriter, r *http.Request) (motivity.ReportDef, []byte, bool) {
	def, ok := reportDef(w, r)
	if !ok {
		return def, nil, false
	}
	filters, ok := h.reportFilters(w, r)
	return def, filters, ok
}

// reportFilters reads the body's "filters": nil when the body is empty;
// false (answered) when it is not a JSON object.
func (h *Handler) reportFilters(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, true
	}
	var req struct {
		Filters json.RawMessage `json:"filters"`
	}
	if json.Unmarshal(body, &req) != nil || !filtersShape(req.Filters) {
		writeMessage(w, http.StatusBadRequest, msgUndecodable)
		return nil, false
	}
	return req.Filters, true
}

// filtersShape: filters absent, null or an object.
func filtersShape(f json.RawMessage) bool {
	s := strings.TrimSpace(string(f))
	return s == "" || s == "null" || strings.HasPrefix(s, "{")
}

func (h *Handler) generateReport(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	def, filters, ok := h.reportRequest(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	plan, err := h.service.PlanReport(ctx, def, filters, requestLocale(r, p), p, httpx.Now(ctx))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	defer func() { _ = rc.SetWriteDeadline(time.Time{}) }()
	if err := h.writeReport(ctx, deadlineWriter{w, rc}, plan); err != nil {
		if ctx.Err() == nil {
			h.logger.ErrorContext(ctx, "motivity report", "request_id", httpx.RequestID(ctx), "type", def.Kind, "err", err)
		}
		// The status went out with the first rows: cut the answer short so
		// that the client sees a broken body, never a valid partial report.
		panic(http.ErrAbortHandler)
	}
}

// reportWriteTimeout is how long a client of generate may take to accept
// one buffer of its report (64 KiB): one that takes longer has gone, and
// must not hold one of the node's report slots, and its read of the
// database, for ever. Network time, not the stand's clock.
const reportWriteTimeout = time.Minute

// deadlineWriter gives each write to the client reportWriteTimeout.
type deadlineWriter struct {
	w  io.Writer
	rc *http.ResponseController
}

func (d deadlineWriter) Write(p []byte) (int, error) {
	// Not every writer can (a test's recorder): then there is no deadline.
	_ = d.rc.SetWriteDeadline(time.Now().Add(reportWriteTimeout))
	return d.w.Write(p)
}

type createdReportBody struct {
	ID int64 `json:"id"`
}

func (h *Handler) createReport(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	def, filters, ok := h.reportRequest(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	rep, err := h.service.Store.CreateReport(ctx, motivity.CreatedReport{Kind: def.Kind, Locale: requestLocale(r, p), Filters: filters, CreatedAt: httpx.Now(ctx)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeOK(w, createdReportBody{rep.ID})
}

type processingBody struct {
	Result bool   `json:"result"`
	Status string `json:"status"`
}

// reportData serves a created report as Azure Logic Apps' chunked download
// expects: the size from HEAD (or the first ranged GET), then ranges, each
// 206 with Content-Range; one ETag for every answer, If-None-Match → 304,
// a range past the end → 416 (http.ServeContent's rules).
func (h *Handler) reportData(w http.ResponseWriter, r *http.Request, _ motivity.Platform) {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 || r.PathValue("id")[0] == '+' {
		writeMessage(w, http.StatusNotFound, msgReportNotFound)
		return
	}
	rep, err := h.service.Store.CreatedReport(ctx, id)
	if stend.KindOf(err) == stend.NotFound || err == nil && rep.ExpiresAt != nil && !httpx.Now(ctx).Before(*rep.ExpiresAt) {
		writeMessage(w, http.StatusNotFound, msgReportNotFound)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	switch rep.State {
	case motivity.ReportProcessing:
		httpx.WriteJSON(w, http.StatusAccepted, contentType, processingBody{Result: true, Status: string(motivity.ReportProcessing)})
		return
	case motivity.ReportFailed:
		if rep.FinishedAt == nil {
			// Its build job ended without building it (the store reads it
			// as failed): record that, so that it expires as others do.
			if err := h.finishReport(ctx, rep); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		writeMessage(w, http.StatusInternalServerError, msgReportFailed)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("ETag", `"`+rep.ETag+`"`)
	hd.Set("Cache-Control", "private, no-cache")
	content := &blobSeeker{r: r, store: h.cfg.Blobs, key: rep.BlobKey(), size: rep.Size, spans: rangeSpans(r.Header.Get("Range"), rep.Size)}
	defer content.Close()
	http.ServeContent(w, r, "", *rep.FinishedAt, content)
}

// filterValues answers a filter's url: [{value, label}], narrowed by
// ?search= (motivity.FilterValues).
func (h *Handler) filterValues(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	out, err := h.service.FilterValues(r.Context(), r.PathValue("filter"), r.URL.Query().Get("search"), requestLocale(r, p), p, filterValuesLimit)
	switch {
	case stend.KindOf(err) == stend.NotFound:
		writeMessage(w, http.StatusNotFound, msgNotFound)
	case err != nil:
		h.fail(w, r, err)
	default:
		writeOK(w, out)
	}
}

// ReportJobHandler builds a created report (motivity.ReportBuildJobKind)
// into the blob store, or removes one that expired
// (motivity.ReportExpireJobKind).
func (h *Handler) ReportJobHandler(ctx context.Context, job stend.Job) error {
	var args motivity.ReportJobArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return fmt.Errorf("motivity report job %d: %w", job.ID, err)
	}
	if job.Kind == motivity.ReportExpireJobKind {
		return h.expireReport(ctx, args.Report)
	}
	rep, err := h.service.Store.CreatedReport(ctx, args.Report)
	if stend.KindOf(err) == stend.NotFound {
		return nil // deleted by an operator before it was built
	}
	if err != nil {
		return err
	}
	if rep.State != motivity.ReportProcessing {
		return nil
	}
	// An operator's rule may fail the build, as a build failing every
	// attempt would, at once.
	f, err := h.cfg.Faults.Job(ctx, motivity.ReportBuildJobKind, "", "report "+strconv.FormatInt(rep.ID, 10), func() ([]any, error) {
		return fault.Items(reportFaultItem{Type: string(rep.Kind), Locale: rep.Locale}), nil
	})
	if err != nil {
		return err
	}
	built, err := rep, errors.New(f.Message("report build failed"))
	if !f.Fired() {
		built, err = h.buildReport(ctx, rep, h.clock.Now())
	}
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return err // the runner is stopping: the build runs again, whole
	case !f.Fired() && job.Attempt < job.MaxAttempts:
		return err
	default:
		built = rep
		built.State, built.Error = motivity.ReportFailed, err.Error()
	}
	return h.finishReport(ctx, built)
}

// finishReport records a report built or failed, now, to expire after the
// configured time (a failed one too: its record then goes as a built
// one's).
func (h *Handler) finishReport(ctx context.Context, rep motivity.CreatedReport) error {
	finished := h.clock.Now()
	expires := finished.Add(h.cfg.ReportKeep)
	rep.FinishedAt, rep.ExpiresAt = &finished, &expires
	done, err := h.service.Store.FinishReport(ctx, rep)
	if err != nil {
		return err
	}
	if !done && rep.Blob != "" {
		// Deleted while it was built, or built by another run: these bytes
		// are no report's.
		return h.cfg.Blobs.Delete(ctx, rep.Blob)
	}
	return nil
}

// reportFaultItem is what a fault rule's field matches in a report's
// build: "type", "locale".
type reportFaultItem struct {
	Type   string `json:"type"`
	Locale string `json:"locale"`
}

// buildReport writes rep, as generate would have answered it when it was
// asked for, to its blob, hashing it on the way for its ETag.
func (h *Handler) buildReport(ctx context.Context, rep motivity.CreatedReport, now time.Time) (motivity.CreatedReport, error) {
	p, err := h.store.Platform(ctx)
	if err != nil {
		return rep, err
	}
	def, ok := motivity.ReportDefOf(string(rep.Kind))
	if !ok {
		return rep, stend.Errorf(stend.Internal, "motivity.buildReport", "report %d has the unknown type %q", rep.ID, rep.Kind)
	}
	plan, err := h.service.PlanReport(ctx, def, rep.Filters, rep.Locale, p, now)
	if err != nil {
		return rep, err
	}
	pr, pw := io.Pipe()
	hash := sha256.New()
	go func() {
		pw.CloseWithError(h.writeReport(ctx, io.MultiWriter(pw, hash), plan))
	}()
	key := motivity.NewReportBlobKey(rep.ID, stend.RandomIDs{}.NewGUID())
	info, err := h.cfg.Blobs.Put(ctx, key, pr)
	pr.CloseWithError(errors.New("report build stopped")) // lets the writer end when Put failed
	if err != nil {
		return rep, err
	}
	rep.State, rep.Size, rep.ETag, rep.Blob = motivity.ReportReady, info.Size, hex.EncodeToString(hash.Sum(nil)), key
	return rep, nil
}

// expireReport removes a report's record and bytes: its job comes due at
// the report's expiry, by the stand's clock (data/{id} answers "not found"
// from then on, whether or not the job ran yet).
func (h *Handler) expireReport(ctx context.Context, id int64) error {
	_, err := motivity.RemoveReport(ctx, h.service.Store, h.cfg.Blobs, id)
	if stend.KindOf(err) == stend.NotFound {
		return nil // deleted by an operator first
	}
	return err
}
