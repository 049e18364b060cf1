-- Queries of the Motivity platform (badges and who holds them), PostgreSQL dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter, as in SQLite, so that the
-- store passes the same arguments to both.

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
