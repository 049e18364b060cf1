-- Searching and paging what the stand holds, for people looking through
-- it (operator.SearchStore), PostgreSQL dialect. "Contains" is strpos, as
-- written, as SQLite's instr: SQLite's lower() folds ASCII only, so a
-- case-blind search would find other rows on the two stores.

-- NewestJournalEntries is derived from JournalEntries (journal.sql) by
-- sqlstore.addNewestJournal.

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
