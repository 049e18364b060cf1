package operator

import (
	"net/http"
	"strconv"
	"time"

	"stend"
	"stend/fssp"
	"stend/fssp/bankcsv"
)

func (h *HTTP) registerFSSP(m *http.ServeMux) {
	m.HandleFunc("GET /operator/v1/fssp/tokens", h.listFSSPTokens)
	m.HandleFunc("POST /operator/v1/fssp/tokens", h.issueFSSPToken)
	m.HandleFunc("DELETE /operator/v1/fssp/tokens/{id}", h.revokeFSSPToken)
	m.HandleFunc("GET /operator/v1/fssp/tasks", h.listFSSPTasks)
	m.HandleFunc("GET /operator/v1/fssp/tasks/{id}", h.getFSSPTask)
	m.HandleFunc("GET /operator/v1/fssp/bank", h.bankSize)
	m.HandleFunc("POST /operator/v1/fssp/bank/generate", h.generateBank)
	m.HandleFunc("POST /operator/v1/fssp/bank/import", h.importBank)
}

func (h *HTTP) listFSSPTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := h.svc.FSSPTokens(r.Context())
	h.reply(w, r, http.StatusOK, map[string]any{"tokens": nonNil(ts)}, err)
}

func (h *HTTP) issueFSSPToken(w http.ResponseWriter, r *http.Request) {
	var n NewFSSPToken
	if err := decode(w, r, &n); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	t, err := h.svc.IssueFSSPToken(r.Context(), n)
	h.reply(w, r, http.StatusCreated, t, err)
}

func (h *HTTP) revokeFSSPToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	t, err := h.svc.RevokeFSSPToken(r.Context(), id)
	h.reply(w, r, http.StatusOK, t, err)
}

func queryTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, stend.Errorf(stend.Invalid, "operator", "%s must be an RFC 3339 time", name)
	}
	return t, nil
}

func (h *HTTP) listFSSPTasks(w http.ResponseWriter, r *http.Request) {
	var f fssp.TaskFilter
	var err error
	fail := func(err error) { h.reply(w, r, 0, nil, err) }
	if f.TokenID, err = queryID(r, "tokenId"); err != nil {
		fail(err)
		return
	}
	limit, err := queryID(r, "limit")
	if err != nil {
		fail(err)
		return
	}
	f.Limit = int(min(limit, 1000))
	if v := r.URL.Query().Get("status"); v != "" {
		st, err := strconv.Atoi(v)
		if err != nil || st < 0 || st > 3 {
			fail(stend.Errorf(stend.Invalid, "operator", "status is 0, 1, 2 or 3"))
			return
		}
		f.State = &st
	}
	if f.From, err = queryTime(r, "from"); err != nil {
		fail(err)
		return
	}
	if f.To, err = queryTime(r, "to"); err != nil {
		fail(err)
		return
	}
	ts, err := h.svc.FSSPTasks(r.Context(), f)
	h.reply(w, r, http.StatusOK, map[string]any{"tasks": nonNil(ts)}, err)
}

func (h *HTTP) getFSSPTask(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.FSSPTask(r.Context(), r.PathValue("id"))
	h.reply(w, r, http.StatusOK, t, err)
}

func (h *HTTP) bankSize(w http.ResponseWriter, r *http.Request) {
	n, err := h.svc.BankSize(r.Context())
	h.reply(w, r, http.StatusOK, map[string]any{"proceedings": n}, err)
}

// maxGenerate bounds one generate call of the HTTP API, which holds the
// request open while it runs; larger banks are made with the command.
const maxGenerate = 10_000_000

func (h *HTTP) generateBank(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Count int64  `json:"count"`
		Seed  uint64 `json:"seed"`
	}
	if err := decode(w, r, &body); err != nil {
		h.reply(w, r, 0, nil, err)
		return
	}
	if body.Count > maxGenerate {
		h.reply(w, r, 0, nil, stend.Errorf(stend.Invalid, "operator", "count is at most %d here; use `stend fssp generate`", maxGenerate))
		return
	}
	n, err := h.svc.GenerateBank(r.Context(), body.Seed, body.Count, nil)
	h.reply(w, r, http.StatusOK, map[string]any{"generated": n}, err)
}

// importBank streams a CSV body into the bank: it is never held in memory.
func (h *HTTP) importBank(w http.ResponseWriter, r *http.Request) {
	layout := r.URL.Query().Get("layout")
	if layout == "" {
		layout = bankcsv.LayoutStend
	}
	skipBad := r.URL.Query().Get("skipBad") == "true"
	res, err := h.svc.ImportBank(r.Context(), r.Body, layout, skipBad, nil)
	if err != nil && len(res.BadRows) > 0 {
		// The bad rows are the answer the caller needs.
		h.reply(w, r, http.StatusUnprocessableEntity, res, nil)
		return
	}
	h.reply(w, r, http.StatusOK, res, err)
}
