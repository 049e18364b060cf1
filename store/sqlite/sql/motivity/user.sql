-- Queries of the Motivity platform (users), SQLite dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter (SQLite has no array
-- type); json_each unpacks it.

-- name: CountMotivityUsers
SELECT count(*) FROM motivity_users;

-- name: InsertMotivityUser
INSERT INTO motivity_users (identifier, email, name, active, deleted_at, manager_id, manages_goals, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?8 END, ?6, ?7, ?8, ?8)
RETURNING id;

-- name: InsertMotivityBalances
INSERT INTO motivity_balances (user_id, balance_type, amount)
VALUES (?1, 'score', 0), (?1, 'karma', 0), (?1, 'payment', 0);

-- name: UpdateMotivityUser
-- deleted_at keeps the first deletion's time when the user stays deleted.
UPDATE motivity_users
SET identifier = ?2, email = ?3, name = ?4, active = ?5,
    deleted_at = CASE WHEN ?6 THEN COALESCE(deleted_at, ?9) END,
    manager_id = ?7, manages_goals = ?8, updated_at = ?9
WHERE id = ?1;

-- name: MotivityUserByID
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id = ?1;

-- name: MotivityUserByIdentifier
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE identifier = ?1 AND deleted_at IS NULL;

-- name: MotivityUserByIdentifierAny
-- The user holding identifier, or the last one that held it: what an
-- operator reads of users deleted since.
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users
WHERE id = COALESCE((SELECT id FROM motivity_users WHERE identifier = ?1 AND deleted_at IS NULL),
                    (SELECT max(id) FROM motivity_users WHERE identifier = ?1));

-- name: MotivityUsers
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id > ?1 ORDER BY id LIMIT ?2;

-- name: LockMotivityUsers
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT id, identifier FROM motivity_users
WHERE deleted_at IS NULL AND identifier IN (SELECT value FROM json_each(?1));

-- name: LockMotivityUserByID
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer.
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id = ?1;
