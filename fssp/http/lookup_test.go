package http_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"stend"
	"stend/store/sqlstore"
)

// TestForeignTaskCostsWhatAMissingOneCosts: /status and /result of another
// token's task take as long as those of a task that never existed, so their
// timing does not tell a client that someone else's task id is real (issue
// 14: a foreign task of 100 sub-requests took 871 µs against 495 µs).
//
// The two kinds of lookup are interleaved, each kind first in every other pair, and
// their medians compared: a loaded machine slows both alike, and only a
// large gap fails (the foreign task used to be read whole, its 100
// sub-requests decoded, before its owner was compared).
func TestForeignTaskCostsWhatAMissingOneCosts(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		// No job runner: the task stays queued, with every sub-request
		// still stored.
		s := newStand(t, open, standOpts{manual: true})
		sub := `{"type":1,"params":{"region":66,"lastname":"Римский-Корсаков","firstname":"Николай","secondname":"Андреевич","birthdate":"18.03.1944"}}`
		body := `{"token":"` + alpha + `","request":[` + strings.TrimSuffix(strings.Repeat(sub+",", 100), ",") + `]}`
		foreign := s.taskOf(s.call(http.MethodPost, "search/group", nil, "application/json", body))
		ids := stend.RandomIDs{}
		for _, path := range []string{"status", "result"} {
			lookup := func(task string) time.Duration {
				req := httptest.NewRequest(http.MethodGet, "/api/v1.0/"+path+"?token="+beta+"&task="+task, nil)
				rec := httptest.NewRecorder()
				start := time.Now()
				s.handler.ServeHTTP(rec, req)
				took := time.Since(start)
				expect(t, answer{rec.Code, rec.Body.String(), rec.Header()}, http.StatusNotFound, taskNotFound)
				return took
			}
			// Warm the token cache, the statements and the pages.
			for range 20 {
				lookup(foreign)
				lookup(ids.NewGUID())
			}
			const n = 300
			foreignTimes, missingTimes := make([]time.Duration, 0, n), make([]time.Duration, 0, n)
			for i := range n {
				missing := ids.NewGUID()
				if i%2 == 0 {
					foreignTimes = append(foreignTimes, lookup(foreign))
					missingTimes = append(missingTimes, lookup(missing))
				} else {
					missingTimes = append(missingTimes, lookup(missing))
					foreignTimes = append(foreignTimes, lookup(foreign))
				}
			}
			f, m := median(foreignTimes), median(missingTimes)
			t.Logf("/%s: median %v for another token's task of 100 sub-requests, %v for a missing one", path, f, m)
			if f > m*3/2+50*time.Microsecond {
				t.Errorf("/%s: another token's task takes %v, a missing one %v: timing tells that the task exists", path, f, m)
			}
		}
	})
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}
