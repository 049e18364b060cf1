package operator

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"stend"
)

// StandControl is what the reset and snapshots need of the node beside the
// store: its jobs paused and resumed, its caches of the data forgotten
// after a restore, and a stand of its own, apart, to build the seed's
// state in.
type StandControl struct {
	Store stend.SnapshotStore
	// Pause and Resume stop and start this node's jobs (nesting); other
	// nodes follow the store's quiescence.
	Pause, Resume func()
	// Replaced runs after a restore committed: the node forgets what it
	// cached of the data and makes again what it keeps for itself there.
	Replaced func(ctx context.Context, generation int64) error
	// Scratch opens an empty stand apart from this one (an SQLite file, a
	// PostgreSQL schema) with a Service over it; done closes and removes
	// it, after the copy.
	Scratch func(ctx context.Context) (svc *Service, from stend.SnapshotSource, done func(), err error)
	// Seeds are the seeds the stand started with, which a reset puts back.
	Seeds  func() []Seed
	Logger *slog.Logger

	mu sync.Mutex // one reset or restore at a time on this node; the store orders nodes
}

// seedSnapshot is the snapshot a reset restores: the seed's state, built
// once per seed. Names starting with @ are the stand's own.
const seedSnapshot = "@seed"

// seedStateFor is how long the seed's state built for resets is used
// before it is built again.
const seedStateFor = 24 * time.Hour

// quiesceFor bounds how long nodes keep their jobs stopped for a restore
// whose node died before ending the pause; a restore renews it while it
// runs.
const quiesceFor = 30 * time.Second

// jobsStopWait bounds the wait for jobs to stop on every node before a
// restore: other nodes notice the pause within their follow interval, and
// a job of a node that died holds its lease until it lapses; the restore
// then goes on, and that job's late outcome is refused (its row is gone).
const jobsStopWait = 10 * time.Second

// Restored is what a reset or restore answers.
type Restored struct {
	Snapshot   stend.Snapshot `json:"snapshot"`
	Generation int64          `json:"generation"`
	// Took is how long the stand was being put back, jobs stopped
	// included (a Go duration).
	Took string `json:"took"`
	// Rebuilt says the seed's state was built anew for this reset.
	Rebuilt bool `json:"rebuilt,omitempty"`
}

// SnapshotTake asks for a snapshot.
type SnapshotTake struct {
	Name string `json:"name"`
}

// ResetOptions tune a reset.
type ResetOptions struct {
	// Rebuild builds the seed's state again even when the seed did not
	// change (files it names did).
	Rebuild bool `json:"rebuild"`
}

func (s *Service) stand(op string) (*StandControl, error) {
	if s.Stand == nil || s.Stand.Store == nil {
		return nil, stend.Errorf(stend.Invalid, op, "this stand cannot be reset or snapshotted")
	}
	return s.Stand, nil
}

// TakeSnapshot copies the whole stand under name, replacing a snapshot of
// that name.
func (s *Service) TakeSnapshot(ctx context.Context, in SnapshotTake) (stend.Snapshot, error) {
	const op = "operator.TakeSnapshot"
	c, err := s.stand(op)
	if err != nil {
		return stend.Snapshot{}, err
	}
	if strings.HasPrefix(in.Name, "@") {
		return stend.Snapshot{}, stend.Errorf(stend.Invalid, op, "name: names starting with @ are the stand's own")
	}
	// A name is a segment of the operator API's paths.
	if in.Name == "." || in.Name == ".." || strings.ContainsAny(in.Name, "/?#") {
		return stend.Snapshot{}, stend.Errorf(stend.Invalid, op, "name: %q cannot be a segment of a path", in.Name)
	}
	return c.Store.TakeSnapshot(ctx, in.Name, s.now(), "", stend.SnapshotSource{})
}

// Snapshots lists the snapshots, the reset's own (@seed) among them.
func (s *Service) Snapshots(ctx context.Context) ([]stend.Snapshot, error) {
	c, err := s.stand("operator.Snapshots")
	if err != nil {
		return nil, err
	}
	return c.Store.Snapshots(ctx)
}

// DeleteSnapshot drops a snapshot.
func (s *Service) DeleteSnapshot(ctx context.Context, name string) error {
	c, err := s.stand("operator.DeleteSnapshot")
	if err != nil {
		return err
	}
	return c.Store.DeleteSnapshot(ctx, name)
}

// RestoreSnapshot puts the whole stand back as the snapshot holds it. The
// journal and the clock stay as they are.
func (s *Service) RestoreSnapshot(ctx context.Context, name string) (Restored, error) {
	c, err := s.stand("operator.RestoreSnapshot")
	if err != nil {
		return Restored{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.restore(ctx, name, s.now)
}

// Reset puts the whole stand back to the state its seeds describe (empty
// without one), and clears the journal and gives the clock real time
// again: what a test suite wants before each test. The seed's state is
// built apart, once per seed, and kept as the snapshot @seed, so a reset
// costs a restore.
func (s *Service) Reset(ctx context.Context, in ResetOptions) (Restored, error) {
	const op = "operator.Reset"
	c, err := s.stand(op)
	if err != nil {
		return Restored{}, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// Real time first: the seed's state, when it is built now, holds
	// instants of its build (tokens' expiry), which must be real ones.
	if _, ok := s.Clock.(*stend.StandClock); ok {
		if _, err := s.ReleaseClock(ctx); err != nil {
			return Restored{}, err
		}
	}
	digest := c.seedDigest()
	rebuilt := false
	held, err := c.Store.FindSnapshot(ctx, seedSnapshot)
	// Built more than a day ago, its instants would lag real time (a
	// token issued then expires a year after then): built again.
	stale := err == nil && (s.now().Sub(held.TakenAt) > seedStateFor || held.TakenAt.After(s.now()))
	if in.Rebuild || stale || stend.KindOf(err) == stend.NotFound || err == nil && held.Digest != digest {
		if err := c.buildSeedState(ctx, digest, s.now()); err != nil {
			return Restored{}, err
		}
		rebuilt = true
	} else if err != nil {
		return Restored{}, err
	}
	restored, err := c.restore(ctx, seedSnapshot, s.now)
	if stend.KindOf(err) == stend.Conflict && !rebuilt {
		// Taken before a migration: the seed's state is built again.
		if err := c.buildSeedState(ctx, digest, s.now()); err != nil {
			return Restored{}, err
		}
		rebuilt = true
		restored, err = c.restore(ctx, seedSnapshot, s.now)
	}
	if err != nil {
		return Restored{}, err
	}
	restored.Rebuilt = rebuilt
	if s.JournalStore != nil {
		if _, err := s.ClearJournal(ctx); err != nil {
			return restored, err
		}
	}
	return restored, nil
}

// seedDigest names the seeds' content, so that a changed seed file is
// built again.
func (c *StandControl) seedDigest() string {
	h := sha256.New()
	if c.Seeds != nil {
		for _, sd := range c.Seeds() {
			b, _ := json.Marshal(sd)
			h.Write(b)
			io.WriteString(h, "\x00"+sd.dir+"\x00")
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// buildSeedState loads the seeds into a stand apart, where no client sees
// it half made, and keeps a copy of it as @seed.
func (c *StandControl) buildSeedState(ctx context.Context, digest string, now time.Time) error {
	if c.Scratch == nil {
		return stend.Errorf(stend.Invalid, "operator.Reset", "this stand cannot build its seed's state apart")
	}
	started := time.Now()
	scratch, from, done, err := c.Scratch(ctx)
	if err != nil {
		return err
	}
	defer done()
	logger := c.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if c.Seeds != nil {
		for _, sd := range c.Seeds() {
			if err := scratch.LoadSeed(ctx, sd, logger); err != nil {
				return err
			}
		}
	}
	if _, err := c.Store.TakeSnapshot(ctx, seedSnapshot, now, digest, from); err != nil {
		return err
	}
	logger.Info("reset: built the seed's state", "took", time.Since(started).Round(time.Millisecond).String())
	return nil
}

// restore stops jobs on every node, puts the snapshot back in one
// transaction and lets the nodes go on with the data it holds.
func (c *StandControl) restore(ctx context.Context, name string, now func() time.Time) (Restored, error) {
	started := time.Now()
	if _, err := c.Store.FindSnapshot(ctx, name); err != nil {
		return Restored{}, err
	}
	owner := stend.RandomHex(12)
	// The pause is on the stand's clock, which the claims it stops read.
	if err := c.Store.QuiesceStand(ctx, now().Add(quiesceFor), owner); err != nil {
		return Restored{}, err
	}
	if c.Pause != nil {
		c.Pause()
	}
	// A long restore (a full bank put back) keeps its pause from lapsing.
	renewDone := make(chan struct{})
	renewStop := make(chan struct{})
	go func() {
		defer close(renewDone)
		t := time.NewTicker(quiesceFor / 3)
		defer t.Stop()
		for {
			select {
			case <-renewStop:
				return
			case <-t.C:
				if err := c.Store.QuiesceStand(context.WithoutCancel(ctx), now().Add(quiesceFor), owner); err != nil && c.Logger != nil {
					c.Logger.Warn("restore: renewing the pause of jobs", "err", err)
				}
			}
		}
	}()
	defer func() {
		close(renewStop)
		<-renewDone
		// Whatever happened: a pause left behind would stop every job
		// until it lapses. Only this restore's: another may have begun.
		if err := c.Store.EndQuiesce(context.WithoutCancel(ctx), owner); err != nil && c.Logger != nil {
			c.Logger.Warn("restore: ending the pause of jobs; it lapses by itself", "err", err)
		}
		if c.Resume != nil {
			c.Resume()
		}
	}()
	if err := c.waitForJobs(ctx, now); err != nil {
		return Restored{}, err
	}
	snap, generation, err := c.Store.RestoreSnapshot(ctx, name)
	if err != nil {
		return Restored{}, err
	}
	if c.Replaced != nil {
		// The restore holds: what the node makes again after it is
		// retried at its next restore or start, and nodes that follow
		// make it too.
		if err := c.Replaced(ctx, generation); err != nil && c.Logger != nil {
			c.Logger.Warn("restore: after the restore", "err", err)
		}
	}
	return Restored{Snapshot: snap, Generation: generation, Took: time.Since(started).Round(time.Millisecond).String()}, nil
}

// waitForJobs waits until no job holds a live lease, for at most
// jobsStopWait.
func (c *StandControl) waitForJobs(ctx context.Context, now func() time.Time) error {
	deadline := time.Now().Add(jobsStopWait)
	wait := time.Millisecond
	for {
		n, err := c.Store.RunningJobs(ctx, now())
		if err != nil || n == 0 {
			return err
		}
		if time.Now().After(deadline) {
			if c.Logger != nil {
				c.Logger.Warn("restore: jobs still hold leases; restoring anyway (their outcomes will be refused)", "count", n)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 50*time.Millisecond)
	}
}

func (h *HTTP) standRoutes(m *http.ServeMux) {
	m.HandleFunc("POST /operator/v1/stand/reset", func(w http.ResponseWriter, r *http.Request) {
		var in ResetOptions
		if err := decodeOptional(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		out, err := h.svc.Reset(r.Context(), in)
		h.reply(w, r, http.StatusOK, out, err)
	})
	m.HandleFunc("GET /operator/v1/stand/snapshots", func(w http.ResponseWriter, r *http.Request) {
		out, err := h.svc.Snapshots(r.Context())
		h.reply(w, r, http.StatusOK, map[string]any{"snapshots": out}, err)
	})
	m.HandleFunc("POST /operator/v1/stand/snapshots", func(w http.ResponseWriter, r *http.Request) {
		var in SnapshotTake
		if err := decode(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		out, err := h.svc.TakeSnapshot(r.Context(), in)
		h.reply(w, r, http.StatusCreated, out, err)
	})
	m.HandleFunc("POST /operator/v1/stand/snapshots/{name}/restore", func(w http.ResponseWriter, r *http.Request) {
		out, err := h.svc.RestoreSnapshot(r.Context(), r.PathValue("name"))
		h.reply(w, r, http.StatusOK, out, err)
	})
	m.HandleFunc("DELETE /operator/v1/stand/snapshots/{name}", func(w http.ResponseWriter, r *http.Request) {
		h.reply(w, r, http.StatusNoContent, nil, h.svc.DeleteSnapshot(r.Context(), r.PathValue("name")))
	})
}

// decodeOptional is decode for a body that may be left out.
func decodeOptional(w http.ResponseWriter, r *http.Request, v any) error {
	body := bufio.NewReader(http.MaxBytesReader(w, r.Body, maxOperatorBody))
	if _, err := body.Peek(1); errors.Is(err, io.EOF) {
		return nil
	}
	r.Body = io.NopCloser(body)
	return decode(w, r, v)
}
