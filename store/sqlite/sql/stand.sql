-- Reset and snapshots (sqlstore/snapshot.go). Copies name tables found in
-- the catalog, so the statements that copy them are made in Go; these are
-- the fixed ones.

-- name: StandTables
SELECT name FROM sqlite_schema
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'snap\_%' ESCAPE '\'
ORDER BY name;

-- name: StandForeignKeys
-- Child, parent.
SELECT m.name AS child, f."table" AS parent FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND m.name NOT LIKE 'snap\_%' ESCAPE '\';

-- name: StandIdentityColumns
-- None: an AUTOINCREMENT key continues after the larger of its counter
-- and the table's largest key, so restored rows need nothing more.
SELECT '' AS tbl, '' AS col, '' AS seq WHERE 0;

-- name: SchemaVersion
SELECT coalesce(max(version), 0) FROM schema_migrations;

-- name: StandState
SELECT generation, quiesced_until FROM stand_state WHERE id = 1;

-- name: LockSnapshots
-- Nothing: SQLite's write transaction already excludes other writers.

-- name: GuardSnapshotCopies
-- Nothing: a snapshot's copy and a file's deletion are both writes, one
-- after the other.

-- name: StandQuiescedForClaim
SELECT quiesced_until FROM stand_state WHERE id = 1;

-- name: NextStandGeneration
UPDATE stand_state SET generation = generation + 1 WHERE id = 1 RETURNING generation;

-- name: QuiesceStand
UPDATE stand_state SET quiesced_until = ?1, quiesced_by = ?2 WHERE id = 1;

-- name: EndQuiesce
UPDATE stand_state SET quiesced_until = 0, quiesced_by = '' WHERE id = 1 AND quiesced_by = ?1;

-- name: RunningJobs
SELECT count(*) FROM jobs WHERE state = 'running' AND locked_until > ?1;

-- name: InsertSnapshot
INSERT INTO stand_snapshots (name, taken_at, schema_version, tables, row_count, digest, bank_version)
VALUES (?1, ?2, ?3, '[]', 0, ?4, ?5) RETURNING id;

-- name: FinishSnapshot
UPDATE stand_snapshots SET tables = ?2, row_count = ?3 WHERE id = ?1;

-- name: FindSnapshot
SELECT id, name, taken_at, schema_version, tables, row_count, digest, bank_version FROM stand_snapshots WHERE name = ?1;

-- name: Snapshots
SELECT id, name, taken_at, schema_version, tables, row_count, digest, bank_version FROM stand_snapshots ORDER BY name;

-- name: DeleteSnapshotRow
DELETE FROM stand_snapshots WHERE id = ?1;

-- name: DeleteSnapshotBlobs
DELETE FROM stand_snapshot_blobs WHERE snapshot_id = ?1;

-- name: TemplateInsertSnapshotBlobs
-- The files held when the snapshot is taken (a file deleted by then is
-- deleted in the snapshot too), and the created reports built by then. {from}
-- is where the snapshot is copied from.
INSERT INTO stand_snapshot_blobs (blob_key, snapshot_id)
SELECT DISTINCT blob_key, ?1 FROM {from}motivity_files WHERE deleted_at IS NULL
UNION
SELECT blob_key, ?1 FROM {from}motivity_reports WHERE blob_key <> '';

-- name: TemplateReleaseSnapshotJobs
-- A job running when the snapshot was taken is put back as it was before
-- its claim: restored, it runs again from the start.
UPDATE {table} SET state = 'available', attempt = attempt - 1, locked_by = NULL, locked_until = NULL
WHERE state = 'running';

-- name: TemplateBankVersion
-- {from} is the stand read: this one, or a scratch stand a snapshot copies.
SELECT version FROM {from}stand_bank WHERE id = 1;

-- name: SetBankVersion
UPDATE stand_bank SET version = ?1 WHERE id = 1;
