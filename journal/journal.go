// Package journal records what clients sent to the four published APIs and
// what they were answered, so that integrators' tests can assert on it
// ("exactly one report for area 101 was sent") and people can see why a
// request was refused. Secrets never reach it: credentials are masked in
// headers, query and body, and an entry names the credential used (an FSSP
// token's name, an organization's username), never its value.
//
// Entries are written by a Writer in the background, in batches, so that a
// request does not wait for its entry; the journal keeps the newest entries
// up to a bound. A deployment that wants none turns it off (--journal=false):
// then nothing of it runs.
package journal

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Entry is one request and its answer.
type Entry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	RequestID  string    `json:"requestId"`
	API        string    `json:"api"`
	Route      string    `json:"route"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Query      string    `json:"query"`   // masked
	Headers    string    `json:"headers"` // JSON object, masked
	Credential string    `json:"credential"`
	Body       string    `json:"body"` // masked, at most the journal's body bound
	BodySize   int64     `json:"bodySize"`
	Status     int       `json:"status"`
	Answer     string    `json:"answer"` // at most the journal's body bound
	AnswerSize int64     `json:"answerSize"`
	DurationUS int64     `json:"durationUs"`
	Reason     string    `json:"reason,omitempty"` // why a request was refused: the API's message
	// Fault is the fault rule that failed the request (0: none); a cut
	// connection has status 0.
	Fault      int64 `json:"fault,omitempty"`
	BodyIsJSON bool  `json:"-"`
}

// Filter selects entries; zero fields select all. Field and Value match a
// member of a JSON body by its path ("examinationAreaId",
// "requests.0.examDate"), compared as text.
type Filter struct {
	API   string
	Route string
	// Path is the request's path exactly: a request failed by a rule
	// without a credential has only its API's prefix as route (the API's
	// router never saw it), so the path is how a test finds it.
	Path       string
	Status     int
	Credential string
	Since      time.Time
	Until      time.Time
	Field      string
	Value      string
	AfterID    int64
	Limit      int
}

// Store keeps entries. Appends come in batches from one Writer per node.
type Store interface {
	AppendJournal(ctx context.Context, entries []Entry) error
	Journal(ctx context.Context, f Filter) ([]Entry, error)
	CountJournal(ctx context.Context, f Filter) (int64, error)
	ClearJournal(ctx context.Context) (int64, error)
	// PruneJournal keeps the newest keep entries.
	PruneJournal(ctx context.Context, keep int64) error
}

// Writer writes entries in the background: a request hands its entry over
// and goes on. When entries come faster than the store takes them, the
// queue's bound drops the newest and counts them (Dropped), rather than
// slowing the APIs.
type Writer struct {
	store  Store
	keep   int64
	linger time.Duration
	logger *slog.Logger
	queue  chan writeItem

	mu      sync.Mutex
	dropped int64
	written int64 // since the last prune

	stop    chan struct{}
	stopped chan struct{}

	// Requests in flight (begin), each with a channel closed when its
	// entry is queued: Flush waits for those that began before it.
	fmu      sync.Mutex
	nextReq  uint64
	inFlight map[uint64]chan struct{}
}

// writeItem is an entry, or a flush request (done set) answered once every
// entry queued before it is written.
type writeItem struct {
	entry Entry
	done  chan struct{}
}

// Bounds of the writer: a batch per commit, how long a batch waits for more
// entries (other nodes see an entry this much later; Flush does not wait),
// the queue between requests and the store, how often it prunes.
const (
	maxBatch   = 256
	linger     = 10 * time.Millisecond
	queueSize  = 8192
	pruneEvery = 1000
)

// NewWriter starts a writer into store that keeps the newest keep entries.
func NewWriter(store Store, keep int64, logger *slog.Logger) *Writer {
	return newWriter(store, keep, linger, logger)
}

func newWriter(store Store, keep int64, linger time.Duration, logger *slog.Logger) *Writer {
	w := &Writer{store: store, keep: keep, linger: linger, logger: logger, queue: make(chan writeItem, queueSize),
		stop: make(chan struct{}), stopped: make(chan struct{}), inFlight: map[uint64]chan struct{}{}}
	go w.loop()
	return w
}

// Add queues e; it never blocks.
func (w *Writer) Add(e Entry) {
	select {
	case w.queue <- writeItem{entry: e}:
	default:
		w.mu.Lock()
		w.dropped++
		w.mu.Unlock()
	}
}

// Dropped is how many entries the queue's bound dropped.
func (w *Writer) Dropped() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dropped
}

// begin marks a request in flight; end ends it, once the request's entry
// is queued (or it has none).
func (w *Writer) begin() (id uint64, end func()) {
	done := make(chan struct{})
	w.fmu.Lock()
	w.nextReq++
	id = w.nextReq
	w.inFlight[id] = done
	w.fmu.Unlock()
	return id, func() {
		w.fmu.Lock()
		delete(w.inFlight, id)
		w.fmu.Unlock()
		close(done)
	}
}

type requestKey struct{}

// Flush waits for the requests in flight when it is called to queue their
// entries (all but the one calling it, when ctx is a request's), then until
// every entry queued is written: an operator reading the journal right after
// a request sees it, even when the client had its answer before the request
// was done (an answer flushed as it was written, a cut connection).
func (w *Writer) Flush(ctx context.Context) error {
	own, _ := ctx.Value(requestKey{}).(uint64)
	w.fmu.Lock()
	pending := make([]chan struct{}, 0, len(w.inFlight))
	for id, ch := range w.inFlight {
		if id != own {
			pending = append(pending, ch)
		}
	}
	w.fmu.Unlock()
	for _, ch := range pending {
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	done := make(chan struct{})
	select {
	case w.queue <- writeItem{done: done}:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stopped:
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stopped:
		return nil
	}
}

// Close writes what is queued and stops.
func (w *Writer) Close() {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.stopped
}

func (w *Writer) loop() {
	defer close(w.stopped)
	batch := make([]Entry, 0, maxBatch)
	var waiting []chan struct{}
	lingered := time.NewTimer(w.linger)
	lingered.Stop()
	for {
		select {
		case it := <-w.queue:
			w.take(it, &batch, &waiting)
		case <-w.stop:
			for {
				select {
				case it := <-w.queue:
					w.take(it, &batch, &waiting)
					continue
				default:
				}
				break
			}
			w.write(batch, waiting)
			return
		}
		// Take what is queued and what comes within linger, up to a batch,
		// unless a flush waits: a batch's statement and commit cost about
		// what its rows do, and a batch taken as soon as one entry was
		// queued held 3 of them at a thousand searches a second.
		lingered.Reset(w.linger)
	gather:
		for len(batch) < maxBatch && len(waiting) == 0 {
			select {
			case it := <-w.queue:
				w.take(it, &batch, &waiting)
			case <-lingered.C:
				break gather
			case <-w.stop:
				break gather
			}
		}
		lingered.Stop()
		w.write(batch, waiting)
		batch, waiting = batch[:0], waiting[:0]
	}
}

func (w *Writer) take(it writeItem, batch *[]Entry, waiting *[]chan struct{}) {
	if it.done != nil {
		*waiting = append(*waiting, it.done)
		return
	}
	*batch = append(*batch, it.entry)
}

func (w *Writer) write(batch []Entry, waiting []chan struct{}) {
	if len(batch) > 0 {
		// The requests are answered already: their entries are written
		// on a context of their own, bounded.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := w.store.AppendJournal(ctx, batch); err != nil && len(batch) > 1 {
			// One entry the store refuses must not lose the others: one
			// by one.
			for i := range batch {
				if err := w.store.AppendJournal(ctx, batch[i:i+1]); err != nil {
					w.logger.Error("journal: an entry lost", "api", batch[i].API, "path", batch[i].Path, "err", err)
				}
			}
		} else if err != nil {
			w.logger.Error("journal: an entry lost", "api", batch[0].API, "path", batch[0].Path, "err", err)
		}
		w.written += int64(len(batch))
		// Every thousand entries, or every tenth of what is kept when
		// that is less, so that the journal never holds much beyond it.
		if w.keep > 0 && w.written >= max(1, min(pruneEvery, w.keep/10)) {
			w.written = 0
			if err := w.store.PruneJournal(ctx, w.keep); err != nil {
				w.logger.Error("journal: prune", "err", err)
			}
		}
		cancel()
	}
	for _, done := range waiting {
		close(done)
	}
}
