package operator

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"stend"
	"stend/httpx"
	"stend/migrantexam"
)

// Prefix is where the operator HTTP API lives.
const Prefix = "/operator/v1/"

// maxOperatorBody bounds operator request bodies, which are small documents.
const maxOperatorBody = 1 << 20

// HTTP is the operator API. Every call needs "Authorization: Bearer <token>".
type HTTP struct {
	svc       *Service
	tokenHash [32]byte
	throttle  *httpx.Throttle
	logger    *slog.Logger
	mux       *http.ServeMux
}

// NewHTTP serves svc to holders of token. An empty token disables the API:
// every call is refused.
// A source that keeps presenting wrong tokens is refused for a while by
// throttle (429); nil refuses nothing.
func NewHTTP(svc *Service, token string, throttle *httpx.Throttle, logger *slog.Logger) *HTTP {
	h := &HTTP{svc: svc, throttle: throttle, logger: logger, mux: http.NewServeMux()}
	if token != "" {
		h.tokenHash = sha256.Sum256([]byte(token))
	}
	m := h.mux
	m.HandleFunc("GET /operator/v1/migrant-exam/organizations", h.listOrganizations)
	m.HandleFunc("POST /operator/v1/migrant-exam/organizations", h.createOrganization)
	m.HandleFunc("GET /operator/v1/migrant-exam/organizations/{id}", h.getOrganization)
	m.HandleFunc("POST /operator/v1/migrant-exam/organizations/{id}/credentials", h.rotateCredentials)
	m.HandleFunc("GET /operator/v1/migrant-exam/organizations/{id}/areas", h.listAreas)
	m.HandleFunc("POST /operator/v1/migrant-exam/organizations/{id}/areas", h.grantArea)
	m.HandleFunc("DELETE /operator/v1/migrant-exam/organizations/{id}/areas/{areaId}", h.revokeArea)
	m.HandleFunc("GET /operator/v1/migrant-exam/reports", h.listReports)
	m.HandleFunc("GET /operator/v1/migrant-exam/reports/{id}", h.getReport)
	h.registerFSSP(m)
	h.motivityRoutes(m)
	h.motivityFileRoutes(m)
	h.motivityQuestRoutes(m)
	h.motivityReportRoutes(m)
	h.registerReestro(m)
	h.registerClock(m)
	h.journalRoutes(m)
	h.faultRoutes(m)
	h.tlsRoutes(m)
	h.standRoutes(m)
	h.searchRoutes(m)
	m.HandleFunc("/operator/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, stend.Errorf(stend.NotFound, "operator", "no such operator route"))
	})
	return h
}

func (h *HTTP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, err := httpx.Authenticate(h.throttle, r, func() (struct{}, error) {
		if !h.authorized(r) {
			return struct{}{}, stend.Errorf(stend.Unauthenticated, "operator", "operator token required")
		}
		return struct{}{}, nil
	})
	if err != nil {
		if stend.KindOf(err) == stend.Unauthenticated {
			w.Header().Set("WWW-Authenticate", `Bearer realm="stend-operator"`)
		}
		httpx.SetRetryAfter(w.Header(), err)
		writeError(w, err)
		return
	}
	httpx.Recover(h.logger, func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, errors.New("panic"))
	}, h.mux).ServeHTTP(w, r)
}

func (h *HTTP) authorized(r *http.Request) bool {
	if h.tokenHash == [32]byte{} {
		return false
	}
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], h.tokenHash[:]) == 1
}

type errorBody struct {
	Error struct {
		Kind    string `json:"kind"`
		Message string `json:"message"`
	} `json:"error"`
}

var kindStatus = map[stend.Kind]int{
	stend.Invalid:          http.StatusBadRequest,
	stend.Unauthenticated:  http.StatusUnauthorized,
	stend.PermissionDenied: http.StatusForbidden,
	stend.NotFound:         http.StatusNotFound,
	stend.Conflict:         http.StatusConflict,
	stend.TooLarge:         http.StatusRequestEntityTooLarge,
	stend.RateLimited:      http.StatusTooManyRequests,
	stend.Unavailable:      http.StatusServiceUnavailable,
}

func writeError(w http.ResponseWriter, err error) {
	kind := stend.KindOf(err)
	status, ok := kindStatus[kind]
	if !ok {
		status = http.StatusInternalServerError
	}
	var body errorBody
	body.Error.Kind = kind.String()
	body.Error.Message = errString(err)
	httpx.WriteJSON(w, status, "application/json; charset=utf-8", body)
}

func (h *HTTP) reply(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		if stend.KindOf(err) == stend.Internal {
			h.logger.ErrorContext(r.Context(), "operator", "request_id", httpx.RequestID(r.Context()), "err", err)
		}
		writeError(w, err)
		return
	}
	if v == nil {
		w.WriteHeader(status)
		return
	}
	httpx.WriteJSON(w, status, "application/json; charset=utf-8", v)
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxOperatorBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return stend.Errorf(stend.Invalid, "operator", "body: %v", err)
	}
	return nil
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, stend.Errorf(stend.NotFound, "operator", "no such %s", name)
	}
	return id, nil
}

func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		return 0, stend.Errorf(stend.Invalid, "operator", "%s must be a non-negative integer", name)
	}
	return id, nil
}

func (h *HTTP) listOrganizations(w http.ResponseWriter, r *http.Request) {
	orgs, err := h.svc.Organizations(r.Context())
	h.reply(w, r, http.StatusOK, map[string]any{"organizations": nonNil(orgs)}, err)
}

func (h *HTTP) createOrganization(w http.ResponseWriter, r *http.Request) {
	var n NewOrganization
	if err := decode(w, r, &n); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	created, err := h.svc.CreateOrganization(r.Context(), n)
	h.reply(w, r, http.StatusCreated, created, err)
}

func (h *HTTP) getOrganization(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	org, err := h.svc.Organization(r.Context(), id)
	h.reply(w, r, http.StatusOK, org, err)
}

func (h *HTTP) rotateCredentials(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	var body struct {
		Password string `json:"password"`
		APIKey   string `json:"apiKey"`
	}
	if r.ContentLength != 0 {
		if err := decode(w, r, &body); err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
	}
	creds, err := h.svc.RotateCredentials(r.Context(), id, body.Password, body.APIKey)
	h.reply(w, r, http.StatusOK, creds, err)
}

func (h *HTTP) listAreas(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	areas, err := h.svc.Areas(r.Context(), id)
	h.reply(w, r, http.StatusOK, map[string]any{"areas": nonNil(areas)}, err)
}

func (h *HTTP) grantArea(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	var body struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := decode(w, r, &body); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	area, err := h.svc.GrantArea(r.Context(), id, body.ID, body.Name)
	h.reply(w, r, http.StatusOK, area, err)
}

func (h *HTTP) revokeArea(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	areaID, err := pathID(r, "areaId")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	h.reply(w, r, http.StatusNoContent, nil, h.svc.RevokeArea(r.Context(), id, areaID))
}

func (h *HTTP) listReports(w http.ResponseWriter, r *http.Request) {
	var f migrantexam.ReportFilter
	var limit int64
	params := []struct {
		name string
		dst  *int64
	}{{"organizationId", &f.OrganizationID}, {"examinationAreaId", &f.ExaminationAreaID}, {"afterId", &f.AfterID}, {"limit", &limit}}
	for _, p := range params {
		v, err := queryID(r, p.name)
		if err != nil {
			h.reply(w, r, 0, nil, err)
			return
		}
		*p.dst = v
	}
	f.Limit = int(min(limit, 1000))
	reports, err := h.svc.Reports(r.Context(), f)
	h.reply(w, r, http.StatusOK, map[string]any{"reports": nonNil(reports)}, err)
}

func (h *HTTP) getReport(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	report, err := h.svc.Report(r.Context(), id)
	h.reply(w, r, http.StatusOK, report, err)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
