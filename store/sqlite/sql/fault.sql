-- Faults on request, SQLite dialect.

-- name: PutFault
-- A rule put again under its name replaces the old one, counts included.
INSERT INTO faults (name, api, method, path, field, value, latency_ms, cut, status, message, retry_after_s, times, probability, seed, matched, injected, created_at, credential, job)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0, 0, ?15, ?16, ?17)
ON CONFLICT (name) DO UPDATE SET name = excluded.name, api = excluded.api, method = excluded.method, path = excluded.path, field = excluded.field, value = excluded.value, latency_ms = excluded.latency_ms, cut = excluded.cut, status = excluded.status, message = excluded.message, retry_after_s = excluded.retry_after_s, times = excluded.times, probability = excluded.probability, seed = excluded.seed, matched = excluded.matched, injected = excluded.injected, created_at = excluded.created_at, credential = excluded.credential, job = excluded.job
RETURNING id, name, api, method, path, field, value, latency_ms, cut, status, message, retry_after_s, times, probability, seed, matched, injected, created_at, credential, job;

-- name: Faults
SELECT id, name, api, method, path, field, value, latency_ms, cut, status, message, retry_after_s, times, probability, seed, matched, injected, created_at, credential, job FROM faults ORDER BY id;

-- name: DeleteFault
DELETE FROM faults WHERE id = ?1;

-- name: ClearFaults
DELETE FROM faults;

-- name: BumpFaultsVersion
UPDATE faults_version SET version = version + 1 WHERE id = 1;

-- name: FaultsVersion
SELECT version FROM faults_version WHERE id = 1;

-- name: MatchFault
UPDATE faults SET matched = matched + 1 WHERE id = ?1 RETURNING matched;

-- name: InjectedFault
UPDATE faults SET injected = injected + 1 WHERE id = ?1;
