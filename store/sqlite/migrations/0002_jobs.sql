-- The durable job queue (see job/ and stend.JobQueue). Times are unix
-- microseconds, as in 0001.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    args         BLOB    NOT NULL,
    state        TEXT    NOT NULL,
    attempt      INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    finalized_at INTEGER,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT
);
-- Partial indexes keep the claim and reclaim scans proportional to the
-- work waiting, not to the history kept until pruning.
CREATE INDEX jobs_available ON jobs (run_at, id) WHERE state = 'available';
CREATE INDEX jobs_running ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_finalized ON jobs (finalized_at) WHERE state IN ('completed', 'discarded');
