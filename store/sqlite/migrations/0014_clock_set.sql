-- The clock can be set to any time and released to real time (issue 19): its
-- offset may be negative, and each change has a version, by which a node
-- tells a newer offset from a stale one when the clock went back.
-- shift_us replaces offset_us, whose CHECK (>= 0) SQLite cannot drop without
-- making the table again; that (its RENAME) opened the temporary schema on
-- the migrating connection, which then refused the PRAGMA temp_store of bulk
-- loads. offset_us is no longer read or written.
ALTER TABLE stand_clock ADD COLUMN shift_us INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stand_clock ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
UPDATE stand_clock SET shift_us = offset_us;
