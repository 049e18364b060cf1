-- Queries of Motivity files, PostgreSQL dialect. A list of keys arrives as
-- one JSON array parameter.

-- name: InsertMotivityFile
INSERT INTO motivity_files (name, size, declared_type, sha256, blob_key, origin, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: MotivityFile
SELECT id, name, size, declared_type, sha256, blob_key, origin, created_at, deleted_at
FROM motivity_files WHERE id = $1 AND deleted_at IS NULL;

-- name: MotivityFiles
SELECT id, name, size, declared_type, sha256, blob_key, origin, created_at, deleted_at
FROM motivity_files WHERE id > $1 AND deleted_at IS NULL ORDER BY id LIMIT $2;

-- name: DeleteMotivityFile
UPDATE motivity_files SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL
RETURNING id, name, size, declared_type, sha256, blob_key, origin, created_at, deleted_at;

-- name: MotivityFileKeysHeld
SELECT blob_key FROM motivity_files WHERE deleted_at IS NULL AND blob_key IN (SELECT json_array_elements_text($1::json))
UNION
-- Kept for the snapshots whose files name them.
SELECT blob_key FROM stand_snapshot_blobs WHERE blob_key IN (SELECT json_array_elements_text($1::json));
