package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend/operator"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// today is the stands' clock.
var today = stendtest.Now

const (
	token         = "test-public-token"
	operatorToken = stendtest.OperatorToken
)

// stand is one node over a fresh store holding the platform of seed().
type stand struct {
	t       testing.TB
	store   *sqlstore.DB
	node    *server.Node
	stand   *stendtest.Stand
	clock   *stendtest.ManualClock
	handler http.Handler
}

func ptr[T any](v T) *T { return &v }

// seed is the platform every test starts from: users a and b (b
// deactivated), gone (deleted), boss (a's manager, goals permission),
// owner, mgr (owner's manager), hr (goals permission), stranger; badges 1 (plain,
// active), 2 (inactive), 3 (system), 4 (deleted), 93 (graded: 98 grade 1,
// 100 grade 2, 99 grade 3 deleted), 7 (only an English text).
func seed() operator.Seed {
	var s operator.Seed
	s.Motivity.Platform = &operator.SeedMotivityPlatform{PublicToken: token,
		MotivitySettings: operator.MotivitySettings{PrizeCatalogUntil: ptr("2025-12-31")}}
	s.Motivity.Users = []operator.MotivityUserInput{
		{Identifier: "a@example.ru", Name: ptr("A"), Manager: ptr("boss@example.ru")},
		{Identifier: "b@example.ru", Name: ptr("B"), Active: ptr(false)},
		{Identifier: "gone@example.ru"},
		{Identifier: "boss@example.ru", ManagesGoals: ptr(true)},
		// Goals: owner's manager is mgr (no permission); hr holds the
		// permission; stranger neither.
		{Identifier: "owner@example.ru", Manager: ptr("mgr@example.ru")},
		{Identifier: "mgr@example.ru"},
		{Identifier: "hr@example.ru", ManagesGoals: ptr(true)},
		{Identifier: "stranger@example.ru"},
	}
	text := func(ru, en string) map[string]operator.BadgeTextJSON {
		return map[string]operator.BadgeTextJSON{
			"ru": {Title: ru, PopupDescription: "Поздравляем!"},
			"en": {Title: en, Description: ptr("About " + en), PopupDescription: "Congratulations!"},
		}
	}
	s.Motivity.Badges = []operator.BadgeInput{
		{ID: 1, Texts: text("Первый", "First"), Image: "https://x/1.svg", Color: ptr("#00ff00")},
		{ID: 2, Texts: text("Второй", "Second"), Image: "https://x/2.svg", Active: ptr(false)},
		{ID: 3, Texts: text("Системный", "System"), Image: "https://x/3.svg", System: true},
		{ID: 4, Texts: text("Удалённый", "Deleted"), Image: "https://x/4.svg", Deleted: true},
		{ID: 93, Texts: text("Спортивные достижения", "Sport"), Image: "https://x/93.svg", Grades: []operator.BadgeInput{
			{ID: 100, Grade: 2, Texts: text("Спорт 2 уровень", "Sport 2"), Image: "https://x/100.svg"},
			{ID: 98, Grade: 1, Texts: text("Спорт 1 уровень", "Sport 1"), Image: "https://x/98.svg"},
			{ID: 99, Grade: 3, Texts: text("Спорт 3 уровень", "Sport 3"), Image: "https://x/99.svg", Deleted: true},
		}},
		{ID: 7, Texts: map[string]operator.BadgeTextJSON{"en": {Title: "English only", PopupDescription: "Yay"}}, Image: "https://x/7.svg"},
	}
	return s
}

func newStand(t testing.TB, open func(testing.TB) *sqlstore.DB) *stand {
	t.Helper()
	clock := stendtest.NewManualClock(today)
	return standOn(t, open(t), clock, seed(), testConfig())
}

// testConfig has small limits, so that tests can pass them.
func testConfig() server.Config {
	cfg := stendtest.Config()
	cfg.MotivityMaxBadgeUsers = 5
	cfg.MotivityMaxPointsItems = 5
	cfg.MotivityMaxBodyBytes = 4096
	return cfg
}

// newStandWith is a stand on a fresh store of the same kind as s's, loaded
// with sd.
func newStandWith(t testing.TB, s *stand, sd operator.Seed) *stand {
	t.Helper()
	clock := stendtest.NewManualClock(today)
	open := storetest.OpenSQLite
	if s.store.Dialect() == "postgres" {
		open = storetest.OpenPostgres
	}
	return standOn(t, open(t), clock, sd, testConfig())
}

func standOn(t testing.TB, store *sqlstore.DB, clock *stendtest.ManualClock, sd operator.Seed, cfg server.Config) *stand {
	t.Helper()
	return standWith(t, store, clock, sd, stendtest.Options{Config: &cfg})
}

// standWith is standOn with the stand's options (its job runner's) chosen.
func standWith(t testing.TB, store *sqlstore.DB, clock *stendtest.ManualClock, sd operator.Seed, o stendtest.Options) *stand {
	t.Helper()
	st := stendtest.On(t, store, clock, o)
	node := st.Node
	ctx := context.Background()
	if err := node.Operator.LoadSeed(ctx, sd, node.Logger); err != nil {
		t.Fatal(err)
	}
	if len(sd.Motivity.Users) > 0 {
		if _, err := node.Operator.DeleteMotivityUser(ctx, "gone@example.ru"); err != nil {
			t.Fatal(err)
		}
	}
	return &stand{t: t, store: store, node: node, stand: st, clock: clock, handler: st.Handler}
}

type answer struct {
	status int
	body   string
	header http.Header
}

// Options among call's headers. malformed marks a request the test sends
// malformed on purpose (stendtest.Malformed): the contract check exempts
// the request and still validates the answer. undocumented marks a request
// for which the document has no operation (an unknown path, a method a
// path does not take, a path the router would redirect;
// stendtest.Undocumented): the contract check has no operation to hold its
// answer to, so the test holds the answer's bytes itself.
const (
	malformed    = "malformed"
	undocumented = "undocumented"
)

// marked is malformed among call's headers when on.
func marked(on bool) []string {
	if on {
		return []string{malformed}
	}
	return nil
}

// call sends a request with the public token and the given headers
// ("Name: value" each; "X-Auth-Token:" alone removes the token; "Name="
// sends the header present and empty; malformed marks it). A body is sent
// as JSON, as the document asks, unless a Content-Type is given.
func (s *stand) call(method, path, body string, headers ...string) answer {
	s.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range headers {
		switch h {
		case malformed:
			req = stendtest.Malformed(req)
			continue
		case undocumented:
			req = stendtest.Undocumented(req)
			continue
		}
		if name, ok := strings.CutSuffix(h, "="); ok && !strings.Contains(name, ":") {
			req.Header[http.CanonicalHeaderKey(name)] = []string{""}
			continue
		}
		name, value, _ := strings.Cut(h, ":")
		if value = strings.TrimSpace(value); value == "" {
			req.Header.Del(name)
		} else if name == "Locale+" {
			req.Header.Add("Locale", value)
		} else {
			req.Header.Set(name, value)
		}
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return answer{rec.Code, rec.Body.String(), rec.Header()}
}

func (s *stand) expect(a answer, status int, body string) {
	s.t.Helper()
	if a.status != status || a.body != body {
		s.t.Fatalf("got %d %s\nwant %d %s", a.status, a.body, status, body)
	}
}

// onTwoNodes runs fn, on each store, with two nodes over one database,
// each with its own store handle, as two processes would have.
func onTwoNodes(t *testing.T, fn func(t *testing.T, nodes []*stand)) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			clock := stendtest.NewManualClock(today)
			first, reopen := storetest.Reopenable(t, o.Name)
			fn(t, []*stand{standOn(t, first, clock, seed(), testConfig()), standOn(t, reopen(), clock, seed(), testConfig())})
		})
	}
}

func forEachStore(t *testing.T, fn func(t *testing.T, s *stand)) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) { fn(t, newStand(t, o.Open)) })
}

// ledger is what the ledger holds for user, one line per entry.
func (s *stand) ledger(user string) []string {
	s.t.Helper()
	entries, err := s.node.Operator.Ledger(context.Background(), user, "", 0, 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, fmt.Sprintf("%s %+d=%d %s", e.BalanceType, e.Amount, e.BalanceAfter, e.Message))
	}
	return out
}
