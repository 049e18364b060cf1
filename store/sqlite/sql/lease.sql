-- Leases (stend.LeaseStore), SQLite dialect.

-- name: TakeLease
-- ?3 is now: a lease that ended before it is taken over.
INSERT INTO leases (name, owner, held_until, wanted) VALUES (?1, ?2, ?4, 0)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, held_until = excluded.held_until, wanted = 0
WHERE leases.held_until < ?3
RETURNING owner;

-- name: RenewLease
UPDATE leases SET held_until = ?3 WHERE name = ?1 AND owner = ?2
RETURNING name, owner, held_until, wanted;

-- name: Lease
SELECT name, owner, held_until, wanted FROM leases WHERE name = ?1;

-- name: WantLease
UPDATE leases SET wanted = 1 WHERE name = ?1;

-- name: ReleaseLease
DELETE FROM leases WHERE name = ?1 AND owner = ?2;
