-- No statistics of the columns that hold bodies, which no statement
-- filters, sorts or joins on (the journal's member filter reads
-- body_json through #>>, which these statistics do not serve). Under
-- the FSSP loads autovacuum analyzes the task and journal tables about
-- once a minute, each time taking one of a small machine's cores from the
-- searches for 0.2-0.6 s; slow groups of 100 came in those moments.
-- Most of that was comparing and sorting the sampled bodies: ANALYZE of
-- the journal took 410-430 ms with them, 270-300 ms without; of the task
-- results 380 ms and 280-310 ms (issue 20, docs/benchmarks.md, thirteenth
-- part). SQLite has no automatic ANALYZE.
ALTER TABLE journal ALTER COLUMN body SET STATISTICS 0, ALTER COLUMN body_json SET STATISTICS 0,
    ALTER COLUMN answer SET STATISTICS 0, ALTER COLUMN headers SET STATISTICS 0, ALTER COLUMN query SET STATISTICS 0;
ALTER TABLE fssp_task_results ALTER COLUMN body SET STATISTICS 0;
ALTER TABLE fssp_tasks ALTER COLUMN requests SET STATISTICS 0;
