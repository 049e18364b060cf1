-- Leases: locks by name that every node of one database respects (tus
-- uploads' locks today). A row exists while its owner holds the lock;
-- the owner renews held_until while it works, and a node that died leaves
-- a row that another takes once held_until has passed. wanted is another's
-- request that the owner let go. Instants are unix microseconds of the
-- nodes' wall clock, not the stand's clock: a lease measures how long a
-- node may have been gone, which moving the stand's time does not change.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    owner      TEXT    NOT NULL,
    held_until INTEGER NOT NULL,
    wanted     INTEGER NOT NULL DEFAULT 0
);
