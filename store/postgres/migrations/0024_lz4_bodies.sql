-- Bodies above TOAST's 2 kB threshold (FSSP task results, the journal's
-- bodies and answers) are compressed with lz4 instead of pglz: under the
-- person-search load pglz_compress was 3.7 % of the machine, and with lz4
-- the server spent 12 % less CPU a search (issue 20, docs/benchmarks.md).
-- Rows written before keep pglz; both read alike. A server built without
-- lz4 refuses the method, and keeps pglz.
DO $$
BEGIN
    ALTER TABLE fssp_task_results ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE journal ALTER COLUMN body SET COMPRESSION lz4, ALTER COLUMN answer SET COMPRESSION lz4,
        ALTER COLUMN body_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
