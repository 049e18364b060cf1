-- How the stored hashes of API keys and tokens are keyed: see the SQLite
-- migration. No row: the hashes are still plain SHA-256.

CREATE TABLE credential_keying (
    id       integer PRIMARY KEY CHECK (id = 1),
    scheme   text    NOT NULL,
    verifier bytea   NOT NULL
);
