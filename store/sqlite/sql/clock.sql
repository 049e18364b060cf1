-- The stand's clock, SQLite dialect.

-- name: ClockOffset
SELECT offset_us FROM stand_clock WHERE id = 1;

-- name: AdvanceClock
UPDATE stand_clock SET offset_us = offset_us + ?1 WHERE id = 1 RETURNING offset_us;

-- name: ShiftJobLeases
-- Leases are unix microseconds here, as every instant.
UPDATE jobs SET locked_until = locked_until + ?1 WHERE state = 'running';
