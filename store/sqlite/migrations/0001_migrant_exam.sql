-- Migrant-exam report intake. Times are INTEGER unix microseconds (SQLite has
-- no timestamp type and integers sort and compare without parsing); calendar
-- days are TEXT 'YYYY-MM-DD', which sorts correctly as text.

CREATE TABLE organizations (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    api_key_hash  BLOB    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL
);

CREATE TABLE examination_areas (
    id              INTEGER PRIMARY KEY,
    -- NULL once revoked: the area id stays reserved so that a later grant
    -- cannot make old reports look like another organization's.
    organization_id INTEGER REFERENCES organizations (id),
    name            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX examination_areas_organization ON examination_areas (organization_id);

CREATE TABLE reports (
    id                  INTEGER PRIMARY KEY,
    organization_id     INTEGER NOT NULL REFERENCES organizations (id),
    examination_area_id INTEGER NOT NULL REFERENCES examination_areas (id),
    period_start        TEXT    NOT NULL,
    current_version     INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (organization_id, examination_area_id, period_start)
);
CREATE INDEX reports_area ON reports (examination_area_id, period_start);

CREATE TABLE report_versions (
    report_id                                INTEGER NOT NULL REFERENCES reports (id),
    version                                  INTEGER NOT NULL,
    received_at                              INTEGER NOT NULL,
    examination_area_id                      INTEGER NOT NULL,
    period_start                             TEXT    NOT NULL,
    period_end                               TEXT    NOT NULL,
    no_exam_in_selected_period               INTEGER NOT NULL,
    examination_area_does_not_work           INTEGER NOT NULL,
    patent_nearest_start_date                TEXT,
    no_patent_exam_type                      INTEGER,
    temporary_residence_nearest_start_date   TEXT,
    no_temporary_residence_exam_type         INTEGER,
    residence_permit_nearest_start_date      TEXT,
    no_residence_permit_exam_type            INTEGER,
    citizenship_russian_lang_nearest_start_date TEXT,
    no_citizenship_russian_lang_exam_type    INTEGER,
    citizenship_history_nearest_start_date   TEXT,
    no_citizenship_history_exam_type         INTEGER,
    comment                                  TEXT,
    request_count                            INTEGER NOT NULL,
    PRIMARY KEY (report_id, version)
) WITHOUT ROWID;

CREATE TABLE report_requests (
    report_id                INTEGER NOT NULL,
    version                  INTEGER NOT NULL,
    row_no                   INTEGER NOT NULL,
    identity_document_number TEXT    NOT NULL,
    exam_date                TEXT    NOT NULL,
    migration_exam_type      INTEGER NOT NULL,
    migration_exam_status    INTEGER NOT NULL,
    PRIMARY KEY (report_id, version, row_no),
    FOREIGN KEY (report_id, version) REFERENCES report_versions (report_id, version)
) WITHOUT ROWID;
