package http

import (
	"sync"
	"time"

	"stend/fssp"
)

// tokenTTL is how long a token's record is reused without reading it again.
// It bounds how long a revocation takes to reach every node; /status
// polling, the busiest call, would otherwise read the token at every call.
const tokenTTL = time.Second

// cacheLimit bounds each cache; a full cache is emptied and refilled, which
// costs one read per entry and no bookkeeping per call.
const cacheLimit = 100_000

// doneCache keeps what /status shows of finished tasks: a finished task
// never changes again until it expires, on any node, so its status can be
// answered from memory.
type doneCache struct {
	mu sync.Mutex
	m  map[string]doneTask
}

// doneTask is the little /status needs, not the task's requests.
type doneTask struct {
	tokenID         int64
	createdAt       time.Time
	state, done, of int
}

func (d doneTask) task(id string) fssp.Task {
	return fssp.Task{ID: id, TokenID: d.tokenID, CreatedAt: d.createdAt, State: d.state, Done: d.done, N: d.of}
}

func (c *doneCache) get(id string) (doneTask, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[id]
	return t, ok
}

func (c *doneCache) put(t fssp.Task) {
	if t.State != fssp.TaskDone && t.State != fssp.TaskDoneErrors {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheLimit {
		c.m = make(map[string]doneTask)
	}
	c.m[t.ID] = doneTask{tokenID: t.TokenID, createdAt: t.CreatedAt, state: t.State, done: t.Done, of: t.Size()}
}

// ClockMoved forgets what the node cached until instants of the stand's
// clock (tokens), which a clock set back would keep for as long again.
func (a *Handler) ClockMoved() { a.tokens.Forget() }

// CredentialsChanged forgets the cached tokens after an operator of this
// node changed one: the change applies here at once.
func (a *Handler) CredentialsChanged() { a.tokens.Forget() }

// DataReplaced forgets everything the node cached of the data, after a
// snapshot's restore replaced it: tokens and finished tasks may be gone,
// or other ones, under the same ids.
func (a *Handler) DataReplaced() {
	a.tokens.Forget()
	a.done.mu.Lock()
	a.done.m = nil
	a.done.mu.Unlock()
}
