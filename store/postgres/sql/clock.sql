-- The stand's clock, PostgreSQL dialect.

-- name: ClockState
SELECT shift_us, version FROM stand_clock WHERE id = 1;

-- name: AdvanceClock
UPDATE stand_clock SET shift_us = shift_us + $1, version = version + 1 WHERE id = 1 RETURNING shift_us, version;

-- name: LockClockState
-- Locked, so that a concurrent move waits and the leases move by the
-- difference from the offset this change replaces.
SELECT shift_us, version FROM stand_clock WHERE id = 1 FOR UPDATE;

-- name: SetClockOffset
UPDATE stand_clock SET shift_us = $1, version = version + 1 WHERE id = 1 RETURNING shift_us, version;

-- name: ShiftJobLeases
UPDATE jobs SET locked_until = locked_until + make_interval(secs => $1::bigint / 1e6) WHERE state = 'running';
