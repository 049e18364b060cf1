package server

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stend"
	"stend/fssp"
	"stend/journal"
	"stend/reestro"
	"stend/store/sqlstore"
)

// The node's metrics beyond HTTP: the job queue (what waits and runs, by
// kind: FSSP searches are fssp.task, Reestro checks reestro.check), how
// jobs end and how long they wait and run, the FSSP tasks and Reestro
// checks by state, the journal's losses, and the database pools.

type jobMetrics struct {
	runs *prometheus.CounterVec
	wait *prometheus.HistogramVec
	run  *prometheus.HistogramVec
}

var jobBuckets = []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}

func newJobMetrics(reg prometheus.Registerer) *jobMetrics {
	m := &jobMetrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "stend_job_runs_total",
			Help: "Job runs by kind and outcome (completed, retried, snoozed, discarded, released).",
		}, []string{"kind", "outcome"}),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stend_job_wait_seconds", Help: "How long a job waited past its due time before it ran, by kind.", Buckets: jobBuckets,
		}, []string{"kind"}),
		run: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "stend_job_run_seconds", Help: "How long a job ran, by kind.", Buckets: jobBuckets,
		}, []string{"kind"}),
	}
	reg.MustRegister(m.runs, m.wait, m.run)
	return m
}

func (m *jobMetrics) observe(kind, outcome string, waited, ran time.Duration) {
	m.runs.WithLabelValues(kind, outcome).Inc()
	m.wait.WithLabelValues(kind).Observe(waited.Seconds())
	m.run.WithLabelValues(kind).Observe(ran.Seconds())
}

// queueCollector counts the jobs waiting and running, by kind, when
// scraped: one query over the queue's partial indexes. Every kind this
// node runs has both states, at 0 when none is there, so that an alert on
// a series finds it before the first job.
type queueCollector struct {
	store *sqlstore.DB
	kinds func() []string
	desc  *prometheus.Desc
}

func (c queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.store.QueuedJobs(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	type series struct {
		kind  string
		state stend.JobState
	}
	// Kinds only other nodes run come from the queue.
	values := map[series]int64{}
	for _, kind := range c.kinds() {
		values[series{kind, stend.JobAvailable}], values[series{kind, stend.JobRunning}] = 0, 0
	}
	for _, q := range counts {
		values[series{q.Kind, q.State}] = q.Count
	}
	for s, n := range values {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), s.kind, string(s.state))
	}
}

// stateCollector counts, when scraped, what is in each state of one kind
// of work (the FSSP tasks kept, the Reestro checks), every state shown at 0
// too, and the age on the stand's clock of the oldest unfinished one (0
// when none is): one query, grouped by state.
type stateCollector struct {
	query func(context.Context) ([]sqlstore.StateCount, error)
	// seldom, when set, adds states whose count costs a scan of all that
	// was ever made: read again when the quick query's answer changed (a
	// check left Processing) or after seldomEvery, else answered from the
	// last reading.
	seldom     *seldomQuery
	states     map[int]string // stored state → label
	unfinished []int
	clock      stend.Clock
	count, age *prometheus.Desc
}

// seldomEvery is how long a seldom query's counts are answered again.
const seldomEvery = time.Minute

type seldomQuery struct {
	query  func(context.Context) ([]sqlstore.StateCount, error)
	mu     sync.Mutex
	read   time.Time // real time of the last reading; zero: never
	after  string    // the quick answer it was read after
	counts []sqlstore.StateCount
}

func (q *seldomQuery) get(ctx context.Context, quick []sqlstore.StateCount) ([]sqlstore.StateCount, error) {
	after := fmt.Sprint(quick)
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.read.IsZero() && time.Since(q.read) < seldomEvery && after == q.after {
		return q.counts, nil
	}
	counts, err := q.query(ctx)
	if err != nil {
		return nil, err
	}
	q.counts, q.read, q.after = counts, time.Now(), after
	return counts, nil
}

func (c stateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.count; ch <- c.age }

func (c stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.query(ctx)
	if err == nil && c.seldom != nil {
		var more []sqlstore.StateCount
		more, err = c.seldom.get(ctx, counts)
		counts = append(counts, more...)
	}
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.count, err)
		ch <- prometheus.NewInvalidMetric(c.age, err)
		return
	}
	byState := map[int]int64{}
	var oldest time.Time
	for _, sc := range counts {
		byState[sc.State] = sc.Count
		if slices.Contains(c.unfinished, sc.State) && (oldest.IsZero() || sc.Oldest.Before(oldest)) {
			oldest = sc.Oldest
		}
	}
	for state, label := range c.states {
		ch <- prometheus.MustNewConstMetric(c.count, prometheus.GaugeValue, float64(byState[state]), label)
	}
	age := 0.0
	if !oldest.IsZero() {
		age = max(c.clock.Now().Sub(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}

// registerNodeMetrics adds the queue (kinds are those the node runs), the
// FSSP tasks and Reestro checks, the pools and the jobs' outcomes to the
// node's registry, and answers the runner's observer.
func registerNodeMetrics(reg prometheus.Registerer, store *sqlstore.DB, clock stend.Clock, kinds func() []string) func(kind, outcome string, waited, ran time.Duration) {
	reg.MustRegister(queueCollector{store: store, kinds: kinds, desc: prometheus.NewDesc("stend_jobs", "Jobs waiting (available) and running, by kind.", []string{"kind", "state"}, nil)})
	reg.MustRegister(stateCollector{
		query: store.FSSPTaskStates, clock: clock,
		states:     map[int]string{fssp.TaskDone: "done", fssp.TaskRunning: "running", fssp.TaskQueued: "queued", fssp.TaskDoneErrors: "done_with_errors"},
		unfinished: []int{fssp.TaskRunning, fssp.TaskQueued},
		count:      prometheus.NewDesc("stend_fssp_tasks", "FSSP tasks kept (a task is kept for 24 hours from its submission), by state.", []string{"state"}, nil),
		age:        prometheus.NewDesc("stend_fssp_task_oldest_unfinished_seconds", "Age on the stand's clock of the oldest FSSP task queued or running; 0 when there is none.", nil, nil),
	}, stateCollector{
		query: store.ReestroProcessingChecks, seldom: &seldomQuery{query: store.ReestroFinishedChecks}, clock: clock,
		states:     map[int]string{int(reestro.CheckProcessing): "processing", int(reestro.CheckProcessed): "processed", int(reestro.CheckFailed): "failed"},
		unfinished: []int{int(reestro.CheckProcessing)},
		count:      prometheus.NewDesc("stend_reestro_checks", "Reestro checks, by state (processed and failed read at most once a minute).", []string{"state"}, nil),
		age:        prometheus.NewDesc("stend_reestro_check_oldest_processing_seconds", "Age on the stand's clock of the oldest Reestro check in Processing; 0 when there is none.", nil, nil),
	})
	if store.ReadDB() == store.WriteDB() {
		// PostgreSQL: one pool for both.
		reg.MustRegister(collectors.NewDBStatsCollector(store.ReadDB(), "pool"))
	} else {
		reg.MustRegister(collectors.NewDBStatsCollector(store.ReadDB(), "read"), collectors.NewDBStatsCollector(store.WriteDB(), "write"))
	}
	return newJobMetrics(reg).observe
}

// registerJournalMetrics counts the entries the journal's writer dropped
// because the database did not keep up: requests answered but not
// recorded.
func registerJournalMetrics(reg prometheus.Registerer, w *journal.Writer) {
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "stend_journal_dropped_total",
		Help: "Journal entries dropped because the database did not take them as fast as requests came.",
	}, func() float64 { return float64(w.Dropped()) }))
}
