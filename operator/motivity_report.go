package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"stend"
	"stend/motivity"
)

// Motivity's created reports (POST /public/api/v1/reports/create/{type}),
// as operators see them: the record the build job keeps, the bytes it
// wrote to the blob store, and a way to remove both before they expire.

// MotivityReport is a created report's record.
type MotivityReport struct {
	ID     int64  `json:"id"`
	Type   string `json:"type"`
	Locale string `json:"locale"`
	// Filters are the request's "filters" as sent; null when it sent none.
	Filters json.RawMessage `json:"filters"`
	// State: processing, ready or failed.
	State string `json:"state"`
	// Size and ETag are the built report's (ready).
	Size       int64      `json:"size"`
	ETag       string     `json:"etag,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	FinishedAt *time.Time `json:"finishedAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`
	// Error is why every attempt to build it failed (failed).
	Error string `json:"error,omitempty"`
}

func motivityReportOut(r motivity.CreatedReport) MotivityReport {
	return MotivityReport{ID: r.ID, Type: string(r.Kind), Locale: r.Locale, Filters: r.Filters, State: string(r.State), Size: r.Size,
		ETag: r.ETag, CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt, ExpiresAt: r.ExpiresAt, Error: r.Error}
}

// MotivityReports lists created reports by id, expired ones the expiry
// job has not removed yet too.
func (s *Service) MotivityReports(ctx context.Context, afterID int64, limit int) ([]MotivityReport, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	reps, err := s.Motivity.CreatedReports(ctx, afterID, limit)
	return views(reps, motivityReportOut), err
}

// MotivityReport is one created report's record.
func (s *Service) MotivityReport(ctx context.Context, id int64) (MotivityReport, error) {
	rep, err := s.Motivity.CreatedReport(ctx, id)
	return motivityReportOut(rep), err
}

// MotivityReportContent opens a built report's bytes, the JSON that
// reports/data/{id} serves; the caller closes them. A report that has no
// bytes (still being built, or failed) is a conflict, not a missing one.
func (s *Service) MotivityReportContent(ctx context.Context, id int64) (MotivityReport, io.ReadCloser, error) {
	const op = "operator.MotivityReportContent"
	rep, err := s.Motivity.CreatedReport(ctx, id)
	if err != nil {
		return MotivityReport{}, nil, err
	}
	switch rep.State {
	case motivity.ReportProcessing:
		return MotivityReport{}, nil, stend.Errorf(stend.Conflict, op, "report %d is still being built", id)
	case motivity.ReportFailed:
		return MotivityReport{}, nil, stend.Errorf(stend.Conflict, op, "report %d failed to build: %s", id, rep.Error)
	}
	body, err := s.Blobs.Get(ctx, rep.BlobKey(), 0, -1)
	if err != nil {
		return MotivityReport{}, nil, fmt.Errorf("%s: report %d: %w", op, id, err)
	}
	return motivityReportOut(rep), body, nil
}

// DeleteMotivityReport removes a created report: reports/data/{id}
// answers "Report not found" from then on, and its bytes go (as the
// expiry job removes it: motivity.RemoveReport).
func (s *Service) DeleteMotivityReport(ctx context.Context, id int64) (MotivityReport, error) {
	rep, err := motivity.RemoveReport(ctx, s.Motivity, s.Blobs, id)
	if err != nil {
		return MotivityReport{}, err
	}
	return motivityReportOut(rep), nil
}

// motivityReportRoutes adds created reports to the operator API.
func (h *HTTP) motivityReportRoutes(m *http.ServeMux) {
	const p = Prefix + "motivity/reports"
	m.HandleFunc("GET "+p, h.answer(func(r *http.Request) (any, error) {
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		reps, err := h.svc.MotivityReports(r.Context(), after, limit)
		return map[string]any{"reports": reps}, err
	}))
	m.HandleFunc("GET "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return h.svc.MotivityReport(r.Context(), id)
	}))
	m.HandleFunc("GET "+p+"/{id}/data", h.reportData)
	m.HandleFunc("DELETE "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return h.svc.DeleteMotivityReport(r.Context(), id)
	}))
}

// reportData streams a built report's bytes from the blob store, named
// for saving.
func (h *HTTP) reportData(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	rep, body, err := h.svc.MotivityReportContent(r.Context(), id)
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	defer body.Close()
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Content-Length", strconv.FormatInt(rep.Size, 10))
	hd.Set("ETag", `"`+rep.ETag+`"`)
	name := "motivity-report-" + strconv.FormatInt(rep.ID, 10) + "-" + rep.Type + ".json"
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	_, _ = io.Copy(w, body)
}
