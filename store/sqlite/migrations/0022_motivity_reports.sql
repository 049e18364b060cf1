-- Motivity reports asked for with create/{type}: built by a job into the
-- blob store (motivity/reports/{id}.json), kept until expires_at.
CREATE TABLE motivity_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    locale      TEXT    NOT NULL,
    -- The request's "filters" as sent (JSON), NULL when none: checked when
    -- the report is built, so that a wrong one is reported in it.
    filters     TEXT,
    state       TEXT    NOT NULL,
    size        INTEGER NOT NULL DEFAULT 0,
    etag        TEXT    NOT NULL DEFAULT '',
    -- Where this build's bytes are: each attempt writes its own object, so that
    -- two runs of one build (a lease lost) never mix their bytes.
    blob_key    TEXT    NOT NULL DEFAULT '',
    error       TEXT    NOT NULL DEFAULT '',
    -- The job that builds it: a report whose job ended without building it
    -- (its node died, or lost its lease, on the last attempt) reads as failed.
    build_job_id INTEGER,
    created_at  INTEGER NOT NULL,
    finished_at INTEGER,
    expires_at  INTEGER
);

-- The points report reads the ledger by time, then ledger order: without
-- this index, ten million entries would be sorted before the first row.
CREATE INDEX motivity_ledger_time ON motivity_ledger (created_at, id);

-- The badges report reads assignments by time.
CREATE INDEX motivity_badge_events_at ON motivity_badge_events (at, id);
