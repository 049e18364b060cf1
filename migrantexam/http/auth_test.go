package http_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"stend/operator"
	"stend/stendtest"
	"stend/store/sqlstore"
)

// TestCredentialChangesReachEveryNodeWithinASecond: a node reads an
// organization at most once a second of the stand's clock. After an
// operator of node A rotates alpha's credentials, A refuses the old ones at
// once; node B, which read alpha just before as A did, accepts them until
// the second has passed, then refuses them and accepts the new ones.
func TestCredentialChangesReachEveryNodeWithinASecond(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		a, b, clock := twoNodes(t, open)
		a.postAccepted(alpha, pastWeek(102, 1))
		b.postAccepted(alpha, pastWeek(101, 1))

		id := organizationID(a, alpha.user)
		rotated := creds{alpha.user, "rotated-password", "rotated-key"}
		if r := a.stand.Operator(http.MethodPost, "/operator/v1/migrant-exam/organizations/"+strconv.FormatInt(id, 10)+"/credentials",
			"application/json", `{"password":"`+rotated.password+`","apiKey":"`+rotated.key+`"}`); r.Status != http.StatusOK {
			t.Fatalf("rotate alpha (%d): %d %s", id, r.Status, r.Body)
		}
		if r := a.post(alpha, pastWeek(101, 2)); r.status != http.StatusUnauthorized {
			t.Fatalf("the old credentials on the rotating node: %d %s", r.status, r.body)
		}
		b.postAccepted(alpha, pastWeek(101, 2))

		clock.Set(today.Add(time.Second))
		if r := b.post(alpha, pastWeek(101, 3)); r.status != http.StatusUnauthorized {
			t.Fatalf("the old credentials on the other node a second later: %d %s", r.status, r.body)
		}
		b.postAccepted(rotated, pastWeek(101, 3))
	})
}

// TestANewOrganizationReportsAtOnce: an unknown username is not kept, so an
// organization created on node A reports through node B at once, though B
// refused its username a moment before.
func TestANewOrganizationReportsAtOnce(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		a, b, _ := twoNodes(t, open)
		gamma := creds{"gamma", "gamma-password", "gamma-key"}
		if r := b.post(gamma, pastWeek(301, 1)); r.status != http.StatusUnauthorized {
			t.Fatalf("before gamma exists: %d %s", r.status, r.body)
		}
		ctx := context.Background()
		created, err := a.node.Operator.CreateOrganization(ctx, operator.NewOrganization{Username: gamma.user, Password: gamma.password, APIKey: gamma.key})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.node.Operator.GrantArea(ctx, created.Organization.ID, 301, ""); err != nil {
			t.Fatal(err)
		}
		b.postAccepted(gamma, pastWeek(301, 1))
	})
}

// TestACredentialKeptUntilTheClockMoved: a node that read alpha at 12:00
// would keep the record until 12:00:01 of the stand's clock, an hour and
// more once an operator sets the clock back to 11:00; so a move of the
// clock forgets what the node kept, and a rotation made on another node
// applies on it at once.
func TestACredentialKeptUntilTheClockMoved(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		a, b, _ := twoNodes(t, open)
		b.postAccepted(alpha, pastWeek(101, 1))
		id := organizationID(a, alpha.user)
		if _, err := a.node.Operator.RotateCredentials(context.Background(), id, "rotated-password", "rotated-key"); err != nil {
			t.Fatal(err)
		}
		if r := b.stand.Operator(http.MethodPost, "/operator/v1/clock/set", "application/json", `{"at":"2025-06-11T11:00:00+03:00"}`); r.Status != http.StatusOK {
			t.Fatalf("set the clock back: %d %s", r.Status, r.Body)
		}
		if r := b.post(alpha, pastWeek(101, 2)); r.status != http.StatusUnauthorized {
			t.Fatalf("the old credentials after the clock moved: %d %s", r.status, r.body)
		}
	})
}

// organizationID is the id of the organization with username, as the
// operator API lists it.
func organizationID(s *stand, username string) int64 {
	s.t.Helper()
	var orgs struct {
		Organizations []struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
		} `json:"organizations"`
	}
	if code := s.operatorGet("/operator/v1/migrant-exam/organizations", &orgs); code != http.StatusOK {
		s.t.Fatalf("organizations: %d", code)
	}
	for _, o := range orgs.Organizations {
		if o.Username == username {
			return o.ID
		}
	}
	s.t.Fatalf("no organization %q", username)
	return 0
}

// twoNodes are two nodes on one store and one clock, each with the stand's
// organizations.
func twoNodes(t *testing.T, open func(testing.TB) *sqlstore.DB) (a, b *stand, clock *stendtest.ManualClock) {
	t.Helper()
	clock = stendtest.NewManualClock(today)
	store := open(t)
	return standOn(t, store, clock, testConfig()), standOn(t, store, clock, testConfig()), clock
}
