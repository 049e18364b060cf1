-- Keying of the stored hashes of API keys and tokens (sqlstore.KeyCredentials),
-- SQLite dialect.

-- name: CredentialKeying
SELECT scheme, verifier FROM credential_keying WHERE id = 1;

-- name: InsertCredentialKeying
INSERT INTO credential_keying (id, scheme, verifier) VALUES (1, ?1, ?2);

-- name: FSSPTokenHashes
SELECT id, token_hash FROM fssp_tokens;

-- name: SetFSSPTokenHash
UPDATE fssp_tokens SET token_hash = ?2 WHERE id = ?1;

-- name: OrganizationKeyHashes
SELECT id, api_key_hash FROM organizations;

-- name: SetOrganizationKeyHash
UPDATE organizations SET api_key_hash = ?2 WHERE id = ?1;

-- name: MotivityTokenHashes
SELECT id, public_token_hash FROM motivity_platform WHERE public_token_hash IS NOT NULL;

-- name: SetMotivityTokenHash
UPDATE motivity_platform SET public_token_hash = ?2 WHERE id = ?1;

-- name: ReestroKeyHashes
SELECT id, key_hash FROM reestro_keys;

-- name: SetReestroKeyHash
UPDATE reestro_keys SET key_hash = ?2 WHERE id = ?1;
