package http

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"stend"
	"stend/httpx"
	"stend/motivity"
)

// «План развития»: GET and POST /goals/user/{userId}, PUT /goals/{goalId},
// POST /goals/{goalId}/approve, /complete and /delete. Fields are read and
// checked here; rights, states and the limit are the service's.

// Bounds the document leaves open: a plan of a hundred goals in one
// request, a hundred key results in a goal.
const (
	maxGoalItems      = 100
	maxKeyResults     = 100
	maxGoalTitleRunes = 3000
)

// dateTimeLayout answers instants with a numeric offset, as the samples do
// ("+03:00"), also where the platform's zone is UTC.
const dateTimeLayout = "2006-01-02T15:04:05-07:00"

func newGoalView(r *http.Request, p motivity.Platform) goalView {
	return goalView{now: httpx.Now(r.Context()), loc: p.Location()}
}

// goalRoute serves the paths of two segments after goals/: user/{userId}
// (GET, POST) and {goalId}/approve, /complete, /delete (POST).
func (h *Handler) goalRoute(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	first, second := r.PathValue("first"), r.PathValue("second")
	var serve func(http.ResponseWriter, *http.Request, motivity.Platform)
	allow := http.MethodPost
	switch {
	case first == "user":
		allow = "GET, POST"
		r.SetPathValue("userId", second)
		serve = map[string]func(http.ResponseWriter, *http.Request, motivity.Platform){
			http.MethodGet: h.listGoals, http.MethodHead: h.listGoals, http.MethodPost: h.createGoals}[r.Method]
	case second == "approve" || second == "complete" || second == "delete":
		r.SetPathValue("goalId", first)
		if r.Method == http.MethodPost {
			serve = h.actOnGoal(motivity.GoalAction(second))
		}
	default:
		writeMessage(w, http.StatusNotFound, msgNotFound)
		return
	}
	if serve == nil {
		w.Header().Set("Allow", allow)
		writeMessage(w, http.StatusMethodNotAllowed, msgMethodNotAllowed)
		return
	}
	serve(w, r, p)
}

// GET /goals/user/{userId}

func (h *Handler) listGoals(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	var ps []problem
	filter := motivity.GoalsAll
	if q := r.URL.Query(); q.Has("type") {
		switch t := motivity.GoalFilter(q.Get("type")); t {
		case motivity.GoalsAll, motivity.GoalsActive, motivity.GoalsCompleted:
			filter = t
		default:
			ps = append(ps, problem{msgIncorrectType, "type"})
		}
	}
	identifier, ok := pathIdentifier(r, p)
	var list motivity.GoalList
	if ok {
		var err error
		list, err = h.service.UserGoals(r.Context(), identifier, filter)
		switch {
		case stend.IsKind(err, stend.NotFound):
			ok = false
		case err != nil:
			h.fail(w, r, err)
			return
		}
	}
	if !ok {
		ps = append([]problem{{msgInvalidUserID, "userId"}}, ps...)
	}
	if len(ps) > 0 {
		writeResultErrors(w, ps)
		return
	}
	buf := answerBuffers.Get().(*[]byte)
	defer putAnswerBuffer(buf)
	b := append((*buf)[:0], `{"result":true,"items":`...)
	b = newGoalView(r, list.Platform).appendGoals(b, list.Goals)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(list.Limit), 10)
	b = append(b, `,"countActive":`...)
	b = strconv.AppendInt(b, int64(list.CountActive), 10)
	*buf = append(b, '}')
	httpx.WriteJSONBytes(w, http.StatusOK, contentType, *buf)
}

// pathIdentifier is the userId of the path as the platform compares
// identifiers; false when no user could have it.
func pathIdentifier(r *http.Request, p motivity.Platform) (string, bool) {
	s := r.PathValue("userId")
	if !usableText(s) {
		return "", false
	}
	return motivity.NormalizeIdentifier(p.IdentifierKind, s), true
}

// POST /goals/user/{userId}

var (
	goalCreateFields = []string{"authorId", "title", "value", "valueUnit", "priority", "deadlineAt", "keyResults"}
	goalEditFields   = []string{"authorId", "title", "value", "progress", "valueUnit", "priority", "deadlineAt", "keyResults"}
	keyResultFields  = []string{"title", "value", "valueUnit"}
	goalActionFields = []string{"authorId"}
)

func (h *Handler) createGoals(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var raw []json.RawMessage
	if json.Unmarshal(body, &raw) != nil || len(raw) == 0 || len(raw) > maxGoalItems {
		// Empty, not an array, or beyond what one request may carry.
		writeMessage(w, http.StatusBadRequest, msgRequired)
		return
	}
	elements := make([]jsonObject, len(raw))
	var unexpected []string
	for i, el := range raw {
		obj, ok := parseObject(el)
		if !ok {
			// Values outside the data objects.
			writeMessage(w, http.StatusBadRequest, msgRequired)
			return
		}
		elements[i] = obj
		unexpected = obj.unexpected(unexpected, goalCreateFields, "")
	}
	if len(unexpected) > 0 {
		writeMessage(w, http.StatusBadRequest, msgUnexpectedProps+strings.Join(unexpected, ", "))
		return
	}
	now := httpx.Now(r.Context())
	today := stend.DateOf(now.In(p.Location()))
	owner, _ := pathIdentifier(r, p)
	c := motivity.GoalCreation{GoalChange: goalChange(r, now), Owner: owner, Drafts: make([]motivity.GoalDraft, len(elements))}
	problems := make([][]problem, len(elements))
	for i, obj := range elements {
		c.Drafts[i], problems[i] = parseGoalDraft(obj, p, today)
	}
	created, p, err := h.service.CreateGoals(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := newGoalView(r, p)
	buf := answerBuffers.Get().(*[]byte)
	defer putAnswerBuffer(buf)
	b := append((*buf)[:0], `{"result":true,"userId":`...)
	b = httpx.AppendJSONString(b, r.PathValue("userId"))
	b = append(b, `,"data":[`...)
	for i, res := range created {
		if i > 0 {
			b = append(b, ',')
		}
		if ps := append(problems[i], faultProblems(res.Faults, motivity.ActionCreate)...); len(ps) > 0 {
			b = append(b, `{"success":false,"goal":null,"errors":`...)
			b = appendProblems(b, ps)
		} else {
			b = append(b, `{"success":true,"goal":`...)
			b = view.appendGoals(b, res.Goals)
			b = append(b, `,"errors":null`...)
		}
		b = append(b, '}')
	}
	*buf = append(b, "]}"...)
	httpx.WriteJSONBytes(w, http.StatusOK, contentType, *buf)
}

func goalChange(r *http.Request, now time.Time) motivity.GoalChange {
	return motivity.GoalChange{Actor: actor, RequestID: httpx.RequestID(r.Context()), At: now.UTC()}
}

// parseGoalDraft checks one element of a creation, reporting each field
// missing or wrong, in the document's order, key results' fields with
// their paths (keyResults.0.title).
func parseGoalDraft(o jsonObject, p motivity.Platform, today stend.Date) (motivity.GoalDraft, []problem) {
	var d motivity.GoalDraft
	var ps []problem
	add := func(msg, cause string) { ps = append(ps, problem{msg, cause}) }
	var ok bool
	if d.Author, ok = o.text("authorId"); ok {
		d.Author = motivity.NormalizeIdentifier(p.IdentifierKind, d.Author)
	} else {
		d.AuthorMissing = true
		add(msgRequired, "authorId")
	}
	if d.Title, ok = goalTitle(o.field("title")); !ok {
		add(msgRequired, "title")
	}
	krRaw, krGiven := o.fields["keyResults"]
	var krs []json.RawMessage
	krOK := krGiven && (isAbsent(krRaw) || json.Unmarshal(krRaw, &krs) == nil && len(krs) <= maxKeyResults)
	if len(krs) == 0 {
		// Without key results the goal's own measure is required; with
		// them it is ignored, whatever was sent.
		var msg string
		if d.Value, msg = goalNumber(o.field("value")); msg != "" {
			add(msg, "value")
		}
		if d.ValueUnit, msg = valueUnit(o.field("valueUnit")); msg != "" {
			add(msg, "valueUnit")
		}
	}
	var msg string
	if d.Priority, msg = priority(o.field("priority")); msg != "" {
		add(msg, "priority")
	}
	if d.Deadline, msg = deadline(o.field("deadlineAt"), today); msg != "" {
		add(msg, "deadlineAt")
	}
	if !krOK {
		add(msgRequired, "keyResults")
	}
	d.KeyResults, ps = parseKeyResults(krs, ps)
	d.Invalid = len(ps) > 0
	return d, ps
}

// parseKeyResults checks key results to add, appending their problems to
// ps.
func parseKeyResults(krs []json.RawMessage, ps []problem) ([]motivity.KeyResultDraft, []problem) {
	out := make([]motivity.KeyResultDraft, len(krs))
	for i, raw := range krs {
		path := "keyResults." + strconv.Itoa(i) + "."
		o, ok := parseObject(raw)
		if !ok {
			ps = append(ps, problem{msgRequired, "keyResults." + strconv.Itoa(i)})
			continue
		}
		var msg string
		if out[i].Title, ok = goalTitle(o.field("title")); !ok {
			ps = append(ps, problem{msgRequired, path + "title"})
		}
		if out[i].Value, msg = goalNumber(o.field("value")); msg != "" {
			ps = append(ps, problem{msg, path + "value"})
		}
		if out[i].ValueUnit, msg = valueUnit(o.field("valueUnit")); msg != "" {
			ps = append(ps, problem{msg, path + "valueUnit"})
		}
	}
	return out, ps
}

// goalTitle is a title trimmed, 1 to 3,000 characters, storable.
func goalTitle(v json.RawMessage) (string, bool) {
	s, ok := jsonString(v)
	s = strings.TrimSpace(s)
	if !ok || s == "" || utf8.RuneCountInString(s) > maxGoalTitleRunes || !stend.StorableText(s) {
		return "", false
	}
	return s, true
}

// goalNumber reads a value or progress: a JSON integer, 1 to
// 9,999,999,999; anything else the decisions' message for it.
func goalNumber(v json.RawMessage) (int64, string) {
	s := string(v)
	if isAbsent(v) || s == "" || s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return 0, msgRequired // absent, null, a string, true, an object
	}
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, msgRequired // a fraction or an exponent
	}
	if strings.HasPrefix(s, "-") || strings.TrimLeft(digits, "0") == "" {
		return 0, msgValueNotPositive
	}
	if len(digits) > 10 {
		return 0, msgValueTooLong
	}
	n, _ := strconv.ParseInt(digits, 10, 64)
	return n, ""
}

func valueUnit(v json.RawMessage) (string, string) {
	s, ok := jsonString(v)
	switch {
	case !ok || s == "":
		return "", msgRequired
	case !motivity.ValidGoalValueUnit(s):
		return "", msgInvalidValueUnit
	}
	return s, ""
}

func priority(v json.RawMessage) (string, string) {
	s, ok := jsonString(v)
	switch {
	case !ok || s == "":
		return "", msgRequired
	case !motivity.ValidGoalPriority(s):
		return "", msgInvalidPriority
	}
	return s, ""
}

// deadline reads deadlineAt: ISO 8601 with an offset, whose calendar date
// in its own offset is today or later in the platform's zone.
func deadline(v json.RawMessage, today stend.Date) (stend.Date, string) {
	if isAbsent(v) {
		return stend.Date{}, msgRequired
	}
	s, ok := jsonString(v)
	if !ok {
		return stend.Date{}, msgInvalidDate
	}
	t, ok := parseISO8601(s)
	if !ok || t.Year() > 9999 {
		return stend.Date{}, msgInvalidDate
	}
	d := stend.DateOf(t)
	if d.Compare(today) < 0 {
		return stend.Date{}, msgInvalidDate
	}
	return d, ""
}

// iso8601Layouts are the ISO 8601 date-times with an offset that clients
// send: extended or basic offset (+03:00, +0300, +03, Z), with or without
// seconds and their fractions.
var iso8601Layouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999Z07",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04Z07",
}

func parseISO8601(s string) (time.Time, bool) {
	for _, layout := range iso8601Layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// faultProblems words the service's refusals for an action.
func faultProblems(fs []motivity.GoalFault, a motivity.GoalAction) []problem {
	var out []problem
	for _, f := range fs {
		var msg string
		switch f.Code {
		case motivity.FaultField:
			msg = f.Message
		case motivity.FaultUserNotFound:
			msg = msgUserNotFound
		case motivity.FaultLimitReached:
			msg = msgGoalLimit
		case motivity.FaultAlreadyApproved:
			msg = msgAlreadyApproved
		case motivity.FaultAlreadyCompleted:
			msg = msgAlreadyCompleted
		case motivity.FaultNoRights:
			msg = map[motivity.GoalAction]string{motivity.ActionCreate: msgNoRightsCreate, motivity.ActionEdit: msgNoRightsEdit,
				// The document words approval's refusal as editing's.
				motivity.ActionApprove: msgNoRightsEdit, motivity.ActionComplete: msgNoRightsComplete,
				motivity.ActionDelete: msgNoRightsDelete}[a]
		case motivity.FaultGoalNotFound:
			msg = map[motivity.GoalAction]string{motivity.ActionEdit: msgCannotBeEdited, motivity.ActionApprove: msgCannotBeApproved,
				motivity.ActionComplete: msgCannotBeCompleted, motivity.ActionDelete: msgCannotBeDeleted}[a]
		}
		out = append(out, problem{msg, f.Cause})
	}
	return out
}

// PUT /goals/{goalId}

// goalObject reads the body of a method on one goal: an object with only
// the fields of the method (key results' fields inside keyResults); false
// when the answer was written.
func (h *Handler) goalObject(w http.ResponseWriter, r *http.Request, fields []string) (jsonObject, bool) {
	body, err := h.readBody(w, r)
	if err != nil {
		h.fail(w, r, err)
		return jsonObject{}, false
	}
	o, ok := parseObject(body)
	if !ok {
		writeMessage(w, http.StatusBadRequest, msgRequired)
		return jsonObject{}, false
	}
	if unexpected := o.unexpected(nil, fields, ""); len(unexpected) > 0 {
		writeMessage(w, http.StatusBadRequest, msgUnexpectedProps+strings.Join(unexpected, ", "))
		return jsonObject{}, false
	}
	return o, true
}

func (h *Handler) editGoal(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	o, ok := h.goalObject(w, r, goalEditFields)
	if !ok {
		return
	}
	now := httpx.Now(r.Context())
	e := motivity.GoalEdit{GoalChange: goalChange(r, now), GoalID: pathGoalID(r)}
	var ps []motivity.GoalFault
	add := func(msg, cause string) {
		ps = append(ps, motivity.GoalFault{Code: motivity.FaultField, Message: msg, Cause: cause})
	}
	if e.Author, ok = o.text("authorId"); ok {
		e.Author = motivity.NormalizeIdentifier(p.IdentifierKind, e.Author)
	} else {
		e.AuthorMissing = true
		add(msgRequired, "authorId")
	}
	if v := o.field("title"); !isAbsent(v) {
		t, ok := goalTitle(v)
		if !ok {
			add(msgRequired, "title")
		}
		e.Title = &t
	}
	for _, f := range []struct {
		name string
		to   **int64
	}{{"value", &e.Value}, {"progress", &e.Progress}} {
		if v := o.field(f.name); !isAbsent(v) {
			n, msg := goalNumber(v)
			if msg != "" {
				add(msg, f.name)
			}
			*f.to = &n
		}
	}
	if v := o.field("valueUnit"); !isAbsent(v) {
		u, msg := valueUnit(v)
		if msg != "" {
			add(msg, "valueUnit")
		}
		e.ValueUnit = &u
	}
	if v := o.field("priority"); !isAbsent(v) {
		pr, msg := priority(v)
		if msg != "" {
			add(msg, "priority")
		}
		e.Priority = &pr
	}
	if v := o.field("deadlineAt"); !isAbsent(v) {
		d, msg := deadline(v, stend.DateOf(now.In(p.Location())))
		if msg != "" {
			add(msg, "deadlineAt")
		}
		e.Deadline = &d
	}
	if v := o.field("keyResults"); !isAbsent(v) {
		var krs []json.RawMessage
		if json.Unmarshal(v, &krs) != nil || len(krs) > maxKeyResults {
			add(msgRequired, "keyResults")
		}
		var kps []problem
		e.KeyResults, kps = parseKeyResults(krs, nil)
		for _, kp := range kps {
			add(kp.Message, kp.Cause)
		}
	}
	e.Problems = ps
	g, faults, err := h.service.EditGoal(r.Context(), e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(faults) > 0 {
		writeResultErrors(w, faultProblems(faults, motivity.ActionEdit))
		return
	}
	httpx.WriteJSONBytes(w, http.StatusOK, contentType, newGoalView(r, p).goalAnswer(g))
}

// pathGoalID is the goalId of the path; 0 (no goal has it) when it is
// malformed.
func pathGoalID(r *http.Request) int64 { return parseID(r.PathValue("goalId")) }

// parseID is an id of a path: all digits (strconv.ParseInt alone takes a
// sign, "+1" would be file 1) and fitting 64 bits; 0, which no record has,
// otherwise, so that a malformed id is answered as an unknown one.
func parseID(s string) int64 {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// POST /goals/{goalId}/approve, /complete, /delete

func (h *Handler) actOnGoal(a motivity.GoalAction) func(http.ResponseWriter, *http.Request, motivity.Platform) {
	return func(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
		o, ok := h.goalObject(w, r, goalActionFields)
		if !ok {
			return
		}
		author, ok := o.text("authorId")
		var ps []problem
		if ok {
			author = motivity.NormalizeIdentifier(p.IdentifierKind, author)
		} else {
			ps = append(ps, problem{msgRequired, "authorId"})
		}
		g, faults, err := h.service.ActOnGoal(r.Context(), a, pathGoalID(r), author, !ok, goalChange(r, httpx.Now(r.Context())))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if ps = append(ps, faultProblems(faults, a)...); len(ps) > 0 {
			if a == motivity.ActionDelete {
				// "Возвращается первая найденная ошибка."
				ps = ps[:1]
			}
			writeResultErrors(w, ps)
			return
		}
		if a == motivity.ActionDelete {
			httpx.WriteJSON(w, http.StatusOK, contentType, messageBody{Result: true, Message: msgGoalDeleted})
			return
		}
		httpx.WriteJSONBytes(w, http.StatusOK, contentType, newGoalView(r, p).goalAnswer(g))
	}
}

// jsonObject is a JSON object with its members in the order sent (the
// unexpected ones are named in that order).
type jsonObject struct {
	names  []string
	fields map[string]json.RawMessage
}

// parseObject reads a JSON object; false for anything else.
func parseObject(raw []byte) (jsonObject, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return jsonObject{}, false
	}
	o := jsonObject{fields: map[string]json.RawMessage{}}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return jsonObject{}, false
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return jsonObject{}, false
		}
		if _, seen := o.fields[name]; !seen {
			o.names = append(o.names, name)
		}
		o.fields[name] = v
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return jsonObject{}, false
	}
	if _, err := dec.Token(); err == nil {
		return jsonObject{}, false // something after the object
	}
	return o, true
}

func (o jsonObject) field(name string) json.RawMessage { return o.fields[name] }

// text is a usable string member.
func (o jsonObject) text(name string) (string, bool) {
	s, ok := jsonString(o.fields[name])
	return s, ok && usableText(s)
}

// unexpected appends to out the members of o that are not in allowed (with
// prefix), and those inside its key results (keyResults.0.name), each once,
// in the order they appear.
func (o jsonObject) unexpected(out, allowed []string, prefix string) []string {
	add := func(name string) {
		for _, n := range out {
			if n == name {
				return
			}
		}
		out = append(out, name)
	}
	for _, n := range o.names {
		if !slices.Contains(allowed, n) {
			add(prefix + n)
			continue
		}
		// Inside key results, at the place they are met: the names are
		// listed in the order they appear.
		var krs []json.RawMessage
		if n == "keyResults" && json.Unmarshal(o.fields[n], &krs) == nil {
			for i, raw := range krs {
				if kr, ok := parseObject(raw); ok {
					for _, name := range kr.unexpected(nil, keyResultFields, prefix+"keyResults."+strconv.Itoa(i)+".") {
						add(name)
					}
				}
			}
		}
	}
	return out
}
