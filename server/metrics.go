package server

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"stend/store/sqlstore"
)

// The node's metrics beyond HTTP: the job queue (what waits and runs, by
// kind: FSSP searches are fssp.task, Reestro checks reestro.check), how
// jobs end and how long they wait and run, and the database pools.

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
// scraped: one query over the queue's partial indexes.
type queueCollector struct {
	store *sqlstore.DB
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
	for _, q := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(q.Count), q.Kind, string(q.State))
	}
}

// registerNodeMetrics adds the queue, the pools and the jobs' outcomes to
// the node's registry, and answers the runner's observer.
func registerNodeMetrics(reg prometheus.Registerer, store *sqlstore.DB) func(kind, outcome string, waited, ran time.Duration) {
	reg.MustRegister(queueCollector{store: store, desc: prometheus.NewDesc("stend_jobs", "Jobs waiting (available) and running, by kind.", []string{"kind", "state"}, nil)})
	if store.ReadDB() == store.WriteDB() {
		// PostgreSQL: one pool for both.
		reg.MustRegister(collectors.NewDBStatsCollector(store.ReadDB(), "pool"))
	} else {
		reg.MustRegister(collectors.NewDBStatsCollector(store.ReadDB(), "read"), collectors.NewDBStatsCollector(store.WriteDB(), "write"))
	}
	return newJobMetrics(reg).observe
}
