-- Reestro realty checks: organizations, API keys and their grants, subjects
-- and checks. Times are unix microseconds, as in 0001. GUIDs are lower-case
-- text: SQLite has no uuid type, and the API compares them canonicalized.

CREATE TABLE reestro_organizations (
    ref        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE reestro_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    key_hash   BLOB    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE reestro_grants (
    key_id  INTEGER NOT NULL REFERENCES reestro_keys (id),
    org_ref INTEGER NOT NULL REFERENCES reestro_organizations (ref),
    PRIMARY KEY (key_id, org_ref)
) WITHOUT ROWID;

CREATE TABLE reestro_subjects (
    ref         INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    org_ref     INTEGER NOT NULL REFERENCES reestro_organizations (ref),
    person      TEXT    NOT NULL, -- the person as JSON: nothing queries inside it
    created_at  INTEGER NOT NULL
);

-- seq is the rowid: creation order, the tie-breaker of equal creation times
-- in the keyset (created_at, seq). Each listing filter has an index that
-- starts with it, so that a page costs the same at any depth.
CREATE TABLE reestro_checks (
    seq            INTEGER PRIMARY KEY,
    id             TEXT    NOT NULL UNIQUE,
    org_ref        INTEGER NOT NULL REFERENCES reestro_organizations (ref),
    subject_id     TEXT    NOT NULL,
    correlation_id TEXT,
    external_id    TEXT,
    type           INTEGER NOT NULL,
    state          INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    regions        text    NOT NULL, -- region codes joined by commas: digits only, no JSON needed
    fssp_tasks     text,     -- FSSP task ids being collected, joined by commas
    result         BLOB,
    failure        TEXT,
    job_id         INTEGER
);
CREATE INDEX reestro_checks_org ON reestro_checks (org_ref, created_at, seq);
CREATE INDEX reestro_checks_subject ON reestro_checks (org_ref, subject_id, created_at, seq);
CREATE INDEX reestro_checks_correlation ON reestro_checks (org_ref, correlation_id, created_at, seq) WHERE correlation_id IS NOT NULL;
CREATE INDEX reestro_checks_external ON reestro_checks (org_ref, external_id, created_at, seq) WHERE external_id IS NOT NULL;
CREATE INDEX reestro_checks_state ON reestro_checks (org_ref, state, created_at, seq);
CREATE INDEX reestro_checks_processing ON reestro_checks (created_at) WHERE state = 1;
