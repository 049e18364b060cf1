-- Reset and named snapshots of the whole stand (issue 19, docs/stand.md).
-- A snapshot is a copy of every data table, kept in this database as
-- snap_<id>_<table>, so that a restore is one transaction here.
-- stand_state is what every node follows: generation moves with each
-- restore (a node then forgets what it cached of the data), and while
-- quiesced_until (the stand's clock, unix milliseconds) is ahead, no node claims
-- jobs, so a restore never lands in the middle of one; quiesced_by is the
-- restore that set it, which alone may end it.
CREATE TABLE stand_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    generation     INTEGER NOT NULL,
    quiesced_until INTEGER NOT NULL,
    quiesced_by    TEXT    NOT NULL
);
INSERT INTO stand_state (id, generation, quiesced_until, quiesced_by) VALUES (1, 0, 0, '');

-- version names the content of the FSSP bank's tables, which only bank
-- loads write: each load gives it a new random value, a restore the
-- snapshot's, so a restore whose snapshot holds the same bank leaves those
-- (the largest) tables be. A row of its own: a load holds it for as long
-- as it runs, which must not hold up the claims of jobs (stand_state). A
-- bank loaded before this migration gets a version of its own: '' is the
-- empty bank of a new stand.
CREATE TABLE stand_bank (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT    NOT NULL
);
INSERT INTO stand_bank (id, version)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM fssp_proceedings) THEN lower(hex(randomblob(12))) ELSE '' END;

CREATE TABLE stand_snapshots (
    -- AUTOINCREMENT: a deleted snapshot's id, which names its tables, is
    -- never given to another.
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL UNIQUE,
    taken_at       INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    tables         TEXT    NOT NULL, -- JSON array, in the order rows are put back
    row_count      INTEGER NOT NULL,
    digest         TEXT    NOT NULL, -- the seed's, for the reset's snapshot
    bank_version   TEXT    NOT NULL
);

-- The blobs a snapshot's files name: the file sweep and file deletions keep
-- them while the snapshot exists, so that a restore brings back the bytes.
CREATE TABLE stand_snapshot_blobs (
    blob_key    TEXT    NOT NULL,
    snapshot_id INTEGER NOT NULL,
    PRIMARY KEY (blob_key, snapshot_id)
);
