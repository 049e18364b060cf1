-- The stand's clock: its offset from real time, in microseconds, one row
-- that every node reads.

CREATE TABLE stand_clock (
    id        integer PRIMARY KEY CHECK (id = 1),
    offset_us bigint  NOT NULL CHECK (offset_us >= 0)
);

INSERT INTO stand_clock (id, offset_us) VALUES (1, 0);
