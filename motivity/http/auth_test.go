package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend/operator"
)

const invalidToken = `{"result":false,"message":"Invalid public API token"}`

// «Какова схема авторизации»: X-Auth-Token on every path under the prefix.
func TestToken(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		cases := []struct {
			name, method, path string
			headers            []string
			status             int
			body               string
		}{
			{"missing", "GET", "/public/api/v1/badge", []string{"X-Auth-Token:"}, 401, invalidToken},
			{"empty", "GET", "/public/api/v1/badge", []string{"X-Auth-Token="}, 401, invalidToken},
			{"wrong", "GET", "/public/api/v1/badge", []string{"X-Auth-Token: nope"}, 401, invalidToken},
			{"prefix of the token", "GET", "/public/api/v1/badge", []string{"X-Auth-Token: " + token[:5]}, 401, invalidToken},
			// Without its body (required), which the token is checked before.
			{"on a POST", "POST", "/public/api/v1/points/", []string{"X-Auth-Token:", malformed}, 401, invalidToken},
			{"on an unknown path", "GET", "/public/api/v1/nothing", []string{"X-Auth-Token:", undocumented}, 401, invalidToken},
			// Paths the router would redirect (unclean, or the prefix
			// without its slash) are no exception.
			{"unclean path", "GET", "/public/api/v1//badge", []string{"X-Auth-Token:"}, 401, invalidToken},
			{"dot segment", "POST", "/public/api/v1/./points/", []string{"X-Auth-Token:", undocumented}, 401, invalidToken},
			{"prefix without its slash", "GET", "/public/api/v1", []string{"X-Auth-Token:", undocumented}, 401, invalidToken},
			{"unknown path with the token", "GET", "/public/api/v1/nothing", []string{undocumented}, 404, `{"result":false,"message":"Not found"}`},
			{"wrong method with the token", "DELETE", "/public/api/v1/badge", []string{undocumented}, 405, `{"result":false,"message":"Method not allowed"}`},
			{"assign by GET", "GET", "/public/api/v1/badge/1/assign", []string{undocumented}, 405, `{"result":false,"message":"Method not allowed"}`},
		}
		for _, c := range cases {
			a := s.call(c.method, c.path, "", c.headers...)
			if a.status != c.status || a.body != c.body {
				t.Errorf("%s: got %d %s, want %d %s", c.name, a.status, a.body, c.status, c.body)
			}
			if ct := a.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("%s: content type %q", c.name, ct)
			}
		}
		if a := s.call("GET", "/public/api/v1/badge", ""); a.status != http.StatusOK {
			t.Fatalf("with the token: %d %s", a.status, a.body)
		}
		// A rotated token applies at once; the old one stops working.
		if _, err := s.node.Operator.SetPublicToken(context.Background(), "rotated-token"); err != nil {
			t.Fatal(err)
		}
		s.expect(s.call("GET", "/public/api/v1/badge", ""), 401, invalidToken)
		if a := s.call("GET", "/public/api/v1/badge", "", "X-Auth-Token: rotated-token"); a.status != http.StatusOK {
			t.Fatalf("rotated token: %d %s", a.status, a.body)
		}
	})
}

func TestNoTokenConfigured(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		// A platform whose seed sets no token still refuses everyone: the
		// generated one is unknown to the caller.
		fresh := newStandWith(t, s, operator.Seed{})
		fresh.expect(fresh.call("GET", "/public/api/v1/badge", "", "X-Auth-Token: "+strings.Repeat("0", 48)), 401, invalidToken)
		fresh.expect(fresh.call("GET", "/public/api/v1/badge", "", "X-Auth-Token: "+token), 401, invalidToken)
	})
}

// «Заголовки запросов»: Locale.
func TestLocale(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		title := func(headers ...string) string {
			t.Helper()
			a := s.call("GET", "/public/api/v1/badge", "", headers...)
			if a.status != 200 {
				t.Fatalf("%d %s", a.status, a.body)
			}
			_, rest, _ := strings.Cut(a.body, `"title":"`)
			first, _, _ := strings.Cut(rest, `"`)
			return first
		}
		cases := []struct {
			name    string
			headers []string
			want    string
		}{
			{"absent: the platform's default", nil, "Первый"},
			{"en", []string{"Locale: en"}, "First"},
			{"ru", []string{"Locale: ru"}, "Первый"},
			{"any case", []string{"Locale: EN"}, "First"},
			{"typo", []string{"Locale: enn"}, "Первый"},
			{"several values in one header", []string{"Locale: en, ru"}, "Первый"},
			{"several values with q", []string{"Locale: en;q=0.9"}, "Первый"},
			{"two headers", []string{"Locale: en", "Locale+: en"}, "Первый"},
			{"a language the platform lacks", []string{"Locale: fr"}, "Первый"},
			{"empty", []string{"Locale="}, "Первый"},
			{"empty and en", []string{"Locale=", "Locale+: en"}, "Первый"},
			{"allowed, no content in it: the default's", []string{"Locale: uz"}, "Первый"},
		}
		for _, c := range cases {
			if got := title(c.headers...); got != c.want {
				t.Errorf("%s: title %q, want %q", c.name, got, c.want)
			}
		}
		// The default is the platform's, whatever it is; a language added
		// to the platform becomes acceptable.
		ctx := context.Background()
		if _, err := s.node.Operator.UpdateMotivityPlatform(ctx, operator.MotivitySettings{DefaultLocale: ptr("en"), Locales: []string{"en", "ru", "uz", "ky", "kk"}}); err != nil {
			t.Fatal(err)
		}
		if got := title(); got != "First" {
			t.Errorf("default en: %q", got)
		}
		if got := title("Locale: kk"); got != "First" {
			t.Errorf("kk without content: %q", got)
		}
		if _, err := s.node.Operator.PutBadge(ctx, operator.BadgeInput{ID: 1, Image: "https://x/1.svg",
			Texts: map[string]operator.BadgeTextJSON{"kk": {Title: "Бірінші", PopupDescription: "!"}, "ru": {Title: "Первый", PopupDescription: "!"}}}); err != nil {
			t.Fatal(err)
		}
		if got := title("Locale: kk"); got != "Бірінші" {
			t.Errorf("kk: %q", got)
		}
		// No text in the default either: the first of the platform's
		// languages that the badge has.
		if got := title("Locale: uz"); got != "Первый" {
			t.Errorf("fallback past the default: %q", got)
		}
	})
}

// Metrics and logs name the route that matched, not the API's prefix.
func TestRouteLabel(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		s.call("POST", "/public/api/v1/badge/1/assign", `{"userId":["a@example.ru"]}`)
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		if !strings.Contains(rec.Body.String(), `route="POST /public/api/v1/badge/{badgeId}/assign"`) {
			t.Fatalf("metrics lack the route: %s", rec.Body.String())
		}
	})
}
