package http_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

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
		clock := stendtest.NewManualClock(today)
		store := open(t)
		a := standOn(t, store, clock, testConfig())
		b := standOn(t, store, clock, testConfig())
		a.postAccepted(alpha, pastWeek(102, 1))
		b.postAccepted(alpha, pastWeek(101, 1))

		var orgs struct {
			Organizations []struct {
				ID       int64  `json:"id"`
				Username string `json:"username"`
			} `json:"organizations"`
		}
		if code := a.operatorGet("/operator/v1/migrant-exam/organizations", &orgs); code != http.StatusOK {
			t.Fatalf("organizations: %d", code)
		}
		var id int64
		for _, o := range orgs.Organizations {
			if o.Username == alpha.user {
				id = o.ID
			}
		}
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
