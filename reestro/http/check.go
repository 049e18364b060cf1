package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/job"
	"stend/reestro"
)

// Failures a Failed check states; clients read them in the check's error.
const (
	failureDeadline = "The FSSP search did not finish in time"
	failureRejected = "The FSSP API rejected the search: "
	failureGaveUp   = "The FSSP search kept failing: "
)

// JobHandler runs a check: it submits the subject's search to the FSSP API
// once, keeps the task ids on the check, and waits for their results. A run
// that cannot finish (FSSP busy, over its limit, down) fails and is retried
// with backoff, polling the same tasks; the last attempt, or the deadline,
// fails the check instead, so that no check stays in Processing.
func (h *Handler) JobHandler(ctx context.Context, j stend.Job) error {
	var args reestro.CheckJobArgs
	if err := json.Unmarshal(j.Args, &args); err != nil {
		return fmt.Errorf("reestro.check: args: %w", err)
	}
	c, err := h.store.Check(ctx, 0, args.Check)
	if err != nil {
		return fmt.Errorf("reestro.check: %w", err)
	}
	if c.State != reestro.CheckProcessing {
		return nil // finished by an earlier run or by the sweeper
	}
	if !h.clock.Now().Before(c.CreatedAt.Add(h.cfg.CheckDeadline)) {
		return h.finish(ctx, c, reestro.CheckFailed, nil, failureDeadline)
	}
	result, err := h.searchFSSP(ctx, c)
	var api *fsspclient.APIError
	switch {
	case err == nil:
		return h.finish(ctx, c, reestro.CheckProcessed, result, "")
	case ctx.Err() != nil:
		return err // the runner is stopping; the job goes back as it was
	case errors.As(err, &api) && errors.Is(err, fsspclient.ErrInvalid):
		// Asking again would get the same answer. A refused token is
		// retried instead: it is the operator's to fix, not the client's.
		return h.finish(ctx, c, reestro.CheckFailed, nil, failureRejected+api.Message)
	case j.Attempt >= j.MaxAttempts:
		return h.finish(ctx, c, reestro.CheckFailed, nil, failureGaveUp+err.Error())
	case errors.As(err, &api) && api.RetryAfter > 0:
		return job.RetryAfter(err, api.RetryAfter)
	}
	return err
}

func (h *Handler) finish(ctx context.Context, c reestro.Check, state reestro.CheckState, result []byte, failure string) error {
	if err := h.store.FinishCheck(ctx, c.ID, state, result, failure, h.clock.Now()); err != nil {
		return fmt.Errorf("reestro.check: finish: %w", err)
	}
	return nil
}

// searchFSSP returns the check's result: per region, the proceedings the
// FSSP API found, as it answered them.
func (h *Handler) searchFSSP(ctx context.Context, c reestro.Check) ([]byte, error) {
	client, err := h.fsspClient()
	if err != nil {
		return nil, err
	}
	tasks := c.FSSPTasks
	if len(tasks) == 0 {
		s, err := h.store.Subject(ctx, c.OrganizationRef, c.SubjectID)
		if err != nil {
			return nil, fmt.Errorf("reestro.check: subject: %w", err)
		}
		if tasks, err = client.SearchGroup(ctx, searchRequests(s.Person, c.Regions)); err != nil {
			return nil, fmt.Errorf("FSSP search/group: %w", err)
		}
		// Kept before waiting: a retry polls these instead of searching
		// again, which would spend the FSSP token's limits twice.
		if err := h.store.SetFSSPTasks(ctx, c.ID, tasks); err != nil {
			return nil, fmt.Errorf("reestro.check: %w", err)
		}
	}
	wait, cancel := context.WithTimeout(ctx, h.cfg.FSSPWait)
	defer cancel()
	var subs []fsspclient.SubResult
	for _, task := range tasks {
		res, err := client.Wait(wait, task)
		if errors.Is(err, fsspclient.ErrTaskNotFound) {
			// Purged or never known there (another FSSP API configured
			// since): the next run searches again.
			if err := h.store.SetFSSPTasks(ctx, c.ID, nil); err != nil {
				return nil, fmt.Errorf("reestro.check: %w", err)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("FSSP task %s: %w", task, err)
		}
		subs = append(subs, res.Results...)
	}
	if len(subs) != len(c.Regions) {
		return nil, fmt.Errorf("FSSP answered %d sub-results for %d regions", len(subs), len(c.Regions))
	}
	out := make([]fsspRegionResult, len(subs))
	for i, sub := range subs {
		if sub.Failure != nil {
			// A finished task answers the same for ever: the next run
			// searches anew.
			if err := h.store.SetFSSPTasks(ctx, c.ID, nil); err != nil {
				return nil, fmt.Errorf("reestro.check: %w", err)
			}
			return nil, fmt.Errorf("FSSP search in region %s: %s", c.Regions[i], sub.Failure.Message)
		}
		out[i] = fsspRegionResult{Region: c.Regions[i], Items: sub.Items}
		if out[i].Items == nil {
			out[i].Items = []fsspclient.Item{}
		}
	}
	return json.Marshal(out)
}

// searchRequests is one physical search per region: the FSSP API searches
// one region at a time.
func searchRequests(p reestro.Person, regions []string) []fsspclient.Request {
	birth := ""
	if p.BirthDate != nil {
		birth = p.BirthDate.Time().Format("02.01.2006")
	}
	reqs := make([]fsspclient.Request, len(regions))
	for i, r := range regions {
		code := 0
		fmt.Sscan(r, &code)
		reqs[i] = fsspclient.Request{Physical: &fsspclient.PhysicalQuery{
			Region: code, LastName: p.Surname, FirstName: p.Name, SecondName: p.Patronymic, BirthDate: birth,
		}}
	}
	return reqs
}

// RunSweeper fails, every period, the checks in Processing past their
// deadline or whose job will not run again (discarded, or lost with a
// database restored from a backup).
func (h *Handler) RunSweeper(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := h.Sweep(ctx); err != nil && ctx.Err() == nil {
			h.logger.Warn("reestro: failing abandoned checks failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Sweep fails the abandoned checks once.
func (h *Handler) Sweep(ctx context.Context) (int, error) {
	now := h.clock.Now()
	n, err := h.store.FailAbandonedChecks(ctx, now.Add(-h.cfg.CheckDeadline), now, failureDeadline)
	if n > 0 {
		h.logger.Info("reestro: failed abandoned checks", "count", n)
	}
	return n, err
}
