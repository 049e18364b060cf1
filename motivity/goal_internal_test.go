package motivity

import (
	"context"
	"testing"
)

// versionTx answers a version and goals as a transaction would; the other
// steps are not used.
type versionTx struct {
	Tx
	version GoalsVersion
	goals   []Goal
	reads   int
}

func (t *versionTx) TxGoalsVersion(context.Context, int64) (GoalsVersion, error) {
	return t.version, nil
}
func (t *versionTx) TxUserGoals(context.Context, int64) ([]Goal, error) {
	t.reads++
	return t.goals, nil
}

// A creation answers the user's goals as they are in its transaction: the
// snapshot read before it only while nothing changed since.
func TestGoalsSnapshot(t *testing.T) {
	ctx := context.Background()
	sn := goalsSnapshot{userID: 7, version: GoalsVersion{LastGoal: 3, LastEvent: 9}, goals: []Goal{{ID: 3, Title: "old"}}}
	for _, c := range []struct {
		name    string
		userID  int64
		version GoalsVersion
		want    string
		reads   int
	}{
		{"unchanged", 7, GoalsVersion{3, 9}, "old", 0},
		{"a goal added since", 7, GoalsVersion{4, 10}, "new", 1},
		{"an edit since", 7, GoalsVersion{3, 10}, "new", 1},
		{"another user of that identifier since", 8, GoalsVersion{3, 9}, "new", 1},
	} {
		tx := &versionTx{version: c.version, goals: []Goal{{ID: 3, Title: "new"}}}
		goals, err := sn.current(ctx, tx, c.userID)
		if err != nil || goals[0].Title != c.want || tx.reads != c.reads {
			t.Errorf("%s: %v %v, read %d times", c.name, goals, err, tx.reads)
		}
	}
}
