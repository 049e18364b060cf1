-- The Motivity platform (see stend.MotivityStore). Times are INTEGER unix
-- microseconds, flags INTEGER 0/1, as in 0001. Nothing is deleted: a
-- deleted user or badge keeps its row with deleted_at set, so the ledger and
-- the badge history still say whose they were.

-- One platform per deployment: the row always exists, with the defaults.
CREATE TABLE motivity_platform (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    default_locale      TEXT    NOT NULL,
    -- Comma-separated language codes, in the operator's order.
    locales             TEXT    NOT NULL,
    identifier_kind     TEXT    NOT NULL,
    public_token_hash   BLOB,
    prize_catalog_until INTEGER,
    updated_at          INTEGER NOT NULL
);
INSERT INTO motivity_platform (id, default_locale, locales, identifier_kind, updated_at)
VALUES (1, 'ru', 'en,ru,uz,ky', 'email', 0);

CREATE TABLE motivity_users (
    id            INTEGER PRIMARY KEY,
    identifier    TEXT    NOT NULL,
    email         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    active        INTEGER NOT NULL,
    deleted_at    INTEGER,
    manager_id    INTEGER REFERENCES motivity_users (id),
    manages_goals INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
-- Unique among users not deleted: a deleted user's e-mail may be reused.
CREATE UNIQUE INDEX motivity_users_identifier ON motivity_users (identifier) WHERE deleted_at IS NULL;
CREATE INDEX motivity_users_manager ON motivity_users (manager_id);

-- One row per user and balance type, made with the user: a change is one
-- conditional UPDATE of an existing row, never an insert race.
CREATE TABLE motivity_balances (
    user_id      INTEGER NOT NULL REFERENCES motivity_users (id),
    balance_type TEXT    NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (user_id, balance_type)
) WITHOUT ROWID;

-- Every change of a balance; a balance equals the sum of its entries.
CREATE TABLE motivity_ledger (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES motivity_users (id),
    balance_type  TEXT    NOT NULL,
    amount        INTEGER NOT NULL,
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    message       TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    request_id    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX motivity_ledger_user ON motivity_ledger (user_id, balance_type, id);

CREATE TABLE motivity_badges (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES motivity_badges (id),
    grade      INTEGER NOT NULL,
    image      TEXT    NOT NULL,
    color      TEXT,
    active     INTEGER NOT NULL,
    system     INTEGER NOT NULL,
    deleted_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX motivity_badges_parent ON motivity_badges (parent_id);

CREATE TABLE motivity_badge_texts (
    badge_id          INTEGER NOT NULL REFERENCES motivity_badges (id),
    locale            TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    description       TEXT,
    popup_description TEXT    NOT NULL,
    PRIMARY KEY (badge_id, locale)
) WITHOUT ROWID;

CREATE TABLE motivity_user_badges (
    user_id     INTEGER NOT NULL REFERENCES motivity_users (id),
    badge_id    INTEGER NOT NULL REFERENCES motivity_badges (id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, badge_id)
) WITHOUT ROWID;
CREATE INDEX motivity_user_badges_badge ON motivity_user_badges (badge_id);

-- Every assignment and removal, so that what clients did stays readable.
CREATE TABLE motivity_badge_events (
    id       INTEGER PRIMARY KEY,
    user_id  INTEGER NOT NULL,
    badge_id INTEGER NOT NULL,
    -- assigned, removed, or replaced (a grade taken away by another grade)
    action   TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX motivity_badge_events_user ON motivity_badge_events (user_id, id);
