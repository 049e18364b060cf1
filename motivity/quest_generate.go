package motivity

import (
	"context"
	"time"
)

// GeneratedStudent is a student of a generated quest with where each of
// the quest's tasks stands for them.
type GeneratedStudent struct {
	UserID     int64
	AssignedAt time.Time
	MentorIDs  []int64
	// Statuses are by task, in the order of the task ids given beside.
	Statuses []TaskStatus
}

// QuestGenerator loads generated quests at volume, for benchmarks: many
// rows a statement, with the counts kept as every other change keeps them.
type QuestGenerator interface {
	// EnsureUsers creates, active, the users of identifiers (names beside)
	// that no user not deleted holds, and answers every identifier's user
	// id in order.
	EnsureUsers(ctx context.Context, identifiers, names []string, at time.Time) ([]int64, error)
	// ImportQuestStudents assigns users who are not students of the quest
	// yet, with their mentors and the statuses of its tasks taskIDs, and
	// counts them, in one transaction.
	ImportQuestStudents(ctx context.Context, questID int64, taskIDs []int64, students []GeneratedStudent, at time.Time) error
	// RefreshQuestStatistics lets the planner see the loaded volume.
	RefreshQuestStatistics(ctx context.Context) error
}
