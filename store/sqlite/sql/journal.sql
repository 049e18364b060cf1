-- The request journal, SQLite dialect.

-- name: InsertJournalEntry
-- A row at a time, the batch in one transaction (sqlstore.AppendJournal):
-- SQLite has no arrays for PostgreSQL's InsertJournalEntries, and in process
-- a statement a row costs no round trip.
INSERT INTO journal (at, request_id, api, route, method, path, query, headers, credential, body, body_json, body_size, status, answer, answer_size, duration_us, reason, fault)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18);

-- name: JournalEntries
-- Also the base of NewestJournalEntries (sqlstore.addNewestJournal), which
-- needs the "WHERE id > …1" line and "ORDER BY id" before LIMIT as they are.
SELECT id, at, request_id, api, route, method, path, query, headers, credential, body, body_size, status, answer,
       answer_size, duration_us, reason, fault
FROM journal
WHERE id > ?1
  AND (?2 = '' OR api = ?2)
  AND (?3 = '' OR route = ?3)
  AND (?4 = 0 OR status = ?4)
  AND (?5 = '' OR credential = ?5)
  AND (?6 IS NULL OR at >= ?6)
  AND (?7 IS NULL OR at < ?7)
  -- ?8: the member's path as SQLite writes it ('$.requests[0].examDate');
  -- numbers are compared as their text, true and false as words, as
  -- PostgreSQL's #>> answers them (json_extract answers 1 and 0 for them).
  AND (?8 = '' OR CASE json_type(body_json, ?8) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                   ELSE CAST(json_extract(body_json, ?8) AS TEXT) END = ?9)
  AND (?10 = '' OR path = ?10)
ORDER BY id
LIMIT ?11;

-- name: CountJournal
SELECT count(*)
FROM journal
WHERE id > ?1
  AND (?2 = '' OR api = ?2)
  AND (?3 = '' OR route = ?3)
  AND (?4 = 0 OR status = ?4)
  AND (?5 = '' OR credential = ?5)
  AND (?6 IS NULL OR at >= ?6)
  AND (?7 IS NULL OR at < ?7)
  -- ?8: the member's path as SQLite writes it ('$.requests[0].examDate');
  -- numbers are compared as their text, true and false as words, as
  -- PostgreSQL's #>> answers them (json_extract answers 1 and 0 for them).
  AND (?8 = '' OR CASE json_type(body_json, ?8) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false'
                   ELSE CAST(json_extract(body_json, ?8) AS TEXT) END = ?9)
  AND (?10 = '' OR path = ?10);

-- name: ClearJournal
DELETE FROM journal;

-- name: PruneJournal
-- Keeps the newest ?1 entries, by id: a range of the rowid, which the
-- planner reads as one (PostgreSQL's statement needs a lower bound for its
-- generic plan to use the key's index).
DELETE FROM journal WHERE id <= (SELECT max(id) FROM journal) - ?1;
