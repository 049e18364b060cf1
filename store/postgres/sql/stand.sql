-- Reset and snapshots (sqlstore/snapshot.go). Copies name tables found in
-- the catalog, so the statements that copy them are made in Go; these are
-- the fixed ones.

-- name: StandTables
SELECT tablename AS name FROM pg_tables
WHERE schemaname = current_schema() AND tablename NOT LIKE 'snap\_%'
ORDER BY tablename;

-- name: StandForeignKeys
-- Child, parent.
SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_class p ON p.oid = k.confrelid
WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace;

-- name: StandIdentityColumns
-- Restored rows keep their keys; an identity's sequence must then start
-- after them, which PostgreSQL does not do by itself.
SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(format('%I', c.relname), a.attname) AS seq
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
  AND c.relname NOT LIKE 'snap\_%';

-- name: SchemaVersion
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: StandState
SELECT generation, quiesced_until FROM stand_state WHERE id = 1;

-- name: LockSnapshots
-- Snapshots are taken, restored and deleted one at a time across the
-- nodes. An advisory lock, not a row's: a row locked first would fix a
-- repeatable-read copy's snapshot and fail it (40001) when the row moved.
SELECT pg_advisory_xact_lock(24210);

-- name: GuardSnapshotCopies
-- Shared with LockSnapshots: the bytes of a deleted file are kept when a
-- snapshot being copied holds the file; its rows of stand_snapshot_blobs
-- are read once it committed (the next statement of the transaction).
SELECT pg_advisory_xact_lock_shared(24210);

-- name: StandQuiescedForClaim
-- Shared: a restore's pause waits for the claims under way, so that the
-- jobs it then counts are all the running ones.
SELECT quiesced_until FROM stand_state WHERE id = 1 FOR SHARE;

-- name: NextStandGeneration
UPDATE stand_state SET generation = generation + 1 WHERE id = 1 RETURNING generation;

-- name: QuiesceStand
UPDATE stand_state SET quiesced_until = $1, quiesced_by = $2 WHERE id = 1;

-- name: EndQuiesce
UPDATE stand_state SET quiesced_until = 0, quiesced_by = '' WHERE id = 1 AND quiesced_by = $1;

-- name: RunningJobs
SELECT count(*) FROM jobs WHERE state = 'running' AND locked_until > $1;

-- name: InsertSnapshot
INSERT INTO stand_snapshots (name, taken_at, schema_version, tables, row_count, digest, bank_version)
VALUES ($1, $2, $3, '[]', 0, $4, $5) RETURNING id;

-- name: FinishSnapshot
UPDATE stand_snapshots SET tables = $2, row_count = $3 WHERE id = $1;

-- name: FindSnapshot
SELECT id, name, taken_at, schema_version, tables, row_count, digest, bank_version FROM stand_snapshots WHERE name = $1;

-- name: Snapshots
SELECT id, name, taken_at, schema_version, tables, row_count, digest, bank_version FROM stand_snapshots ORDER BY name;

-- name: DeleteSnapshotRow
DELETE FROM stand_snapshots WHERE id = $1;

-- name: DeleteSnapshotBlobs
DELETE FROM stand_snapshot_blobs WHERE snapshot_id = $1;

-- name: TemplateInsertSnapshotBlobs
-- The files held when the snapshot is taken (a file deleted by then is
-- deleted in the snapshot too), and the created reports built by then. {from}
-- is where the snapshot is copied from.
INSERT INTO stand_snapshot_blobs (blob_key, snapshot_id)
SELECT DISTINCT blob_key, $1::bigint FROM {from}motivity_files WHERE deleted_at IS NULL
UNION
SELECT blob_key, $1::bigint FROM {from}motivity_reports WHERE blob_key <> '';

-- name: TemplateReleaseSnapshotJobs
-- A job running when the snapshot was taken is put back as it was before
-- its claim: restored, it runs again from the start.
UPDATE {table} SET state = 'available', attempt = attempt - 1, locked_by = NULL, locked_until = NULL
WHERE state = 'running';

-- name: TemplateBankVersion
-- {from} is the stand read: this one, or a scratch stand a snapshot copies.
SELECT version FROM {from}stand_bank WHERE id = 1;

-- name: SetBankVersion
UPDATE stand_bank SET version = $1 WHERE id = 1;
