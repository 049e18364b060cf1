package fssp

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"stend"
)

// Service holds the data bank's rules that take more than one store step:
// the published API, the operator surface and the task job use it alike.
type Service struct {
	Store Store
}

// NewService is the FSSP service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// Submit stores a task and enqueues its searches in one transaction,
// provided the token is still under every window at task.CreatedAt: the
// tasks kept for a day are the record the windows count. Over a limit it
// returns a *RateLimitError, with the usage of every window, and stores
// nothing; else it answers the usage that the task leaves. credential names
// the token as the journal does, and own says that the node submitted the
// task itself (JobArgs).
func (s *Service) Submit(ctx context.Context, task Task, windows []RateWindow, credential string, own bool) ([]RateUsage, error) {
	args, err := json.Marshal(JobArgs{Task: task.ID, Single: task.single(), Credential: credential, Own: own})
	if err != nil {
		return nil, fmt.Errorf("fssp.Submit: %w", err)
	}
	return s.admit(ctx, task, windows, func(ctx context.Context, tx Tx) error {
		jobID, err := tx.InsertJob(ctx, stend.JobSpec{Kind: TaskJobKind, Args: args, At: task.CreatedAt})
		if err != nil {
			return err
		}
		return tx.InsertTask(ctx, task, jobID)
	})
}

// SubmitEnded stores a single search's task that the submitting request
// answered itself: ended, with its one result, and no job. The windows are
// counted as Submit counts them, in the same transaction.
func (s *Service) SubmitEnded(ctx context.Context, task Task, result SubResult, windows []RateWindow) ([]RateUsage, error) {
	if task.single() == nil || result.Index != 0 {
		return nil, stend.Errorf(stend.Internal, "fssp.SubmitEnded", "task %s is not one search with its result", task.ID)
	}
	if len(windows) == 0 {
		return nil, s.Store.InsertEndedTask(ctx, task, result)
	}
	return s.admit(ctx, task, windows, func(ctx context.Context, tx Tx) error {
		return tx.InsertEndedTask(ctx, task, result)
	})
}

// admit runs store in one transaction with the count of the token's
// windows at task.CreatedAt, unless a window is full.
func (s *Service) admit(ctx context.Context, task Task, windows []RateWindow, store func(ctx context.Context, tx Tx) error) ([]RateUsage, error) {
	now := task.CreatedAt
	var usage []RateUsage
	err := s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		counts, err := tx.CountRate(ctx, task.TokenID, windows, now)
		if err != nil {
			return err
		}
		usage = usage[:0]
		var retry time.Duration
		over := false
		for _, c := range counts {
			u := RateUsage{Window: c.Window, Used: c.Used + 1, Reset: c.FreesAt}
			if c.Used >= c.Window.Limit {
				u.Used, over = c.Used, true
				retry = max(retry, c.FreesAt.Sub(now))
			}
			usage = append(usage, u)
		}
		if over {
			return &RateLimitError{Usage: append([]RateUsage(nil), usage...), RetryAfter: retry}
		}
		return store(ctx, tx)
	})
	return usage, err
}

// single is the task's one search when the task is a single search: its
// job carries it, so that running it reads nothing first.
func (t Task) single() *SubRequest {
	if t.Class != Single || len(t.Requests) != 1 {
		return nil
	}
	return &t.Requests[0]
}
