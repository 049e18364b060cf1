package sqlstore

import (
	"context"
	"sync"
	"time"

	"stend"
	"stend/motivity"
)

// questDefinitionTTL is how long a node trusts a quest's definition it
// read. The list of a quest's tasks shows the quest, its mentors, the tasks
// on its page and their preview images on every request: read each time,
// they were three to four of its five round trips. A change made through
// this store handle applies at once (every handle's copy is forgotten); one
// made on another node, or by a command on the same SQLite file, within
// this time, as for the platform settings. Real time, not the stand's
// clock: it bounds how stale a copy may be.
const questDefinitionTTL = time.Second

type questDefinitionCache struct {
	mu sync.Mutex
	// generation counts the changes of definitions made through this
	// handle: a read that began before one is not kept.
	generation uint64
	quests     map[int64]cachedQuestDefinition
}

type cachedQuestDefinition struct {
	def  motivity.QuestDefinition
	read time.Time
}

// forget drops every cached definition: called after any change that can
// alter one (a quest, a task, a user who may be a mentor, a file that may be
// a preview), and after a restore. Changes of definitions are rare; the
// whole map is dropped rather than working out which quests a user or a
// file belongs to.
func (c *questDefinitionCache) forget() {
	c.mu.Lock()
	c.generation++
	c.quests = nil
	c.mu.Unlock()
}

func (db *Motivity) QuestDefinition(ctx context.Context, id int64) (motivity.QuestDefinition, error) {
	c := &db.questDefinitions
	c.mu.Lock()
	cached, ok := c.quests[id]
	generation := c.generation
	c.mu.Unlock()
	if ok && time.Since(cached.read) < questDefinitionTTL {
		return cached.def, nil
	}
	started := time.Now()
	def, err := db.readQuestDefinition(ctx, id)
	if err != nil {
		return motivity.QuestDefinition{}, err
	}
	c.mu.Lock()
	if c.generation == generation {
		if c.quests == nil {
			c.quests = map[int64]cachedQuestDefinition{}
		}
		c.quests[id] = cachedQuestDefinition{def: def, read: started}
	}
	c.mu.Unlock()
	return def, nil
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
