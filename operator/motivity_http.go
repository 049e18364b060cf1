package operator

import (
	"context"
	"net/http"

	"stend/motivity"
)

// motivityRoutes adds the Motivity part of the operator API.
func (h *HTTP) motivityRoutes(m *http.ServeMux) {
	const p = Prefix + "motivity/"
	m.HandleFunc("GET "+p+"platform", h.answer(func(r *http.Request) (any, error) {
		return h.svc.MotivityPlatform(r.Context())
	}))
	m.HandleFunc("PATCH "+p+"platform", withBody(h, h.svc.UpdateMotivityPlatform))
	m.HandleFunc("POST "+p+"platform/token", withBody(h, func(ctx context.Context, t PublicToken) (PublicToken, error) {
		return h.svc.SetPublicToken(ctx, t.Token)
	}))
	m.HandleFunc("GET "+p+"users", h.answer(func(r *http.Request) (any, error) {
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		users, err := h.svc.MotivityUsers(r.Context(), after, limit)
		return map[string]any{"users": users}, err
	}))
	m.HandleFunc("POST "+p+"users", withBody(h, h.svc.PutMotivityUser))
	m.HandleFunc("GET "+p+"users/{identifier}", h.answer(func(r *http.Request) (any, error) {
		return h.svc.MotivityUser(r.Context(), r.PathValue("identifier"))
	}))
	m.HandleFunc("DELETE "+p+"users/{identifier}", h.answer(func(r *http.Request) (any, error) {
		return h.svc.DeleteMotivityUser(r.Context(), r.PathValue("identifier"))
	}))
	m.HandleFunc("GET "+p+"users/{identifier}/goals", h.answer(func(r *http.Request) (any, error) {
		return h.svc.MotivityGoals(r.Context(), r.PathValue("identifier"))
	}))
	m.HandleFunc("POST "+p+"users/{identifier}/goals", func(w http.ResponseWriter, r *http.Request) {
		withBody(h, func(ctx context.Context, in []GoalInput) (any, error) {
			goals, err := h.svc.AddMotivityGoals(ctx, r.PathValue("identifier"), in)
			return map[string]any{"goals": goals}, err
		})(w, r)
	})
	m.HandleFunc("GET "+p+"badges", h.answer(func(r *http.Request) (any, error) {
		badges, err := h.svc.Badges(r.Context())
		return map[string]any{"badges": badges}, err
	}))
	m.HandleFunc("POST "+p+"badges", withBody(h, h.svc.PutBadge))
	m.HandleFunc("GET "+p+"badges/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return h.svc.Badge(r.Context(), id)
	}))
	m.HandleFunc("GET "+p+"ledger", h.answer(func(r *http.Request) (any, error) {
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		q := r.URL.Query()
		entries, err := h.svc.Ledger(r.Context(), q.Get("user"), motivity.BalanceType(q.Get("balanceType")), after, limit)
		return map[string]any{"entries": entries}, err
	}))
}

// answer serves fn's result as 200 JSON, or its error.
func (h *HTTP) answer(fn func(r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := fn(r)
		h.reply(w, r, http.StatusOK, v, err)
	}
}

// withBody decodes the body into In (an empty body is the zero In) and
// answers fn's result.
func withBody[In, Out any](h *HTTP, fn func(context.Context, In) (Out, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in In
		if r.ContentLength != 0 {
			if err := decode(w, r, &in); err != nil {
				h.reply(w, r, 0, nil, err)
				return
			}
		}
		v, err := fn(r.Context(), in)
		h.reply(w, r, http.StatusOK, v, err)
	}
}

// page reads afterId and limit (at most 1000, 0: the most).
func page(r *http.Request) (int64, int, error) {
	after, err := queryID(r, "afterId")
	if err != nil {
		return 0, 0, err
	}
	limit, err := queryID(r, "limit")
	return after, int(min(limit, 1000)), err
}
