package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"stend"
	"stend/httpx"
	"stend/motivity"
)

// «Баллы»: POST /points/.

// maxAmount bounds |amount|: the document says only "INT"; a billion points
// in one change is beyond any real use, and the bound keeps every balance
// far from overflowing.
const maxAmount = 1_000_000_000

type pointsResult struct {
	UserID      *string   `json:"userId"`
	BalanceType *string   `json:"balanceType"`
	Success     bool      `json:"success"`
	Balance     *string   `json:"balance"`
	Errors      []problem `json:"errors"`
}

type pointsBody struct {
	Result bool           `json:"result"`
	Data   []pointsResult `json:"data"`
}

// pointsItem is one element of the batch as sent, with what the API found
// wrong with it before the store.
type pointsItem struct {
	userID, balanceType *string
	store               motivity.PointsItem
	// userMissing: no usable userId; the item never reaches the store.
	userMissing bool
	// problems are what is reported when the user exists (only the store
	// can tell, and that comes first): the first problem found, or every
	// required parameter missing when that is the first kind found.
	problems []problem
}

func (h *Handler) changePoints(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var raw []json.RawMessage
	if json.Unmarshal(body, &raw) != nil || len(raw) == 0 || len(raw) > h.cfg.MaxPointsItems {
		// Empty, not an array, or over the documented maximum: a batch
		// that cannot be processed.
		writeMessage(w, http.StatusBadRequest, msgRequired)
		return
	}
	now := httpx.Now(r.Context()).UTC()
	defaultMessage := defaultPointsMessage(requestLocale(r, p), p)
	payment := p.PrizeCatalogValid(now)
	items := make([]pointsItem, len(raw))
	batch := motivity.PointsBatch{Actor: actor, RequestID: httpx.RequestID(r.Context()), At: now}
	var sent []int // indexes of items that go to the store
	for i, el := range raw {
		var fields map[string]json.RawMessage
		if !bytes.HasPrefix(bytes.TrimLeft(el, " \t\r\n"), []byte("{")) || json.Unmarshal(el, &fields) != nil {
			// An element that is not an object: values outside the data
			// objects.
			writeMessage(w, http.StatusBadRequest, msgRequired)
			return
		}
		items[i] = parsePointsItem(fields, p, payment, defaultMessage)
		if !items[i].userMissing {
			sent = append(sent, i)
			batch.Items = append(batch.Items, items[i].store)
		}
	}
	var outcomes []motivity.PointsOutcome
	if len(batch.Items) > 0 {
		if outcomes, err = h.store.ApplyPoints(r.Context(), batch); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	out := pointsBody{Result: true, Data: make([]pointsResult, len(items))}
	for i, it := range items {
		out.Data[i] = pointsResult{UserID: it.userID, BalanceType: it.balanceType}
		if it.userMissing {
			out.Data[i].Errors = it.problems
		}
	}
	for k, i := range sent {
		it, o, res := &items[i], outcomes[k], &out.Data[i]
		if o.UserFound && it.store.Balance != "" {
			res.Balance = ptr(strconv.FormatInt(o.Balance, 10))
		}
		switch {
		case !o.UserFound:
			res.Errors = []problem{{msgUserNotFound, "userId"}}
		case it.problems != nil:
			res.Errors = it.problems
		case o.Insufficient:
			res.Errors = []problem{{msgInsufficient, "amount"}}
		default:
			res.Success = true
		}
	}
	writeOK(w, out)
}

// parsePointsItem validates one element. Of several problems the first is
// reported (the document: "должен отображаться текст, соответствующий
// первой найденной ошибке"), in this order: the user not found (by the
// store); a required field missing or malformed, field by field; amount
// not an integer; the balance not found; message too long; and last, by the
// store, a deduction beyond the balance. When the first is a required
// field, every required field missing is reported, one error each ("если
// таких параметров несколько, по каждому должна вернуться своя ошибка");
// a missing userId is one of them, and keeps the item from the store.
func parsePointsItem(f map[string]json.RawMessage, p motivity.Platform, payment bool, defaultMessage string) pointsItem {
	var it pointsItem
	var found []problem
	add := func(msg, cause string) { found = append(found, problem{msg, cause}) }

	// Both are answered as sent (null when not a string), whatever else
	// is wrong.
	userID, ok := jsonString(f["userId"])
	if ok {
		it.userID = &userID
	}
	balanceType, balanceOK := jsonString(f["balanceType"])
	if balanceOK {
		it.balanceType = &balanceType
	}
	if it.userMissing = !ok || !usableText(userID); it.userMissing {
		add(msgRequired, "userId")
	} else {
		it.store.Identifier = motivity.NormalizeIdentifier(p.IdentifierKind, userID)
	}
	amount, amountProblem := parseAmount(f["amount"])
	message, messageGiven := jsonString(f["message"])
	messageOK := messageGiven && stend.StorableText(message) || isAbsent(f["message"])

	// Required parameters, in the document's field order.
	if !balanceOK || balanceType == "" {
		add(msgRequired, "balanceType")
	}
	if amountProblem == msgRequired {
		add(msgRequired, "amount")
	}
	if !messageOK {
		add(msgRequired, "message")
	}
	if amountProblem == msgNotInteger {
		add(msgNotInteger, "amount")
	}
	bt := motivity.BalanceType(balanceType)
	switch {
	case balanceOK && balanceType != "" && (!bt.Valid() || bt == motivity.BalancePayment && !payment):
		add(msgBalanceNotFound, "balanceType")
	case balanceOK && bt.Valid():
		it.store.Balance = bt
	}
	if utf8.RuneCountInString(message) > maxMessageLength {
		add(msgMessageTooLong, "message")
	}
	if strings.TrimSpace(message) == "" {
		message = defaultMessage
	}
	it.store.Amount, it.store.Message = amount, message
	if len(found) > 0 {
		// Required problems are found first, in field order: the run of
		// them at the start is every one there is.
		n := 1
		for n < len(found) && found[0].Message == msgRequired && found[n].Message == msgRequired {
			n++
		}
		it.problems = found[:n]
		it.store.Rejected = true
	}
	return it
}

// jsonString reads a JSON string; absent, null or another type is not one.
func jsonString(v json.RawMessage) (string, bool) {
	var s string
	if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
		return "", false
	}
	return s, true
}

// usableText is a non-blank string that every store can keep and compare
// (PostgreSQL refuses U+0000): any other value is "filled in incorrectly"
// on both stores alike, and never reaches a query.
func usableText(s string) bool {
	return strings.TrimSpace(s) != "" && stend.StorableText(s)
}

func isAbsent(v json.RawMessage) bool {
	return len(v) == 0 || string(v) == "null"
}

// parseAmount reads amount: a JSON integer or a string of one ("200",
// "-200" as in the sample). Absent, null, "" and 0 (neither positive nor
// negative) or beyond ±maxAmount are "not filled in or filled in
// incorrectly"; any other value that is not an integer (1.5, "1.5", 2e3,
// "abc", true) gets the document's integer message.
func parseAmount(v json.RawMessage) (int64, string) {
	if isAbsent(v) || string(v) == `""` {
		return 0, msgRequired
	}
	text := string(v)
	if s, ok := jsonString(v); ok {
		text = s
	}
	digits := strings.TrimPrefix(text, "-")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, msgNotInteger
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n == 0 || n > maxAmount || n < -maxAmount {
		return 0, msgRequired
	}
	return n, ""
}

// defaultPointsMessage is the wording for a change without a message: in
// the request's language, else the platform's default language, else
// Russian, the platform's own.
func defaultPointsMessage(locale string, p motivity.Platform) string {
	if m, ok := defaultPointsMessages[locale]; ok {
		return m
	}
	if m, ok := defaultPointsMessages[p.DefaultLocale]; ok {
		return m
	}
	return defaultPointsMessages["ru"]
}
