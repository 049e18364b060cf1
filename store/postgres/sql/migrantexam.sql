-- Queries of the migrant-exam intake, PostgreSQL dialect.

-- name: CreateOrganization
INSERT INTO organizations (name, username, password_hash, api_key_hash, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: UpdateOrganization
UPDATE organizations SET name = $2, password_hash = $3, api_key_hash = $4 WHERE id = $1;

-- name: OrganizationByID
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations WHERE id = $1;

-- name: OrganizationByUsername
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations WHERE username = $1;

-- name: Organizations
SELECT id, name, username, password_hash, api_key_hash, created_at FROM organizations ORDER BY id;

-- name: AreaByID
SELECT id, organization_id, name, created_at FROM examination_areas WHERE id = $1;

-- name: NextAreaID
SELECT COALESCE(MAX(id), 0) + 1 FROM examination_areas;

-- name: InsertArea
INSERT INTO examination_areas (id, organization_id, name, created_at) VALUES ($1, $2, $3, $4);

-- name: RegrantArea
UPDATE examination_areas SET organization_id = $2, name = $3 WHERE id = $1;

-- name: RevokeArea
UPDATE examination_areas SET organization_id = NULL WHERE id = $1 AND organization_id = $2;

-- name: Areas
SELECT id, organization_id, name, created_at FROM examination_areas WHERE organization_id = $1 ORDER BY id;

-- name: SubmitChecks
-- The area's holder (no row: no such area) and the organization's report
-- for the week, if any. FOR SHARE: a revocation waits until the report that
-- relied on the grant is committed, instead of slipping in between.
SELECT a.organization_id,
       (SELECT r.id FROM reports r
        WHERE r.organization_id = $1 AND r.examination_area_id = $2 AND r.period_start = $3)
FROM examination_areas a
WHERE a.id = $2
FOR SHARE OF a;

-- name: ReportForReplace
-- The organization is part of the lookup: another organization's report is
-- not found, as one that does not exist. Locks the row: two replacements of
-- one report at once must not both become version n+1.
SELECT current_version FROM reports WHERE id = $1 AND organization_id = $2 FOR UPDATE;

-- name: ReportByWeek
SELECT id FROM reports WHERE organization_id = $1 AND examination_area_id = $2 AND period_start = $3;

-- name: UpdateReport
UPDATE reports SET examination_area_id = $2, period_start = $3, current_version = $4, updated_at = $5 WHERE id = $1;

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
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20);

-- name: InsertReportRequest
-- One row; the store also prepares it repeated for 100 rows per statement
-- (see batchStatements), the fastest way into SQLite that
-- benchmarks/sqlitedriver found.
INSERT INTO report_requests (
    report_id, version, row_no, identity_document_number, exam_date, migration_exam_type, migration_exam_status
) VALUES ($1, $2, $3, $4, $5, $6, $7);

-- name: ReportByID
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports WHERE id = $1;

-- name: Reports
-- Oldest first (ids are random, so not in id order). The first page; later
-- ones are ReportsAfter, a query of their own: "no cursor OR after it" in
-- one statement kept either database from starting the index range at the
-- cursor, and every page read from the start.
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports
WHERE ($1::bigint = 0 OR organization_id = $1) AND ($2::bigint = 0 OR examination_area_id = $2)
ORDER BY created_at, id
LIMIT $3;

-- name: ReportsAfter
-- $3 is the last report of the previous page; the page goes on from its
-- place (none when it names no report).
SELECT id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at
FROM reports
WHERE ($1::bigint = 0 OR organization_id = $1) AND ($2::bigint = 0 OR examination_area_id = $2)
    AND (created_at, id) > (SELECT created_at, id FROM reports WHERE id = $3)
ORDER BY created_at, id
LIMIT $4;

-- name: ReportVersions
SELECT version, received_at, examination_area_id, period_start, period_end,
    no_exam_in_selected_period, examination_area_does_not_work,
    patent_nearest_start_date, no_patent_exam_type,
    temporary_residence_nearest_start_date, no_temporary_residence_exam_type,
    residence_permit_nearest_start_date, no_residence_permit_exam_type,
    citizenship_russian_lang_nearest_start_date, no_citizenship_russian_lang_exam_type,
    citizenship_history_nearest_start_date, no_citizenship_history_exam_type,
    comment, request_count
FROM report_versions WHERE report_id = $1 ORDER BY version;

-- name: ReportRequests
SELECT version, identity_document_number, exam_date, migration_exam_type, migration_exam_status
FROM report_requests WHERE report_id = $1 ORDER BY version, row_no;

-- name: SubmitNewReport
-- A new report in one statement, one round trip instead of six: the area
-- and week checks, the three inserts, and what the store needs to answer.
-- SQLite has no data-modifying CTEs and no round trips to save, so it runs
-- the same steps as separate statements (sqlstore.SubmitReport). Inserts
-- happen only when the area is the organization's and the week is free; a
-- concurrent insert of the same week fails on the unique index, which the
-- store answers as a duplicate. $20 is a JSON array of
-- [document, examDate, type, status] rows. $21 is a random id
-- (migrantexam.NewReportID): when another report has it, nothing is stored
-- and the third column is NULL, and the store draws again.
WITH area AS (
    SELECT organization_id FROM examination_areas WHERE id = $2 FOR SHARE
), taken AS (
    SELECT id FROM reports WHERE organization_id = $1 AND examination_area_id = $2 AND period_start = $3
), report AS (
    INSERT INTO reports (id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at)
    SELECT $21, $1, $2, $3, 1, $4, $4
    WHERE EXISTS (SELECT 1 FROM area WHERE organization_id = $1) AND NOT EXISTS (SELECT 1 FROM taken)
    ON CONFLICT (id) DO NOTHING
    RETURNING id
), version AS (
    INSERT INTO report_versions (
        report_id, version, received_at, examination_area_id, period_start, period_end,
        no_exam_in_selected_period, examination_area_does_not_work,
        patent_nearest_start_date, no_patent_exam_type,
        temporary_residence_nearest_start_date, no_temporary_residence_exam_type,
        residence_permit_nearest_start_date, no_residence_permit_exam_type,
        citizenship_russian_lang_nearest_start_date, no_citizenship_russian_lang_exam_type,
        citizenship_history_nearest_start_date, no_citizenship_history_exam_type,
        comment, request_count
    )
    SELECT report.id, 1, $4, $2, $3, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19
    FROM report
    RETURNING report_id
), rows AS (
    INSERT INTO report_requests (
        report_id, version, row_no, identity_document_number, exam_date, migration_exam_type, migration_exam_status
    )
    SELECT version.report_id, 1, r.ord - 1, r.v ->> 0, (r.v ->> 1)::date, (r.v ->> 2)::smallint, (r.v ->> 3)::smallint
    FROM version, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS r (v, ord)
    RETURNING 1
)
SELECT (SELECT organization_id FROM area), (SELECT id FROM taken), (SELECT report_id FROM version),
       (SELECT count(*) FROM rows);

-- name: SubmitNewReports
-- Concurrent new reports of one node in one statement (sqlstore's
-- reportBatcher): SubmitNewReport's checks and inserts, a row of outcomes
-- per report. $1 is a JSON array of reports, each with its place n, its
-- drawn id and its rows in "requests" as SubmitNewReport's $20. Unlike
-- SubmitNewReport, a report whose id or week another report took meanwhile
-- (ON CONFLICT without a target covers both, and a report that repeats an
-- earlier one's week in the same batch) is skipped rather than failing the
-- others: its fourth column is NULL and the store submits it alone, which
-- answers it exactly as if it had not been batched. The store orders the
-- reports by organization, area and week, so that two batches that insert
-- the same weeks wait for each other in one order, never in a cycle.
-- SQLite group-commits its reports instead (sqlstore's committer).
WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS i (
        n integer, id bigint, org bigint, area bigint, period_start date, at timestamptz,
        period_end date, no_exam boolean, does_not_work boolean,
        patent_date date, no_patent boolean, temporary_date date, no_temporary boolean,
        permit_date date, no_permit boolean, russian_date date, no_russian boolean,
        history_date date, no_history boolean, comment text, request_count integer, requests jsonb
    )
), area AS (
    SELECT id, organization_id FROM examination_areas WHERE id IN (SELECT area FROM input) FOR SHARE
), taken AS (
    SELECT i.n, r.id FROM input i
    JOIN reports r ON r.organization_id = i.org AND r.examination_area_id = i.area AND r.period_start = i.period_start
), report AS (
    INSERT INTO reports (id, organization_id, examination_area_id, period_start, current_version, created_at, updated_at)
    SELECT i.id, i.org, i.area, i.period_start, 1, i.at, i.at FROM input i
    WHERE EXISTS (SELECT 1 FROM area a WHERE a.id = i.area AND a.organization_id = i.org)
      AND NOT EXISTS (SELECT 1 FROM taken t WHERE t.n = i.n)
    ORDER BY i.n
    ON CONFLICT DO NOTHING
    RETURNING id
), version AS (
    INSERT INTO report_versions (
        report_id, version, received_at, examination_area_id, period_start, period_end,
        no_exam_in_selected_period, examination_area_does_not_work,
        patent_nearest_start_date, no_patent_exam_type,
        temporary_residence_nearest_start_date, no_temporary_residence_exam_type,
        residence_permit_nearest_start_date, no_residence_permit_exam_type,
        citizenship_russian_lang_nearest_start_date, no_citizenship_russian_lang_exam_type,
        citizenship_history_nearest_start_date, no_citizenship_history_exam_type,
        comment, request_count
    )
    SELECT i.id, 1, i.at, i.area, i.period_start, i.period_end, i.no_exam, i.does_not_work,
           i.patent_date, i.no_patent, i.temporary_date, i.no_temporary, i.permit_date, i.no_permit,
           i.russian_date, i.no_russian, i.history_date, i.no_history, i.comment, i.request_count
    FROM input i JOIN report ON report.id = i.id
    RETURNING report_id
), rows AS (
    INSERT INTO report_requests (
        report_id, version, row_no, identity_document_number, exam_date, migration_exam_type, migration_exam_status
    )
    SELECT version.report_id, 1, r.ord - 1, r.v ->> 0, (r.v ->> 1)::date, (r.v ->> 2)::smallint, (r.v ->> 3)::smallint
    FROM version JOIN input i ON i.id = version.report_id, jsonb_array_elements(i.requests) WITH ORDINALITY AS r (v, ord)
    RETURNING report_id
), stored AS (
    SELECT report_id, count(*) AS rows FROM rows GROUP BY report_id
)
SELECT i.n, a.organization_id, t.id, v.report_id, coalesce(s.rows, 0)
FROM input i
LEFT JOIN area a ON a.id = i.area
LEFT JOIN taken t ON t.n = i.n
LEFT JOIN version v ON v.report_id = i.id
LEFT JOIN stored s ON s.report_id = i.id;
