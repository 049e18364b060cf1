-- The stand's clock, SQLite dialect.

-- name: ClockState
SELECT shift_us, version FROM stand_clock WHERE id = 1;

-- name: AdvanceClock
UPDATE stand_clock SET shift_us = shift_us + ?1, version = version + 1 WHERE id = 1 RETURNING shift_us, version;

-- name: LockClockState
-- No row lock: SQLite's write transaction already excludes other writers.
SELECT shift_us, version FROM stand_clock WHERE id = 1;

-- name: SetClockOffset
UPDATE stand_clock SET shift_us = ?1, version = version + 1 WHERE id = 1 RETURNING shift_us, version;

-- name: ShiftJobLeases
-- Leases are unix microseconds here, as every instant.
UPDATE jobs SET locked_until = locked_until + ?1 WHERE state = 'running';
