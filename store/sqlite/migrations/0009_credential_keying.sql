-- How the stored hashes of API keys and tokens (fssp_tokens.token_hash,
-- organizations.api_key_hash, motivity_platform.public_token_hash,
-- reestro_keys.key_hash) are keyed: one row, written in the transaction
-- that converted them (sqlstore.KeyCredentials), naming the scheme and
-- holding a verifier of the deployment's secret, so that a node given
-- another secret refuses to start. No row: the hashes are the plain
-- SHA-256 that databases held before, converted at the next start.

CREATE TABLE credential_keying (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    scheme   TEXT    NOT NULL,
    verifier BLOB    NOT NULL
);
