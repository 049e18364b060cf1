-- Faults on request (package fault): rules that fail matching requests, kept
-- here so that every node applies them and counts them together.
-- faults_version moves with every change of the rules, so that a node reads
-- them again only then. seed is the rule's uint64 seed, stored as its bits.
CREATE TABLE faults (
    -- AUTOINCREMENT: a cleared rule's id is never given to another, which the
    -- journal's entries still name.
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL UNIQUE,
    api           TEXT    NOT NULL,
    method        TEXT    NOT NULL,
    path          TEXT    NOT NULL,
    field         TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    latency_ms    INTEGER NOT NULL,
    cut           INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    message       TEXT    NOT NULL,
    retry_after_s INTEGER NOT NULL,
    times         INTEGER NOT NULL,
    probability   REAL    NOT NULL,
    seed          INTEGER NOT NULL,
    matched       INTEGER NOT NULL,
    injected      INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE TABLE faults_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO faults_version (id, version) VALUES (1, 0);

-- The fault rule that failed a journalled request (0: none).
ALTER TABLE journal ADD COLUMN fault INTEGER NOT NULL DEFAULT 0;
