package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// `motivity quest generate` makes the quest it prints, whose counts (as
// `quest show` gives them) add up to its assignments; a taken id is refused.
func TestMotivityQuestGenerateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var gen struct {
		QuestID     int64            `json:"questId"`
		TaskIDs     []int64          `json:"taskIds"`
		Students    int              `json:"students"`
		Assignments int64            `json:"assignments"`
		Statuses    map[string]int64 `json:"statuses"`
	}
	out := runStend(t, dir, "motivity", "quest", "generate", "--tasks", "3", "--students", "40", "--mentors", "4", "--quest-id", "5")
	if err := json.Unmarshal([]byte(out), &gen); err != nil || gen.QuestID != 5 || len(gen.TaskIDs) != 3 || gen.Students != 40 || gen.Assignments != 120 {
		t.Fatalf("generate: %v %s", err, out)
	}
	var shown struct {
		Tasks []struct {
			Students map[string]int64 `json:"students"`
		} `json:"tasks"`
	}
	if err := json.Unmarshal([]byte(runStend(t, dir, "motivity", "quest", "show", "--id", "5")), &shown); err != nil || len(shown.Tasks) != 3 {
		t.Fatalf("quest show: %v %+v", err, shown)
	}
	byStatus := map[string]int64{}
	for _, task := range shown.Tasks {
		for status, n := range task.Students {
			byStatus[status] += n
		}
	}
	total := int64(0)
	for status, n := range gen.Statuses {
		total += n
		if byStatus[status] != n {
			t.Errorf("%s: the counts hold %d, the generator says %d", status, byStatus[status], n)
		}
	}
	if total != 120 {
		t.Errorf("statuses add up to %d", total)
	}
	if out := runStend(t, dir, "motivity", "user", "list", "--limit", "1000"); strings.Count(out, `"identifier"`) != 40+4+1 {
		t.Errorf("users: %d, want 40 students, 4 mentors and the lead", strings.Count(out, `"identifier"`))
	}
	for _, bad := range [][]string{
		{"motivity", "quest", "generate", "--tasks", "1", "--students", "1", "--quest-id", "5"},
		{"motivity", "quest", "generate", "--tasks", "0", "--students", "1"},
		{"motivity", "quest", "generate", "--tasks", "1", "--students", "1", "--mentors", "100"},
	} {
		if err := run(context.Background(), append(bad, "--data-dir", dir, "--log-level", "warn"), &strings.Builder{}, &strings.Builder{}); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
}
