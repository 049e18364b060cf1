package main

import (
	"context"
	"flag"
	"maps"
	"strconv"
	"strings"

	"stend"
	"stend/operator"
)

// The `stend motivity quest …` commands: quests as the seed file and the
// operator API provision them, and the student's side of a task.
var motivityQuestCommands = map[string]command{
	"motivity quest put":      {"create or rewrite a quest with tasks and students (--json, as in the seed file)", runMotivityQuestPut},
	"motivity quest list":     {"list quests, deleted ones too ([--after] [--limit])", runMotivityQuestList},
	"motivity quest show":     {"show a quest with its tasks and how many students hold each in each status (--id)", runMotivityQuestShow},
	"motivity quest assign":   {"assign a user to a quest, or rewrite the assignment (--quest --json '{\"user\":…,\"mentors\":[…]}')", runMotivityQuestAssign},
	"motivity quest student":  {"show a student of a quest with their tasks and awards (--quest --user)", runMotivityQuestStudent},
	"motivity quest unassign": {"take a user off a quest, with their tasks and threads (--quest --user)", runMotivityQuestUnassign},
	"motivity quest thread":   {"show one task of one student with its messages (--quest --task --user)", runMotivityQuestThread},
	"motivity quest answer":   {"post the student's answer: the task moves to checking (--quest --task --user [--text] [--files 1,2])", runMotivityQuestAnswer},
	"motivity quest review":   {"review as a mentor, by the public API's rules (--quest --task --user --mentor --status [--text] [--files])", runMotivityQuestReview},
	"motivity quest reassign": {"give a task back to the student, in progress (--quest --task --user)", runMotivityQuestReassign},
}

func init() { maps.Copy(commands, motivityQuestCommands) }

func runMotivityQuestPut(ctx context.Context, e *cmdEnv, args []string) error {
	doc := e.flags().String("json", "", `the quest, as in the seed file: {"id":1,"texts":{"ru":{"title":"…","textForMentor":"…"}},"tasks":[…],"students":[…]}`)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		in, err := strictJSON[operator.QuestInput]("motivity quest put", *doc)
		if err != nil {
			return nil, err
		}
		return s.PutQuest(ctx, in)
	})
}

func runMotivityQuestList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	after := fs.Int64("after", 0, "quests with an id greater than this (paging)")
	limit := fs.Int("limit", 100, "at most this many")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Quests(ctx, *after, *limit) })
}

func runMotivityQuestShow(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "quest id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.QuestDetail(ctx, *id) })
}

func runMotivityQuestAssign(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	quest := fs.Int64("quest", 0, "quest id")
	doc := fs.String("json", "", `the student: {"user":"…","assignedAt":"2026-01-01T00:00:00+03:00","mentors":["…"]}`)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		in, err := strictJSON[operator.QuestStudentInput]("motivity quest assign", *doc)
		if err != nil {
			return nil, err
		}
		return s.PutQuestStudent(ctx, *quest, in)
	})
}

// questTaskFlags are the flags naming one task of one student.
type questTaskFlags struct {
	quest, task *int64
	user        *string
}

func taskFlags(fs *flag.FlagSet, withTask bool) questTaskFlags {
	f := questTaskFlags{quest: fs.Int64("quest", 0, "quest id"), user: fs.String("user", "", "the student (identifier)")}
	if withTask {
		f.task = fs.Int64("task", 0, "task id")
	}
	return f
}

func runMotivityQuestStudent(ctx context.Context, e *cmdEnv, args []string) error {
	f := taskFlags(e.flags(), false)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.QuestStudent(ctx, *f.quest, *f.user) })
}

func runMotivityQuestUnassign(ctx context.Context, e *cmdEnv, args []string) error {
	f := taskFlags(e.flags(), false)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.RemoveQuestStudent(ctx, *f.quest, *f.user) })
}

func runMotivityQuestThread(ctx context.Context, e *cmdEnv, args []string) error {
	f := taskFlags(e.flags(), true)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.QuestThread(ctx, *f.quest, *f.task, *f.user) })
}

// fileIDs reads --files: comma-separated file ids.
func fileIDs(v string) ([]int64, error) {
	var ids []int64
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, stend.Errorf(stend.Invalid, "motivity quest", "--files: %q is not a file id", part)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func runMotivityQuestAnswer(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	f := taskFlags(fs, true)
	text := fs.String("text", "", "the answer's text")
	files := fs.String("files", "", "file ids to attach, comma-separated")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		ids, err := fileIDs(*files)
		if err != nil {
			return nil, err
		}
		return s.AnswerQuestTask(ctx, *f.quest, *f.task, *f.user, operator.QuestAnswerInput{Text: *text, Files: ids})
	})
}

func runMotivityQuestReview(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	f := taskFlags(fs, true)
	mentor := fs.String("mentor", "", "the reviewing mentor (identifier)")
	status := fs.String("status", "", "redo, complete or fail")
	text := fs.String("text", "", "the review's text")
	files := fs.String("files", "", "file ids to attach, comma-separated")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		ids, err := fileIDs(*files)
		if err != nil {
			return nil, err
		}
		return s.ReviewQuestTask(ctx, *f.quest, *f.task, *f.user, operator.QuestReviewInput{Mentor: *mentor, Status: *status, Text: *text, Files: ids})
	})
}

func runMotivityQuestReassign(ctx context.Context, e *cmdEnv, args []string) error {
	f := taskFlags(e.flags(), true)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.ReassignQuestTask(ctx, *f.quest, *f.task, *f.user) })
}
