-- Queries of the Motivity platform (users), PostgreSQL dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter, as in SQLite, so that the
-- store passes the same arguments to both.

-- name: CountMotivityUsers
SELECT count(*) FROM motivity_users;

-- name: InsertMotivityUser
INSERT INTO motivity_users (identifier, email, name, active, deleted_at, manager_id, manages_goals, created_at, updated_at)
VALUES ($1, $2, $3, $4, CASE WHEN $5::boolean THEN $8::timestamptz END, $6, $7, $8, $8)
RETURNING id;

-- name: InsertMotivityBalances
INSERT INTO motivity_balances (user_id, balance_type, amount)
VALUES ($1, 'score', 0), ($1, 'karma', 0), ($1, 'payment', 0);

-- name: UpdateMotivityUser
-- deleted_at keeps the first deletion's time when the user stays deleted.
UPDATE motivity_users
SET identifier = $2, email = $3, name = $4, active = $5,
    deleted_at = CASE WHEN $6::boolean THEN COALESCE(deleted_at, $9::timestamptz) END,
    manager_id = $7, manages_goals = $8, updated_at = $9
WHERE id = $1;

-- name: MotivityUserByID
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id = $1;

-- name: MotivityUserByIdentifier
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE identifier = $1 AND deleted_at IS NULL;

-- name: MotivityUserByIdentifierAny
-- The user holding identifier, or the last one that held it: what an
-- operator reads of users deleted since.
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users
WHERE id = COALESCE((SELECT id FROM motivity_users WHERE identifier = $1 AND deleted_at IS NULL),
                    (SELECT max(id) FROM motivity_users WHERE identifier = $1));

-- name: MotivityUsers
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id > $1 ORDER BY id LIMIT $2;

-- name: LockMotivityUsers
-- Locked in id order, so that two nodes changing the badges of the same
-- users wait for each other instead of deadlocking, and a user cannot end
-- up with two grades of one badge. FOR NO KEY UPDATE, not FOR UPDATE: it
-- conflicts with itself but not with the FOR KEY SHARE lock that the
-- ledger's foreign key takes on a user when points are inserted, in the
-- order of the request rather than id order. With FOR UPDATE a badge change
-- and a points batch naming the same users in crossing orders deadlocked.
SELECT id, identifier FROM motivity_users
WHERE deleted_at IS NULL AND identifier IN (SELECT json_array_elements_text($1::json))
ORDER BY id
FOR NO KEY UPDATE;

-- name: LockMotivityUserByID
-- A user's change reads the row it replaces under the lock it would take
-- anyway: two changes of one user run one after another, and each sees
-- what the other left (the quests' liveness follows the last one).
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users WHERE id = $1 FOR NO KEY UPDATE;
