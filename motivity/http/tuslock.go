package http

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	tusd "github.com/tus/tusd/v2/pkg/handler"

	"stend"
)

// tus uploads are locked across nodes: tusd takes an upload's lock for
// every request that reads or writes it (HEAD, PATCH, DELETE), and two
// nodes on one database and one blob store must not both write an upload.
// A lock is a lease in the database (stend.LeaseStore), held while the
// request runs and renewed meanwhile; a node that dies stops renewing, and
// its lease is taken over once it has ended. As in tusd's own lockers, a
// request that wants a held lock asks its holder to stop (tusd then ends
// the holder's request, keeping what it wrote) and waits for it.

const (
	// tusLease is how long a lock outlives its holder's last renewal: how
	// long the uploads a dead node held wait. Renewed every third of it.
	tusLease = 15 * time.Second
	// tusLockWait is how long a request waits for a lock: longer than a
	// lease, so that a dead node's lock is taken over within it.
	tusLockWait = 20 * time.Second
	// tusLockPoll is how often a holder looks whether another node asked
	// for its lock, and a waiter whether the lock is free.
	tusLockPoll = 100 * time.Millisecond
)

// tusLockName is the lease of upload id.
func tusLockName(id string) string { return "tus:" + id }

// tusLocker is tusd's Locker over leases. On one node it also hands locks
// over in memory, at once, as tusd's memory locker does; across nodes the
// database is asked every tusLockPoll.
type tusLocker struct {
	leases stend.LeaseStore
	// clock times leases: the nodes' wall clock (the stand clock's base),
	// which an operator's moves of the stand's time leave alone.
	clock  stend.Clock
	logger *slog.Logger

	mu   sync.Mutex
	held map[string]*tusLock // the locks this node holds, by upload id
}

func newTusLocker(leases stend.LeaseStore, clock stend.Clock, logger *slog.Logger) *tusLocker {
	if sc, ok := clock.(*stend.StandClock); ok {
		clock = sc.Base()
	}
	return &tusLocker{leases: leases, clock: clock, logger: logger, held: map[string]*tusLock{}}
}

func (l *tusLocker) NewLock(id string) (tusd.Lock, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return &tusLock{locker: l, id: id, owner: hex.EncodeToString(b[:])}, nil
}

// tusLock is one request's lock of an upload.
type tusLock struct {
	locker *tusLocker
	id     string
	owner  string // unique to this lock: the lease's owner

	// Set while held.
	requestUnlock func()
	released      chan struct{} // closed by Unlock
	stop          chan struct{} // ends keep
	kept          chan struct{} // closed when keep has ended
}

func (k *tusLock) Lock(ctx context.Context, requestUnlock func()) error {
	l := k.locker
	k.requestUnlock = requestUnlock
	k.released = make(chan struct{})
	// First among this node's requests.
	for {
		l.mu.Lock()
		other, busy := l.held[k.id]
		if !busy {
			l.held[k.id] = k
			l.mu.Unlock()
			break
		}
		l.mu.Unlock()
		other.requestUnlock()
		select {
		case <-ctx.Done():
			return tusd.ErrLockTimeout
		case <-other.released:
		}
	}
	// Then among the nodes.
	name := tusLockName(k.id)
	for {
		now := l.clock.Now()
		took, err := l.leases.TakeLease(ctx, name, k.owner, now, now.Add(tusLease))
		if err == nil && took {
			break
		}
		if err == nil {
			// The holder looks at this within tusLockPoll and stops.
			err = l.leases.WantLease(ctx, name)
		}
		if err == nil || ctx.Err() != nil {
			select {
			case <-ctx.Done():
				k.forget()
				return tusd.ErrLockTimeout
			case <-time.After(tusLockPoll):
				continue
			}
		}
		k.forget()
		return err
	}
	k.stop, k.kept = make(chan struct{}), make(chan struct{})
	go k.keep(l.clock.Now().Add(tusLease))
	return nil
}

// keep renews the lease while the lock is held, and asks the request
// holding it to stop when another node wants it or it was lost (the
// lease ended unrenewed, a database that failed for as long, and another
// took it).
func (k *tusLock) keep(until time.Time) {
	defer close(k.kept)
	l := k.locker
	name := tusLockName(k.id)
	ctx := context.Background()
	tick := time.NewTicker(tusLockPoll)
	defer tick.Stop()
	asked := false
	stop := func() {
		if !asked {
			asked = true
			k.requestUnlock()
		}
	}
	for {
		select {
		case <-k.stop:
			return
		case <-tick.C:
		}
		now := l.clock.Now()
		var lease stend.Lease
		var err error
		if now.After(until.Add(-tusLease * 2 / 3)) {
			if lease, err = l.leases.RenewLease(ctx, name, k.owner, now.Add(tusLease)); err == nil {
				until = lease.Until
			}
		} else {
			lease, err = l.leases.Lease(ctx, name)
		}
		switch {
		case stend.IsKind(err, stend.NotFound) || err == nil && lease.Owner != k.owner:
			l.logger.Warn("tus: an upload's lock was lost", "upload", k.id)
			stop()
			return
		case err != nil:
			if !now.Before(until) {
				l.logger.Warn("tus: an upload's lock could not be renewed", "upload", k.id, "err", err)
				stop()
			}
		case lease.Wanted:
			stop()
		}
	}
}

func (k *tusLock) Unlock() error {
	close(k.stop)
	<-k.kept
	// Not the request's context: it may have ended, and the lease must
	// end now rather than when it runs out.
	ctx, cancel := context.WithTimeout(context.Background(), tusLockWait)
	defer cancel()
	err := k.locker.leases.ReleaseLease(ctx, tusLockName(k.id), k.owner)
	if err != nil {
		k.locker.logger.Warn("tus: an upload's lock was not released; it ends with its lease", "upload", k.id, "err", err)
	}
	k.forget()
	return nil
}

// forget lets this node's next request for the upload have it.
func (k *tusLock) forget() {
	k.locker.mu.Lock()
	delete(k.locker.held, k.id)
	k.locker.mu.Unlock()
	close(k.released)
}
