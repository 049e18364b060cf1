package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"stend"
	"stend/stendtest"
	"stend/store/storetest"
)

// TestClockMovesOnEveryNode: a move made through one node reaches another
// node on the same database by its own reading of the offset, and runs
// that node's hooks (its purges, deadlines and job runner) there too.
func TestClockMovesOnEveryNode(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		first, reopen := storetest.Reopenable(t, o.Name)
		a := stendtest.On(t, first, stend.NewManualClock(stendtest.Now), stendtest.Options{})
		b := stendtest.On(t, reopen(), stend.NewManualClock(stendtest.Now), stendtest.Options{})
		moved := make(chan struct{}, 1)
		b.Clock.OnMove(func(context.Context) {
			select {
			case moved <- struct{}{}:
			default:
			}
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go b.Clock.Follow(ctx, func(err error) { t.Error(err) })
		if ans := a.Operator(http.MethodPost, "/operator/v1/clock/advance", `{"by":"25h"}`); ans.Status != http.StatusOK {
			t.Fatalf("advance: %d %s", ans.Status, ans.Body)
		}
		if got := a.Clock.Now(); !got.Equal(stendtest.Now.Add(25 * time.Hour)) {
			t.Fatalf("the moving node's time: %v", got)
		}
		select {
		case <-moved:
		case <-time.After(10 * stend.FollowEvery):
			t.Fatal("the other node never learned of the move")
		}
		if got := b.Clock.Now(); !got.Equal(stendtest.Now.Add(25 * time.Hour)) {
			t.Fatalf("the other node's time: %v", got)
		}
	})
}
