package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"stend/httpx"
	"stend/motivity"
)

// «Бейджи»: GET /badge, POST /badge/{badgeId}/assign and /remove.

// badgeFields are what a badge and each of its grades show. The sample
// quotes active, system and grade ("1"), unlike id; clients parse the
// sample, so the answer does the same.
type badgeFields struct {
	ID               int64   `json:"id"`
	Title            string  `json:"title"`
	Image            string  `json:"image"`
	Description      *string `json:"description"`
	PopupDescription string  `json:"popupDescription"`
	Color            *string `json:"color"`
	Active           string  `json:"active"`
	System           string  `json:"system"`
}

type badgeJSON struct {
	badgeFields
	Children []gradeJSON `json:"children"`
}

type gradeJSON struct {
	badgeFields
	Grade string `json:"grade"`
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func fieldsOf(b motivity.Badge, locale string, p motivity.Platform, image func(motivity.Badge) string) badgeFields {
	t := motivity.Localized(b.Texts, locale, p)
	return badgeFields{ID: b.ID, Title: t.Title, Image: image(b), Description: t.Description, PopupDescription: t.PopupDescription,
		Color: b.Color, Active: flag(b.Active), System: flag(b.System)}
}

// badgeImages answers a badge's image: its URL, or, for an image kept as
// one of the platform's files, a link to the file (expiring at the next
// whole hour past the link's lifetime, so that it reads the same for an
// hour); "" when the file is gone.
func (h *Handler) badgeImages(r *http.Request) func(motivity.Badge) string {
	links := map[int64]string{}
	expires := httpx.Now(r.Context()).Add(h.cfg.FileLinkTTL).Truncate(time.Hour).Add(time.Hour)
	return func(b motivity.Badge) string {
		id, ok := b.ImageFile()
		if !ok {
			return b.Image
		}
		if link, done := links[id]; done {
			return link
		}
		link := ""
		if f, err := h.store.File(r.Context(), id); err == nil {
			link = h.link(r, f, expires)
		}
		links[id] = link
		return link
	}
}

func (h *Handler) listBadges(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	badges, err := h.store.Badges(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	locale := requestLocale(r, p)
	image := h.badgeImages(r)
	out := make([]badgeJSON, len(badges))
	for i, b := range badges {
		out[i] = badgeJSON{badgeFields: fieldsOf(b, locale, p, image), Children: make([]gradeJSON, len(b.Children))}
		for j, c := range b.Children {
			out[i].Children[j] = gradeJSON{badgeFields: fieldsOf(c, locale, p, image), Grade: strconv.Itoa(c.Grade)}
		}
	}
	writeOK(w, out)
}

func (h *Handler) assignBadge(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	h.changeBadge(w, r, p, false)
}

func (h *Handler) removeBadge(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	h.changeBadge(w, r, p, true)
}

type badgeUserResult struct {
	ID      string  `json:"id"`
	Success bool    `json:"success"`
	Error   *string `json:"error"`
}

type badgeChangeBody struct {
	Result bool              `json:"result"`
	Data   []badgeUserResult `json:"data"`
}

// changeBadge assigns or removes. Every problem of the request is listed:
// the userId array and the badge are both checked even when one of them is
// wrong, as the document's sample lists both.
func (h *Handler) changeBadge(w http.ResponseWriter, r *http.Request, p motivity.Platform, remove bool) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	users, usersOK := h.badgeUsers(body)
	rawID := r.PathValue("badgeId")
	var problems []problem
	if !usersOK {
		problems = append(problems, problem{msgRequired, causeUserIDRequired})
	}
	badgeID := parseID(rawID)
	if badgeID < 1 {
		writeErrors(w, append(problems, problem{msgBadgeNotFound, rawID}))
		return
	}
	c := motivity.BadgeChange{BadgeID: badgeID, AllowInactive: remove, Actor: actor, At: httpx.Now(r.Context()).UTC()}
	if usersOK {
		// Looked up as the platform compares them; answered as sent.
		c.Identifiers = make([]string, len(users))
		for i, u := range users {
			c.Identifiers[i] = motivity.NormalizeIdentifier(p.IdentifierKind, u)
		}
	}
	// With no valid users the store only checks the badge: nothing to
	// change.
	change := h.service.AssignBadge
	if remove {
		change = h.service.RemoveBadge
	}
	outcomes, err := change(r.Context(), c)
	var refusal *motivity.BadgeRefusal
	switch {
	case errors.As(err, &refusal):
		for _, b := range []struct {
			on  bool
			msg string
		}{{refusal.NotFound, msgBadgeNotFound}, {refusal.Inactive, msgBadgeInactive}, {refusal.System, msgBadgeSystem}, {refusal.Parent, msgBadgeParent}} {
			if b.on {
				problems = append(problems, problem{b.msg, rawID})
			}
		}
		writeErrors(w, problems)
		return
	case err != nil:
		h.fail(w, r, err)
		return
	case len(problems) > 0:
		writeErrors(w, problems)
		return
	}
	out := badgeChangeBody{Result: true, Data: make([]badgeUserResult, len(outcomes))}
	for i, o := range outcomes {
		res := badgeUserResult{ID: users[i], Success: o.Found && !o.HigherGrade}
		switch {
		case !o.Found:
			res.Error = ptr(msgUserNotFound)
		case o.HigherGrade:
			res.Error = ptr(msgHigherGrade)
		}
		out.Data[i] = res
	}
	writeOK(w, out)
}

func ptr[T any](v T) *T { return &v }

func writeErrors(w http.ResponseWriter, problems []problem) {
	httpx.WriteJSON(w, http.StatusBadRequest, contentType, errorsBody{Errors: problems})
}

// badgeUsers reads {"userId": [...]}: a non-empty array of non-empty
// strings, at most MaxBadgeUsers of them. Anything else is the documented
// "Required parameters are not filled in" ("не заполнен или заполнен
// некорректно").
func (h *Handler) badgeUsers(body []byte) ([]string, bool) {
	// A map, not a struct: encoding/json would take "USERID" for
	// "userId".
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return nil, false
	}
	var users []string
	if json.Unmarshal(req["userId"], &users) != nil || len(users) == 0 || len(users) > h.cfg.MaxBadgeUsers {
		return nil, false
	}
	for _, u := range users {
		if !usableText(u) {
			return nil, false
		}
	}
	return users, true
}
