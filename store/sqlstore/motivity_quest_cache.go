package sqlstore

import (
	"context"
	"time"

	"stend"
	"stend/motivity"
)

// questDefinitionTTL is how long a node trusts a quest's definition it
// read (recentReads). The list of a quest's tasks shows the quest, its
// mentors, the tasks on its page and their preview images on every
// request: read each time, they were three to four of its five round trips.
const questDefinitionTTL = time.Second

func (db *Motivity) QuestDefinition(ctx context.Context, id int64) (motivity.QuestDefinition, error) {
	return db.questDefinitions.get(id, func() (motivity.QuestDefinition, error) { return db.readQuestDefinition(ctx, id) })
}

func (db *Motivity) readQuestDefinition(ctx context.Context, id int64) (motivity.QuestDefinition, error) {
	q, err := db.Quest(ctx, id)
	if err != nil {
		return motivity.QuestDefinition{}, err
	}
	tasks, err := db.QuestTasks(ctx, id)
	if err != nil {
		return motivity.QuestDefinition{}, err
	}
	def := motivity.QuestDefinition{Quest: q, Tasks: make(map[int64]motivity.QuestTask, len(tasks)), Previews: map[int64]motivity.File{}}
	previews := []int64{q.PreviewFileID}
	for _, t := range tasks {
		def.Tasks[t.ID] = t
		previews = append(previews, t.PreviewFileID)
	}
	for _, f := range previews {
		if _, seen := def.Previews[f]; seen || f == 0 {
			continue
		}
		file, err := db.File(ctx, f)
		switch {
		case stend.IsKind(err, stend.NotFound):
			// Deleted since: the definition shows no image.
		case err != nil:
			return motivity.QuestDefinition{}, err
		default:
			def.Previews[f] = file
		}
	}
	return def, nil
}
