package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// «План развития». The stands' clock is 2025-06-11 09:00 UTC, 12:00 in the
// platform's zone (Europe/Moscow): today is 2025-06-11.

const (
	goalsOf      = "/public/api/v1/goals/user/"
	goalPath     = "/public/api/v1/goals/"
	ownerID      = "owner@example.ru"
	futureDay    = "2025-12-31T00:00:00+03:00"
	unexpectedJS = `{"result":false,"message":"Invalid request format. Unexpected properties: `
)

// goal is one goal of an answer, decoded.
type goal struct {
	ID            int64   `json:"id"`
	Title         string  `json:"title"`
	Value         int64   `json:"value"`
	Progress      int64   `json:"progress"`
	Priority      string  `json:"priority"`
	DeadlineAt    string  `json:"deadlineAt"`
	ValueUnit     string  `json:"valueUnit"`
	InRisk        bool    `json:"inRisk"`
	ApprovedAt    *string `json:"approvedAt"`
	ApprovedByID  *string `json:"approvedById"`
	CompletedAt   *string `json:"completedAt"`
	CompletedByID *string `json:"completedById"`
	KeyResults    []goal  `json:"keyResults"`
}

type goalList struct {
	Result      bool   `json:"result"`
	Items       []goal `json:"items"`
	Limit       int    `json:"limit"`
	CountActive int    `json:"countActive"`
}

type created struct {
	Result bool   `json:"result"`
	UserID string `json:"userId"`
	Data   []struct {
		Success bool            `json:"success"`
		Goal    []goal          `json:"goal"`
		Errors  json.RawMessage `json:"errors"`
	} `json:"data"`
}

func decode[T any](t testing.TB, a answer) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(a.body), &v); err != nil {
		t.Fatalf("%d %s: %v", a.status, a.body, err)
	}
	return v
}

// errs renders an errors array: message, cause pairs.
func errs(pairs ...string) string {
	var ps []string
	for i := 0; i < len(pairs); i += 2 {
		ps = append(ps, `{"message":"`+pairs[i]+`","cause":"`+pairs[i+1]+`"}`)
	}
	return "[" + strings.Join(ps, ",") + "]"
}

func refused(pairs ...string) string { return `{"result":false,"errors":` + errs(pairs...) + `}` }

// newGoal is the element of a creation for a plain goal by author.
func newGoal(author, title string) string {
	return fmt.Sprintf(`{"authorId":%q,"title":%q,"value":100,"valueUnit":"numbers","priority":"low","deadlineAt":%q,"keyResults":null}`,
		author, title, futureDay)
}

// create posts elements for user and answers the decoded answer, which
// must be a 200.
func (s *stand) create(user string, elements ...string) created {
	s.t.Helper()
	a := s.call("POST", goalsOf+user, "["+strings.Join(elements, ",")+"]")
	if a.status != 200 {
		s.t.Fatalf("create: %d %s", a.status, a.body)
	}
	return decode[created](s.t, a)
}

// createOne creates one goal and answers it (the last of the user's).
func (s *stand) createOne(user, element string) goal {
	s.t.Helper()
	c := s.create(user, element)
	if !c.Data[0].Success {
		s.t.Fatalf("create: %s", c.Data[0].Errors)
	}
	gs := c.Data[0].Goal
	return gs[len(gs)-1]
}

func (s *stand) list(user, query string) goalList {
	s.t.Helper()
	a := s.call("GET", goalsOf+user+query, "")
	if a.status != 200 {
		s.t.Fatalf("list: %d %s", a.status, a.body)
	}
	return decode[goalList](s.t, a)
}

func action(id int64, what string) string { return fmt.Sprintf("%s%d/%s", goalPath, id, what) }

func by(author string) string { return fmt.Sprintf(`{"authorId":%q}`, author) }

// The document's sample of a creation, with a deadline in the future: the
// answer byte for byte, then the list.
func TestGoalsSample(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		body := `[ { "authorId": "owner@example.ru", "title": "Новая цель", "value": 100, "valueUnit": "percents", "priority": "low",
			"deadlineAt": "2025-12-11T00:00:00+03:00", "keyResults":[ { "title": "Первый результат", "value": 50, "valueUnit": "dollars" },
			{ "title": "Второй результат", "value": 150, "valueUnit": "euros" } ] },
			{ "authorId": "mgr@example.ru", "title": "Другая цель", "value": 300, "valueUnit": "hours", "priority": "medium",
			"deadlineAt": "2025-10-11T00:00:00+03:00", "keyResults": null } ]`
		a := s.call("POST", goalsOf+ownerID, body)
		c := decode[created](t, a)
		g1 := c.Data[0].Goal[0]
		k1, k2, g2 := g1.KeyResults[0].ID, g1.KeyResults[1].ID, c.Data[1].Goal[1].ID
		first := fmt.Sprintf(`{"id":%d,"title":"Новая цель","value":100,"progress":0,"priority":"low","deadlineAt":"2025-12-11T00:00:00+03:00",`+
			`"valueUnit":"percents","inRisk":false,"approvedAt":null,"approvedById":null,"completedAt":null,"completedById":null,"keyResults":[`+
			`{"id":%d,"title":"Первый результат","value":50,"progress":0,"priority":"low","deadlineAt":"2025-12-11T00:00:00+03:00","valueUnit":"dollars",`+
			`"inRisk":false,"approvedAt":null,"approvedById":null,"completedAt":null,"completedById":null,"keyResults":null},`+
			`{"id":%d,"title":"Второй результат","value":150,"progress":0,"priority":"low","deadlineAt":"2025-12-11T00:00:00+03:00","valueUnit":"euros",`+
			`"inRisk":false,"approvedAt":null,"approvedById":null,"completedAt":null,"completedById":null,"keyResults":null}]}`, g1.ID, k1, k2)
		// Created by the manager: approved at once.
		second := fmt.Sprintf(`{"id":%d,"title":"Другая цель","value":300,"progress":0,"priority":"medium","deadlineAt":"2025-10-11T00:00:00+03:00",`+
			`"valueUnit":"hours","inRisk":false,"approvedAt":"2025-06-11T12:00:00+03:00","approvedById":"mgr@example.ru","completedAt":null,`+
			`"completedById":null,"keyResults":null}`, g2)
		s.expect(a, 200, `{"result":true,"userId":"owner@example.ru","data":[{"success":true,"goal":[`+first+`],"errors":null},`+
			`{"success":true,"goal":[`+first+`,`+second+`],"errors":null}]}`)
		if !(g1.ID < k1 && k1 < k2 && k2 < g2) {
			t.Fatalf("ids %d %d %d %d", g1.ID, k1, k2, g2)
		}
		s.expect(s.call("GET", goalsOf+ownerID, ""), 200, `{"result":true,"items":[`+first+`,`+second+`],"limit":10,"countActive":2}`)
		s.expect(s.call("GET", goalsOf+ownerID+"?type=all", ""), 200, `{"result":true,"items":[`+first+`,`+second+`],"limit":10,"countActive":2}`)
		s.expect(s.call("GET", goalsOf+"OWNER@example.ru?type=active", ""), 200, `{"result":true,"items":[`+first+`,`+second+`],"limit":10,"countActive":2}`)
		s.expect(s.call("GET", goalsOf+ownerID+"?type=completed", ""), 200, `{"result":true,"items":[],"limit":10,"countActive":2}`)
		s.expect(s.call("GET", goalsOf+"stranger@example.ru", ""), 200, `{"result":true,"items":[],"limit":10,"countActive":0}`)
	})
}

func TestGoalListErrors(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		s.expect(s.call("GET", goalsOf+"nobody@example.ru", ""), 400, refused("Invalid user id", "userId"))
		s.expect(s.call("GET", goalsOf+"gone@example.ru", ""), 400, refused("Invalid user id", "userId"))
		s.expect(s.call("GET", goalsOf+ownerID+"?type=done", "", malformed), 400, refused("Incorrect value of type", "type"))
		s.expect(s.call("GET", goalsOf+ownerID+"?type=", "", malformed), 400, refused("Incorrect value of type", "type"))
		// Both, as the sample lists them.
		s.expect(s.call("GET", goalsOf+"gone@example.ru?type=x", "", malformed), 400, refused("Invalid user id", "userId", "Incorrect value of type", "type"))
		// A deactivated user's goals are read.
		s.expect(s.call("GET", goalsOf+"b@example.ru", ""), 200, `{"result":true,"items":[],"limit":10,"countActive":0}`)
		// Without the token: the documented 401.
		s.expect(s.call("GET", goalsOf+ownerID, "", "X-Auth-Token:"), 401, `{"result":false,"message":"Invalid public API token"}`)
		s.expect(s.call("PUT", goalsOf+ownerID, "", undocumented), 405, `{"result":false,"message":"Method not allowed"}`)
		if a := s.call("HEAD", goalsOf+ownerID, ""); a.status != 200 {
			t.Fatalf("HEAD: %d", a.status)
		}
		s.expect(s.call("POST", goalPath+"1/publish", "{}", undocumented), 404, `{"result":false,"message":"Not found"}`)
	})
}

// Every field rule of a creation, each problem reported, in the document's
// field order, key results' with their paths.
func TestGoalCreationFields(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		long := strings.Repeat("x", 3001) // the test stands take 4 KiB bodies
		// malformed: a request the document calls invalid, sent on purpose (a
		// past deadline or an author without rights is a valid request).
		cases := []struct {
			name, el, errors string
			malformed        bool
		}{
			{"nothing", `{}`, errs(required, "authorId", required, "title", required, "value", required, "valueUnit", required, "priority",
				required, "deadlineAt", required, "keyResults"), true},
			{"blank title", `{"authorId":"owner@example.ru","title":"  ","value":1,"valueUnit":"hours","priority":"low","deadlineAt":"` + futureDay + `","keyResults":null}`,
				errs(required, "title"), true},
			{"title too long", `{"authorId":"owner@example.ru","title":"` + long + `","value":1,"valueUnit":"hours","priority":"low","deadlineAt":"` + futureDay + `","keyResults":[]}`,
				errs(required, "title"), true},
			{"value zero", strings.Replace(newGoal(ownerID, "t"), `"value":100`, `"value":0`, 1), errs("Invalid value. Value should be greater than 0", "value"), true},
			{"value negative", strings.Replace(newGoal(ownerID, "t"), `"value":100`, `"value":-3`, 1), errs("Invalid value. Value should be greater than 0", "value"), true},
			{"value too long", strings.Replace(newGoal(ownerID, "t"), `"value":100`, `"value":12345678901`, 1), errs("Value is too long. Allowed length 10 characters", "value"), true},
			{"value string", strings.Replace(newGoal(ownerID, "t"), `"value":100`, `"value":"100"`, 1), errs(required, "value"), true},
			{"value fraction", strings.Replace(newGoal(ownerID, "t"), `"value":100`, `"value":1.5`, 1), errs(required, "value"), true},
			{"unit", strings.Replace(newGoal(ownerID, "t"), `"numbers"`, `"points"`, 1),
				errs("Invalid value. Allowed values: percents, numbers, roubles, dollars, euros, hours", "valueUnit"), true},
			{"priority", strings.Replace(newGoal(ownerID, "t"), `"low"`, `"urgent"`, 1), errs("Invalid value. Allowed values: high, medium, low", "priority"), true},
			{"deadline yesterday", strings.Replace(newGoal(ownerID, "t"), futureDay, "2025-06-10T23:59:59+03:00", 1),
				errs("Invalid date. You can only specify the current and future date", "deadlineAt"), false},
			{"deadline without offset", strings.Replace(newGoal(ownerID, "t"), futureDay, "2025-12-31T00:00:00", 1),
				errs("Invalid date. You can only specify the current and future date", "deadlineAt"), true},
			{"deadline a day", strings.Replace(newGoal(ownerID, "t"), futureDay, "31.12.2025", 1),
				errs("Invalid date. You can only specify the current and future date", "deadlineAt"), true},
			{"no keyResults", strings.Replace(newGoal(ownerID, "t"), `,"keyResults":null`, ``, 1), errs(required, "keyResults"), true},
			{"keyResults not an array", strings.Replace(newGoal(ownerID, "t"), `"keyResults":null`, `"keyResults":{}`, 1), errs(required, "keyResults"), true},
			{"key results' fields", `{"authorId":"owner@example.ru","title":"t","priority":"low","deadlineAt":"` + futureDay + `","keyResults":[` +
				`{"title":"ok","value":1,"valueUnit":"hours"},{"value":0,"valueUnit":"miles"},{"title":"x","value":12345678901}]}`,
				errs(required, "keyResults.1.title", "Invalid value. Value should be greater than 0", "keyResults.1.value",
					"Invalid value. Allowed values: percents, numbers, roubles, dollars, euros, hours", "keyResults.1.valueUnit",
					"Value is too long. Allowed length 10 characters", "keyResults.2.value", required, "keyResults.2.valueUnit"), true},
			{"fields and the limit-free rights", `{"authorId":"stranger@example.ru","title":"","value":1,"valueUnit":"hours","priority":"low","deadlineAt":"` + futureDay + `","keyResults":null}`,
				errs(required, "title", "Author has no rights to create goals", "authorId"), true},
			{"unknown author", newGoal("nobody@example.ru", "t"), errs("User not found", "authorId"), false},
			{"deleted author", newGoal("gone@example.ru", "t"), errs("User not found", "authorId"), false},
			{"deactivated author", newGoal("b@example.ru", "t"), errs("User not found", "authorId"), false},
			{"stranger", newGoal("stranger@example.ru", "t"), errs("Author has no rights to create goals", "authorId"), false},
		}
		for _, c := range cases {
			s.expect(s.call("POST", goalsOf+ownerID, "["+c.el+"]", marked(c.malformed)...), 200,
				`{"result":true,"userId":"owner@example.ru","data":[{"success":false,"goal":null,"errors":`+c.errors+`}]}`)
		}
		if n := len(s.list(ownerID, "").Items); n != 0 {
			t.Fatalf("refused elements created %d goals", n)
		}
		// Today is a current date; value and unit of a goal with key
		// results are ignored, whatever was sent (the document asks for
		// null there: malformed).
		c := decode[created](t, s.call("POST", goalsOf+ownerID, `[{"authorId":"owner@example.ru","title":"  Сегодня  ","value":"junk","valueUnit":"miles","priority":"high",`+
			`"deadlineAt":"2025-06-11T00:00:00+03:00","keyResults":[{"title":"k","value":4,"valueUnit":"hours"}]}]`, malformed))
		if len(c.Data) != 1 || !c.Data[0].Success {
			t.Fatalf("create: %+v", c)
		}
		g := c.Data[0].Goal[len(c.Data[0].Goal)-1]
		if g.Title != "Сегодня" || g.Value != 100 || g.ValueUnit != "percents" || g.DeadlineAt != "2025-06-11T00:00:00+03:00" {
			t.Fatalf("%+v", g)
		}
		// A date in another offset is its own calendar date, answered at
		// 00:00 in the platform's offset.
		g = s.createOne(ownerID, strings.Replace(newGoal(ownerID, "t"), futureDay, "2031-01-01T00:00:00+05:00", 1))
		if g.DeadlineAt != "2031-01-01T00:00:00+03:00" {
			t.Fatalf("deadline %s", g.DeadlineAt)
		}
		// Other ISO 8601 forms with an offset.
		for _, d := range []string{"2031-01-01T00:00+03:00", "2031-01-01T00:00:00+0300", "2031-01-01T00:00:00Z", "2031-01-01T00:00:00.5+03",
			"2031-01-01T00:00:00.123456789+03:00"} {
			if g := s.createOne("hr@example.ru", strings.Replace(newGoal("hr@example.ru", d), futureDay, d, 1)); g.DeadlineAt != "2031-01-01T00:00:00+03:00" {
				t.Fatalf("%s: deadline %s", d, g.DeadlineAt)
			}
		}
		// Owners that are not active users: each element fails.
		for _, u := range []string{"nobody@example.ru", "gone@example.ru", "b@example.ru"} {
			s.expect(s.call("POST", goalsOf+u, "["+newGoal("hr@example.ru", "t")+","+newGoal("hr@example.ru", "u")+"]"), 200,
				`{"result":true,"userId":"`+u+`","data":[{"success":false,"goal":null,"errors":`+errs("User not found", "userId")+`},`+
					`{"success":false,"goal":null,"errors":`+errs("User not found", "userId")+`}]}`)
		}
	})
}

// Requests that cannot be processed are refused whole; nothing is created.
func TestGoalMalformed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		for _, body := range []string{``, `not json`, `[]`, `{}`, `[1]`, `["x"]`, `[` + newGoal(ownerID, "t") + `] x`} {
			s.expect(s.call("POST", goalsOf+ownerID, body, malformed), 400, badBatch)
		}
		s.expect(s.call("POST", goalsOf+ownerID, `[`+newGoal(ownerID, "t")+`,{"authorId":"x","colour":1,"size":2,"keyResults":[{"title":"k","weight":1}]},{"colour":3,"extra":4}]`, malformed),
			400, unexpectedJS+`colour, size, keyResults.0.weight, extra"}`)
		g := s.createOne(ownerID, newGoal(ownerID, "t"))
		s.expect(s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","title":"n","keyResults":[{"title":"k","value":1,"valueUnit":"hours","x":1}],"y":2}`, malformed),
			400, unexpectedJS+`keyResults.0.x, y"}`)
		s.expect(s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `[1]`, malformed), 400, badBatch)
		for _, a := range []string{"approve", "complete", "delete"} {
			s.expect(s.call("POST", action(g.ID, a), `{"authorId":"hr@example.ru","reason":"x"}`, malformed), 400, unexpectedJS+`reason"}`)
			s.expect(s.call("POST", action(g.ID, a), `nope`, malformed), 400, badBatch)
			s.expect(s.call("POST", action(g.ID, a), `{}`, malformed), 400, refused(required, "authorId"))
		}
		if l := s.list(ownerID, ""); len(l.Items) != 1 || l.Items[0].Title != "t" || l.Items[0].ApprovedAt != nil {
			t.Fatalf("refused requests changed goals: %+v", l)
		}
	})
}

// The rights matrix: self, manager, permission holder, stranger, deleted
// and deactivated authors, on every method.
func TestGoalRights(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		put := func(id int64, author, body string) answer {
			return s.call("PUT", fmt.Sprintf("%s%d", goalPath, id), `{"authorId":"`+author+`"`+body+`}`)
		}
		// Created by the owner: not approved; by the manager or the
		// permission holder: approved, by them.
		own := s.createOne(ownerID, newGoal(ownerID, "own"))
		if own.ApprovedAt != nil {
			t.Fatal("the owner's goal is approved")
		}
		for _, author := range []string{"mgr@example.ru", "hr@example.ru"} {
			g := s.createOne(ownerID, newGoal(author, author))
			if g.ApprovedAt == nil || *g.ApprovedByID != author {
				t.Fatalf("%s: %+v", author, g)
			}
		}
		// A permission holder's own goal is born approved.
		if g := s.createOne("hr@example.ru", newGoal("hr@example.ru", "hr's")); g.ApprovedAt == nil {
			t.Fatal("the permission holder's own goal is not approved")
		}
		noRights := map[string]string{"edit": "Author has no rights to edit goals", "approve": "Author has no rights to edit goals",
			"complete": "Author has no rights to complete goals", "delete": "Author has no rights to delete goals"}
		for _, who := range []struct{ author, err string }{
			{"stranger@example.ru", ""}, {"nobody@example.ru", "User not found"}, {"gone@example.ru", "User not found"}, {"b@example.ru", "User not found"},
		} {
			for _, what := range []string{"edit", "approve", "complete", "delete"} {
				want := who.err
				if want == "" {
					want = noRights[what]
				}
				var a answer
				if what == "edit" {
					a = put(own.ID, who.author, `,"title":"x"`)
				} else {
					a = s.call("POST", action(own.ID, what), by(who.author))
				}
				s.expect(a, 400, refused(want, "authorId"))
			}
		}
		// The owner: edits an unapproved goal, approves, completes and
		// deletes nothing.
		s.expect(s.call("POST", action(own.ID, "approve"), by(ownerID)), 400, refused(noRights["approve"], "authorId"))
		s.expect(s.call("POST", action(own.ID, "complete"), by(ownerID)), 400, refused(noRights["complete"], "authorId"))
		s.expect(s.call("POST", action(own.ID, "delete"), by(ownerID)), 400, refused(noRights["delete"], "authorId"))
		if a := put(own.ID, ownerID, `,"title":"renamed"`); a.status != 200 || decode[struct{ Goal goal }](t, a).Goal.Title != "renamed" {
			t.Fatalf("owner's edit: %d %s", a.status, a.body)
		}
		// Approved by the manager, the goal is no longer the owner's to
		// edit; the manager edits it.
		a := s.call("POST", action(own.ID, "approve"), by("mgr@example.ru"))
		if a.status != 200 || *decode[struct{ Goal goal }](t, a).Goal.ApprovedByID != "mgr@example.ru" {
			t.Fatalf("approve: %d %s", a.status, a.body)
		}
		s.expect(s.call("POST", action(own.ID, "approve"), by("hr@example.ru")), 400, refused("Goal is already approved", "goalId"))
		s.expect(put(own.ID, ownerID, `,"title":"again"`), 400, refused(noRights["edit"], "authorId"))
		if a := put(own.ID, "hr@example.ru", `,"progress":10`); a.status != 200 {
			t.Fatalf("permission holder's edit: %d %s", a.status, a.body)
		}
		if a := put(own.ID, "mgr@example.ru", `,"value":20`); a.status != 200 || decode[struct{ Goal goal }](t, a).Goal.Value != 20 {
			t.Fatalf("manager's edit: %d %s", a.status, a.body)
		}
		// The permission holder approves a goal of a user they do not
		// manage.
		other := s.createOne(ownerID, newGoal(ownerID, "other"))
		if a := s.call("POST", action(other.ID, "approve"), by("hr@example.ru")); a.status != 200 ||
			*decode[struct{ Goal goal }](t, a).Goal.ApprovedByID != "hr@example.ru" {
			t.Fatalf("permission holder's approval: %d %s", a.status, a.body)
		}
		// The permission holder completes, the manager deletes the
		// completed goal.
		a = s.call("POST", action(own.ID, "complete"), by("hr@example.ru"))
		if g := decode[struct{ Goal goal }](t, a).Goal; a.status != 200 || *g.CompletedByID != "hr@example.ru" || g.CompletedAt == nil {
			t.Fatalf("complete: %d %s", a.status, a.body)
		}
		s.expect(s.call("POST", action(own.ID, "complete"), by("mgr@example.ru")), 400, refused("Goal is already completed", "goalId"))
		s.expect(s.call("POST", action(own.ID, "approve"), by("mgr@example.ru")), 400, refused("Goal is not found or cannot be approved", "goalId"))
		s.expect(put(own.ID, "mgr@example.ru", `,"title":"x"`), 400, refused("Goal is not found or cannot be edited", "goalId"))
		s.expect(s.call("POST", action(own.ID, "delete"), by("mgr@example.ru")), 200, `{"result":true,"message":"Goal has been deleted"}`)
		for _, what := range []string{"approve", "complete", "delete"} {
			msg := map[string]string{"approve": "approved", "complete": "completed", "delete": "deleted"}[what]
			s.expect(s.call("POST", action(own.ID, what), by("mgr@example.ru")), 400, refused("Goal is not found or cannot be "+msg, "goalId"))
			s.expect(s.call("POST", action(own.ID+100000, what), by("mgr@example.ru")), 400, refused("Goal is not found or cannot be "+msg, "goalId"))
			s.expect(s.call("POST", goalPath+"abc/"+what, by("mgr@example.ru"), malformed), 400, refused("Goal is not found or cannot be "+msg, "goalId"))
		}
		// Several problems: listed, but /delete answers the first only.
		s.expect(s.call("POST", action(own.ID, "approve"), by("nobody@example.ru")), 400,
			refused("User not found", "authorId", "Goal is not found or cannot be approved", "goalId"))
		s.expect(s.call("POST", action(own.ID, "delete"), by("nobody@example.ru")), 400, refused("User not found", "authorId"))
		s.expect(s.call("POST", action(own.ID, "delete"), `{}`, malformed), 400, refused(required, "authorId"))
		if l := s.list(ownerID, "?type=all"); len(l.Items) != 3 {
			t.Fatalf("after the deletion: %+v", l)
		}
	})
}

// A deleted user's goals can be neither read nor changed.
func TestGoalsOfADeletedUser(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		g := s.createOne(ownerID, newGoal(ownerID, "t"))
		if _, err := s.node.Operator.DeleteMotivityUser(context.Background(), ownerID); err != nil {
			t.Fatal(err)
		}
		s.expect(s.call("GET", goalsOf+ownerID, ""), 400, refused("Invalid user id", "userId"))
		s.expect(s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"hr@example.ru","title":"x"}`), 400,
			refused("Goal is not found or cannot be edited", "goalId"))
		for _, what := range []string{"approve", "complete", "delete"} {
			msg := map[string]string{"approve": "approved", "complete": "completed", "delete": "deleted"}[what]
			s.expect(s.call("POST", action(g.ID, what), by("hr@example.ru")), 400, refused("Goal is not found or cannot be "+msg, "goalId"))
		}
		// Operators still read them, with their history.
		a := s.op("GET", "users/"+ownerID+"/goals", "")
		if a.status != 200 || !strings.Contains(a.body, `"userDeleted":true`) || !strings.Contains(a.body, `"title":"t"`) || !strings.Contains(a.body, `"action":"created"`) {
			t.Fatalf("operator record of a deleted user: %d %s", a.status, a.body)
		}
	})
}

// Key results: goals of their own, added at creation or later, edited by
// id; what they take from their goal; what a goal with them ignores.
func TestKeyResults(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		g := s.createOne(ownerID, `{"authorId":"owner@example.ru","title":"g","priority":"high","deadlineAt":"`+futureDay+`",`+
			`"keyResults":[{"title":"k1","value":3,"valueUnit":"hours"}]}`)
		put := func(id int64, body string, headers ...string) answer {
			return s.call("PUT", fmt.Sprintf("%s%d", goalPath, id), `{"authorId":"owner@example.ru"`+body+`}`, headers...)
		}
		k1 := g.KeyResults[0].ID
		// A key result's own fields change; its priority and deadline are
		// its goal's, and ignored (not even checked) when sent.
		a := put(k1, `,"title":"k1 renamed","progress":1,"priority":"bogus","deadlineAt":"yesterday","keyResults":[{"title":""}]`, malformed)
		kr := decode[struct{ Goal goal }](t, a).Goal
		if a.status != 200 || kr.Title != "k1 renamed" || kr.Progress != 1 || kr.Priority != "high" || kr.DeadlineAt != futureDay || kr.KeyResults != nil {
			t.Fatalf("key result edit: %d %s", a.status, a.body)
		}
		// Adding key results through PUT; the goal's value, progress and
		// unit are ignored.
		a = put(g.ID, `,"value":0,"progress":"x","valueUnit":"miles","keyResults":[{"title":"k2","value":2,"valueUnit":"numbers"},{"title":"k3","value":5,"valueUnit":"euros"}]`, malformed)
		gg := decode[struct{ Goal goal }](t, a).Goal
		if a.status != 200 || len(gg.KeyResults) != 3 || gg.KeyResults[1].Title != "k2" || gg.KeyResults[2].Title != "k3" {
			t.Fatalf("adding key results: %d %s", a.status, a.body)
		}
		k2, k3 := gg.KeyResults[1].ID, gg.KeyResults[2].ID
		// Progress: the mean of min(progress/value, 1) × 100, rounded
		// down: k1 1/3, k2 2/2 (capped), k3 0 → (33.3 + 100 + 0)/3 = 44.
		put(k2, `,"progress":7`)
		if l := s.list(ownerID, ""); l.Items[0].Progress != 44 || l.Items[0].Value != 100 || l.Items[0].ValueUnit != "percents" {
			t.Fatalf("progress %+v", l.Items[0])
		}
		// Deleting a key result takes it out of the mean; it cannot be
		// approved or completed on its own.
		s.expect(s.call("POST", action(k3, "approve"), by("hr@example.ru")), 400, refused("Goal is not found or cannot be approved", "goalId"))
		s.expect(s.call("POST", action(k3, "complete"), by("hr@example.ru")), 400, refused("Goal is not found or cannot be completed", "goalId"))
		s.expect(s.call("POST", action(k3, "delete"), by("hr@example.ru")), 200, `{"result":true,"message":"Goal has been deleted"}`)
		if l := s.list(ownerID, ""); l.Items[0].Progress != 66 || len(l.Items[0].KeyResults) != 2 {
			t.Fatalf("after deleting k3: %+v", l.Items[0])
		}
		// Key results take their goal's approval and completion.
		s.call("POST", action(g.ID, "approve"), by("mgr@example.ru"))
		s.call("POST", action(g.ID, "complete"), by("hr@example.ru"))
		l := s.list(ownerID, "?type=completed")
		for _, k := range l.Items[0].KeyResults {
			if *k.ApprovedByID != "mgr@example.ru" || *k.CompletedByID != "hr@example.ru" || k.InRisk {
				t.Fatalf("key result of a completed goal: %+v", k)
			}
		}
		if l.CountActive != 0 {
			t.Fatalf("countActive %d", l.CountActive)
		}
		// A key result of a completed goal cannot be edited; deleting the
		// goal deletes its key results.
		s.expect(s.call("PUT", fmt.Sprintf("%s%d", goalPath, k1), `{"authorId":"hr@example.ru","title":"x"}`), 400,
			refused("Goal is not found or cannot be edited", "goalId"))
		s.expect(s.call("POST", action(g.ID, "delete"), by("hr@example.ru")), 200, `{"result":true,"message":"Goal has been deleted"}`)
		s.expect(s.call("POST", action(k1, "delete"), by("hr@example.ru")), 400, refused("Goal is not found or cannot be deleted", "goalId"))
		if l := s.list(ownerID, ""); len(l.Items) != 0 {
			t.Fatalf("%+v", l)
		}
	})
}

// PUT: fields left out or null stay; each wrong field is reported; the
// answer is the goal with every value current.
func TestGoalEdit(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		g := s.createOne(ownerID, newGoal(ownerID, "t"))
		path := fmt.Sprintf("%s%d", goalPath, g.ID)
		s.expect(s.call("PUT", path, `{"authorId":"owner@example.ru","title":"","value":0,"progress":12345678901,"valueUnit":"x","priority":"x","deadlineAt":"2020-01-01T00:00:00+03:00"}`, malformed), 400,
			refused(required, "title", "Invalid value. Value should be greater than 0", "value", "Value is too long. Allowed length 10 characters", "progress",
				"Invalid value. Allowed values: percents, numbers, roubles, dollars, euros, hours", "valueUnit",
				"Invalid value. Allowed values: high, medium, low", "priority", "Invalid date. You can only specify the current and future date", "deadlineAt"))
		// Field problems and the author's, together.
		s.expect(s.call("PUT", path, `{"authorId":"stranger@example.ru","title":""}`, malformed), 400,
			refused(required, "title", "Author has no rights to edit goals", "authorId"))
		s.expect(s.call("PUT", path, `{"title":"x"}`, malformed), 400, refused(required, "authorId"))
		a := s.call("PUT", path, `{"authorId":"owner@example.ru","title":null,"value":null,"progress":150,"priority":"high"}`)
		want := fmt.Sprintf(`{"result":true,"goal":{"id":%d,"title":"t","value":100,"progress":150,"priority":"high","deadlineAt":"%s","valueUnit":"numbers",`+
			`"inRisk":false,"approvedAt":null,"approvedById":null,"completedAt":null,"completedById":null,"keyResults":null}}`, g.ID, futureDay)
		s.expect(a, 200, want)
	})
}

// inRisk and deadlines follow the stand's clock: moved, never slept.
func TestGoalRiskFollowsTheClock(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		// Due on 2025-06-21 (00:00 Moscow, 9.5 days from now; the deadline
		// passes at 2025-06-22 00:00 Moscow): created 2025-06-11 12:00.
		g := s.createOne(ownerID, strings.Replace(newGoal(ownerID, "t"), futureDay, "2025-06-21T00:00:00+03:00", 1))
		risk := func() bool { return s.list(ownerID, "").Items[0].InRisk }
		if risk() {
			t.Fatal("in risk at creation")
		}
		// Half the time gone, no progress: 0 < 0.5 - 0.1.
		s.clock.Set(today.Add(126 * time.Hour))
		if !risk() {
			t.Fatal("not in risk half-way with no progress")
		}
		// The time share runs to 00:00 of the deadline day (9.5 days):
		// 5.25 days gone is 0.553; 45% done is below 0.453, 50% is not.
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","progress":45}`)
		if !risk() {
			t.Fatal("not in risk at 45% with 55% of the time gone")
		}
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","progress":50}`)
		if risk() {
			t.Fatal("in risk at 50% with 55% of the time gone")
		}
		// On the deadline day all the time is gone: 0.5 < 0.9.
		s.clock.Set(time.Date(2025, 6, 21, 0, 0, 0, 0, time.UTC))
		if !risk() {
			t.Fatal("not in risk near the deadline")
		}
		// Done in full, until the deadline passes.
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","progress":100}`)
		s.clock.Set(time.Date(2025, 6, 21, 20, 59, 59, 0, time.UTC)) // 23:59:59 Moscow
		if risk() {
			t.Fatal("in risk on the deadline day, done")
		}
		s.clock.Set(time.Date(2025, 6, 21, 21, 0, 0, 0, time.UTC)) // 00:00 the next day
		if !risk() {
			t.Fatal("not in risk once the deadline has passed")
		}
		// The deadline day is no longer a current date; the next is.
		s.expect(s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","deadlineAt":"2025-06-21T00:00:00+03:00"}`), 400,
			refused("Invalid date. You can only specify the current and future date", "deadlineAt"))
		if a := s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","deadlineAt":"2025-06-22T00:00:00+03:00"}`); a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		// A goal due today has no time left: at risk unless 90% done.
		today := s.createOne("mgr@example.ru", strings.Replace(newGoal("mgr@example.ru", "today"), futureDay, "2025-06-22T10:00:00+03:00", 1))
		if l := s.list("mgr@example.ru", ""); !l.Items[0].InRisk || today.ID != l.Items[0].ID {
			t.Fatalf("a goal due today, not done: %+v", l.Items[0])
		}
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, today.ID), `{"authorId":"mgr@example.ru","progress":90}`)
		if l := s.list("mgr@example.ru", ""); l.Items[0].InRisk {
			t.Fatalf("a goal due today, 90%% done: %+v", l.Items[0])
		}
		// Completed: never in risk.
		s.call("POST", action(g.ID, "complete"), by("mgr@example.ru"))
		s.clock.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		if l := s.list(ownerID, ""); l.Items[0].InRisk {
			t.Fatal("a completed goal in risk")
		}
	})
}

// The limit of active goals: key results do not count, completed and
// deleted goals free a place, countActive comes with every read.
func TestGoalLimit(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		els := make([]string, 11)
		for i := range els {
			els[i] = strings.Replace(newGoal("hr@example.ru", fmt.Sprint("g", i)), `"keyResults":null`,
				`"keyResults":[{"title":"k","value":1,"valueUnit":"hours"}]`, 1)
		}
		c := s.create(ownerID, els...)
		for i := range 10 {
			if !c.Data[i].Success || len(c.Data[i].Goal) != i+1 {
				t.Fatalf("element %d: %+v", i, c.Data[i])
			}
		}
		if string(c.Data[10].Errors) != errs("Goal limit reached", "10") {
			t.Fatalf("11th: %s", c.Data[10].Errors)
		}
		// Field problems and the limit, together, as in the sample.
		s.expect(s.call("POST", goalsOf+ownerID, `[`+strings.Replace(newGoal(ownerID, ""), `"title":""`, `"title":null`, 1)+`]`, malformed), 200,
			`{"result":true,"userId":"owner@example.ru","data":[{"success":false,"goal":null,"errors":`+errs(required, "title", "Goal limit reached", "10")+`}]}`)
		l := s.list(ownerID, "?type=completed")
		if l.CountActive != 10 || l.Limit != 10 || len(l.Items) != 0 {
			t.Fatalf("%+v", l)
		}
		first := s.list(ownerID, "").Items[0].ID
		s.call("POST", action(first, "complete"), by("hr@example.ru"))
		if g := s.createOne(ownerID, newGoal("hr@example.ru", "in its place")); g.Title != "in its place" {
			t.Fatal(g)
		}
		if l := s.list(ownerID, "?type=active"); l.CountActive != 10 || len(l.Items) != 10 {
			t.Fatalf("%+v", l)
		}
		if l := s.list(ownerID, "?type=completed"); len(l.Items) != 1 || l.Items[0].ID != first {
			t.Fatalf("%+v", l)
		}
	})
}

// The limit holds under concurrency: many simultaneous creations for one
// user, on two nodes over one database, make exactly the limit; then, while
// others complete goals, never more than the limit are active: replayed in
// the order the history recorded them, creations and completions never
// pass it, and every acknowledged change is accounted for.
func TestGoalLimitOnTwoNodes(t *testing.T) {
	t.Parallel()
	onTwoNodes(t, func(t *testing.T, nodes []*stand) {
		var made, completed atomic.Int64
		// post is safe in the workers' goroutines: it reports with Errorf.
		post := func(s *stand, path, body string) (int, string) {
			a := s.call("POST", path, body)
			return a.status, a.body
		}
		createTwo := func(s *stand, w, i int) {
			status, body := post(s, goalsOf+ownerID, "["+newGoal("hr@example.ru", fmt.Sprint(w, "-", i))+","+newGoal("mgr@example.ru", fmt.Sprint(w, "+", i))+"]")
			var c created
			if status != 200 || json.Unmarshal([]byte(body), &c) != nil {
				t.Errorf("create: %d %s", status, body)
				return
			}
			for _, d := range c.Data {
				switch {
				case d.Success:
					made.Add(1)
				case string(d.Errors) != errs("Goal limit reached", "10"):
					t.Errorf("create: %s", d.Errors)
				}
			}
		}
		var wg sync.WaitGroup
		for w := range 16 {
			wg.Go(func() {
				for i := range 3 {
					createTwo(nodes[w%2], w, i)
				}
			})
		}
		wg.Wait()
		if n, l := made.Load(), nodes[1].list(ownerID, ""); n != 10 || l.CountActive != 10 || len(l.Items) != 10 {
			t.Fatalf("96 simultaneous creations made %d goals; %d active", n, l.CountActive)
		}
		for w := range 16 {
			wg.Go(func() {
				s := nodes[w%2]
				for i := range 8 {
					if w%4 != 3 || i%2 == 0 {
						createTwo(s, w, 10+i)
						continue
					}
					a := s.call("GET", goalsOf+ownerID+"?type=active", "")
					status, body := a.status, a.body
					var l goalList
					if status != 200 || json.Unmarshal([]byte(body), &l) != nil {
						t.Errorf("list: %d %s", status, body)
						return
					}
					if len(l.Items) == 0 {
						continue
					}
					status, body = post(s, action(l.Items[0].ID, "complete"), by("hr@example.ru"))
					switch {
					case status == 200:
						completed.Add(1)
					case !strings.Contains(body, "Goal is already completed"):
						t.Errorf("complete: %d %s", status, body)
					}
				}
			})
		}
		wg.Wait()
		l := nodes[0].list(ownerID, "?type=active")
		if active := made.Load() - completed.Load(); l.CountActive != int(active) || active > 10 || len(l.Items) != l.CountActive {
			t.Fatalf("created %d, completed %d, countActive %d, listed %d", made.Load(), completed.Load(), l.CountActive, len(l.Items))
		}
		rec, err := nodes[0].node.Operator.MotivityGoals(context.Background(), ownerID)
		if err != nil {
			t.Fatal(err)
		}
		active, most := 0, 0
		for _, e := range rec.History {
			switch e.Action {
			case "created":
				active++
			case "completed":
				active--
			}
			most = max(most, active)
		}
		if most > 10 || int64(active) != made.Load()-completed.Load() {
			t.Fatalf("replayed history: at most %d active, %d at the end", most, active)
		}
	})
}

// Every change is kept with who, when and what changed, deleted goals
// too; operators read it (operator API), and add goals in any state.
func TestGoalHistory(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		g := s.createOne(ownerID, strings.Replace(newGoal(ownerID, "t"), `"keyResults":null`, `"keyResults":[{"title":"k","value":2,"valueUnit":"hours"}]`, 1))
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.ID), `{"authorId":"owner@example.ru","title":"renamed","priority":"high"}`)
		s.call("POST", action(g.ID, "approve"), by("mgr@example.ru"))
		s.call("POST", action(g.ID, "complete"), by("hr@example.ru"))
		s.call("POST", action(g.ID, "delete"), by("mgr@example.ru"))
		a := s.op("GET", "users/"+ownerID+"/goals", "")
		var rec struct {
			Goals []struct {
				ID         int64
				Title      string
				DeletedAt  *time.Time
				KeyResults []struct{ DeletedAt *time.Time }
			}
			History []struct {
				GoalID    int64
				Action    string
				Author    string
				Actor     string
				RequestID string
				Changes   map[string]json.RawMessage
			}
		}
		if err := json.Unmarshal([]byte(a.body), &rec); err != nil || a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		if len(rec.Goals) != 1 || rec.Goals[0].Title != "renamed" || rec.Goals[0].DeletedAt == nil || rec.Goals[0].KeyResults[0].DeletedAt == nil {
			t.Fatalf("goals: %s", a.body)
		}
		var got []string
		for _, e := range rec.History {
			got = append(got, fmt.Sprintf("%s by %s via %s", e.Action, e.Author, e.Actor))
			if e.RequestID == "" {
				t.Errorf("no request id: %+v", e)
			}
		}
		want := []string{"created by owner@example.ru via public-api", "created by owner@example.ru via public-api",
			"edited by owner@example.ru via public-api", "approved by mgr@example.ru via public-api",
			"completed by hr@example.ru via public-api", "deleted by mgr@example.ru via public-api", "deleted by mgr@example.ru via public-api"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("history:\n%v\nwant\n%v", got, want)
		}
		if edit := rec.History[2].Changes; string(edit["title"]) != `["t","renamed"]` || string(edit["priority"]) != `["low","high"]` || len(edit) != 2 {
			t.Fatalf("edit changes: %v", edit)
		}
		// The key result deleted with its goal records that too.
		if del := rec.History[6].Changes; len(del["deletedAt"]) == 0 || rec.History[6].GoalID == g.ID {
			t.Fatalf("key result's deletion: %+v", rec.History[6])
		}
		// A goal given its first key results ignores its own measure sent
		// with them: nothing of it is stored or recorded.
		p := s.createOne(ownerID, newGoal(ownerID, "plain"))
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, p.ID), `{"authorId":"owner@example.ru","progress":7,"value":9,"valueUnit":"hours","keyResults":[{"title":"k","value":1,"valueUnit":"hours"}]}`)
		a = s.op("GET", "users/"+ownerID+"/goals", "")
		if !strings.Contains(a.body, `"title":"plain","value":100,"progress":0,"valueUnit":"percents"`) || strings.Contains(a.body, `"progress":[0,7]`) {
			t.Fatalf("first key results with a measure: %s", a.body)
		}
		// Operators add goals in any state; the public API shows them.
		a = s.op("POST", "users/stranger@example.ru/goals", `[{"title":"seeded","value":5,"progress":2,"valueUnit":"hours","priority":"low",`+
			`"deadlineAt":"2025-06-01","createdAt":"2025-05-01","approvedBy":"hr@example.ru"},`+
			`{"title":"done","priority":"high","deadlineAt":"2030-01-01","approvedBy":"hr@example.ru","completedBy":"mgr@example.ru",`+
			`"keyResults":[{"title":"k","value":4,"progress":1,"valueUnit":"numbers"}]}]`)
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		l := s.list("stranger@example.ru", "")
		if len(l.Items) != 2 || !l.Items[0].InRisk || *l.Items[0].ApprovedByID != "hr@example.ru" || l.Items[1].Progress != 25 ||
			*l.Items[1].KeyResults[0].CompletedByID != "mgr@example.ru" || l.CountActive != 1 {
			t.Fatalf("%+v", l)
		}
		// The first three are off the operator document (a value, a
		// priority, a day it does not allow); the last names a user there
		// is not.
		for i, bad := range []string{`[{"title":"x","value":0,"valueUnit":"hours","priority":"low","deadlineAt":"2030-01-01"}]`,
			`[{"title":"x","value":1,"valueUnit":"hours","priority":"soon","deadlineAt":"2030-01-01"}]`,
			`[{"title":"x","value":1,"valueUnit":"hours","priority":"low","deadlineAt":"someday"}]`,
			`[{"title":"x","value":1,"valueUnit":"hours","priority":"low","deadlineAt":"2030-01-01","approvedBy":"nobody@example.ru"}]`} {
			send := s.opMalformed
			if i == 3 {
				send = s.op
			}
			if a := send("POST", "users/stranger@example.ru/goals", bad); a.status != 400 && a.status != 404 {
				t.Errorf("%s: %d %s", bad, a.status, a.body)
			}
		}
		if a := s.op("GET", "users/nobody@example.ru/goals", ""); a.status != 404 {
			t.Fatalf("unknown user: %d", a.status)
		}
	})
}

// A key result takes its goal's inRisk, in a list and when answered on its
// own after an edit, whatever its own progress.
func TestKeyResultsTakeTheirGoalsRisk(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		g := s.createOne(ownerID, `{"authorId":"owner@example.ru","title":"g","priority":"high","deadlineAt":"2025-06-21T00:00:00+03:00",`+
			`"keyResults":[{"title":"k1","value":2,"valueUnit":"hours"},{"title":"k2","value":2,"valueUnit":"hours"}]}`)
		s.clock.Set(today.Add(126 * time.Hour)) // half-way
		// k1 done: the goal is at 50%, not at risk; k2, at 0, takes that.
		a := s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.KeyResults[0].ID), `{"authorId":"owner@example.ru","progress":2}`)
		if k := decode[struct{ Goal goal }](t, a).Goal; a.status != 200 || k.InRisk {
			t.Fatalf("k1: %d %s", a.status, a.body)
		}
		a = s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.KeyResults[1].ID), `{"authorId":"owner@example.ru","title":"k2 renamed"}`)
		if k := decode[struct{ Goal goal }](t, a).Goal; a.status != 200 || k.InRisk || k.Progress != 0 {
			t.Fatalf("k2: %d %s", a.status, a.body)
		}
		// k1 at a quarter: the goal at 12% half-way is at risk, and so is
		// k2, answered alone.
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.KeyResults[0].ID), `{"authorId":"owner@example.ru","value":4}`)
		s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.KeyResults[0].ID), `{"authorId":"owner@example.ru","progress":1}`)
		a = s.call("PUT", fmt.Sprintf("%s%d", goalPath, g.KeyResults[1].ID), `{"authorId":"owner@example.ru","title":"k2"}`)
		l := s.list(ownerID, "")
		if k := decode[struct{ Goal goal }](t, a).Goal; !k.InRisk || !l.Items[0].InRisk || !l.Items[0].KeyResults[0].InRisk || !l.Items[0].KeyResults[1].InRisk {
			t.Fatalf("at risk: %s\n%+v", a.body, l.Items[0])
		}
	})
}
