-- The request journal (package journal): what clients sent to the four APIs
-- and what they were answered, secrets masked. body_json holds the body
-- again when it is JSON, so that a query can match a member of it
-- (json_extract); times are unix microseconds, as everywhere here.
CREATE TABLE journal (
    -- AUTOINCREMENT: ids are never reused after a clear, so that an afterId
    -- cursor and the journal's fault ids keep meaning what they meant.
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    request_id  TEXT    NOT NULL,
    api         TEXT    NOT NULL,
    route       TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    query       TEXT    NOT NULL,
    headers     TEXT    NOT NULL,
    credential  TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    body_json   TEXT,
    body_size   INTEGER NOT NULL,
    status      INTEGER NOT NULL,
    answer      TEXT    NOT NULL,
    answer_size INTEGER NOT NULL,
    duration_us INTEGER NOT NULL,
    reason      TEXT    NOT NULL
);
CREATE INDEX journal_api ON journal (api, id);
