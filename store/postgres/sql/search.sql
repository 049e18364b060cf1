-- Searching and paging what the stand holds, for people looking through
-- it (operator.SearchStore), PostgreSQL dialect. "Contains" is strpos, as
-- written, as SQLite's instr: SQLite's lower() folds ASCII only, so a
-- case-blind search would find other rows on the two stores.

-- name: NewestJournalEntries
-- The filters repeat JournalEntries' (a query file has no includes); the
-- order is this query's own, so that the id index serves it backwards.
-- afterId ($1) is 0 here; newest first
-- before $12, always bound (the newest page binds the largest id): an
-- "$12 = 0 OR" would not bound the index walk, and a page deep in the
-- journal would be read down from the newest entry.
SELECT id, at, request_id, api, route, method, path, query, headers, credential, body, body_size, status, answer,
       answer_size, duration_us, reason, fault
FROM journal
WHERE id > $1
  AND id < $12::bigint
  AND ($2::text = '' OR api = $2)
  AND ($3::text = '' OR route = $3)
  AND ($4::integer = 0 OR status = $4)
  AND ($5::text = '' OR credential = $5)
  AND ($6::timestamptz IS NULL OR at >= $6)
  AND ($7::timestamptz IS NULL OR at < $7)
  AND ($8::text = '' OR body_json #>> ($8::text)::text[] = $9::text)
  AND ($10::text = '' OR path = $10)
ORDER BY id DESC
LIMIT $11;

-- name: SearchMigrantExamOrganizations
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations
WHERE id > $2 AND ($1::text = '' OR strpos(name, $1) > 0 OR strpos(username, $1) > 0)
ORDER BY id
LIMIT $3;

-- name: SearchMotivityUsers
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users
WHERE id > $2 AND ($1::text = '' OR strpos(identifier, $1) > 0 OR strpos(name, $1) > 0 OR strpos(email, $1) > 0)
ORDER BY id
LIMIT $3;

-- name: BadgeHolders
-- A badge's grades are badges whose parent it is: their holders hold it.
SELECT u.id, u.identifier, u.name, h.badge_id, h.assigned_at
FROM motivity_user_badges h
JOIN motivity_users u ON u.id = h.user_id
WHERE h.badge_id IN (SELECT id FROM motivity_badges WHERE id = $1 OR parent_id = $1)
  AND h.user_id > $2
ORDER BY h.user_id, h.badge_id
LIMIT $3;
