-- Leases: locks by name that every node of one database respects (tus
-- uploads' locks today). A row exists while its owner holds the lock;
-- the owner renews held_until while it works, and a node that died leaves
-- a row that another takes once held_until has passed. wanted is another's
-- request that the owner let go. Instants are the nodes' wall clock, not
-- the stand's clock: a lease measures how long a node may have been gone,
-- which moving the stand's time does not change.
CREATE TABLE leases (
    name       text        PRIMARY KEY,
    owner      text        NOT NULL,
    held_until timestamptz NOT NULL,
    wanted     boolean     NOT NULL DEFAULT false
);
