package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"stend"
	"stend/motivity"
)

// QuestGeneration is what GenerateMotivityQuest makes: one quest of Tasks
// tasks (scores 1–10) with Students students (user-000001@bench.example.ru
// …, the goal generator's users, created when missing), each with one of
// Mentors mentors of their own (mentor-01@bench.example.ru …) besides the
// quest's responsible quest-lead@bench.example.ru.
type QuestGeneration struct {
	// QuestID is the new quest's id; 0: the next free one.
	QuestID  int64
	Tasks    int
	Students int
	Mentors  int
	Seed     uint64
}

// QuestGenerated says what GenerateMotivityQuest made.
type QuestGenerated struct {
	QuestID     int64                         `json:"questId"`
	TaskIDs     []int64                       `json:"taskIds"`
	Students    int                           `json:"students"`
	Assignments int64                         `json:"assignments"`
	Statuses    map[motivity.TaskStatus]int64 `json:"statuses"`
}

// questGenerateBatch bounds the assignments of one import transaction.
const questGenerateBatch = 50_000

// GenerateMotivityQuest provisions a quest at volume, for benchmarks: its
// students' tasks stand where a running quest's would (see
// generatedStatuses), with the counts the list pages by. The threads and
// the awards of what was generated are not made: the statuses are the
// volume the public list reads, and a review of a generated task pays as
// the first review of it would.
func (s *Service) GenerateMotivityQuest(ctx context.Context, g QuestGeneration, progress func(int64)) (QuestGenerated, error) {
	const op = "operator.GenerateMotivityQuest"
	if g.Mentors == 0 {
		g.Mentors = 32
	}
	if g.QuestID < 0 || g.Tasks < 1 || g.Tasks > motivity.MaxQuestTasks || g.Students < 1 || g.Students > 1_000_000 ||
		int64(g.Tasks)*int64(g.Students) > 10_000_000 || g.Mentors < 1 || g.Mentors > 99 {
		return QuestGenerated{}, stend.Errorf(stend.Invalid, op,
			"tasks 1 to %d, students 1 to 1,000,000, at most 10,000,000 assignments, mentors 1 to 99, a quest id of 0 or more", motivity.MaxQuestTasks)
	}
	if g.QuestID > 0 {
		_, err := s.Motivity.Quest(ctx, g.QuestID)
		if err == nil {
			return QuestGenerated{}, stend.Errorf(stend.Conflict, op, "quest %d exists: a quest is generated whole, under a new id", g.QuestID)
		}
		if !stend.IsKind(err, stend.NotFound) {
			return QuestGenerated{}, err
		}
	}
	rng := rand.New(rand.NewPCG(g.Seed, g.Seed^0x51ed27))
	now := s.now().UTC().Truncate(time.Second)
	mentorIDs, err := s.ensureBenchUsers(ctx, g.Mentors, func(i int) (string, string) {
		return fmt.Sprintf("mentor-%02d@bench.example.ru", i), fmt.Sprintf("Наставник %d", i)
	}, now)
	if err != nil {
		return QuestGenerated{}, fmt.Errorf("%s: mentors: %w", op, err)
	}
	if _, err := s.ensureBenchUsers(ctx, 1, func(int) (string, string) { return "quest-lead@bench.example.ru", "Куратор квестов" }, now); err != nil {
		return QuestGenerated{}, fmt.Errorf("%s: %w", op, err)
	}
	in := QuestInput{ID: g.QuestID,
		Texts: map[string]QuestTextJSON{
			"ru": {Title: "Большой квест", TextForMentor: "Проверяйте ответы в течение двух дней"},
			"en": {Title: "Big quest", TextForMentor: "Review answers within two days"},
		},
		Mentors: []string{"quest-lead@bench.example.ru"}, DeadlineType: string(motivity.DeadlineDelay), DeadlineDelay: new(int64(60)),
		Threshold: new(int64(50)), ScoreThreshold: new(int64(20)), Score: new(int64(100)), CertificateCompleted: new(int64(1)),
		MentorScore: new(int64(10)), ScoreInTime: new(int64(30)), CertificateDeadline: new(int64(2))}
	for k := range g.Tasks {
		in.Tasks = append(in.Tasks, QuestTaskInput{Texts: map[string]QuestTaskTextJSON{
			"ru": {Title: fmt.Sprintf("Задание %d", k+1), Text: fmt.Sprintf("Текст задания %d", k+1)}},
			Score: new(int64(1 + rng.IntN(10))), Position: k + 1})
	}
	quest, err := s.PutQuest(ctx, in)
	if err != nil {
		return QuestGenerated{}, fmt.Errorf("%s: %w", op, err)
	}
	out := QuestGenerated{QuestID: quest.ID, Statuses: map[motivity.TaskStatus]int64{}}
	for _, t := range quest.Tasks {
		out.TaskIDs = append(out.TaskIDs, t.ID)
	}
	perBatch := max(1, questGenerateBatch/g.Tasks)
	for first := 1; first <= g.Students; first += perBatch {
		n := min(perBatch, g.Students-first+1)
		ids, err := s.ensureBenchUsers(ctx, n, func(i int) (string, string) {
			return benchUserIdentifier(first + i - 1), fmt.Sprintf("Сотрудник %d", first+i-1)
		}, now)
		if err != nil {
			return out, fmt.Errorf("%s: students: %w", op, err)
		}
		batch := make([]motivity.GeneratedStudent, n)
		for i, id := range ids {
			st := motivity.GeneratedStudent{UserID: id, AssignedAt: now.Add(-time.Duration(rng.IntN(90*24)) * time.Hour),
				MentorIDs: []int64{mentorIDs[(first+i-1)%len(mentorIDs)]}, Statuses: generatedStatuses(rng, g.Tasks)}
			for _, status := range st.Statuses {
				out.Statuses[status]++
			}
			batch[i] = st
		}
		if err := s.Motivity.ImportQuestStudents(ctx, quest.ID, out.TaskIDs, batch, now); err != nil {
			return out, fmt.Errorf("%s: %w", op, err)
		}
		out.Students += n
		out.Assignments += int64(n) * int64(g.Tasks)
		if progress != nil {
			progress(out.Assignments)
		}
	}
	return out, s.Motivity.RefreshQuestStatistics(ctx)
}

// ensureBenchUsers makes sure users 1…n of a generated name exist and
// answers their ids.
func (s *Service) ensureBenchUsers(ctx context.Context, n int, name func(i int) (identifier, name string), at time.Time) ([]int64, error) {
	idents, names := make([]string, n), make([]string, n)
	for i := range n {
		idents[i], names[i] = name(i + 1)
	}
	return s.Motivity.EnsureUsers(ctx, idents, names, at)
}

// generatedStatuses draws where each task stands for one student, as in a
// running quest: students work through the tasks in order and have got to
// a point spread evenly from none to all; the tasks before it were
// reviewed (mostly complete, some sent back, a few failed), the next one or
// two are often waiting for the mentor, the rest not started.
func generatedStatuses(rng *rand.Rand, tasks int) []motivity.TaskStatus {
	out := make([]motivity.TaskStatus, tasks)
	reached := rng.IntN(tasks + 1)
	for k := range out {
		switch r := rng.IntN(100); {
		case k < reached && r < 88:
			out[k] = motivity.TaskComplete
		case k < reached && r < 95:
			out[k] = motivity.TaskRedo
		case k < reached:
			out[k] = motivity.TaskFail
		case k <= reached+1 && r < 50:
			out[k] = motivity.TaskChecking
		default:
			out[k] = motivity.TaskInProgress
		}
	}
	return out
}
