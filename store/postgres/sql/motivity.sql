-- Queries of the Motivity platform, PostgreSQL dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter, as in SQLite, so that the
-- store passes the same arguments to both.

-- name: MotivityPlatform
SELECT default_locale, locales, identifier_kind, public_token_hash, prize_catalog_until, updated_at
FROM motivity_platform WHERE id = 1;

-- name: UpdateMotivityPlatform
UPDATE motivity_platform
SET default_locale = $1, locales = $2, identifier_kind = $3, public_token_hash = $4, prize_catalog_until = $5, updated_at = $6
WHERE id = 1;

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

-- name: LockNextBadgeID
-- Taken before NextBadgeID, until the commit: two transactions creating a
-- badge without an id take turns, so they cannot pick the same one. The
-- next statement sees what the other committed.
SELECT pg_advisory_xact_lock(hashtext('motivity_badges.id'));

-- name: NextBadgeID
SELECT COALESCE(MAX(id), 0) + 1 FROM motivity_badges;

-- name: BadgeByID
-- The last column counts the grades, which make the badge a parent.
SELECT id, COALESCE(parent_id, 0), grade, image, color, active, system, deleted_at IS NOT NULL, created_at, updated_at,
       (SELECT count(*) FROM motivity_badges c WHERE c.parent_id = b.id AND c.deleted_at IS NULL)
FROM motivity_badges b WHERE id = $1;

-- name: InsertBadge
INSERT INTO motivity_badges (id, parent_id, grade, image, color, active, system, deleted_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::boolean THEN $9::timestamptz END, $9, $9);

-- name: UpdateBadge
UPDATE motivity_badges
SET parent_id = $2, grade = $3, image = $4, color = $5, active = $6, system = $7,
    deleted_at = CASE WHEN $8::boolean THEN COALESCE(deleted_at, $9::timestamptz) END, updated_at = $9
WHERE id = $1;

-- name: DeleteBadgeTexts
DELETE FROM motivity_badge_texts WHERE badge_id = $1;

-- name: InsertBadgeText
INSERT INTO motivity_badge_texts (badge_id, locale, title, description, popup_description) VALUES ($1, $2, $3, $4, $5);

-- name: BadgeTexts
SELECT badge_id, locale, title, description, popup_description FROM motivity_badge_texts WHERE badge_id = $1;

-- name: LiveBadges
SELECT id, COALESCE(parent_id, 0), grade, image, color, active, system, deleted_at IS NOT NULL, created_at, updated_at, 0
FROM motivity_badges WHERE deleted_at IS NULL ORDER BY id;

-- name: LiveBadgeTexts
SELECT t.badge_id, t.locale, t.title, t.description, t.popup_description
FROM motivity_badge_texts t JOIN motivity_badges b ON b.id = t.badge_id
WHERE b.deleted_at IS NULL;

-- name: HeldBadges
-- Which of the users ($1) hold the badge $2 or, when $3 is not 0, another
-- grade of the parent $3, or the parent itself (held from before it had
-- grades).
SELECT ub.user_id, ub.badge_id, b.grade, b.deleted_at IS NOT NULL
FROM motivity_user_badges ub JOIN motivity_badges b ON b.id = ub.badge_id
WHERE ub.user_id IN (SELECT json_array_elements_text($1::json)::bigint)
  AND (ub.badge_id = $2 OR ($3::bigint <> 0 AND (b.parent_id = $3 OR ub.badge_id = $3)));

-- name: InsertUserBadges
INSERT INTO motivity_user_badges (user_id, badge_id, assigned_at)
SELECT json_array_elements_text($1::json)::bigint, $2, $3;

-- name: DeleteUserBadges
-- $1 is [[user, badge], …].
DELETE FROM motivity_user_badges
WHERE (user_id, badge_id) IN (SELECT (e ->> 0)::bigint, (e ->> 1)::bigint FROM json_array_elements($1::json) e);

-- name: InsertBadgeEvents
-- $1 is [[user, badge, action], …].
INSERT INTO motivity_badge_events (user_id, badge_id, action, actor, at)
SELECT (e ->> 0)::bigint, (e ->> 1)::bigint, e ->> 2, $2, $3 FROM json_array_elements($1::json) e;

-- name: UserBadges
SELECT badge_id, assigned_at FROM motivity_user_badges WHERE user_id = $1 ORDER BY badge_id;

-- name: BadgeEvents
SELECT id, user_id, badge_id, action, actor, at FROM motivity_badge_events WHERE user_id = $1 ORDER BY id;

-- name: LockBalances
-- Every balance of the users named in $1 (a JSON array of identifiers),
-- locked in (user, balance type) order: points transactions on any node
-- take their locks in the same order, so they wait for each other instead
-- of deadlocking, and what is read here stays true until the commit. The
-- users themselves are not locked here; the ledger's foreign key takes FOR
-- KEY SHARE on them, which no other Motivity lock conflicts with (badge
-- changes take FOR NO KEY UPDATE; only deleting a user row or changing its
-- id would conflict, and neither is done).
SELECT u.identifier, b.user_id, b.balance_type, b.amount
FROM motivity_users u JOIN motivity_balances b ON b.user_id = u.id
WHERE u.deleted_at IS NULL AND u.identifier IN (SELECT json_array_elements_text($1::json))
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
