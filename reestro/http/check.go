package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"stend"
	fsspclient "stend/client/fssp"
	"stend/fault"
	"stend/httpx"
	"stend/job"
	"stend/reestro"
)

// Failures a Failed check states; clients read them in the check's error.
const (
	failureDeadline = "The FSSP search did not finish in time"
	failureRejected = "The FSSP API rejected the search: "
	failureGaveUp   = "The FSSP search kept failing: "
)

// errSearching says the check's FSSP tasks have not finished yet.
var errSearching = errors.New("the FSSP search is still running")

// JobHandler runs a check: it submits the subject's search to the FSSP API
// once and keeps the task ids on the check; later runs look at the tasks
// until their results are in. Between looks the job is snoozed rather than
// waiting, because the searches are jobs too: a burst of checks holding
// every worker while they wait would starve the very searches they wait
// for. A run that fails (FSSP over its limit, down, a search that failed)
// is retried with backoff; the last attempt, or the deadline, fails the
// check instead, so that no check stays in Processing.
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
	if len(c.FSSPTasks) == 0 {
		// About to search the FSSP API: an operator's rule may fail the
		// check as a search that kept failing would, at once.
		f, err := h.cfg.Faults.Job(ctx, reestro.CheckJobKind, args.Credential, "check "+c.ID, func() ([]any, error) { return fault.Items(asked(c)), nil })
		if err != nil {
			return fmt.Errorf("reestro.check: %w", err)
		}
		if f.Fired() {
			return h.finish(ctx, c, reestro.CheckFailed, nil, f.Message(failureGaveUp+"FSSP search in region "+faultedRegion(c, f.Rule)+": search failed"))
		}
	}
	result, err := h.searchFSSP(ctx, c)
	var api *fsspclient.APIError
	switch {
	case err == nil:
		return h.finish(ctx, c, reestro.CheckProcessed, result, "")
	case errors.Is(err, errSearching):
		pause := h.pollPause(c)
		if errors.As(err, &api) {
			pause = max(pause, api.RetryAfter)
		}
		return job.Snooze(pause)
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

// faultedRegion is the region a fault rule failed the check for: the one
// its field names (fssp.regions.N), else the first.
func faultedRegion(c reestro.Check, rule fault.Rule) string {
	if n, ok := strings.CutPrefix(rule.Field, "fssp.regions."); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < len(c.Regions) {
			return c.Regions[i]
		}
	}
	return c.Regions[0]
}

// asked is the check as its POST /checks body asked for it (regions as the
// answers write them): what a fault rule's field is matched against.
func asked(c reestro.Check) map[string]any {
	body := map[string]any{"fssp": map[string]any{"subjectId": c.SubjectID, "regions": c.Regions}}
	if c.CorrelationID != "" {
		body["correlationId"] = c.CorrelationID
	}
	if c.ExternalID != "" {
		body["externalId"] = c.ExternalID
	}
	return body
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
		// Kept before looking at them: later runs look at these instead
		// of searching again, which would spend the FSSP token's limits
		// twice.
		if err := h.store.SetFSSPTasks(ctx, c.ID, tasks); err != nil {
			return nil, fmt.Errorf("reestro.check: %w", err)
		}
		return nil, errSearching
	}
	var subs []fsspclient.SubResult
	for _, task := range tasks {
		res, err := finishedTask(ctx, client, task)
		if errors.Is(err, fsspclient.ErrUnavailable) || errors.Is(err, fsspclient.ErrRateLimited) {
			// The task lives on in the FSSP API's database: look again
			// later (no sooner than a Retry-After), not as a failure.
			return nil, fmt.Errorf("%w: %w", errSearching, err)
		}
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
	// As the FSSP API writes them: "<br>" in a bailiff, not \u003cbr\u003e.
	return httpx.MarshalJSON(out)
}

// finishedTask is the task's result once it is finished, errSearching
// before. /status first, because stend answers it from memory and the real
// service cheaply; /result only once it says finished.
func finishedTask(ctx context.Context, client *fsspclient.Client, task string) (*fsspclient.Result, error) {
	st, err := client.Status(ctx, task)
	if err != nil {
		return nil, err
	}
	if !st.State.Finished() {
		return nil, errSearching
	}
	return client.Result(ctx, task)
}

// pollPause is how long a check waits before it looks at its FSSP tasks
// again: half its age, within the configured bounds, so that a quick
// search is seen quickly and a long one is not asked about every moment.
func (h *Handler) pollPause(c reestro.Check) time.Duration {
	pause := h.clock.Now().Sub(c.CreatedAt) / 2
	return min(max(pause, min(h.cfg.FSSPPollMin, h.cfg.FSSPPollMax)), h.cfg.FSSPPollMax)
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
