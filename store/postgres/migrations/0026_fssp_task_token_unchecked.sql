-- A task's token is no longer checked by a foreign key. Every insert into
-- fssp_tasks took a KEY SHARE lock on its token's row, and concurrent
-- searches of one token then shared that lock through a multixact rebuilt
-- by each of them (a new multixact of all lockers every time, WAL for the
-- lock and the multixact): under the person-search load the two checks
-- made half of InsertEndedFSSPTaskWithResult's time. The token id comes
-- from the authenticated token, and tokens are never deleted (revoked
-- only), so the key held nothing the store could break. SQLite keeps the
-- key: there it is one index probe and takes no lock.
ALTER TABLE fssp_tasks DROP CONSTRAINT IF EXISTS fssp_tasks_token_id_fkey;
