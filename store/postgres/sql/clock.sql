-- The stand's clock, PostgreSQL dialect.

-- name: ClockOffset
SELECT offset_us FROM stand_clock WHERE id = 1;

-- name: AdvanceClock
UPDATE stand_clock SET offset_us = offset_us + $1 WHERE id = 1 RETURNING offset_us;

-- name: ShiftJobLeases
UPDATE jobs SET locked_until = locked_until + make_interval(secs => $1::bigint / 1e6) WHERE state = 'running';
