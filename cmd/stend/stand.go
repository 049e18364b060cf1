package main

import (
	"context"
	"maps"
	"os"

	"stend/operator"
	"stend/server"
)

// The `stend reset` and `stend snapshot …` commands: the whole stand put
// back to its seed or to a named snapshot, on the database they open; the
// nodes serving it stop their jobs meanwhile and forget their caches after
// (within a quarter of a second).
var standCommands = map[string]command{
	"reset":            {"put the whole stand back to the state its seed file describes (--seed; empty without one), clear the journal and release the clock ([--rebuild])", runReset},
	"snapshot take":    {"copy the whole stand's data under a name (--name), replacing a snapshot of that name", runSnapshotTake},
	"snapshot list":    {"list the snapshots", runSnapshotList},
	"snapshot restore": {"put the whole stand back as a snapshot holds it (--name); the journal and the clock stay", runSnapshotRestore},
	"snapshot delete":  {"delete a snapshot (--name)", runSnapshotDelete},
}

func init() { maps.Copy(commands, standCommands) }

func runReset(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var in operator.ResetOptions
	seed := fs.String("seed", "", "the seed file the stand was started with (default $STEND_SEED); none: an empty stand")
	fs.BoolVar(&in.Rebuild, "rebuild", false, "build the seed's state again even if the seed file did not change (files it names did)")
	return withNode(ctx, e, args, func(node *server.Node) error {
		file := *seed
		if file == "" {
			file = os.Getenv("STEND_SEED")
		}
		if file != "" {
			s, err := operator.ReadSeed(file)
			if err != nil {
				return err
			}
			node.AddSeed(s)
		}
		return e.print(node.Operator.Reset(ctx, in))
	})
}

func snapshotName(e *cmdEnv) *string {
	return e.flags().String("name", "", "the snapshot's name")
}

func runSnapshotTake(ctx context.Context, e *cmdEnv, args []string) error {
	name := snapshotName(e)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return s.TakeSnapshot(ctx, operator.SnapshotTake{Name: *name})
	})
}

func runSnapshotList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Snapshots(ctx) })
}

func runSnapshotRestore(ctx context.Context, e *cmdEnv, args []string) error {
	name := snapshotName(e)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.RestoreSnapshot(ctx, *name) })
}

func runSnapshotDelete(ctx context.Context, e *cmdEnv, args []string) error {
	name := snapshotName(e)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return map[string]string{"deleted": *name}, s.DeleteSnapshot(ctx, *name)
	})
}
