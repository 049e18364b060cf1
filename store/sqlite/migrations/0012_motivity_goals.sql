-- Motivity goals («План развития»). Times are INTEGER unix microseconds,
-- deadlines 'YYYY-MM-DD' text (a calendar day of the platform), as in 0001.
-- A key result is a row of its own with parent_id set. Nothing is deleted:
-- deleted_at marks it, and every change is a row of motivity_goal_events.

-- The limit of active goals per user, and the time zone in which deadlines
-- are calendar days and dates are answered.
ALTER TABLE motivity_platform ADD COLUMN goal_limit INTEGER NOT NULL DEFAULT 10;
ALTER TABLE motivity_platform ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Moscow';

CREATE TABLE motivity_goals (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES motivity_users (id),
    parent_id    INTEGER REFERENCES motivity_goals (id),
    title        TEXT    NOT NULL,
    value        INTEGER NOT NULL,
    progress     INTEGER NOT NULL,
    value_unit   TEXT    NOT NULL,
    priority     TEXT    NOT NULL,
    deadline     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    approved_at  INTEGER,
    approved_by  INTEGER REFERENCES motivity_users (id),
    completed_at INTEGER,
    completed_by INTEGER REFERENCES motivity_users (id),
    deleted_at   INTEGER
);
-- A user's goals and key results by id (ids grow with time) are one range of
-- this index; the key results of one goal, by parent.
CREATE INDEX motivity_goals_user ON motivity_goals (user_id, id);
CREATE INDEX motivity_goals_parent ON motivity_goals (parent_id, id) WHERE parent_id IS NOT NULL;

CREATE TABLE motivity_goal_events (
    id         INTEGER PRIMARY KEY,
    goal_id    INTEGER NOT NULL REFERENCES motivity_goals (id),
    user_id    INTEGER NOT NULL,
    action     TEXT    NOT NULL,
    author_id  INTEGER,
    actor      TEXT    NOT NULL,
    request_id TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    -- JSON: each field changed → [old, new]; the goal itself on creation.
    changes    TEXT    NOT NULL
);
CREATE INDEX motivity_goal_events_user ON motivity_goal_events (user_id, id);
