package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"stend/operator"
)

// «Бейджи»: GET /badge.
func TestListBadges(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		// Deleted badges (4) and grades (99) are left out; grades come by
		// grade; no description or colour is null; active, system and
		// grade are quoted as in the sample.
		want := `[{"id":1,"title":"Первый","image":"https://x/1.svg","description":null,"popupDescription":"Поздравляем!","color":"#00ff00","active":"1","system":"0","children":[]},` +
			`{"id":2,"title":"Второй","image":"https://x/2.svg","description":null,"popupDescription":"Поздравляем!","color":null,"active":"0","system":"0","children":[]},` +
			`{"id":3,"title":"Системный","image":"https://x/3.svg","description":null,"popupDescription":"Поздравляем!","color":null,"active":"1","system":"1","children":[]},` +
			`{"id":7,"title":"English only","image":"https://x/7.svg","description":null,"popupDescription":"Yay","color":null,"active":"1","system":"0","children":[]},` +
			`{"id":93,"title":"Спортивные достижения","image":"https://x/93.svg","description":null,"popupDescription":"Поздравляем!","color":null,"active":"1","system":"0","children":[` +
			`{"id":98,"title":"Спорт 1 уровень","image":"https://x/98.svg","description":null,"popupDescription":"Поздравляем!","color":null,"active":"1","system":"0","grade":"1"},` +
			`{"id":100,"title":"Спорт 2 уровень","image":"https://x/100.svg","description":null,"popupDescription":"Поздравляем!","color":null,"active":"1","system":"0","grade":"2"}]}]`
		s.expect(s.call("GET", "/public/api/v1/badge", ""), 200, want)
		s.expect(s.call("GET", "/public/api/v1/badge/", ""), 200, want)
		en := s.call("GET", "/public/api/v1/badge", "", "Locale: en")
		if !strings.Contains(en.body, `{"id":98,"title":"Sport 1","image":"https://x/98.svg","description":"About Sport 1","popupDescription":"Congratulations!"`) {
			t.Fatalf("grades in English: %s", en.body)
		}
		empty := newStandWith(t, s, operator.Seed{Motivity: operator.SeedMotivity{Platform: &operator.SeedMotivityPlatform{PublicToken: token}}})
		empty.expect(empty.call("GET", "/public/api/v1/badge", ""), 200, `[]`)
	})
}

func result(pairs ...string) string {
	var items []string
	for i := 0; i < len(pairs); i += 2 {
		e := "null"
		if pairs[i+1] != "" {
			e = `"` + pairs[i+1] + `"`
		}
		items = append(items, fmt.Sprintf(`{"id":%q,"success":%t,"error":%s}`, pairs[i], pairs[i+1] == "", e))
	}
	return `{"result":true,"data":[` + strings.Join(items, ",") + `]}`
}

func errorsBody(pairs ...string) string {
	var items []string
	for i := 0; i < len(pairs); i += 2 {
		items = append(items, fmt.Sprintf(`{"message":%q,"cause":%q}`, pairs[i], pairs[i+1]))
	}
	return `{"errors":[` + strings.Join(items, ",") + `]}`
}

const (
	required    = "Required parameters are not filled in"
	userMissing = "User ID is required"
	notFound    = "User not found"
)

// held lists the badges user holds.
func (s *stand) held(user string) string {
	s.t.Helper()
	d, err := s.node.Operator.MotivityUser(context.Background(), user)
	if err != nil {
		s.t.Fatal(err)
	}
	var ids []int64
	for _, b := range d.Badges {
		ids = append(ids, b.BadgeID)
	}
	return fmt.Sprint(ids)
}

// Assignment with every documented condition and message.
func TestAssignBadge(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		assign := func(id, body string, headers ...string) answer {
			return s.call("POST", "/public/api/v1/badge/"+id+"/assign", body, headers...)
		}
		users := `{"userId":["a@example.ru"]}`
		// malformed: a request the document calls invalid, sent on purpose.
		refusals := []struct {
			name, id, body, want string
			malformed            bool
		}{
			{"unknown badge", "404", users, errorsBody("Badge not found", "404"), false},
			{"deleted badge", "4", users, errorsBody("Badge not found", "4"), false},
			{"deleted grade", "99", users, errorsBody("Badge not found", "99"), false},
			{"badge id not a number", "abc", users, errorsBody("Badge not found", "abc"), true},
			{"badge id zero", "0", users, errorsBody("Badge not found", "0"), true},
			{"inactive", "2", users, errorsBody("An inactive badge cannot be assigned", "2"), false},
			{"system", "3", users, errorsBody("A system badge cannot be assigned", "3"), false},
			{"parent of grades", "93", users, errorsBody("Select the badge grade for the assignment", "93"), false},
			{"no body", "1", ``, errorsBody(required, userMissing), true},
			{"not JSON", "1", `userId=a`, errorsBody(required, userMissing), true},
			{"no userId", "1", `{}`, errorsBody(required, userMissing), true},
			{"userId null", "1", `{"userId":null}`, errorsBody(required, userMissing), true},
			{"userId a string", "1", `{"userId":"a@example.ru"}`, errorsBody(required, userMissing), true},
			{"userId empty", "1", `{"userId":[]}`, errorsBody(required, userMissing), true},
			{"userId with a number", "1", `{"userId":["a@example.ru",5]}`, errorsBody(required, userMissing), true},
			{"userId with an empty string", "1", `{"userId":["a@example.ru"," "]}`, errorsBody(required, userMissing), true},
			{"userId with U+0000", "1", `{"userId":["a@example.ru\u0000"]}`, errorsBody(required, userMissing), true},
			{"userId in another case", "1", `{"USERID":["a@example.ru"]}`, errorsBody(required, userMissing), true},
			{"body an array", "1", `[{"userId":["a@example.ru"]}]`, errorsBody(required, userMissing), true},
			{"over the maximum (5 in tests)", "1", `{"userId":["1@x","2@x","3@x","4@x","5@x","6@x"]}`, errorsBody(required, userMissing), false},
			// Both problems at once, as in the document's sample.
			{"no users and an inactive badge", "2", `{}`, errorsBody(required, userMissing, "An inactive badge cannot be assigned", "2"), true},
			{"no users and an unknown badge", "404", `{}`, errorsBody(required, userMissing, "Badge not found", "404"), true},
		}
		for _, c := range refusals {
			a := assign(c.id, c.body, marked(c.malformed)...)
			if a.status != 400 || a.body != c.want {
				t.Errorf("%s: got %d %s\nwant 400 %s", c.name, a.status, a.body, c.want)
			}
		}
		if h := s.held("a@example.ru"); h != "[]" {
			t.Fatalf("refused requests changed holdings: %s", h)
		}

		// Success even when some users are unknown or deleted; a
		// deactivated user gets it; identifiers are answered as sent and
		// e-mails compared without case; a badge already held is a
		// success.
		s.expect(assign("1", `{"userId":["A@Example.ru","nobody@example.ru","gone@example.ru","b@example.ru","a@example.ru"]}`), 200,
			result("A@Example.ru", "", "nobody@example.ru", notFound, "gone@example.ru", notFound, "b@example.ru", "", "a@example.ru", ""))
		s.expect(assign("1", users), 200, result("a@example.ru", ""))
		if h := s.held("b@example.ru"); h != "[1]" {
			t.Fatalf("deactivated user: %s", h)
		}

		// Grades: a new grade replaces the other; a lower one is refused
		// per user while a higher one is held.
		s.expect(assign("98", `{"userId":["a@example.ru"]}`), 200, result("a@example.ru", ""))
		s.expect(assign("100", `{"userId":["a@example.ru"]}`), 200, result("a@example.ru", ""))
		if h := s.held("a@example.ru"); h != "[1 100]" {
			t.Fatalf("grade 2 replaces grade 1: %s", h)
		}
		s.expect(assign("98", `{"userId":["a@example.ru","b@example.ru"]}`), 200,
			result("a@example.ru", "User already has a higher grade badge, remove it first", "b@example.ru", ""))
		if h := s.held("a@example.ru"); h != "[1 100]" {
			t.Fatalf("a lower grade changed holdings: %s", h)
		}
		s.expect(assign("100", `{"userId":["b@example.ru"]}`), 200, result("b@example.ru", ""))
		if h := s.held("b@example.ru"); h != "[1 100]" {
			t.Fatalf("grade 2 replaces grade 1 for b: %s", h)
		}
	})
}

// Removal: the conditions of the document (user exists and is not
// deleted, badge not system); an inactive badge can be removed.
func TestRemoveBadge(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		call := func(op, id, body string, headers ...string) answer {
			return s.call("POST", "/public/api/v1/badge/"+id+"/"+op, body, headers...)
		}
		s.expect(call("assign", "1", `{"userId":["a@example.ru","b@example.ru"]}`), 200, result("a@example.ru", "", "b@example.ru", ""))
		s.expect(call("assign", "100", `{"userId":["a@example.ru"]}`), 200, result("a@example.ru", ""))
		users := `{"userId":["a@example.ru"]}`
		refusals := []struct {
			name, id, body, want string
			malformed            bool
		}{
			{"unknown badge", "404", users, errorsBody("Badge not found", "404"), false},
			{"deleted badge", "4", users, errorsBody("Badge not found", "4"), false},
			{"system", "3", users, errorsBody("A system badge cannot be assigned", "3"), false},
			{"parent of grades", "93", users, errorsBody("Select the badge grade for the assignment", "93"), false},
			{"no userId", "1", `{}`, errorsBody(required, userMissing), true},
			{"no userId and a system badge", "3", `{"userId":[]}`, errorsBody(required, userMissing, "A system badge cannot be assigned", "3"), true},
		}
		for _, c := range refusals {
			a := call("remove", c.id, c.body, marked(c.malformed)...)
			if a.status != 400 || a.body != c.want {
				t.Errorf("%s: got %d %s\nwant 400 %s", c.name, a.status, a.body, c.want)
			}
		}
		if h := s.held("a@example.ru"); h != "[1 100]" {
			t.Fatalf("refused removals changed holdings: %s", h)
		}
		s.expect(call("remove", "1", `{"userId":["a@example.ru","nobody@example.ru","gone@example.ru","b@example.ru"]}`), 200,
			result("a@example.ru", "", "nobody@example.ru", notFound, "gone@example.ru", notFound, "b@example.ru", ""))
		// Not held: still a success.
		s.expect(call("remove", "1", users), 200, result("a@example.ru", ""))
		// An inactive badge can be removed.
		s.expect(call("remove", "2", users), 200, result("a@example.ru", ""))
		// Removing a grade does not give back another.
		s.expect(call("remove", "100", users), 200, result("a@example.ru", ""))
		if h := s.held("a@example.ru"); h != "[]" {
			t.Fatalf("after removals: %s", h)
		}
	})
}

// A grade of a deleted multi-level badge is deleted with it: not listed,
// and "Badge not found" to assign or remove. Whether a grade is active or
// system is its own flag: an inactive or system parent changes nothing for
// its grades (the document's conditions name the badge assigned, and its
// sample has an active parent with inactive grades).
func TestGradesOfParents(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		sd := seed()
		grade := func(id int64) operator.BadgeInput {
			return operator.BadgeInput{ID: id, Grade: 1, Image: "https://x/g.svg", Texts: map[string]operator.BadgeTextJSON{"ru": {Title: "Уровень", PopupDescription: "!"}}}
		}
		parent := func(id int64, b operator.BadgeInput) operator.BadgeInput {
			b.ID, b.Image, b.Grades = id, "https://x/p.svg", []operator.BadgeInput{grade(id + 1)}
			b.Texts = map[string]operator.BadgeTextJSON{"ru": {Title: "Родитель", PopupDescription: "!"}}
			return b
		}
		sd.Motivity.Badges = append(sd.Motivity.Badges, parent(50, operator.BadgeInput{Deleted: true}),
			parent(60, operator.BadgeInput{Active: ptr(false)}), parent(70, operator.BadgeInput{System: true}))
		s = newStandWith(t, s, sd)
		users := `{"userId":["a@example.ru"]}`
		for _, op := range []string{"assign", "remove"} {
			s.expect(s.call("POST", "/public/api/v1/badge/51/"+op, users), 400, errorsBody("Badge not found", "51"))
		}
		s.expect(s.call("POST", "/public/api/v1/badge/61/assign", users), 200, result("a@example.ru", ""))
		s.expect(s.call("POST", "/public/api/v1/badge/71/assign", users), 200, result("a@example.ru", ""))
		if h := s.held("a@example.ru"); h != "[61 71]" {
			t.Fatalf("holdings: %s", h)
		}
		list := s.call("GET", "/public/api/v1/badge", "")
		if strings.Contains(list.body, `"id":51`) || strings.Contains(list.body, `"id":50`) || !strings.Contains(list.body, `"id":61`) {
			t.Fatalf("list: %s", list.body)
		}
	})
}
