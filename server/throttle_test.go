package server_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"stend/stendtest"
	"stend/store/storetest"
)

// A source that keeps failing to authenticate is refused with 429, in the
// API's own envelope and with Retry-After, even with the right credentials,
// until a failure is allowed again; other sources are served meanwhile.
// Each API counts its own failures.
func TestSourcesThatKeepFailingAreRefusedForAWhile(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		cfg.AuthFailures = 3
		cfg.AuthFailureEvery = time.Minute
		s := stendtest.Open(t, store, stendtest.Options{Config: &cfg})
		const org = "1269f58a-3d40-42e1-91ad-a4251566419c"
		provisionEveryAPI(t, s, credentials{password: "right-password", apiKey: "right-key", fsspToken: "right-fssp-token",
			publicToken: "right-public-token", reestroOrg: org, reestroKey: "right-reestro-key"})
		basic := func(password string) string {
			return "Basic " + base64.StdEncoding.EncodeToString([]byte("org:"+password))
		}
		for _, api := range []struct {
			name    string
			request func(right bool) *http.Request
			refusal string // in the API's envelope
		}{
			{"fssp", func(right bool) *http.Request {
				token := map[bool]string{true: "right-fssp-token", false: "wrong"}[right]
				return httptest.NewRequest(http.MethodGet, "/api/v1.0/status?task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D&token="+token, nil)
			}, `{"status":"error","code":429,"exception":"too many requests","response":[]}`},
			{"migrant exam", func(right bool) *http.Request {
				// {} is off the migrant-exam document: marked malformed.
				r := stendtest.Malformed(httptest.NewRequest(http.MethodPost, "/Reports/Report", strings.NewReader(`{}`)))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("x-api-key", "right-key")
				r.Header.Set("Authorization", basic(map[bool]string{true: "right-password", false: "wrong"}[right]))
				return r
			}, `"status":429,"detail":"Слишком много попыток авторизации, повторите запрос позже"`},
			{"motivity", func(right bool) *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/public/api/v1/badge", nil)
				r.Header.Set("X-Auth-Token", map[bool]string{true: "right-public-token", false: "wrong"}[right])
				return r
			}, `{"result":false,"message":"Too many attempts with an invalid token, try again later"}`},
			{"reestro", func(right bool) *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/realty/assessment/v1/checks", nil)
				r.Header.Set("Authorization", "ReestroAuth apiKey="+map[bool]string{true: "right-reestro-key", false: "wrong"}[right]+"&portal.orgid="+org)
				return r
			}, `{"code":"tooManyRequests","message":"Too many failed authorization attempts, retry later","target":"api"}`},
			{"operator", func(right bool) *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/operator/v1/clock", nil)
				r.Header.Set("Authorization", "Bearer "+map[bool]string{true: stendtest.OperatorToken, false: "wrong"}[right])
				return r
			}, `{"error":{"kind":"rate limited","message":"rate limited"}}`},
		} {
			t.Run(api.name, func(t *testing.T) {
				from := func(source string, right bool) stendtest.Answer {
					r := api.request(right)
					r.RemoteAddr = source + ":40000"
					return s.Serve(r)
				}
				start := s.Base.Now()
				t.Cleanup(func() { s.Base.Set(start) })
				for i := range cfg.AuthFailures {
					if a := from("198.51.100.7", false); a.Status == http.StatusTooManyRequests || a.Status < 400 {
						t.Fatalf("failure %d: %d %s", i+1, a.Status, a.Body)
					}
				}
				for _, right := range []bool{false, true} {
					a := from("198.51.100.7", right)
					if a.Status != http.StatusTooManyRequests || a.Header.Get("Retry-After") != "60" || !strings.Contains(a.Body, api.refusal) {
						t.Fatalf("after %d failures (right credentials: %v): %d %q Retry-After %q", cfg.AuthFailures, right, a.Status, a.Body, a.Header.Get("Retry-After"))
					}
				}
				if a := from("198.51.100.8", true); a.Status >= 401 && a.Status <= 403 || a.Status == http.StatusTooManyRequests {
					t.Fatalf("another source: %d %s", a.Status, a.Body)
				}
				s.Base.Set(start.Add(time.Minute))
				if a := from("198.51.100.7", true); a.Status >= 401 && a.Status <= 403 || a.Status == http.StatusTooManyRequests {
					t.Fatalf("a minute later: %d %s", a.Status, a.Body)
				}
			})
		}
	})
}

// --auth-failures 0 turns the throttle off, for clients that share one
// address behind a proxy: wrong tokens are answered 401 however many.
func TestNoThrottleWhenTurnedOff(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, store storetest.Opener) {
		cfg := stendtest.Config()
		cfg.AuthFailures = 0
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		s := stendtest.Open(t, store, stendtest.Options{Config: &cfg})
		for i := range 50 {
			r := httptest.NewRequest(http.MethodGet, "/api/v1.0/status?token=wrong&task=0E2D3F3C-7F5B-4E0B-9D64-6F1F3B1A2C3D", nil)
			r.RemoteAddr = "198.51.100.7:40000"
			if a := s.Serve(r); a.Status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d %s", i+1, a.Status, a.Body)
			}
		}
		cfg.AuthFailures = -1
		if err := cfg.Validate(); err == nil {
			t.Fatal("a negative --auth-failures was accepted")
		}
	})
}
