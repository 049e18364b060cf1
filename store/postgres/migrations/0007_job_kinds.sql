-- Each job kind has its own workers (job.Config.Kinds), so claims are per
-- kind: the kind leads the index, or a claim of a kind with few jobs would
-- scan past every waiting job of the others.
DROP INDEX jobs_available;
CREATE INDEX jobs_available ON jobs (kind, run_at, id) WHERE state = 'available';
