package server

import (
	"context"
	"sync"
	"time"

	"stend"
	"stend/operator"
)

// standFollowEvery is how often a node reads the stand's state: a restore
// on another node stops its jobs and makes it forget its caches within
// this interval.
const standFollowEvery = 250 * time.Millisecond

// standSeeds are the seeds a reset puts back: those the node was started
// with.
type standSeeds struct {
	mu    sync.Mutex
	seeds []operator.Seed
}

// AddSeed records a seed loaded at start, which a reset puts back.
func (n *Node) AddSeed(s operator.Seed) {
	n.seeds.mu.Lock()
	n.seeds.seeds = append(n.seeds.seeds, s)
	n.seeds.mu.Unlock()
}

func (n *Node) startSeeds() []operator.Seed {
	n.seeds.mu.Lock()
	defer n.seeds.mu.Unlock()
	return append([]operator.Seed(nil), n.seeds.seeds...)
}

// standControl is what the operator service's reset and snapshots need of
// this node.
func (n *Node) standControl() *operator.StandControl {
	return &operator.StandControl{
		Store:    n.Store,
		Pause:    n.Jobs.Pause,
		Resume:   n.Jobs.Resume,
		Replaced: n.dataReplaced,
		Scratch:  n.scratchOperator,
		Seeds:    n.startSeeds,
		Logger:   n.Logger,
	}
}

// scratchOperator is an operator service over an empty stand apart, with
// this node's keys, blobs and clock, so that what it provisions reads the
// same once copied here.
func (n *Node) scratchOperator(ctx context.Context) (*operator.Service, stend.SnapshotSource, func(), error) {
	sc, err := n.Store.OpenScratch(ctx)
	if err != nil {
		return nil, stend.SnapshotSource{}, nil, err
	}
	svc := &operator.Service{MigrantExam: sc.DB.MigrantExam(), FSSP: sc.DB.FSSP(), Motivity: sc.DB.Motivity(), Reestro: sc.DB.Reestro(),
		Clock: n.Clock, PasswordIterations: n.Config.PasswordIterations, Keys: n.Keys, Blobs: n.Blobs,
		FaultStore: sc.DB, FaultsChanged: func() {}}
	return svc, sc.Source, sc.Remove, nil
}

// dataReplaced runs once a restore committed, on the node that restored
// and on every node that follows (FollowStand): it forgets its caches, reads the restored fault rules, and issues again
// its own FSSP token for Reestro checks, which the snapshot may lack.
func (n *Node) dataReplaced(ctx context.Context, generation int64) error {
	n.generation.Store(generation)
	n.forgetData()
	return n.keepOwnFSSPToken(ctx)
}

// keepOwnFSSPToken issues again, after a restore, the token the stand's
// Reestro checks search their own FSSP API with: the snapshot may lack it
// (the seed's state never has it). Done by the node that restored, even a
// command's, and by every node that follows, as the token is the same
// (derived from the deployment's secret).
func (n *Node) keepOwnFSSPToken(ctx context.Context) error {
	if n.Config.ReestroFSSPURL != "" {
		return nil
	}
	_, err := n.ownFSSPToken(ctx)
	return err
}

// forgetData empties what the node cached of the data.
func (n *Node) forgetData() {
	n.Store.ForgetCaches()
	n.MigrantExam.DataReplaced()
	n.FSSP.DataReplaced()
	n.Reestro.DataReplaced()
	n.Faults.Changed()
}

// Generation is the stand's state this node's caches hold: it changes
// once the node has followed a restore.
func (n *Node) Generation() int64 { return n.generation.Load() }

// FollowStand keeps this node in step with restores made through other
// nodes (or commands): it stops its jobs while a restore is under way and
// forgets its caches once one committed, until ctx ends.
func (n *Node) FollowStand(ctx context.Context) {
	t := time.NewTicker(standFollowEvery)
	defer t.Stop()
	paused := false
	defer func() {
		if paused {
			n.Jobs.Resume()
		}
	}()
	for {
		if st, err := n.Store.StandState(ctx); err == nil {
			if st.Generation != n.generation.Load() {
				if err := n.dataReplaced(ctx, st.Generation); err != nil && ctx.Err() == nil {
					n.Logger.Warn("stand: issuing the FSSP token of Reestro checks after a restore", "err", err)
				}
			}
			quiesced := n.Clock.Now().Before(st.QuiescedUntil)
			if quiesced && !paused {
				n.Jobs.Pause()
			} else if !quiesced && paused {
				n.Jobs.Resume()
			}
			paused = quiesced
		} else if ctx.Err() == nil {
			n.Logger.Warn("stand: reading its state", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
