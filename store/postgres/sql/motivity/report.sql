-- Queries of Motivity reports, PostgreSQL dialect. Each report's rows are
-- one query read as it runs (the store yields them one by one; pgx reads
-- the answer from the connection as it is consumed). Filters arrive as JSON
-- arrays (NULL: do not narrow), as in SQLite; $1 is always the user states
-- asked for, $2 the identifiers (or NULL). The user's state is worked out
-- once per row in a LATERAL subquery: PostgreSQL, unlike SQLite, cannot
-- name a select-list alias in WHERE.

-- Identifiers are ordered COLLATE "C": by bytes, as SQLite orders them,
-- whatever the database's collation (TestReportOrdersIdentifiersByBytes).

-- name: ReportUsers
SELECT u.identifier, u.name, u.email, m.identifier AS manager, s.user_state
FROM motivity_users u LEFT JOIN motivity_users m ON m.id = u.manager_id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
WHERE s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
ORDER BY u.identifier COLLATE "C", u.id;

-- name: ReportPoints
-- $3, $4: the period [from, to); $5 balance types. The ledger is read in
-- motivity_ledger_time's order, each entry's user looked up beside it (by
-- primary key; PostgreSQL memoizes recent ones). The user is a LATERAL
-- subquery kept apart by OFFSET 0: joined plainly, the planner hashed the
-- users and sorted the whole ledger on disk, so ten million entries gave
-- their first row after 10 s and three processes' worth of CPU.
SELECT l.created_at, u.identifier, u.user_state, l.balance_type, l.amount, l.balance_after, l.message, l.actor
FROM motivity_ledger l
CROSS JOIN LATERAL (
    SELECT u.identifier, CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state
    FROM motivity_users u WHERE u.id = l.user_id OFFSET 0) u
WHERE l.created_at >= $3 AND l.created_at < $4
  AND u.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
  AND ($5::json IS NULL OR l.balance_type = ANY (ARRAY(SELECT json_array_elements_text($5::json))))
ORDER BY l.created_at, l.id;

-- name: ReportPointsOfUsers
-- ReportPoints of the users named in $2 (never NULL here), which the
-- planner finds first and their entries by motivity_ledger_user, sorting
-- only theirs; ReportPoints' fence would make it read the whole ledger by
-- time for them. PostgreSQL only: SQLite reads by time either way (see
-- sqlstore.PointsReport).
SELECT l.created_at, u.identifier, s.user_state, l.balance_type, l.amount, l.balance_after, l.message, l.actor
FROM motivity_ledger l JOIN motivity_users u ON u.id = l.user_id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
WHERE l.created_at >= $3 AND l.created_at < $4
  AND s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json)))
  AND ($5::json IS NULL OR l.balance_type = ANY (ARRAY(SELECT json_array_elements_text($5::json))))
ORDER BY l.created_at, l.id;

-- name: ReportBalances
SELECT u.identifier, s.user_state,
       COALESCE(SUM(b.amount) FILTER (WHERE b.balance_type = 'score'), 0) AS score,
       COALESCE(SUM(b.amount) FILTER (WHERE b.balance_type = 'karma'), 0) AS karma,
       COALESCE(SUM(b.amount) FILTER (WHERE b.balance_type = 'payment'), 0) AS payment
FROM motivity_users u LEFT JOIN motivity_balances b ON b.user_id = u.id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
WHERE s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
GROUP BY u.id, s.user_state
ORDER BY u.identifier COLLATE "C", u.id;

-- name: ReportBadges
-- Each assignment with the first removal (or replacement by another grade)
-- of the same badge from the same user after it. $3, $4: the period of the
-- assignment; $5 badge ids.
SELECT e.at, u.identifier, s.user_state, e.badge_id, e.actor, r.at AS removed_at, r.actor AS removed_by
FROM motivity_badge_events e
JOIN motivity_users u ON u.id = e.user_id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
LEFT JOIN motivity_badge_events r ON r.id = (
    SELECT MIN(x.id) FROM motivity_badge_events x
    WHERE x.user_id = e.user_id AND x.badge_id = e.badge_id AND x.id > e.id AND x.action IN ('removed', 'replaced'))
WHERE e.action = 'assigned' AND e.at >= $3 AND e.at < $4
  AND s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
  AND ($5::json IS NULL OR e.badge_id = ANY (ARRAY(SELECT json_array_elements_text($5::json)::bigint)))
ORDER BY e.at, u.identifier COLLATE "C", e.id;

-- name: ReportGoals
-- Goals and key results not deleted, by user, each goal right before its
-- key results; the period and the goal's status are judged on the goal as
-- shown (motivity.ReportPlan.GoalIncluded).
SELECT u.identifier, s.user_state,
       g.id, COALESCE(g.parent_id, 0) AS parent_id, g.title, g.value, g.progress, g.value_unit, g.priority, g.deadline,
       g.created_at, g.approved_at, g.completed_at
FROM motivity_goals g JOIN motivity_users u ON u.id = g.user_id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
WHERE g.deleted_at IS NULL
  AND s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
ORDER BY u.identifier COLLATE "C", u.id, COALESCE(g.parent_id, g.id), g.parent_id IS NOT NULL, g.id;

-- name: ReportQuests
-- $3 quest ids, $4 task statuses. A task's last review is its newest
-- message that set complete, redo or fail; its score what its award paid.
SELECT a.quest_id, a.task_id, u.identifier, s.user_state, a.status,
       (SELECT MAX(m.at) FROM motivity_quest_messages m
        WHERE m.task_id = a.task_id AND m.student_id = a.user_id AND m.status IN ('complete', 'redo', 'fail')) AS last_review_at,
       COALESCE((SELECT w.score FROM motivity_quest_awards w
                 WHERE w.quest_id = a.quest_id AND w.student_id = a.user_id AND w.kind = 'task' AND w.task_id = a.task_id), 0) AS score
FROM motivity_quest_assignments a
JOIN motivity_quest_tasks t ON t.id = a.task_id
JOIN motivity_users u ON u.id = a.user_id
CROSS JOIN LATERAL (SELECT CASE WHEN u.deleted_at IS NOT NULL THEN 'deleted' WHEN u.active THEN 'active' ELSE 'deactivated' END AS user_state) s
WHERE t.deleted_at IS NULL AND t.active
  AND a.quest_id = ANY (ARRAY(SELECT json_array_elements_text($3::json)::bigint))
  AND s.user_state = ANY (ARRAY(SELECT json_array_elements_text($1::json)))
  AND ($2::json IS NULL OR u.identifier = ANY (ARRAY(SELECT json_array_elements_text($2::json))))
  AND ($4::json IS NULL OR a.status = ANY (ARRAY(SELECT json_array_elements_text($4::json))))
ORDER BY a.quest_id, a.task_id, u.identifier COLLATE "C", u.id;

-- name: UnknownUsers
SELECT j.value FROM json_array_elements_text($1::json) WITH ORDINALITY AS j(value, n)
WHERE NOT EXISTS (SELECT 1 FROM motivity_users u WHERE u.identifier = j.value)
ORDER BY j.n;

-- name: LiveMotivityUsers
-- Every user not deleted, by identifier: the filter value list searches
-- them in Go (motivity.FilterValues), with Unicode case folding on both
-- dialects alike (SQLite's lower() folds ASCII only, and names are
-- Cyrillic), and stops reading once its list is full.
SELECT id, identifier, email, name, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals, created_at, updated_at
FROM motivity_users
WHERE deleted_at IS NULL
ORDER BY identifier COLLATE "C", id;

-- name: InsertMotivityReport
INSERT INTO motivity_reports (kind, locale, filters, state, created_at) VALUES ($1, $2, $3, 'processing', $4)
RETURNING id;

-- name: CreatedReports
-- A report still processing whose build job ended (its node died, or lost
-- its lease, on the last attempt; or the job was pruned since) reads as
-- failed: nothing else would ever end it. CreatedReport reads one report
-- with this query too.
SELECT r.id, r.kind, r.locale, r.filters,
       CASE WHEN r.state = 'processing' AND (j.id IS NULL OR j.state IN ('completed', 'discarded')) THEN 'failed' ELSE r.state END AS state,
       r.size, r.etag, r.blob_key,
       CASE WHEN r.state = 'processing' AND (j.id IS NULL OR j.state IN ('completed', 'discarded'))
            THEN 'the build job ended without building it' || COALESCE(': ' || j.last_error, '') ELSE r.error END AS error,
       r.created_at, r.finished_at, r.expires_at
FROM motivity_reports r LEFT JOIN jobs j ON j.id = r.build_job_id
WHERE r.id > $1 ORDER BY r.id LIMIT $2;

-- name: SetReportBuildJob
UPDATE motivity_reports SET build_job_id = $2 WHERE id = $1;

-- name: FinishReport
UPDATE motivity_reports SET state = $2, size = $3, etag = $4, error = $5, finished_at = $6, expires_at = $7, blob_key = $8
WHERE id = $1 AND state = 'processing';

-- name: MotivityReportKeysHeld
-- Report bytes still wanted: a report's, or a snapshot's (a report in a
-- snapshot comes back with its restore).
SELECT blob_key FROM motivity_reports WHERE blob_key IN (SELECT json_array_elements_text($1::json))
UNION
SELECT blob_key FROM stand_snapshot_blobs WHERE blob_key IN (SELECT json_array_elements_text($1::json));

-- name: DeleteReport
DELETE FROM motivity_reports WHERE id = $1;
