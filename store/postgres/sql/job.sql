-- The job queue, PostgreSQL dialect.

-- name: EnqueueJob
INSERT INTO jobs (kind, args, state, max_attempts, run_at, created_at)
VALUES ($1, $2, 'available', $3, $4, $5)
RETURNING id;

-- name: NotifyJobs
-- Delivered at commit to every node that LISTENs, so that another node's
-- runner picks the job up at once instead of at its next poll.
SELECT pg_notify('stend_jobs', '');

-- name: ClaimJobs
-- SKIP LOCKED: nodes claiming at once take different jobs instead of
-- waiting for each other; the state check again after the lock makes a job
-- claimed by a concurrent transaction invisible here.
UPDATE jobs
SET state = 'running', attempt = attempt + 1, locked_by = $1, locked_until = $2
WHERE id IN (
    SELECT id FROM jobs WHERE state = 'available' AND kind = $4 AND run_at <= $3 ORDER BY run_at, id LIMIT $5
    FOR UPDATE SKIP LOCKED
) AND state = 'available'
RETURNING id, kind, args, state, attempt, max_attempts, run_at, created_at, finalized_at, locked_by, last_error;

-- name: CompleteJob
UPDATE jobs SET state = 'completed', finalized_at = $3, locked_by = NULL, locked_until = NULL
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: RetryJob
UPDATE jobs SET state = 'available', run_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: DiscardJob
UPDATE jobs SET state = 'discarded', finalized_at = $3, last_error = $4, locked_by = NULL, locked_until = NULL
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: ReleaseJob
UPDATE jobs SET state = 'available', attempt = attempt - 1, run_at = $3, locked_by = NULL, locked_until = NULL
WHERE id = $1 AND locked_by = $2 AND state = 'running';

-- name: ExtendJobLeases
-- $3 is a JSON array of the ids running on the worker: a row it still holds
-- by mistake (its outcome could not be written) must lapse, not live on.
UPDATE jobs SET locked_until = $2
WHERE locked_by = $1 AND state = 'running' AND id IN (SELECT jsonb_array_elements_text($3::jsonb)::bigint);

-- name: ReclaimExpiredJobs
UPDATE jobs
SET state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'available' END,
    finalized_at = CASE WHEN attempt >= max_attempts THEN $1 END,
    last_error = CASE WHEN attempt >= max_attempts THEN 'the worker stopped during the last attempt' ELSE last_error END,
    locked_by = NULL, locked_until = NULL
WHERE state = 'running' AND locked_until < $1;

-- name: PruneJobs
DELETE FROM jobs WHERE state IN ('completed', 'discarded') AND finalized_at < $1;

-- name: JobByID
SELECT id, kind, args, state, attempt, max_attempts, run_at, created_at, finalized_at, locked_by, last_error
FROM jobs WHERE id = $1;

-- name: QueuedJobs
-- Over the partial indexes of waiting and running jobs.
SELECT kind, state, count(*) FROM jobs WHERE state IN ('available', 'running') GROUP BY kind, state ORDER BY kind, state;
