-- Queries of the Motivity platform (balances and their ledger), SQLite dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter (SQLite has no array
-- type); json_each unpacks it.

-- name: LockBalances
-- Every balance of the users named in ?1 (a JSON array of identifiers).
-- No row lock: SQLite's write transaction (BEGIN IMMEDIATE) already
-- excludes every other writer, so what is read here stays true until the
-- commit. IN over json_each stays here where PostgreSQL's copy says = ANY:
-- SQLite plans it as one lookup of motivity_users_identifier per element
-- (EXPLAIN QUERY PLAN: SEARCH u USING INDEX … (identifier=?), LIST
-- SUBQUERY); PostgreSQL took the set for 100 rows and scanned every user.
SELECT u.identifier, b.user_id, b.balance_type, b.amount
FROM motivity_users u JOIN motivity_balances b ON b.user_id = u.id
WHERE u.deleted_at IS NULL AND u.identifier IN (SELECT value FROM json_each(?1))
ORDER BY b.user_id, b.balance_type;

-- name: SetBalances
-- ?1 is [[user, balance type, amount], …].
UPDATE motivity_balances AS b SET amount = v.amount
FROM (SELECT value ->> 0 AS user_id, value ->> 1 AS balance_type, value ->> 2 AS amount FROM json_each(?1)) AS v
WHERE b.user_id = v.user_id AND b.balance_type = v.balance_type;

-- name: InsertLedgerEntries
-- ?1 is [[user, balance type, amount, balance after, message, actor, request id, at], …],
-- inserted in that order, so that ids follow the order of the changes.
INSERT INTO motivity_ledger (user_id, balance_type, amount, balance_after, message, actor, request_id, created_at)
SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
FROM json_each(?1) ORDER BY key;

-- name: Balances
SELECT balance_type, amount FROM motivity_balances WHERE user_id = ?1;

-- name: Ledger
SELECT id, user_id, balance_type, amount, balance_after, message, actor, request_id, created_at
FROM motivity_ledger
WHERE (?1 = 0 OR user_id = ?1) AND (?2 = '' OR balance_type = ?2) AND id > ?3
ORDER BY id LIMIT ?4;

-- name: RefreshLedgerStatistics
-- After a generated ledger (motivity.PointsGenerator) is loaded.
ANALYZE motivity_ledger;
