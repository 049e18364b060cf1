-- Queries of the migrant-exam intake, SQLite dialect. Parameters are numbered
-- (?1) so that one can be used twice, as PostgreSQL's $1.

-- name: CreateOrganization
INSERT INTO organizations (name, username, password_hash, api_key_hash, created_at)
VALUES (?1, ?2, ?3, ?4, ?5)
RETURNING id;

-- name: UpdateOrganization
UPDATE organizations SET name = ?2, password_hash = ?3, api_key_hash = ?4 WHERE id = ?1;

-- name: OrganizationByID
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations WHERE id = ?1;

-- name: OrganizationByUsername
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations WHERE username = ?1;

-- name: Organizations
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations ORDER BY id;

-- name: AreaByID
SELECT id, organization_id, name, created_at FROM examination_areas WHERE id = ?1;

-- name: NextAreaID
SELECT COALESCE(MAX(id), 0) + 1 FROM examination_areas;

-- name: InsertArea
INSERT INTO examination_areas (id, organization_id, name, created_at) VALUES (?1, ?2, ?3, ?4);

-- name: RegrantArea
UPDATE examination_areas SET organization_id = ?2, name = ?3 WHERE id = ?1;

-- name: RevokeArea
UPDATE examination_areas SET organization_id = NULL WHERE id = ?1 AND organization_id = ?2;

-- name: Areas
SELECT id, organization_id, name, created_at FROM examination_areas WHERE organization_id = ?1 ORDER BY id;

-- name: SubmitChecks
-- The area's holder (no row: no such area) and the organization's report
-- for the week, if any.
SELECT a.organization_id,
       (SELECT r.id FROM reports r
        WHERE r.organization_id = ?1 AND r.examination_area_id = ?2 AND r.period_start = ?3)
FROM examination_areas a
WHERE a.id = ?2;

-- name: ReportForReplace
-- The organization is part of the lookup: another organization's report is
-- not found, as one that does not exist. No row lock: SQLite's write
-- transaction (BEGIN IMMEDIATE) already excludes every other writer.
SELECT current_version FROM reports WHERE id = ?1 AND organization_id = ?2;

-- name: ReportByWeek
SELECT id FROM reports WHERE organization_id = ?1 AND examination_area_id = ?2 AND period_start = ?3;

-- name: InsertReport
-- ?1 is a random id (migrantexam.NewReportID); no row when another report
-- has it, and the store draws again.
INSERT INTO reports (id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at)
VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)
ON CONFLICT (id) DO NOTHING
RETURNING id;

-- name: UpdateReport
UPDATE reports SET examination_area_id = ?2, period_start = ?3, current_version = ?4, updated_at = ?5 WHERE id = ?1;

-- name: InsertReportVersion
INSERT INTO report_versions (
    report_id, version, received_at, examination_area_id, period_start, period_end,
    no_exam_in_selected_period, examination_area_does_not_work,
    patent_nearest_start_date, no_patent_exam_type,
    temporary_residence_nearest_start_date, no_temporary_residence_exam_type,
    residence_permit_nearest_start_date, no_residence_permit_exam_type,
    citizenship_russian_lang_nearest_start_date, no_citizenship_russian_lang_exam_type,
    citizenship_history_nearest_start_date, no_citizenship_history_exam_type,
    comment, request_count
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20);

-- name: InsertReportRequest
-- One row; the store also prepares it repeated for 100 rows per statement
-- (see batchStatements), the fastest way into SQLite that
-- benchmarks/sqlitedriver found.
INSERT INTO report_requests (
    report_id, version, row_no, identity_document_number, exam_date, migration_exam_type, migration_exam_status
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: ReportByID
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports WHERE id = ?1;

-- name: Reports
-- Oldest first (ids are random, so not in id order). The first page; later
-- ones are ReportsAfter, a query of their own: "no cursor OR after it" in
-- one statement kept either database from starting the index range at the
-- cursor, and every page read from the start.
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports
WHERE (?1 = 0 OR organization_id = ?1) AND (?2 = 0 OR examination_area_id = ?2)
ORDER BY created_at, id
LIMIT ?3;

-- name: ReportsAfter
-- ?3 is the last report of the previous page; the page goes on from its
-- place (none when it names no report).
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports
WHERE (?1 = 0 OR organization_id = ?1) AND (?2 = 0 OR examination_area_id = ?2)
    AND (created_at, id) > (SELECT created_at, id FROM reports WHERE id = ?3)
ORDER BY created_at, id
LIMIT ?4;

-- name: ReportVersions
SELECT version, received_at, examination_area_id, period_start, period_end,
    no_exam_in_selected_period, examination_area_does_not_work,
    patent_nearest_start_date, no_patent_exam_type,
    temporary_residence_nearest_start_date, no_temporary_residence_exam_type,
    residence_permit_nearest_start_date, no_residence_permit_exam_type,
    citizenship_russian_lang_nearest_start_date, no_citizenship_russian_lang_exam_type,
    citizenship_history_nearest_start_date, no_citizenship_history_exam_type,
    comment, request_count
FROM report_versions WHERE report_id = ?1 ORDER BY version;

-- name: ReportRequests
SELECT version, identity_document_number, exam_date, migration_exam_type, migration_exam_status
FROM report_requests WHERE report_id = ?1 ORDER BY version, row_no;
