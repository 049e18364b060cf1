-- Motivity quests. Times are INTEGER unix microseconds, as in 0004. Texts
-- are one JSON column per quest or task (locale → wording): always read and
-- written whole, never searched.
CREATE TABLE motivity_quests (
    id                    INTEGER PRIMARY KEY,
    texts                 TEXT    NOT NULL,
    url_for_mentor        TEXT,
    preview_file_id       INTEGER REFERENCES motivity_files (id),
    open_at               INTEGER,
    close_at              INTEGER,
    deadline_type         TEXT    NOT NULL,
    deadline_delay        INTEGER,
    deadline_date         INTEGER,
    threshold             INTEGER,
    score_threshold       INTEGER,
    score                 INTEGER,
    certificate           INTEGER,
    certificate_completed INTEGER,
    mentor_score          INTEGER,
    score_in_time         INTEGER,
    certificate_deadline  INTEGER,
    quiz_id               INTEGER,
    active                INTEGER NOT NULL,
    deleted_at            INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

-- The users responsible for a quest: they may review every student's tasks.
CREATE TABLE motivity_quest_mentors (
    quest_id INTEGER NOT NULL REFERENCES motivity_quests (id),
    user_id  INTEGER NOT NULL REFERENCES motivity_users (id),
    PRIMARY KEY (quest_id, user_id)
) WITHOUT ROWID;

CREATE TABLE motivity_quest_tasks (
    id              INTEGER PRIMARY KEY,
    quest_id        INTEGER NOT NULL REFERENCES motivity_quests (id),
    texts           TEXT    NOT NULL,
    score           INTEGER,
    preview_file_id INTEGER REFERENCES motivity_files (id),
    quiz_id         INTEGER,
    active          INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    deleted_at      INTEGER,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX motivity_quest_tasks_quest ON motivity_quest_tasks (quest_id, id);

CREATE TABLE motivity_quest_students (
    quest_id    INTEGER NOT NULL REFERENCES motivity_quests (id),
    user_id     INTEGER NOT NULL REFERENCES motivity_users (id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (quest_id, user_id)
) WITHOUT ROWID;

-- A student's own mentors in a quest.
CREATE TABLE motivity_quest_student_mentors (
    quest_id   INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    mentor_id  INTEGER NOT NULL REFERENCES motivity_users (id),
    PRIMARY KEY (quest_id, student_id, mentor_id),
    FOREIGN KEY (quest_id, student_id) REFERENCES motivity_quest_students (quest_id, user_id)
) WITHOUT ROWID;

-- One task of one student. The student's identifier and whether the user
-- is live (active and not deleted) are kept here (a change of the user
-- rewrites them, in its transaction), so that a page of a task's students is one range of
-- motivity_quest_assignments_page, read from the index alone: a quest of a
-- million assignments is paged without visiting the users.
CREATE TABLE motivity_quest_assignments (
    task_id    INTEGER NOT NULL REFERENCES motivity_quest_tasks (id),
    user_id    INTEGER NOT NULL REFERENCES motivity_users (id),
    quest_id   INTEGER NOT NULL,
    identifier TEXT    NOT NULL,
    live       INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (task_id, user_id)
) WITHOUT ROWID;
CREATE INDEX motivity_quest_assignments_page ON motivity_quest_assignments (task_id, live, identifier, status);
CREATE INDEX motivity_quest_assignments_user ON motivity_quest_assignments (user_id, quest_id, task_id);

-- How many live students hold each task in each status: the list's totals,
-- and where its page starts, without counting a million rows. Kept by every
-- change of a status, of the students and of a user's liveness, in the same
-- transaction.
CREATE TABLE motivity_quest_counts (
    task_id  INTEGER NOT NULL REFERENCES motivity_quest_tasks (id),
    status   TEXT    NOT NULL,
    students INTEGER NOT NULL CHECK (students >= 0),
    PRIMARY KEY (task_id, status)
) WITHOUT ROWID;

CREATE TABLE motivity_quest_messages (
    id         INTEGER PRIMARY KEY,
    quest_id   INTEGER NOT NULL,
    task_id    INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES motivity_users (id),
    text       TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    FOREIGN KEY (task_id, student_id) REFERENCES motivity_quest_assignments (task_id, user_id)
);
CREATE INDEX motivity_quest_messages_thread ON motivity_quest_messages (task_id, student_id, id);

CREATE TABLE motivity_quest_message_files (
    message_id INTEGER NOT NULL REFERENCES motivity_quest_messages (id),
    position   INTEGER NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES motivity_files (id),
    PRIMARY KEY (message_id, position)
) WITHOUT ROWID;

-- What reviews paid, each once: the key is what makes a repeated or
-- concurrent review unable to pay twice (task_id 0 for the quest's awards).
CREATE TABLE motivity_quest_awards (
    quest_id     INTEGER NOT NULL,
    student_id   INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    task_id      INTEGER NOT NULL,
    recipient_id INTEGER NOT NULL REFERENCES motivity_users (id),
    score        INTEGER NOT NULL,
    certificate  INTEGER,
    at           INTEGER NOT NULL,
    PRIMARY KEY (quest_id, student_id, kind, task_id)
) WITHOUT ROWID;
