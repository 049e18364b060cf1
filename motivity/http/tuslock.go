package http

import (
	"context"
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
// its lease is taken over once it has ended; a live node that cannot renew
// (its database fails or stops answering) asks its request to stop a
// third of a lease before the lease ends, so that it has stopped writing
// when another node may take over. As in tusd's own lockers, a request
// that wants a held lock asks its holder to stop (tusd then ends the
// holder's request, keeping what it wrote) and waits for it.

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
	return &tusLock{locker: l, id: id, owner: stend.RandomHex(16)}, nil
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
		// The holder's lease ends at the time sent, not at one read after
		// the call returns: a slow call would have the holder believe it
		// holds the lock longer than the other nodes do.
		now := l.clock.Now()
		until := now.Add(tusLease)
		took, err := l.leases.TakeLease(ctx, name, k.owner, now, until)
		if err == nil && took {
			k.stop, k.kept = make(chan struct{}), make(chan struct{})
			go k.keep(until)
			return nil
		}
		if err != nil {
			// The take may have committed though its answer was lost (the
			// request's context ended meanwhile): the row, if it is this
			// lock's, would keep every node out until the lease ends.
			k.release()
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
}

// tusRenewMargin is how long before its lease ends a holder that could not
// renew it is asked to stop: the other nodes take the lock over once the
// lease has ended by their clocks, and the holder must have stopped
// writing by then, with time to spare for its request to end and for
// clocks that differ a little.
const tusRenewMargin = tusLease / 3

// tusLeaseCall is what one of keep's database calls answers.
type tusLeaseCall struct {
	lease stend.Lease
	err   error
	renew bool
	until time.Time // the lease's end sent with a renewal
}

// keep renews the lease while the lock is held, and asks the request
// holding it to stop when another node wants it, when it was lost (another
// took it), or when no renewal has succeeded by tusRenewMargin before the
// lease ends. Its database calls run beside it, each with a deadline, so
// that a call that hangs (a database gone behind a partition) neither keeps
// it from asking the holder to stop in time nor keeps Unlock waiting.
func (k *tusLock) keep(until time.Time) {
	defer close(k.kept)
	l := k.locker
	name := tusLockName(k.id)
	tick := time.NewTicker(tusLockPoll)
	defer tick.Stop()
	asked := false
	stop := func() {
		if !asked {
			asked = true
			k.requestUnlock()
		}
	}
	var (
		calls  chan tusLeaseCall // the call in flight answers here; nil when none is
		cancel context.CancelFunc
		failed int // renewals failed since the last that succeeded
	)
	defer func() {
		if cancel != nil {
			cancel() // a call in flight is left to end on its own
		}
	}()
	for {
		select {
		case <-k.stop:
			return
		case c := <-calls:
			cancel()
			calls, cancel = nil, nil
			switch {
			case stend.IsKind(c.err, stend.NotFound) || c.err == nil && c.lease.Owner != k.owner:
				l.logger.Warn("tus: an upload's lock was lost", "upload", k.id)
				stop()
				return
			case c.err != nil && c.renew:
				failed++
				if failed == 1 {
					l.logger.Warn("tus: an upload's lock could not be renewed; trying again", "upload", k.id, "until", until, "err", c.err)
				}
			case c.err == nil && c.renew:
				until, failed = c.until, 0
			}
			if c.err == nil && c.lease.Wanted {
				stop()
			}
			continue
		case <-tick.C:
		}
		now := l.clock.Now()
		if !now.Before(until.Add(-tusRenewMargin)) && !asked {
			l.logger.Warn("tus: an upload's lock was not renewed in time; its request is asked to stop",
				"upload", k.id, "until", until, "failed_renewals", failed)
			stop()
		}
		if calls != nil {
			continue // one call at a time
		}
		// The call's deadline is the margin's; once that has passed (the
		// holder was asked to stop and renews only while it stops), each
		// call has a margin's time of its own.
		deadline := until.Add(-tusRenewMargin)
		if !now.Before(deadline) {
			deadline = now.Add(tusRenewMargin)
		}
		calls, cancel = k.call(name, now, until, deadline.Sub(now))
	}
}

// call starts keep's next database call, which answers on the channel
// within timeout: a renewal when one is due, else a look at the lease.
func (k *tusLock) call(name string, now, until time.Time, timeout time.Duration) (chan tusLeaseCall, context.CancelFunc) {
	l := k.locker
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	done := make(chan tusLeaseCall, 1)
	go func() {
		var c tusLeaseCall
		if now.After(until.Add(-tusLease * 2 / 3)) {
			c.renew, c.until = true, now.Add(tusLease)
			c.lease, c.err = l.leases.RenewLease(ctx, name, k.owner, c.until)
		} else {
			c.lease, c.err = l.leases.Lease(ctx, name)
		}
		done <- c
	}()
	return done, cancel
}

func (k *tusLock) Unlock() error {
	close(k.stop)
	<-k.kept
	k.release()
	k.forget()
	return nil
}

// release deletes this lock's lease row, if it is this lock's, so that it
// ends now rather than when it runs out. Not with the request's context: it
// may have ended. A database that does not answer within a margin's time
// is left be: the row then ends with its lease.
func (k *tusLock) release() {
	ctx, cancel := context.WithTimeout(context.Background(), tusRenewMargin)
	defer cancel()
	err := k.locker.leases.ReleaseLease(ctx, tusLockName(k.id), k.owner)
	if err != nil {
		k.locker.logger.Warn("tus: an upload's lock was not released; it ends with its lease", "upload", k.id, "err", err)
	}
}

// forget lets this node's next request for the upload have it.
func (k *tusLock) forget() {
	k.locker.mu.Lock()
	delete(k.locker.held, k.id)
	k.locker.mu.Unlock()
	close(k.released)
}
