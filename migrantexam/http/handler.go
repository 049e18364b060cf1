// Package http serves the weekly report intake of migrant exam areas
// (POST /Reports/Report), as documented in
// shared/specs/migrant-exam-reports.ru.md, with the project's decisions.
package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"stend"
	"stend/credential"
	"stend/httpx"
	"stend/migrantexam"
)

// Config holds the limits of the intake.
type Config struct {
	// MaxBodyBytes bounds a request body; a larger one gets 413.
	MaxBodyBytes int64
	// MaxRows bounds the rows of one report.
	MaxRows int
	// Location decides what "today" is for dates that may not lie in the
	// future (the service is Russian: Moscow time by default).
	Location *time.Location
	// PasswordIterations is the cost of the decoy hash an unknown username
	// is checked against: the cost the operator stores passwords at, so
	// that timing does not tell usernames apart.
	PasswordIterations int
	// Keys hashes API keys as the operator stored them.
	Keys credential.KeyHasher
	// Throttle refuses, for a while, a source that keeps failing to
	// authenticate (429); nil refuses nothing.
	Throttle *httpx.Throttle
}

// Defaults: a weekly report of even a very large area is a few thousand
// rows of about 150 bytes.
const (
	DefaultMaxBodyBytes = 16 << 20
	DefaultMaxRows      = 50_000
)

// Handler serves the API.
type Handler struct {
	cfg    Config
	store  migrantexam.Store
	clock  stend.Clock
	auth   *authenticator
	logger *slog.Logger
	mux    *http.ServeMux
}

// New builds the API's handler.
func New(cfg Config, store migrantexam.Store, clock stend.Clock, logger *slog.Logger) *Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxRows <= 0 {
		cfg.MaxRows = DefaultMaxRows
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	h := &Handler{cfg: cfg, store: store, clock: clock, auth: newAuthenticator(store, cfg.PasswordIterations, cfg.Keys, cfg.Throttle), logger: logger, mux: http.NewServeMux()}
	h.mux.HandleFunc("POST /Reports/Report", h.postReport)
	h.mux.HandleFunc("/Reports/Report", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		writeProblem(w, http.StatusMethodNotAllowed, "")
	})
	h.mux.HandleFunc("/Reports/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound, "")
	})
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	httpx.Recover(h.logger, writeInternal, httpx.AtNow(h.clock, h.mux)).ServeHTTP(w, r)
}

func (h *Handler) postReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	org, err := h.auth.organization(ctx, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		writeProblem(w, http.StatusUnsupportedMediaType, "Ожидается content-type application/json")
		return
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		// Refused before reading: no point taking in megabytes to discard.
		writeProblem(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Тело запроса больше %d байт", h.cfg.MaxBodyBytes))
		return
	}
	var req reportRequest
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes))
	// Every row takes at least two bytes ("1,"), so a smaller body cannot
	// be over the limit and skips the scan.
	if err == nil && len(body) > 2*h.cfg.MaxRows {
		if n := countRows(body); n > h.cfg.MaxRows && json.Valid(body) {
			writeValidationProblem(w, map[string][]string{"Requests": {tooManyRows(h.cfg.MaxRows, n)}})
			return
		}
	}
	if problem, status := decodeBody(body, err, &req); status != 0 {
		if status == http.StatusRequestEntityTooLarge {
			writeProblem(w, status, fmt.Sprintf("Тело запроса больше %d байт", h.cfg.MaxBodyBytes))
			return
		}
		writeValidationProblem(w, map[string][]string{"$": {problem}})
		return
	}
	if errs := req.bind(h.cfg.MaxRows); len(errs) > 0 {
		writeValidationProblem(w, errs)
		return
	}
	now := httpx.Now(ctx)
	today := stend.DateOf(now.In(h.cfg.Location))
	content, broken := req.rules(today)
	if broken != "" {
		writeRuleError(w, broken)
		return
	}
	var replace int64
	if req.ReportID.given() {
		replace = req.ReportID.v
	}
	id, err := h.store.SubmitReport(ctx, migrantexam.ReportSubmission{
		OrganizationID:  org.ID,
		ReplaceReportID: replace,
		ReceivedAt:      now.UTC(),
		Content:         content,
	})
	var dup *migrantexam.DuplicateReportError
	switch {
	case errors.As(err, &dup):
		writeRuleError(w, fmt.Sprintf("Отчет по площадке examinationAreaId = %d за период с %s по %s уже принят, reportId = %d. Чтобы заменить его, передайте reportId",
			dup.ExaminationAreaID, content.PeriodStart, content.PeriodEnd, dup.ReportID))
	case errors.Is(err, migrantexam.ErrAreaNotGranted):
		writeRuleError(w, fmt.Sprintf("Площадка с examinationAreaId = %d не предоставлена организации", content.ExaminationAreaID))
	case errors.Is(err, migrantexam.ErrReportNotFound):
		writeRuleError(w, fmt.Sprintf("Отчет с reportId = %d не найден", replace))
	case err != nil:
		h.fail(w, r, err)
	default:
		httpx.WriteJSON(w, http.StatusOK, "application/json; charset=utf-8", reportResponse{ReportID: id})
	}
}

// fail answers an error that no rule of the document describes.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, httpx.ErrFaulted) {
		return // a fault rule on the organization answered already
	}
	switch stend.KindOf(err) {
	case stend.Invalid:
		// Input the validation let through and the store refused (text it
		// cannot hold): the body's fault, never a 500.
		writeValidationProblem(w, map[string][]string{"$": {msgNotText}})
	case stend.Unauthenticated:
		writeUnauthorized(w)
	case stend.Unavailable:
		writeProblem(w, http.StatusServiceUnavailable, "Сервис временно недоступен, повторите запрос позже")
	case stend.RateLimited:
		httpx.SetRetryAfter(w.Header(), err)
		writeProblem(w, http.StatusTooManyRequests, "Слишком много попыток авторизации, повторите запрос позже")
	default:
		if r.Context().Err() != nil {
			// The client went away; nothing to answer.
			return
		}
		h.logger.ErrorContext(r.Context(), "migrantexam", "request_id", httpx.RequestID(r.Context()), "err", err)
		writeInternal(w, r)
	}
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/json" || mt == "text/json" || len(mt) > 17 && mt[:12] == "application/" && mt[len(mt)-5:] == "+json")
}

// decodeBody decodes exactly one JSON object from body, which was read with
// readErr. It returns a problem text and 400, or 413 when the body is over
// the limit, or 0 when all is well. The body is read whole first: the size
// limit bounds it, and a JSON decoder would buffer the whole value anyway.
func decodeBody(body []byte, readErr error, req *reportRequest) (string, int) {
	if readErr == nil && decodeFast(body, req) {
		return "", 0
	}
	*req = reportRequest{}
	err := readErr
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		err = dec.Decode(req)
		if err == nil {
			if _, terr := dec.Token(); terr != io.EOF {
				err = errTrailing
			}
		}
	}
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "", 0
	case errors.As(err, &tooLarge):
		return "", http.StatusRequestEntityTooLarge
	case errors.Is(err, io.EOF):
		return msgEmptyBody, http.StatusBadRequest
	case errors.Is(err, errTrailing):
		return msgTrailingData, http.StatusBadRequest
	case errors.As(err, &syntax):
		return fmt.Sprintf("Тело запроса не является корректным JSON: ошибка в позиции %d", syntax.Offset), http.StatusBadRequest
	case errors.As(err, &typ) && typ.Field == "":
		return msgNotAnObject, http.StatusBadRequest
	case errors.Is(err, io.ErrUnexpectedEOF) || readErr != nil:
		return "Тело запроса оборвано: JSON не завершен", http.StatusBadRequest
	default:
		return "Тело запроса не является корректным JSON", http.StatusBadRequest
	}
}

var errTrailing = errors.New("trailing data")
