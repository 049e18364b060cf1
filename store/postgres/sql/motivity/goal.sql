-- Queries of the Motivity platform (goals and key results), PostgreSQL dialect.

-- name: GoalUser
-- Users as goals need them: who they are, whether active, their manager and
-- the goals permission (a goal change reads two).
SELECT id, identifier, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals
FROM motivity_users WHERE identifier = $1 AND deleted_at IS NULL;

-- name: LockGoalOwner
-- FOR NO KEY UPDATE, as LockMotivityUsers: every change of a user's goals
-- takes it first, so that changes of one user's goals on any node run one
-- after another (the limit of active goals holds), while the FOR KEY SHARE
-- that points and goals take on users through foreign keys is not blocked.
SELECT id, identifier, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals
FROM motivity_users WHERE identifier = $1 AND deleted_at IS NULL
FOR NO KEY UPDATE;

-- name: LockGoalOwnerByID
SELECT id, identifier, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals
FROM motivity_users WHERE id = $1 AND deleted_at IS NULL
FOR NO KEY UPDATE;

-- name: LockGoalOwnerOf
-- The owner of goal $1, deleted or not (its goals are then not found).
SELECT id, identifier, active, deleted_at IS NOT NULL, COALESCE(manager_id, 0), manages_goals
FROM motivity_users WHERE id = (SELECT user_id FROM motivity_goals WHERE id = $1)
FOR NO KEY UPDATE;

-- name: GoalByID
SELECT g.id, g.user_id, COALESCE(g.parent_id, 0), g.title, g.value, g.progress, g.value_unit, g.priority, g.deadline,
       g.created_at, g.approved_at, COALESCE(g.approved_by, 0), COALESCE(a.identifier, ''),
       g.completed_at, COALESCE(g.completed_by, 0), COALESCE(c.identifier, ''), g.deleted_at
FROM motivity_goals g
LEFT JOIN motivity_users a ON a.id = g.approved_by
LEFT JOIN motivity_users c ON c.id = g.completed_by
WHERE g.id = $1;

-- name: LiveKeyResults
SELECT g.id, g.user_id, COALESCE(g.parent_id, 0), g.title, g.value, g.progress, g.value_unit, g.priority, g.deadline,
       g.created_at, g.approved_at, COALESCE(g.approved_by, 0), '', g.completed_at, COALESCE(g.completed_by, 0), '', g.deleted_at
FROM motivity_goals g
WHERE g.parent_id = $1 AND g.deleted_at IS NULL
ORDER BY g.id;

-- name: UserGoals
-- Goals and key results together ($2: the deleted too), by id: a key result comes after its goal
-- (ids grow), so one pass puts each under its goal. Deleting a goal deletes
-- its key results, so none is left without its goal. The approvers' and
-- completers' identifiers are not joined: the store keeps them (they never
-- change for an id), and the joins were a third of the cost of a list.
SELECT id, COALESCE(parent_id, 0), title, value, progress, value_unit, priority, deadline, created_at,
       approved_at, COALESCE(approved_by, 0), completed_at, COALESCE(completed_by, 0), deleted_at
FROM motivity_goals
WHERE user_id = $1 AND ($2::boolean OR deleted_at IS NULL)
ORDER BY id;

-- name: GoalsVersion
-- Any change of a user's goals adds a goal or an event (generated goals add
-- no event, but are new goals): the two largest ids tell whether anything
-- changed. Each is one step down its index.
SELECT (SELECT COALESCE(max(id), 0) FROM motivity_goals WHERE user_id = $1),
       (SELECT COALESCE(max(id), 0) FROM motivity_goal_events WHERE user_id = $1);

-- name: UserIdentifiers
SELECT id, identifier FROM motivity_users WHERE id IN (SELECT json_array_elements_text($1::json)::bigint);

-- name: InsertGoal
INSERT INTO motivity_goals (user_id, parent_id, title, value, progress, value_unit, priority, deadline, created_at,
                            approved_at, approved_by, completed_at, completed_by, deleted_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
RETURNING id;

-- name: ImportGoal
-- Generated goals (operator.GenerateMotivityGoals), many rows a statement
-- (batchStatements): no id answered, no key results.
INSERT INTO motivity_goals (user_id, title, value, progress, value_unit, priority, deadline, created_at,
                            approved_at, approved_by, completed_at, completed_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

-- name: UpdateGoal
UPDATE motivity_goals
SET title = $2, value = $3, progress = $4, value_unit = $5, priority = $6, deadline = $7,
    approved_at = $8, approved_by = $9, completed_at = $10, completed_by = $11, deleted_at = $12
WHERE id = $1;

-- name: InsertGoalEvent
INSERT INTO motivity_goal_events (goal_id, user_id, action, author_id, actor, request_id, at, changes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: UserGoalEvents
SELECT id, goal_id, user_id, action, COALESCE(author_id, 0), actor, request_id, at, changes
FROM motivity_goal_events WHERE user_id = $1 ORDER BY id;
