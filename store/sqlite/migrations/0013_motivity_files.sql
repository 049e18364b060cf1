-- Motivity files: what the platform knows of each file; the bytes are in
-- the blob store under blob_key. A row is written only after its blob is
-- stored whole, so every row has its bytes; a blob no row names is an orphan
-- of a crash between the two, which a sweep removes. Deleting a file marks
-- the row (ids are never reused) and removes the blob (or leaves it to the
-- sweep).
CREATE TABLE motivity_files (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    declared_type TEXT    NOT NULL,
    sha256        BLOB    NOT NULL,
    blob_key      TEXT    NOT NULL UNIQUE,
    origin        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    deleted_at    INTEGER
);
