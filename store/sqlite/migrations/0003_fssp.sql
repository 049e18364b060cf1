-- FSSP data bank API: tokens, tasks and the bank of proceedings. Times are
-- unix microseconds as in 0001; calendar days of the bank are INTEGER
-- yyyymmdd (0 = unknown), a quarter of the size of text over tens of
-- millions of rows.

CREATE TABLE fssp_tokens (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL,
    token_hash      BLOB    NOT NULL UNIQUE,
    issued_at       INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    revoked_at      INTEGER,
    single_per_hour INTEGER NOT NULL,
    single_per_day  INTEGER NOT NULL,
    group_per_day   INTEGER NOT NULL
);

-- Tasks and results are rowid tables: their rows carry JSON of up to tens of
-- kilobytes, which a WITHOUT ROWID table stores poorly (a result insert
-- was a sixth of a search's time).
CREATE TABLE fssp_tasks (
    id          TEXT    NOT NULL UNIQUE,
    token_id    INTEGER NOT NULL REFERENCES fssp_tokens (id),
    class       INTEGER NOT NULL,
    requests    BLOB    NOT NULL, -- JSON array of {type, params}
    n           INTEGER NOT NULL,
    state       INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER,
    job_id      INTEGER -- the job that runs it: a task whose job was discarded is failed by the sweep
);
-- The rate windows count a token's tasks of one class since an instant; the
-- same index serves the operators' listing by token.
CREATE INDEX fssp_tasks_token ON fssp_tasks (token_id, class, created_at);
CREATE INDEX fssp_tasks_created ON fssp_tasks (created_at);
CREATE INDEX fssp_tasks_unfinished ON fssp_tasks (job_id) WHERE state IN (1, 2);

CREATE TABLE fssp_task_results (
    task_id TEXT    NOT NULL REFERENCES fssp_tasks (id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,
    failed  INTEGER NOT NULL,
    body    BLOB    NOT NULL, -- the sub-result as /result shows it
    UNIQUE (task_id, idx)
);

-- Texts that repeat across millions of proceedings (subjects, document
-- types, issuing bodies, birth places) are stored once.
CREATE TABLE fssp_texts (
    id   INTEGER PRIMARY KEY,
    text TEXT    NOT NULL UNIQUE
);

CREATE TABLE fssp_departments (
    id           INTEGER PRIMARY KEY, -- the full department number
    name         TEXT    NOT NULL,
    postal_index TEXT    NOT NULL,
    address      TEXT    NOT NULL
);

CREATE TABLE fssp_bailiffs (
    id            INTEGER PRIMARY KEY,
    department_id INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    UNIQUE (department_id, name, phone)
);

-- One row per legal entity (region, name, address), however many
-- proceedings name it, so that its trigrams are indexed once.
CREATE TABLE fssp_legal (
    id        INTEGER PRIMARY KEY,
    region    INTEGER NOT NULL,
    name      TEXT    NOT NULL,
    address   TEXT    NOT NULL,
    legal_key INTEGER NOT NULL UNIQUE
);

-- The fragment index: each distinct trigram of an entity's normalized name,
-- by region. A query walks the rarest trigram of its fragment in entity
-- order and stops at the item cap, so a common fragment ends early and a
-- rare one reads little.
CREATE TABLE fssp_legal_trigrams (
    region   INTEGER NOT NULL,
    trigram  INTEGER NOT NULL,
    legal_id INTEGER NOT NULL,
    PRIMARY KEY (region, trigram, legal_id)
) WITHOUT ROWID;

CREATE TABLE fssp_proceedings (
    id             INTEGER PRIMARY KEY,
    kind           INTEGER NOT NULL,
    region         INTEGER NOT NULL,
    person_key     INTEGER, -- stend.PersonKey, persons only
    patronymic_key INTEGER, -- stend.NameKey of the patronymic, 0 when none
    legal_id       INTEGER, -- fssp_legal, legal entities only
    last_name      TEXT,
    first_name     TEXT,
    patronymic     TEXT,
    birth_date     INTEGER NOT NULL,
    birth_place_id INTEGER,
    number_key     INTEGER NOT NULL, -- stend.NumberKey
    number_own     INTEGER NOT NULL,
    number_year    INTEGER NOT NULL,
    department_id  INTEGER NOT NULL,
    opened         INTEGER NOT NULL,
    joined         INTEGER NOT NULL,
    doc_type_id    INTEGER,
    doc_date       INTEGER NOT NULL,
    doc_number     TEXT    NOT NULL,
    doc_issuer_id  INTEGER,
    subject_id     INTEGER,
    amount         INTEGER NOT NULL,
    fee            INTEGER NOT NULL,
    bailiff_id     INTEGER NOT NULL,
    end_date       INTEGER,
    end_article    INTEGER,
    end_part       INTEGER,
    end_point      INTEGER
);
-- The person and number indexes hold what their searches filter on, so that
-- the candidates are chosen in the index and only the proceedings answered
-- are read from the table (a page read each, which at 10 million rows was
-- most of a search's time).
CREATE INDEX fssp_proceedings_person ON fssp_proceedings (person_key, patronymic_key, birth_date) WHERE person_key IS NOT NULL;
CREATE INDEX fssp_proceedings_legal ON fssp_proceedings (legal_id) WHERE legal_id IS NOT NULL;
CREATE INDEX fssp_proceedings_number ON fssp_proceedings (number_key, department_id);
-- Fragments shorter than a trigram walk a region's entities in order.
CREATE INDEX fssp_legal_region ON fssp_legal (region, id);
