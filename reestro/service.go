package reestro

import (
	"context"
	"encoding/json"
	"fmt"

	"stend"
)

// CheckAttempts bounds the runs of a check's job; with the runner's
// backoff they span about ten minutes before the check is Failed.
const CheckAttempts = 12

// Service holds the Reestro rules that take more than one store step: the
// published API and the operator surface use it alike.
type Service struct {
	Store Store
}

// NewService is the Reestro service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// CreateCheck stores c in Processing and enqueues the job that runs it, in
// one transaction; a subject the organization does not hold is
// ErrSubjectNotFound, and then nothing is stored. c.CreatedAt is the
// caller's now; credential names the key as the journal does
// (CheckJobArgs).
func (s *Service) CreateCheck(ctx context.Context, c Check, credential string) (Check, error) {
	args, err := json.Marshal(CheckJobArgs{Check: c.ID, Credential: credential})
	if err != nil {
		return Check{}, fmt.Errorf("reestro.CreateCheck: %w", err)
	}
	c.State = CheckProcessing
	err = s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		if _, err := tx.Subject(ctx, c.OrganizationRef, c.SubjectID); err != nil {
			return err
		}
		jobID, err := tx.InsertJob(ctx, stend.JobSpec{Kind: CheckJobKind, Args: args, At: c.CreatedAt, MaxAttempts: CheckAttempts})
		if err != nil {
			return err
		}
		c, err = tx.InsertCheck(ctx, c, jobID)
		return err
	})
	if err != nil {
		return Check{}, err
	}
	return c, nil
}
