package stend

import (
	"context"
	"time"
)

// Snapshot is a named copy of the whole stand's data: every API's data,
// the job queue and the fault rules (the bytes of files by reference).
// The request journal and the clock are not in it: they record and steer
// a test, and a restore must not undo them.
type Snapshot struct {
	Name    string    `json:"name"`
	TakenAt time.Time `json:"takenAt"` // by the stand's clock
	Tables  int       `json:"tables"`
	Rows    int64     `json:"rows"`
	// Digest is the seed's, for the snapshot a reset restores.
	Digest string `json:"digest,omitempty"`
}

// StandState is what every node of one database follows: Generation moves
// with each restore (a node then forgets what it cached of the data), and
// until QuiescedUntil (the stand's clock) no node claims jobs.
type StandState struct {
	Generation    int64
	QuiescedUntil time.Time
}

// SnapshotSource is another database holding a stand, made apart (a reset
// builds its seed's state there, where clients cannot see it half made):
// an SQLite file or a PostgreSQL schema of the same database.
type SnapshotSource struct {
	File   string
	Schema string
}

// SnapshotStore keeps snapshots in the stand's own database, so that a
// restore is one transaction: clients see the state before or after it.
type SnapshotStore interface {
	// TakeSnapshot copies the data under name, replacing a snapshot of
	// that name; from, when not zero, is copied instead of the stand.
	TakeSnapshot(ctx context.Context, name string, at time.Time, digest string, from SnapshotSource) (Snapshot, error)
	// RestoreSnapshot puts the data back as the snapshot holds it, moves
	// the generation and answers it.
	RestoreSnapshot(ctx context.Context, name string) (Snapshot, int64, error)
	FindSnapshot(ctx context.Context, name string) (Snapshot, error)
	Snapshots(ctx context.Context) ([]Snapshot, error)
	DeleteSnapshot(ctx context.Context, name string) error
	StandState(ctx context.Context) (StandState, error)
	// QuiesceStand stops every node from claiming jobs until until, for
	// the restore owner (again: renewed); EndQuiesce ends owner's pause.
	QuiesceStand(ctx context.Context, until time.Time, owner string) error
	EndQuiesce(ctx context.Context, owner string) error
	// RunningJobs counts the jobs whose lease runs past now.
	RunningJobs(ctx context.Context, now time.Time) (int, error)
}
