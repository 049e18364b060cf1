-- The FSSP data bank API, SQLite dialect.

-- name: InsertFSSPToken
INSERT INTO fssp_tokens (name, token_hash, issued_at, expires_at, single_per_hour, single_per_day, group_per_day)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
RETURNING id;

-- name: FSSPTokenByHash
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens WHERE token_hash = ?1;

-- name: FSSPTokenByID
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens WHERE id = ?1;

-- name: FSSPTokens
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens ORDER BY id;

-- name: RevokeFSSPToken
UPDATE fssp_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1;

-- name: LockFSSPToken
-- Nothing to lock: the write transaction already excludes every other
-- writer, so counting and inserting cannot interleave.
SELECT id FROM fssp_tokens WHERE id = ?1;

-- name: CountFSSPTasks
SELECT count(*) FROM fssp_tasks WHERE token_id = ?1 AND class = ?2 AND created_at > ?3;

-- name: NthFSSPTaskTime
SELECT created_at FROM fssp_tasks WHERE token_id = ?1 AND class = ?2 AND created_at > ?3
ORDER BY created_at LIMIT 1 OFFSET ?4;

-- name: InsertFSSPTask
INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, created_at, job_id)
VALUES (?1, ?2, ?3, ?4, ?5, 2, ?6, ?7);

-- name: InsertEndedFSSPTask
-- A single search answered in its submitting request: ended as it is
-- stored, so no job runs it (job_id NULL). PostgreSQL stores a node's
-- concurrent ones in one InsertEndedFSSPTasksWithResults statement; here
-- there is none: the group committer already writes them in one
-- transaction, whose statements cost no round trip.
INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, done, failed, created_at, started_at, finished_at)
VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10);

-- name: FSSPTask
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks WHERE id = ?1 AND created_at > ?2;

-- name: FSSPTokenTask
-- A token's own task, looked up by token and id together in the index
-- fssp_tasks_owner: another token's task is not under this token, so it is
-- not read at all and costs what a task that never existed costs.
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks INDEXED BY fssp_tasks_owner WHERE token_id = ?1 AND id = ?2 AND created_at > ?3;

-- name: FSSPTokenTaskState
-- FSSPTokenTask without the requests, which a group's status polls would
-- otherwise read and decode each time.
SELECT id, token_id, class, n, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks INDEXED BY fssp_tasks_owner WHERE token_id = ?1 AND id = ?2 AND created_at > ?3;

-- name: FSSPTaskResults
SELECT idx, failed, body FROM fssp_task_results WHERE task_id = ?1 ORDER BY idx;

-- name: StartFSSPTask
UPDATE fssp_tasks SET state = 1, started_at = ?2 WHERE id = ?1 AND state = 2;

-- name: InsertFSSPSubResult
-- A statement a result, and CountFSSPSubResult once, inside the batch's
-- transaction: PostgreSQL does both in one statement over arrays
-- (SaveFSSPSubResults), to save round trips that SQLite, in process, does
-- not make, and it has no arrays.
INSERT INTO fssp_task_results (task_id, idx, failed, body) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (task_id, idx) DO NOTHING;

-- name: CountFSSPSubResult
UPDATE fssp_tasks SET done = done + ?2, failed = failed + ?3 WHERE id = ?1;

-- name: FSSPTaskOpen
SELECT 1 FROM fssp_tasks WHERE id = ?1 AND state IN (1, 2);

-- name: FinishFSSPTask
UPDATE fssp_tasks SET state = CASE WHEN failed > 0 THEN 3 ELSE 0 END, finished_at = ?2, started_at = COALESCE(started_at, ?3)
WHERE id = ?1 AND state IN (1, 2);

-- name: FSSPTasks
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks
WHERE (?1 = 0 OR token_id = ?1) AND (?2 < 0 OR state = ?2) AND created_at >= ?3 AND created_at < ?4
ORDER BY created_at DESC, id LIMIT ?5;

-- name: FSSPTaskStates
-- For metrics: the tasks kept (a day's) by state, each state's oldest.
SELECT state, count(*), min(created_at) FROM fssp_tasks GROUP BY state;

-- name: AbandonedFSSPTasks
-- Unfinished tasks whose job is no more: discarded after its last attempt,
-- or pruned.
SELECT t.id FROM fssp_tasks t LEFT JOIN jobs j ON j.id = t.job_id
WHERE t.state IN (1, 2) AND (j.id IS NULL OR j.state = 'discarded')
LIMIT ?1;

-- name: PurgeFSSPTasks
-- Results go with their task (ON DELETE CASCADE); batches keep each
-- transaction short.
DELETE FROM fssp_tasks WHERE id IN (SELECT id FROM fssp_tasks WHERE created_at <= ?1 LIMIT ?2);

-- name: InternFSSPText
-- The no-op update makes RETURNING answer for an existing row too.
INSERT INTO fssp_texts (text) VALUES (?1)
ON CONFLICT (text) DO UPDATE SET text = excluded.text
RETURNING id;

-- name: UpsertFSSPDepartment
-- The first text a load gives a department replaces the bank's; the load
-- refuses a second one (sqlstore bankWriter.add).
INSERT INTO fssp_departments (id, name, postal_index, address) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, postal_index = excluded.postal_index, address = excluded.address;

-- name: DepartmentFSSP
SELECT name, postal_index, address FROM fssp_departments WHERE id = ?1;

-- name: InternFSSPBailiff
INSERT INTO fssp_bailiffs (department_id, name, phone) VALUES (?1, ?2, ?3)
ON CONFLICT (department_id, name, phone) DO UPDATE SET name = excluded.name
RETURNING id;

-- name: InsertFSSPLegal
-- Nothing on conflict: the caller looks an existing entity up by key.
INSERT INTO fssp_legal (region, name, address, legal_key) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (legal_key) DO NOTHING
RETURNING id;

-- name: FSSPLegalByKey
SELECT id FROM fssp_legal WHERE legal_key = ?1;

-- name: InsertLegalTrigram
INSERT INTO fssp_legal_trigrams (region, trigram, legal_id) VALUES (?1, ?2, ?3)
ON CONFLICT DO NOTHING;

-- name: InsertProceeding
INSERT INTO fssp_proceedings (kind, region, person_key, patronymic_key, legal_id, last_name, first_name, patronymic, birth_date,
    birth_place_id, number_key, number_own, number_year, department_id, opened, joined, doc_type_id, doc_date,
    doc_number, doc_issuer_id, subject_id, amount, fee, bailiff_id, end_date, end_article, end_part, end_point, shape, consolidated)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30);

-- name: CountProceedings
SELECT count(*) FROM fssp_proceedings;

-- name: PersonCandidates
-- Answered from the index alone: 0 means "not given".
SELECT id FROM fssp_proceedings
WHERE person_key = ?1 AND (?2 = 0 OR patronymic_key = ?2) AND (?3 = 0 OR birth_date = ?3)
-- LIMIT is a literal (the largest item cap), not a parameter: SQLite
-- prepares a statement again at every run whose LIMIT value changes, and
-- that was a fifth of a search. The caller stops at its cap.
ORDER BY id LIMIT 10000;

-- name: NumberCandidates
SELECT id, department_id FROM fssp_proceedings WHERE number_key = ?1 ORDER BY id;

-- name: CountLegalTrigram
-- Capped: only which trigram is rarest matters, not by how much.
-- One statement a trigram (SQLite only): PostgreSQL counts a fragment's
-- trigrams in one round trip (CountLegalTrigrams, over an array), but SQLite
-- runs in process, has no round trips to save and no arrays, and its loop
-- stops at a trigram no name has.
SELECT count(*) FROM (SELECT 1 FROM fssp_legal_trigrams WHERE region = ?1 AND trigram = ?2 LIMIT 1000);

-- name: LegalByTrigram
-- Read a page at a time after the last entity seen: PostgreSQL sends a
-- statement's every row even when the reader stops early, and a common
-- trigram has thousands.
SELECT l.id, l.name, l.address FROM fssp_legal_trigrams t JOIN fssp_legal l ON l.id = t.legal_id
WHERE t.region = ?1 AND t.trigram = ?2 AND t.legal_id > ?3 ORDER BY t.legal_id LIMIT 200; -- = legalPage in fssp.go

-- name: LegalByRegion
SELECT id, name, address FROM fssp_legal WHERE region = ?1 AND id > ?2 ORDER BY id LIMIT 200; -- = legalPage in fssp.go

-- Texts and bailiffs come by id: the store resolves them from memory (they
-- never change once written), which spared five joins a row.

-- name: FSSPTextsByIDs
SELECT id, text FROM fssp_texts WHERE id IN (SELECT value FROM json_each(?1));

-- name: FSSPBailiffsByIDs
SELECT id, name, phone FROM fssp_bailiffs WHERE id IN (SELECT value FROM json_each(?1));

-- name: FSSPDepartmentsByIDs
-- With the bank's version read in the same snapshot: the texts are the
-- ones that version names (sqlstore.resolve keeps them under it).
SELECT id, name, postal_index, address, (SELECT version FROM stand_bank WHERE id = 1)
FROM fssp_departments WHERE id IN (SELECT value FROM json_each(?1));

-- The proceedings' statements give the bank's version (stand_bank) in place
-- of their departments' texts, as in PostgreSQL: a node keeps the texts a
-- version names in memory, and a load or a restore that changes them names
-- the bank anew.

-- name: ProceedingsByIDs
-- The ids come as one JSON array: a statement prepared once serves any
-- number of them.
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, l.name, l.address,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM fssp_proceedings p
LEFT JOIN fssp_legal l ON l.id = p.legal_id
WHERE p.id IN (SELECT value FROM json_each(?1));

-- name: ProceedingsByLegalIDs
-- Unbounded, unlike PostgreSQL's ProceedingsByLegalIDsUpTo, which takes the
-- rows still wanted: reading a chunk's rows in process costs little here,
-- and a bound LIMIT made SQLite prepare hot statements again at each run
-- (docs/benchmarks.md, "FSSP data bank"). Names and addresses are not
-- joined, as in PostgreSQL's: the search has them from its page. The rows
-- come in the legal index's order (see DDLCreateLegalIndex), so the
-- statement is PostgreSQL's without its bound.
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, NULL, NULL,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM fssp_proceedings p
WHERE p.legal_id IN (SELECT value FROM json_each(?1))
ORDER BY p.legal_id, p.id LIMIT 10000; -- a literal, as in PersonCandidates

-- name: BankHasProceedings
SELECT count(*) FROM (SELECT 1 FROM fssp_proceedings LIMIT 1) AS any_row;

-- A load into an empty bank builds the search indexes once at its end:
-- sorting once is four times cheaper than inserting every key at random.
-- They must match the migration's.

-- name: DDLDropPersonIndex
DROP INDEX fssp_proceedings_person;

-- name: DDLDropLegalIndex
DROP INDEX fssp_proceedings_legal;

-- name: DDLDropNumberIndex
DROP INDEX fssp_proceedings_number;

-- name: DDLBeforeIndexes
-- The index sorts take memory up to the page cache's size and then spill
-- to temporary files: with the load's large cache full of the
-- transaction's pages, and temporary files in memory (where statement
-- journals are kept, see sqlite.go), they exhausted the writer's memory.
PRAGMA temp_store = FILE; PRAGMA cache_size = -262144;

-- name: DDLAfterIndexes
PRAGMA temp_store = MEMORY;

-- name: DDLCreatePersonIndex
CREATE INDEX fssp_proceedings_person ON fssp_proceedings (person_key, patronymic_key, birth_date) WHERE person_key IS NOT NULL;

-- name: DDLCreateLegalIndex
-- (legal_id) alone, where PostgreSQL's is keyed (legal_id, id) (its
-- migration 0027): every SQLite index carries the rowid, which is the id,
-- after its key, so this one already gives ProceedingsByLegalIDs its rows
-- in (legal_id, id) order without a sort, as PostgreSQL's now does for
-- ProceedingsByLegalIDsUpTo.
CREATE INDEX fssp_proceedings_legal ON fssp_proceedings (legal_id) WHERE legal_id IS NOT NULL;

-- name: DDLCreateNumberIndex
CREATE INDEX fssp_proceedings_number ON fssp_proceedings (number_key, department_id);

-- name: RefreshBankStatistics
-- Nothing to do: without sqlite_stat1 the planner already takes the bank's
-- indexes for every statement here (the plans measured in
-- docs/benchmarks.md), and statistics could only move it off them.
