package motivity

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"stend/blob"
)

// ReportBlobKeyPrefix is the prefix of the keys of every build run of
// report id (NewReportBlobKey).
func ReportBlobKeyPrefix(id int64) string {
	return ReportBlobPrefix + strconv.FormatInt(id, 10) + "-"
}

// RemoveReport deletes report id's record, then its bytes: the record goes
// first, and from then on no build of the report can be recorded
// (FinishReport), so every object under the report's prefix is no
// report's: the bytes it had, and those of a build that finished after the
// caller last read it. A build still writing removes its own when it finds
// the record gone. Bytes a snapshot of the stand holds stay for its
// restore (SweepReports removes them once no snapshot does). It answers
// the record as it was; a missing report is NotFound.
func RemoveReport(ctx context.Context, reports CreatedReportStore, blobs blob.Store, id int64) (CreatedReport, error) {
	const op = "motivity.RemoveReport"
	rep, err := reports.CreatedReport(ctx, id)
	if err != nil {
		return rep, err
	}
	if err := reports.DeleteReport(ctx, id); err != nil {
		return rep, err
	}
	// The record is gone: its bytes must go even if the caller leaves.
	ctx = context.WithoutCancel(ctx)
	var keys []string // a few: one per build run that got as far as writing
	for info, err := range blobs.List(ctx, ReportBlobKeyPrefix(id)) {
		if err != nil {
			return rep, fmt.Errorf("%s: report %d is deleted, but not its bytes: %w", op, id, err)
		}
		keys = append(keys, info.Key)
	}
	if _, err := blob.DeleteUnheld(ctx, blobs, keys, reports.ReportKeysHeld); err != nil {
		return rep, fmt.Errorf("%s: report %d is deleted, but not its bytes: %w", op, id, err)
	}
	return rep, nil
}

// SweepReports removes report bytes written before before that nothing
// holds: what a node that died between writing a report and recording it
// left, what a delete could not remove, and what a snapshot held until it
// was deleted. before must be older than any build in flight.
func SweepReports(ctx context.Context, reports CreatedReportStore, blobs blob.Store, before time.Time) (int, error) {
	return blob.SweepUnheld(ctx, blobs, ReportBlobPrefix, before, reports.ReportKeysHeld)
}
