package http_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"stend/fssp"
	"stend/operator"
	"stend/store/sqlstore"
)

// TestPartialLimits: a limits object that names some limits keeps the
// defaults for the others, through the operator API and the seed; an
// explicit 0 is still no limit, and the object is still decoded strictly.
func TestPartialLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		limits string
		want   fssp.Limits
	}{
		{`{"singlePerHour":2}`, fssp.Limits{SinglePerHour: 2, SinglePerDay: 1000, GroupPerDay: 5000}},
		{`{"singlePerDay":0,"groupPerDay":7}`, fssp.Limits{SinglePerHour: 100, SinglePerDay: 0, GroupPerDay: 7}},
		{`{"singlePerHour":null}`, fssp.DefaultLimits},
		{`{}`, fssp.DefaultLimits},
		{`null`, fssp.DefaultLimits},
		{`{"singlePerHour":0,"singlePerDay":0,"groupPerDay":0}`, fssp.Limits{}},
	}
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		for i, c := range cases {
			token := "partial-limits-" + itoa(int64(i))
			a := s.operator(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", `{"name":"p","token":"`+token+`","limits":`+c.limits+`}`)
			var issued operator.IssuedFSSPToken
			decodeInto(t, a, &issued)
			if a.status != http.StatusCreated || issued.Limits != c.want {
				t.Errorf("limits %s: %d %s, want %+v", c.limits, a.status, a.body, c.want)
			}
		}
		// The token searches under the limits it was given.
		r := s.get("search/ip", "token", "partial-limits-0", "number", "6860/12/61/66")
		if r.status != http.StatusOK || r.header.Get("RateLimit-Policy") != "2;w=3600, 1000;w=86400" {
			t.Fatalf("search: %d %v", r.status, r.header)
		}
		for _, bad := range []string{`{"name":"z","limits":{"perHour":2}}`, `{"name":"z","limits":{"singlePerDay":-1}}`,
			`{"name":"z","limits":{"singlePerHour":"2"}}`, `{"name":"z","limits":[2]}`} {
			if a := s.operatorMalformed(http.MethodPost, "/operator/v1/fssp/tokens", "application/json", bad); a.status != http.StatusBadRequest {
				t.Errorf("%s: %d %s", bad, a.status, a.body)
			}
		}

		// The seed.
		var tokens []string
		for i, c := range cases {
			tokens = append(tokens, `{"name":"seeded-`+itoa(int64(i))+`","token":"seeded-limits-`+itoa(int64(i))+`","limits":`+c.limits+`}`)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "seed.json")
		if err := os.WriteFile(path, []byte(`{"fssp":{"tokens":[`+strings.Join(tokens, ",")+`]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		seed, err := operator.ReadSeed(path)
		if err != nil {
			t.Fatal(err)
		}
		svc := &operator.Service{FSSP: open(t).FSSP(), Clock: s.clock, Keys: s.node.Keys}
		if err := svc.LoadSeed(context.Background(), seed, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			t.Fatal(err)
		}
		seeded, err := svc.FSSPTokens(context.Background())
		if err != nil || len(seeded) != len(cases) {
			t.Fatalf("seeded tokens: %+v %v", seeded, err)
		}
		for _, tok := range seeded {
			i, _ := strconv.Atoi(strings.TrimPrefix(tok.Name, "seeded-"))
			if tok.Limits != cases[i].want {
				t.Errorf("seeded limits %s: %+v, want %+v", cases[i].limits, tok.Limits, cases[i].want)
			}
		}
		if err := os.WriteFile(path, []byte(`{"fssp":{"tokens":[{"name":"x","limits":{"perHour":2}}]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := operator.ReadSeed(path); err == nil {
			t.Error("a seed with an unknown limit was read")
		}
	})
}
