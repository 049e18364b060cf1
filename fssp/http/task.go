package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"stend"
	"stend/fault"
	"stend/fssp"
)

// msgSearchFailed is a failed search's message in its sub-result.
const msgSearchFailed = "search failed"

// JobHandler runs a task's searches: it is registered on the job runner for
// fssp.TaskJobKind.
func (a *Handler) JobHandler(ctx context.Context, job stend.Job) error {
	var args fssp.JobArgs
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return fmt.Errorf("fssp job %d: args: %w", job.ID, err)
	}
	lastAttempt := job.Attempt >= job.MaxAttempts
	if args.Single != nil {
		// The whole task is one search: its end is one write, which
		// leaves a task already ended (or purged) alone.
		f, err := a.jobFault(ctx, args, func() ([]any, error) {
			// Read only for a rule, which must not count a task that is
			// gone or ended as failed.
			t, err := a.store.Task(ctx, 0, args.Task, a.clock.Now())
			switch {
			case stend.KindOf(err) == stend.NotFound:
				return []any{}, nil
			case err != nil:
				return nil, err
			case ended(t):
				return []any{}, nil
			}
			return fault.Items(*args.Single), nil
		})
		if err != nil {
			return err
		}
		return a.searchAndFinish(ctx, args.Task, 0, *args.Single, lastAttempt, f)
	}
	t, err := a.store.Task(ctx, 0, args.Task, a.clock.Now())
	if stend.KindOf(err) == stend.NotFound {
		return nil // purged before it ran: nothing left to do
	}
	if err != nil {
		return err
	}
	if ended(t) {
		return nil
	}
	// A task resumed after a restart searches only what has no result yet.
	done := map[int]bool{}
	if t.Done+t.Failed > 0 {
		stored, err := a.store.TaskResults(ctx, t.ID)
		if err != nil {
			return err
		}
		for _, s := range stored {
			done[s.Index] = true
		}
	}
	var pending []int
	for i := range t.Requests {
		if !done[i] {
			pending = append(pending, i)
		}
	}
	f, err := a.jobFault(ctx, args, func() ([]any, error) {
		all, items := fault.Items(t.Requests...), make([]any, len(t.Requests))
		for _, i := range pending {
			items[i] = all[i]
		}
		return items, nil
	})
	if err != nil {
		return err
	}
	if len(pending) == 1 {
		// One search left: its result and the end of the task are one
		// write, and "running" lasts no longer than the search, so it is
		// not written either.
		return a.searchAndFinish(ctx, t.ID, pending[0], t.Requests[pending[0]], lastAttempt, f)
	}
	started := a.clock.Now()
	if err := a.store.StartTask(ctx, t.ID, started); err != nil {
		return err
	}
	var (
		mu       sync.Mutex // guards firstErr, finished and next
		writing  sync.Mutex // one write of results at a time
		firstErr error
		wg       sync.WaitGroup
		slots    = make(chan struct{}, a.cfg.Parallel)
		finished = make(map[int]fssp.SubResult)
		next     = 0 // position in pending of the next result to store
	)
	// Results are stored in request order, whatever order the searches end
	// in: what /result lists (the finished ones up to the first unfinished)
	// is then exactly what progress counts. A write takes every result
	// ready in order, so those that finished during the previous write
	// share one transaction (on PostgreSQL each is a round trip and a
	// commit's flush: a group of 100 wrote 100 transactions).
	store := func(r fssp.SubResult) {
		mu.Lock()
		finished[r.Index] = r
		mu.Unlock()
		writing.Lock()
		defer writing.Unlock()
		mu.Lock()
		var batch []fssp.SubResult
		for firstErr == nil && next < len(pending) {
			r, ok := finished[pending[next]]
			if !ok {
				break
			}
			batch = append(batch, r)
			delete(finished, r.Index)
			next++
		}
		mu.Unlock()
		if len(batch) == 0 {
			return
		}
		if err := a.store.SaveSubResults(ctx, t.ID, batch); err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
		}
	}
	for _, i := range pending {
		slots <- struct{}{}
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := a.runOne(ctx, t.ID, i, t.Requests[i], lastAttempt, f)
			// The slot is the search's, not the write's: a write waits
			// for its commit's flush, and for the write before it, while
			// the next search could run.
			<-slots
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				return
			}
			store(r)
		}()
	}
	wg.Wait()
	if firstErr != nil {
		// The job runs again; what was stored so far is kept.
		return firstErr
	}
	return a.store.FinishTask(ctx, t.ID, nil, started, a.clock.Now())
}

// ended says whether t has its end: its job has nothing left to do.
func ended(t fssp.Task) bool { return t.State == fssp.TaskDone || t.State == fssp.TaskDoneErrors }

// jobFault is the operators' rule that fails this run's searches (the
// pending sub-requests it matches), if one does. The node's own tasks are
// left to fail as the real service would: no rule fails them, nor counts
// them.
func (a *Handler) jobFault(ctx context.Context, args fssp.JobArgs, pending func() ([]any, error)) (fault.JobFault, error) {
	if args.Own {
		return fault.JobFault{}, nil
	}
	return a.cfg.Faults.Job(ctx, fssp.TaskJobKind, args.Credential, "task "+args.Task, pending)
}

// searchAndFinish runs a task's last search and ends the task with its
// result in one write.
func (a *Handler) searchAndFinish(ctx context.Context, task string, i int, req fssp.SubRequest, lastAttempt bool, f fault.JobFault) error {
	started := a.clock.Now()
	r, err := a.runOne(ctx, task, i, req, lastAttempt, f)
	if err != nil {
		return err
	}
	return a.store.FinishTask(ctx, task, &r, started, a.clock.Now())
}

// runOne searches one sub-request and renders its result. A search that
// fails for lack of the database is retried with the job; any other failure
// (or the last attempt) becomes the sub-request's error object, and so does
// a search that the fault rule f fails, with the words of a failed search
// unless the rule has its own.
func (a *Handler) runOne(ctx context.Context, taskID string, i int, req fssp.SubRequest, lastAttempt bool, f fault.JobFault) (fssp.SubResult, error) {
	if f.Fails(i) {
		return fssp.SubResult{Index: i, Failed: true, Body: renderFailure(req, f.Message(msgSearchFailed))}, nil
	}
	sctx, cancel := context.WithTimeout(ctx, a.cfg.SearchTimeout)
	found, err := a.search(sctx, req)
	// The search's own context tells a timeout: drivers report an
	// interrupted query in their own words.
	timedOut := errors.Is(sctx.Err(), context.DeadlineExceeded)
	cancel()
	var body []byte
	switch {
	case err == nil:
		body = renderResult(req, found)
	case ctx.Err() != nil:
		return fssp.SubResult{}, ctx.Err() // the runner is stopping: search again next time
	case timedOut:
		body = renderFailure(req, fmt.Sprintf("search timed out after %s", a.cfg.SearchTimeout))
	case stend.KindOf(err) == stend.Unavailable && !lastAttempt:
		return fssp.SubResult{}, err
	default:
		a.logger.Error("fssp search failed", "task", taskID, "index", i, "err", err)
		body = renderFailure(req, msgSearchFailed)
	}
	return fssp.SubResult{Index: i, Failed: err != nil, Body: body}, nil
}

func (a *Handler) search(ctx context.Context, req fssp.SubRequest) ([]fssp.Proceeding, error) {
	s, err := validate(req.Type, req.Params, a.today(a.clock.Now()))
	if err != nil {
		return nil, err
	}
	switch req.Type {
	case typePhysical:
		s.physical.Limit = a.cfg.MaxItems
		return a.store.SearchPhysical(ctx, s.physical)
	case typeLegal:
		s.legal.Limit = a.cfg.MaxItems
		return a.store.SearchLegal(ctx, s.legal)
	default:
		s.number.Limit = a.cfg.MaxItems
		return a.store.SearchProceedingNumber(ctx, s.number)
	}
}

// Sweep deletes tasks older than the retention, with their results, and
// ends the tasks whose job gave up (the database failed on its last
// attempt): their remaining sub-requests fail, so no task stays running
// until it expires.
func (a *Handler) Sweep(ctx context.Context) (int, error) {
	n, err := a.store.PurgeTasks(ctx, a.clock.Now().Add(-fssp.TaskRetention))
	if err != nil {
		return n, err
	}
	abandoned, err := a.store.AbandonedTasks(ctx, 1000)
	if err != nil {
		return n, err
	}
	for _, id := range abandoned {
		if err := a.failRemaining(ctx, id); err != nil && stend.KindOf(err) != stend.NotFound {
			return n, err
		}
	}
	return n, nil
}

func (a *Handler) failRemaining(ctx context.Context, id string) error {
	t, err := a.store.Task(ctx, 0, id, a.clock.Now())
	if err != nil {
		return err
	}
	stored, err := a.store.TaskResults(ctx, id)
	if err != nil {
		return err
	}
	have := make(map[int]bool, len(stored))
	var failed []fssp.SubResult
	for _, r := range stored {
		have[r.Index] = true
	}
	for i := range t.Requests {
		if have[i] {
			continue
		}
		failed = append(failed, fssp.SubResult{Index: i, Failed: true, Body: renderFailure(t.Requests[i], msgSearchFailed)})
	}
	if err := a.store.SaveSubResults(ctx, id, failed); err != nil {
		return err
	}
	a.logger.Warn("fssp: task ended by the sweep: its job gave up", "task", id)
	return a.store.FinishTask(ctx, id, nil, a.clock.Now(), a.clock.Now())
}

// RunSweeper sweeps every interval until ctx ends. Tasks past the
// retention are unreadable at once whether or not a sweep has run; the
// sweep only reclaims their space.
func (a *Handler) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := a.Sweep(ctx); err != nil && ctx.Err() == nil {
			a.logger.Warn("fssp: purge of expired tasks failed", "err", err)
		} else if n > 0 {
			a.logger.Info("fssp: purged expired tasks", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
