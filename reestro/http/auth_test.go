package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"stend/store/sqlstore"
)

const (
	unauthorized = `{"code":"unauthorized","message":"Authorization is required","target":"api"}`
	forbidden    = `{"code":"forbidden","message":"Access to the organization is denied","target":"api"}`
	notFound     = `{"code":"notFound","message":"Resource not found","target":"api"}`
	noCheck      = `{"code":"notFound","message":"Check not found","target":"api"}`
)

func TestAuthorizationHeader(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		const checks = "/realty/assessment/v1/checks"
		for _, c := range []struct {
			header string
			status int
			body   string
		}{
			{"", 401, unauthorized},
			{"ReestroAuth", 401, unauthorized},
			{"Bearer " + keyA, 401, unauthorized},
			{"ReestroAuth apiKey=" + keyA, 401, unauthorized},
			{"ReestroAuth portal.orgid=" + orgA, 401, unauthorized},
			{"ReestroAuth apiKey=unknown-key-0000000&portal.orgid=" + orgA, 401, unauthorized},
			{"ReestroAuth apiKey=" + keyA + "&portal.orgid=" + orgB, 403, forbidden},
			{"ReestroAuth apiKey=" + keyA + "&portal.orgid=" + orgC, 403, forbidden},
			{"ReestroAuth apiKey=" + keyA + "&portal.orgid=not-a-guid", 403, forbidden},
			{"ReestroAuth apiKey=" + keyNone + "&portal.orgid=" + orgA, 403, forbidden},
			{"ReestroAuth apiKey=" + keyA + "&portal.orgid=" + orgA, 200, `{"items":[]}`},
			{"ReestroAuth apiKey=" + keyA + "&portal.orgId=" + orgA, 200, `{"items":[]}`},
			{"reestroauth APIKEY=" + strings.ToUpper(keyA) + "&Portal.OrgId={" + strings.ToUpper(orgA) + "}", 200, `{"items":[]}`},
			{"ReestroAuth portal.orgid=" + orgB + "&apiKey=" + keyAB, 200, `{"items":[]}`},
			{"ReestroAuth apiKey=" + keyAB + "&portal.orgid=" + orgA, 200, `{"items":[]}`},
		} {
			a := s.do(http.MethodGet, checks, c.header, "")
			if a.status != c.status || strings.TrimSpace(a.body) != c.body {
				t.Fatalf("%q: %d %s, want %d %s", c.header, a.status, a.body, c.status, c.body)
			}
		}
	})
}

// Without access nothing is learned: unknown paths, wrong methods and
// unclean paths all answer 401 before anything else.
func TestCredentialsComeBeforeEverything(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		subject := s.mustSubject(keyA, orgA, ivanov)
		id := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		// The last five have no operation in the OpenAPI document: they go
		// marked undocumented. The POSTs' body {} lacks its required field:
		// they go marked malformed, credentials being checked first.
		paths := []struct {
			method, path string
			documented   bool
		}{
			{"GET", "/realty/assessment/v1/checks", true}, {"GET", "/realty/assessment/v1/checks/" + id, true},
			{"POST", "/realty/assessment/v1/checks", true}, {"POST", "/realty/assessment/v1/subjects", true},
			{"GET", "/realty/assessment/v1/nothing", false}, {"DELETE", "/realty/assessment/v1/checks", false},
			{"GET", "/realty/assessment/v1", false}, {"GET", "/realty/assessment/v1//checks", false}, {"GET", "/realty/assessment/v1/x/../checks", false},
		}
		for _, p := range paths {
			do := s.doUndocumented
			switch {
			case p.documented && p.method == "POST":
				do = s.doMalformed
			case p.documented:
				do = s.do
			}
			expect(t, do(p.method, p.path, "", `{}`), http.StatusUnauthorized, unauthorized)
			expect(t, do(p.method, p.path, auth(keyB, orgA), `{}`), http.StatusForbidden, forbidden)
		}
		expect(t, s.doUndocumented("GET", "/realty/assessment/v1/nothing", auth(keyA, orgA), ""), http.StatusNotFound, notFound)
		a := s.doUndocumented("DELETE", "/realty/assessment/v1/checks", auth(keyA, orgA), "")
		expect(t, a, http.StatusMethodNotAllowed, `{"code":"methodNotAllowed","message":"Method not allowed","target":"api"}`)
		if allow := a.header.Get("Allow"); allow != "GET, POST" {
			t.Fatalf("Allow %q", allow)
		}
		// With access, the router sends the client to the clean path.
		if a := s.doUndocumented("GET", "/realty/assessment/v1//checks", auth(keyA, orgA), ""); a.status/100 != 3 || a.header.Get("Location") != "/realty/assessment/v1/checks" {
			t.Fatalf("unclean path with access: %d %v", a.status, a.header)
		}
	})
}

func TestRevokedKeysAndGrantsStopWorking(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		ctx := t.Context()
		expect(t, s.list(keyAB, orgB, nil), http.StatusOK, `{"items":[]}`)
		if _, err := s.node.Operator.RevokeReestroGrant(ctx, s.keys[keyAB].ID, orgB); err != nil {
			t.Fatal(err)
		}
		if _, err := s.node.Operator.RevokeReestroKey(ctx, s.keys[keyA].ID); err != nil {
			t.Fatal(err)
		}
		// Nodes cache access for a second, but the node whose operator
		// revoked forgets it at once (keyAB's was read above, at this
		// instant of the clock).
		expect(t, s.list(keyAB, orgB, nil), http.StatusForbidden, forbidden)
		expect(t, s.list(keyAB, orgA, nil), http.StatusOK, `{"items":[]}`)
		expect(t, s.list(keyA, orgA, nil), http.StatusUnauthorized, unauthorized)
	})
}

// One organization never sees another's subjects or checks, nor learns
// whether an id exists.
func TestOrganizationsAreIsolated(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{manual: true})
		// B's check is older than A's: a listing of B "after A's check"
		// that used A's position would find it.
		bSubject := s.mustSubject(keyB, orgB, ivanov)
		bCheck := s.mustCheck(keyB, orgB, `{"fssp":{"subjectId":"`+bSubject+`","regions":["77"]}}`)
		subject := s.mustSubject(keyA, orgA, ivanov)
		id := s.mustCheck(keyA, orgA, `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`)
		const unknown = "7720902d-b025-4d9b-92a1-288a61e09b9d"
		// B asks for A's check and for one that does not exist: the same.
		expect(t, s.do("GET", "/realty/assessment/v1/checks/"+id, auth(keyB, orgB), ""), http.StatusNotFound, noCheck)
		expect(t, s.do("GET", "/realty/assessment/v1/checks/"+unknown, auth(keyB, orgB), ""), http.StatusNotFound, noCheck)
		expect(t, s.doMalformed("GET", "/realty/assessment/v1/checks/nope", auth(keyB, orgB), ""), http.StatusBadRequest, wrong("checkId should be guid"))
		// B cannot check A's subject, and hears what it would of none.
		noSubject := wrong("fssp.subjectId should be the id of a subject of the organization")
		expect(t, s.do("POST", "/realty/assessment/v1/checks", auth(keyB, orgB), `{"fssp":{"subjectId":"`+subject+`","regions":["77"]}}`), http.StatusBadRequest, noSubject)
		expect(t, s.do("POST", "/realty/assessment/v1/checks", auth(keyB, orgB), `{"fssp":{"subjectId":"`+unknown+`","regions":["77"]}}`), http.StatusBadRequest, noSubject)
		// B's listing, by A's subject or after A's check, is empty, also
		// once A's own listing has served that check last (the node then
		// remembers where it sits, for A).
		var l listed
		mustOK(t, s.list(keyA, orgA, nil), &l)
		if l.LastCheckID == nil || *l.LastCheckID != id {
			t.Fatalf("A's listing %+v", l)
		}
		expect(t, s.list(keyB, orgB, map[string][]string{"subjectId": {subject}}), http.StatusOK, `{"items":[]}`)
		expect(t, s.list(keyB, orgB, map[string][]string{"afterCheckId": {id}}), http.StatusOK, `{"items":[]}`)
		// A key for both sees each organization's own only.
		if l := s.listIDs(keyAB, orgB, nil); len(l) != 1 || l[0] != bCheck {
			t.Fatalf("B's checks through key AB: %v", l)
		}
		if v := s.check(keyAB, orgA, strings.ToUpper(id)); v.CheckID != id {
			t.Fatalf("A's check through key AB: %+v", v)
		}
	})
}

func (s *stand) listIDs(key, org string, q url.Values) []string {
	s.t.Helper()
	var l listed
	mustOK(s.t, s.list(key, org, q), &l)
	return l.ids()
}
