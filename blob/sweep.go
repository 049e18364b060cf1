package blob

import (
	"context"
	"fmt"
	"time"
)

// Held reports which of keys something still names (a record, a
// snapshot): the bytes of the others are no one's.
type Held func(ctx context.Context, keys []string) (map[string]bool, error)

// DeleteUnheld deletes those of keys that held does not report, and
// answers how many it deleted.
func DeleteUnheld(ctx context.Context, store Store, keys []string, held Held) (int, error) {
	named, err := held(ctx, keys)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, key := range keys {
		if named[key] {
			continue
		}
		if err := store.Delete(ctx, key); err != nil {
			return removed, fmt.Errorf("%s: %w", key, err)
		}
		removed++
	}
	return removed, nil
}

// sweepBatch is how many keys one call of a Held checks.
const sweepBatch = 500

// SweepUnheld deletes the objects under prefix written before before that
// held does not report: what a node that died between writing bytes and
// recording them left, what a delete could not remove. before must be
// older than any write still in flight.
func SweepUnheld(ctx context.Context, store Store, prefix string, before time.Time, held Held) (int, error) {
	removed := 0
	var batch []string
	flush := func() error {
		n, err := DeleteUnheld(ctx, store, batch, held)
		removed += n
		batch = batch[:0]
		return err
	}
	for info, err := range store.List(ctx, prefix) {
		if err != nil {
			return removed, err
		}
		if info.ModTime.Before(before) {
			batch = append(batch, info.Key)
		}
		if len(batch) == sweepBatch {
			if err := flush(); err != nil {
				return removed, err
			}
		}
	}
	if len(batch) == 0 {
		return removed, nil
	}
	return removed, flush()
}
