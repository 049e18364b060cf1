-- Queries of the Motivity platform (balances and their ledger), PostgreSQL dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter, as in SQLite, so that the
-- store passes the same arguments to both.

-- name: LockBalances
-- Every balance of the users named in $1 (a JSON array of identifiers),
-- locked in (user, balance type) order: points transactions on any node
-- take their locks in the same order, so they wait for each other instead
-- of deadlocking, and what is read here stays true until the commit. The
-- users themselves are not locked here; the ledger's foreign key takes FOR
-- KEY SHARE on them, which no other Motivity lock conflicts with (badge
-- changes take FOR NO KEY UPDATE; only deleting a user row or changing its
-- id would conflict, and neither is done).
-- = ANY of an array, not IN (SELECT …): the planner takes a set-returning
-- function for 100 rows, and with 20,000 users scanned them all for one
-- identifier (3–6 ms a change); an array's elements are index lookups.
SELECT u.identifier, b.user_id, b.balance_type, b.amount
FROM motivity_users u JOIN motivity_balances b ON b.user_id = u.id
WHERE u.deleted_at IS NULL AND u.identifier = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
ORDER BY b.user_id, b.balance_type
FOR UPDATE OF b;

-- name: PointsLockTimeout
-- For the rest of the points transaction: see pointsLockTimeout.
SELECT set_config('lock_timeout', $1, true);

-- name: SetBalances
-- $1 is [[user, balance type, amount], …].
UPDATE motivity_balances AS b SET amount = v.amount
FROM (SELECT (e ->> 0)::bigint AS user_id, e ->> 1 AS balance_type, (e ->> 2)::bigint AS amount
      FROM json_array_elements($1::json) e) AS v
WHERE b.user_id = v.user_id AND b.balance_type = v.balance_type;

-- name: InsertLedgerEntries
-- $1 is [[user, balance type, amount, balance after, message, actor, request id, at], …],
-- inserted in that order, so that ids follow the order of the changes. The
-- instant travels as unix microseconds: JSON has no timestamp type.
INSERT INTO motivity_ledger (user_id, balance_type, amount, balance_after, message, actor, request_id, created_at)
SELECT (e ->> 0)::bigint, e ->> 1, (e ->> 2)::bigint, (e ->> 3)::bigint, e ->> 4, e ->> 5, e ->> 6,
       'epoch'::timestamptz + (e ->> 7)::bigint * interval '1 microsecond'
FROM json_array_elements($1::json) WITH ORDINALITY AS t (e, n) ORDER BY n;

-- name: Balances
SELECT balance_type, amount FROM motivity_balances WHERE user_id = $1;

-- name: Ledger
SELECT id, user_id, balance_type, amount, balance_after, message, actor, request_id, created_at
FROM motivity_ledger
WHERE ($1::bigint = 0 OR user_id = $1) AND ($2::text = '' OR balance_type = $2) AND id > $3
ORDER BY id LIMIT $4;

-- name: RefreshLedgerStatistics
-- After a generated ledger (motivity.PointsGenerator) is loaded. VACUUM
-- too: the first read of freshly loaded rows would otherwise set their hint
-- bits, writing the whole table back during a report.
VACUUM (ANALYZE) motivity_ledger;
