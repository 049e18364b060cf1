package motivity

import "time"

// BadgeHolder is a user holding a badge, or one of its grades (BadgeID:
// the one held), since a time: who holds what, as operators look it up.
type BadgeHolder struct {
	UserID     int64
	Identifier string
	Name       string
	BadgeID    int64
	Since      time.Time
}
