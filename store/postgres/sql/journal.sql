-- The request journal, PostgreSQL dialect.

-- name: InsertJournalEntries
-- The writer's batch in one statement over arrays, in the order given,
-- which the ids follow: SQLite's InsertJournalEntry a row at a time would be
-- a round trip for each row here (multi-row VALUES are prepared for 64 rows
-- only, and the writer's batches are a few entries each unless the node is
-- saturated; docs/benchmarks.md, issue 20, sixth part). body_json comes as
-- text, NULL where the body is not JSON.
INSERT INTO journal (at, request_id, api, route, method, path, query, headers, credential, body, body_json, body_size, status, answer, answer_size, duration_us, reason, fault)
SELECT e.at, e.request_id, e.api, e.route, e.method, e.path, e.query, e.headers, e.credential, e.body, e.body_json::jsonb,
       e.body_size, e.status, e.answer, e.answer_size, e.duration_us, e.reason, e.fault
FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
            $10::text[], $11::text[], $12::bigint[], $13::integer[], $14::text[], $15::bigint[], $16::bigint[], $17::text[], $18::bigint[])
     WITH ORDINALITY AS e (at, request_id, api, route, method, path, query, headers, credential, body, body_json, body_size, status,
                           answer, answer_size, duration_us, reason, fault, ord)
ORDER BY e.ord;

-- name: JournalEntries
-- Also the base of NewestJournalEntries (sqlstore.addNewestJournal), which
-- needs the "WHERE id > …1" line and "ORDER BY id" before LIMIT as they are.
SELECT id, at, request_id, api, route, method, path, query, headers, credential, body, body_size, status, answer,
       answer_size, duration_us, reason, fault
FROM journal
WHERE id > $1
  AND ($2::text = '' OR api = $2)
  AND ($3::text = '' OR route = $3)
  AND ($4::integer = 0 OR status = $4)
  AND ($5::text = '' OR credential = $5)
  AND ($6::timestamptz IS NULL OR at >= $6)
  AND ($7::timestamptz IS NULL OR at < $7)
  -- $8: the member's path as a text array literal ('{requests,0,examDate}').
  AND ($8::text = '' OR body_json #>> ($8::text)::text[] = $9::text)
  AND ($10::text = '' OR path = $10)
ORDER BY id
LIMIT $11;

-- name: CountJournal
SELECT count(*)
FROM journal
WHERE id > $1
  AND ($2::text = '' OR api = $2)
  AND ($3::text = '' OR route = $3)
  AND ($4::integer = 0 OR status = $4)
  AND ($5::text = '' OR credential = $5)
  AND ($6::timestamptz IS NULL OR at >= $6)
  AND ($7::timestamptz IS NULL OR at < $7)
  -- $8: the member's path as a text array literal ('{requests,0,examDate}').
  AND ($8::text = '' OR body_json #>> ($8::text)::text[] = $9::text)
  AND ($10::text = '' OR path = $10);

-- name: ClearJournal
DELETE FROM journal;

-- name: PruneJournal
-- Keeps the newest $1 entries, by id. "id > 0" (ids start at 1) changes
-- nothing but the plan: the writer's prepared statement may come to a
-- generic plan, which has to guess how many rows "id <= (a value)" takes;
-- it guesses a third and, depending on the statistics, scans the whole
-- journal every thousand entries (12 ms at 78,000 entries idle, 50-126 ms
-- seen under load). For a range bounded on both sides it guesses a few
-- rows and reads the key's index. SQLite reads a rowid range either way.
DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - $1 AND id > 0;
