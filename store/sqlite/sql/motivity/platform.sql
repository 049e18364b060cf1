-- Queries of the Motivity platform (the platform's settings), SQLite dialect. Lists of ids or
-- identifiers arrive as one JSON array parameter (SQLite has no array
-- type); json_each unpacks it.

-- name: MotivityPlatform
SELECT default_locale, locales, identifier_kind, public_token_hash, prize_catalog_until, updated_at, goal_limit, time_zone
FROM motivity_platform WHERE id = 1;

-- name: UpdateMotivityPlatform
UPDATE motivity_platform
SET default_locale = ?1, locales = ?2, identifier_kind = ?3, public_token_hash = ?4, prize_catalog_until = ?5, updated_at = ?6,
    goal_limit = ?7, time_zone = ?8
WHERE id = 1;
