-- The FSSP data bank API, PostgreSQL dialect.

-- name: InsertFSSPToken
INSERT INTO fssp_tokens (name, token_hash, issued_at, expires_at, single_per_hour, single_per_day, group_per_day)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id;

-- name: FSSPTokenByHash
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens WHERE token_hash = $1;

-- name: FSSPTokenByID
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens WHERE id = $1;

-- name: FSSPTokens
SELECT id, name, token_hash, issued_at, expires_at, revoked_at, single_per_hour, single_per_day, group_per_day
FROM fssp_tokens ORDER BY id;

-- name: RevokeFSSPToken
UPDATE fssp_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1;

-- name: LockFSSPToken
-- Serializes one token's submissions across nodes, so that two requests at
-- the limit cannot both count the other as absent.
SELECT id FROM fssp_tokens WHERE id = $1 FOR UPDATE;

-- name: CountFSSPTasks
SELECT count(*) FROM fssp_tasks WHERE token_id = $1 AND class = $2 AND created_at > $3;

-- name: NthFSSPTaskTime
SELECT created_at FROM fssp_tasks WHERE token_id = $1 AND class = $2 AND created_at > $3
ORDER BY created_at LIMIT 1 OFFSET $4;

-- name: InsertFSSPTask
INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, created_at, job_id)
VALUES ($1, $2, $3, $4, $5, 2, $6, $7);

-- name: InsertEndedFSSPTask
-- A single search answered in its submitting request: ended as it is
-- stored, so no job runs it (job_id NULL).
INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, done, failed, created_at, started_at, finished_at)
VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10);

-- name: InsertEndedFSSPTaskWithResult
-- InsertEndedFSSPTask and its result's InsertFSSPSubResult in one
-- statement, outside a transaction: one round trip instead of four (BEGIN,
-- two inserts, COMMIT), for a submission that counts no limits. SQLite has
-- no data-modifying CTEs and no round trips to save: it runs the two in a
-- transaction (sqlstore.InsertEndedTask chooses by whether the dialect
-- defines this one).
WITH task AS (
    INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, done, failed, created_at, started_at, finished_at)
    VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10)
    RETURNING id
)
INSERT INTO fssp_task_results (task_id, idx, failed, body) SELECT id, $11, $12, $13 FROM task;

-- name: InsertEndedFSSPTasksWithResults
-- InsertEndedFSSPTaskWithResult for the tasks that one node's requests
-- store at once (sqlstore's endedTaskBatcher), over arrays in $1's order:
-- one statement and one commit for them all. No ON CONFLICT: a task id
-- taken already fails the statement, which stores nothing, and each task
-- is then stored alone. SQLite's committer groups these writes already.
WITH task AS (
    INSERT INTO fssp_tasks (id, token_id, class, requests, n, state, done, failed, created_at, started_at, finished_at)
    SELECT t.id, t.token_id, t.class, t.requests, 1, t.state, t.done, t.failed, t.created_at, t.started_at, t.finished_at
    FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::bytea[], $5::integer[], $6::integer[], $7::integer[],
                $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
        AS t (id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at)
    RETURNING id
)
INSERT INTO fssp_task_results (task_id, idx, failed, body)
SELECT r.id, r.idx, r.failed, r.body
FROM unnest($1::text[], $11::integer[], $12::boolean[], $13::bytea[]) AS r (id, idx, failed, body)
JOIN task USING (id);

-- name: FSSPTask
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks WHERE id = $1 AND created_at > $2;

-- name: FSSPTokenTask
-- A token's own task, looked up by token and id together in the index
-- fssp_tasks_owner: another token's task is not under this token, so it is
-- not read at all and costs what a task that never existed costs.
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks WHERE token_id = $1 AND id = $2 AND created_at > $3;

-- name: FSSPTokenTaskState
-- FSSPTokenTask without the requests, which a group's status polls would
-- otherwise read (from TOAST, decompressed) and send each time.
SELECT id, token_id, class, n, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks WHERE token_id = $1 AND id = $2 AND created_at > $3;

-- name: FSSPTaskResults
SELECT idx, failed, body FROM fssp_task_results WHERE task_id = $1 ORDER BY idx;

-- name: StartFSSPTask
UPDATE fssp_tasks SET state = 1, started_at = $2 WHERE id = $1 AND state = 2;

-- name: InsertFSSPSubResult
INSERT INTO fssp_task_results (task_id, idx, failed, body) VALUES ($1, $2, $3, $4)
ON CONFLICT (task_id, idx) DO NOTHING;

-- name: SaveFSSPSubResults
-- What SQLite does with InsertFSSPSubResult for each result and
-- CountFSSPSubResult, in one statement (PostgreSQL only): a group's batch
-- of results is one round trip and, on its own, one commit, instead of a
-- transaction of a statement a result (a group of 100 took 180 of its 780
-- statements so, docs/benchmarks.md). A result already kept is skipped and
-- not counted again.
-- $5 is true when the batch is a transaction of its own, a running task's:
-- then its commit does not wait for the WAL's flush (set_config's third
-- argument confines it to this transaction). The task's end waits, and the
-- WAL is flushed in order, so an ended task has every result on disk; a
-- database crash can lose only a running task's last batches, which its job
-- then searches again (docs/fssp.md, "A running task's results"). A group's
-- p99 waited behind the flushes of its 28-30 commits when the disk was busy
-- (docs/benchmarks.md, fifteenth part). Inside the transaction that ends the
-- task $5 is false: the end must wait.
WITH unflushed AS (
    SELECT CASE WHEN $5::boolean THEN set_config('synchronous_commit', 'off', true) END
), saved AS (
    INSERT INTO fssp_task_results (task_id, idx, failed, body)
    SELECT $1, r.idx, r.failed, r.body FROM unnest($2::integer[], $3::boolean[], $4::bytea[]) AS r (idx, failed, body), unflushed
    ON CONFLICT (task_id, idx) DO NOTHING
    RETURNING failed
)
UPDATE fssp_tasks SET done = done + (SELECT count(*) FROM saved WHERE NOT failed),
    failed = failed + (SELECT count(*) FROM saved WHERE failed)
WHERE id = $1 AND EXISTS (SELECT 1 FROM saved);

-- name: FSSPTaskOpen
SELECT 1 FROM fssp_tasks WHERE id = $1 AND state IN (1, 2);

-- name: FinishFSSPTask
UPDATE fssp_tasks SET state = CASE WHEN failed > 0 THEN 3 ELSE 0 END, finished_at = $2, started_at = COALESCE(started_at, $3)
WHERE id = $1 AND state IN (1, 2);

-- name: FSSPTasks
SELECT id, token_id, class, requests, state, done, failed, created_at, started_at, finished_at
FROM fssp_tasks
WHERE ($1::bigint = 0 OR token_id = $1) AND ($2::integer < 0 OR state = $2) AND created_at >= $3 AND created_at < $4
ORDER BY created_at DESC, id LIMIT $5;

-- name: FSSPTaskStates
-- For metrics: the tasks kept (a day's) by state, each state's oldest.
SELECT state, count(*), min(created_at) FROM fssp_tasks GROUP BY state;

-- name: AbandonedFSSPTasks
-- Unfinished tasks whose job is no more: discarded after its last attempt,
-- or pruned.
SELECT t.id FROM fssp_tasks t LEFT JOIN jobs j ON j.id = t.job_id
WHERE t.state IN (1, 2) AND (j.id IS NULL OR j.state = 'discarded')
LIMIT $1;

-- name: PurgeFSSPTasks
-- Results go with their task (ON DELETE CASCADE); batches keep each
-- transaction short.
DELETE FROM fssp_tasks WHERE id IN (SELECT id FROM fssp_tasks WHERE created_at <= $1 LIMIT $2);

-- name: InternFSSPText
-- The no-op update makes RETURNING answer for an existing row too.
INSERT INTO fssp_texts (text) VALUES ($1)
ON CONFLICT (text) DO UPDATE SET text = excluded.text
RETURNING id;

-- name: UpsertFSSPDepartment
-- The first text a load gives a department replaces the bank's; the load
-- refuses a second one (sqlstore bankWriter.add).
INSERT INTO fssp_departments (id, name, postal_index, address) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, postal_index = excluded.postal_index, address = excluded.address;

-- name: DepartmentFSSP
SELECT name, postal_index, address FROM fssp_departments WHERE id = $1;

-- name: InternFSSPBailiff
INSERT INTO fssp_bailiffs (department_id, name, phone) VALUES ($1, $2, $3)
ON CONFLICT (department_id, name, phone) DO UPDATE SET name = excluded.name
RETURNING id;

-- name: InsertFSSPLegal
-- Nothing on conflict: the caller looks an existing entity up by key.
INSERT INTO fssp_legal (region, name, address, legal_key) VALUES ($1, $2, $3, $4)
ON CONFLICT (legal_key) DO NOTHING
RETURNING id;

-- name: FSSPLegalByKey
SELECT id FROM fssp_legal WHERE legal_key = $1;

-- name: InsertLegalTrigram
INSERT INTO fssp_legal_trigrams (region, trigram, legal_id) VALUES ($1, $2, $3)
ON CONFLICT DO NOTHING;

-- name: InsertProceeding
INSERT INTO fssp_proceedings (kind, region, person_key, patronymic_key, legal_id, last_name, first_name, patronymic, birth_date,
    birth_place_id, number_key, number_own, number_year, department_id, opened, joined, doc_type_id, doc_date,
    doc_number, doc_issuer_id, subject_id, amount, fee, bailiff_id, end_date, end_article, end_part, end_point, shape, consolidated)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30);

-- name: CountProceedings
SELECT count(*) FROM fssp_proceedings;

-- name: PersonProceedings
-- SQLite's PersonCandidates and ProceedingsByIDs in one round trip
-- (PostgreSQL only): the first $4 candidates from the person index alone
-- (it includes id, migration 0023; 0 means "not given"), then their rows,
-- in id order. SQLite runs the two in process, where a round trip costs
-- nothing (sqlstore.SearchPhysical chooses by whether the dialect defines
-- this one). Its LIMIT is a parameter: the generic plan is the same for any
-- cap, and only the rows wanted are read and sent.
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, l.name, l.address,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM (SELECT id FROM fssp_proceedings
      WHERE person_key = $1 AND ($2::bigint = 0 OR patronymic_key = $2) AND ($3::integer = 0 OR birth_date = $3)
      ORDER BY id LIMIT $4) AS chosen
JOIN fssp_proceedings p ON p.id = chosen.id
LEFT JOIN fssp_legal l ON l.id = p.legal_id
ORDER BY p.id;

-- name: NumberProceedings
-- SQLite's NumberCandidates and ProceedingsByIDs in one round trip
-- (PostgreSQL only), as PersonProceedings: the first $3 candidates of the
-- number from its index alone (it includes id, migration 0023), of the
-- department $2 when one is given (0: any), then their rows in id order.
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, l.name, l.address,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM (SELECT id FROM fssp_proceedings
      WHERE number_key = $1 AND ($2::bigint = 0 OR department_id = $2)
      ORDER BY id LIMIT $3) AS chosen
JOIN fssp_proceedings p ON p.id = chosen.id
LEFT JOIN fssp_legal l ON l.id = p.legal_id
ORDER BY p.id;

-- name: CountLegalTrigrams
-- SQLite's CountLegalTrigram for each trigram of $2, in its order, in one
-- round trip (PostgreSQL only): a statement a trigram was a third of a group
-- of 100's statements (docs/benchmarks.md, issue 20's seventeenth part).
-- Capped: only which trigram is rarest matters, not by how much.
SELECT (SELECT count(*) FROM (SELECT 1 FROM fssp_legal_trigrams WHERE region = $1 AND trigram = t.trigram LIMIT 1000) AS capped)
FROM unnest($2::bigint[]) WITH ORDINALITY AS t (trigram, ord)
ORDER BY t.ord;

-- name: LegalByTrigramUpTo
-- Read a page at a time after the last entity seen: PostgreSQL sends a
-- statement's every row even when the reader stops early, and a common
-- trigram has thousands. The page size is $4 (PostgreSQL only; SQLite's
-- LegalByTrigram has it literal, a bound LIMIT making SQLite prepare the
-- statement again at each run): a search's first page is short, since a
-- common fragment answers from its first 8 matching entities, and read
-- 200 entities' names for them (docs/benchmarks.md, issue 20).
SELECT l.id, l.name, l.address FROM fssp_legal_trigrams t JOIN fssp_legal l ON l.id = t.legal_id
WHERE t.region = $1 AND t.trigram = $2 AND t.legal_id > $3 ORDER BY t.legal_id LIMIT $4;

-- name: LegalByRegionUpTo
-- As LegalByTrigramUpTo, for fragments shorter than a trigram.
SELECT id, name, address FROM fssp_legal WHERE region = $1 AND id > $2 ORDER BY id LIMIT $3;

-- Texts and bailiffs come by id, as in SQLite. The ids are an ARRAY(…), not
-- a subquery: the planner knows an array's length when it runs, and probes
-- the primary key; a subquery over a JSON function is 100 rows to it, and it
-- hash-joined a scan of all 25,632 bailiffs (8.5 ms against 0.26 ms for 3 ids;
-- 194 buffers against 12 for 3 proceedings, docs/benchmarks.md).

-- name: FSSPTextsByIDs
SELECT id, text FROM fssp_texts WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint));

-- name: FSSPBailiffsByIDs
SELECT id, name, phone FROM fssp_bailiffs WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint));

-- name: FSSPDepartmentsByIDs
-- With the bank's version read in the same snapshot: the texts are the
-- ones that version names (sqlstore.resolve keeps them under it).
SELECT id, name, postal_index, address, (SELECT version FROM stand_bank WHERE id = 1)
FROM fssp_departments WHERE id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint));

-- The proceedings' statements give the bank's version (stand_bank) in place
-- of their departments' texts: a node keeps the texts a version names in
-- memory, and a load or a restore that changes them, through any node,
-- names the bank anew. The join was a probe of the departments a row (a
-- quarter of a legal chunk's time, docs/benchmarks.md, issue 20) and three
-- texts a row for the node to read.

-- name: ProceedingsByIDs
-- The ids come as one JSON array, as in SQLite, which has no arrays.
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, l.name, l.address,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM fssp_proceedings p
LEFT JOIN fssp_legal l ON l.id = p.legal_id
WHERE p.id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint));

-- name: ProceedingsByLegalIDsUpTo
-- SQLite's ProceedingsByLegalIDs with the rows still wanted as $2
-- (PostgreSQL only): the legal index's key is (legal_id, id) (migration
-- 0027), so its scan gives the entities' rows in the order answered and
-- stops at the $2nd, reading each row's heap page and nothing else. Before,
-- the first $2 ids came from the index alone and each row was found again
-- through the primary key: for 8 common entities' first 100 rows 409
-- buffers against 104 (docs/benchmarks.md, issue 20, ninth part). Without
-- the bound, a chunk of 8 common entities read and sent all of their 2,600
-- proceedings for the 100 a sub-request answers. SQLite keeps the literal:
-- reading its rows in process costs little.
-- The entities' names and addresses are not joined (NULL, NULL): the search
-- has just read them with the page that chose the entities, and an entity
-- never changes once stored (InsertFSSPLegal). The join was a quarter of the
-- statement's time (0.80 against 0.61 ms for 8 common entities' first 100).
SELECT p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, p.birth_place_id, NULL, NULL,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, p.doc_type_id, p.doc_date, p.doc_number, p.doc_issuer_id,
    p.subject_id, p.amount, p.fee, (SELECT version FROM stand_bank WHERE id = 1), p.bailiff_id,
    p.end_date, p.end_article, p.end_part, p.end_point, p.shape, p.consolidated, p.legal_id
FROM fssp_proceedings p
WHERE p.legal_id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::bigint))
ORDER BY p.legal_id, p.id
LIMIT $2;

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
-- Nothing to do: PostgreSQL sorts in work_mem and spills to its own files.

-- name: DDLAfterIndexes
-- Nothing to do.

-- name: DDLCreatePersonIndex
CREATE INDEX fssp_proceedings_person ON fssp_proceedings (person_key, patronymic_key, birth_date) INCLUDE (id) WHERE person_key IS NOT NULL;

-- name: DDLCreateLegalIndex
-- Keyed (legal_id, id), where SQLite's is (legal_id) alone: a PostgreSQL
-- index entry points at a heap row, not at its id, so the id must be in the
-- key for ProceedingsByLegalIDsUpTo to read an entity's rows in id order and
-- stop at the last one wanted (migration 0027); every SQLite index already
-- ends with the rowid, which is the id.
CREATE INDEX fssp_proceedings_legal ON fssp_proceedings (legal_id, id) WHERE legal_id IS NOT NULL;

-- name: DDLCreateNumberIndex
CREATE INDEX fssp_proceedings_number ON fssp_proceedings (number_key, department_id) INCLUDE (id);

-- name: RefreshBankStatistics
-- After a load into an empty bank, whose tables have no statistics until
-- autovacuum gets to them (never where it is off): the planner then guessed
-- 50,000 rows for one person's key, and ran the candidates' read with parallel
-- workers or JIT-compiled it, milliseconds of CPU a search
-- (docs/benchmarks.md, "PostgreSQL profile"). VACUUM too: the first read
-- of each loaded page would otherwise look up its rows' transactions and
-- write the page back with their hint bits, while serving (the candidates
-- 4.2 ms after ANALYZE alone, 0.75 ms after VACUUM).
VACUUM (ANALYZE) fssp_proceedings, fssp_legal, fssp_legal_trigrams, fssp_texts, fssp_bailiffs, fssp_departments;
