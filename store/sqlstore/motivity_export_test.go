package sqlstore

// PointsLockTimeout lets tests shorten the wait for a balance lock.
var PointsLockTimeout = &pointsLockTimeout
