-- The clock can be set to any time and released to real time (issue 19): its
-- offset may be negative, and each change has a version, by which a node
-- tells a newer offset from a stale one when the clock went back.
-- shift_us replaces offset_us (CHECK >= 0), as in SQLite, which cannot drop
-- that CHECK in place; offset_us is no longer read or written.
ALTER TABLE stand_clock ADD COLUMN shift_us bigint NOT NULL DEFAULT 0;
ALTER TABLE stand_clock ADD COLUMN version bigint NOT NULL DEFAULT 0;
UPDATE stand_clock SET shift_us = offset_us;
