package motivity

import (
	"context"

	"stend"
)

// Service holds the platform's rules that take more than one store step;
// the public API, the operator surface and jobs use it alike.
type Service struct {
	Store Store
}

// NewService is the Motivity service over store.
func NewService(store Store) *Service { return &Service{Store: store} }

// AssignBadge gives a badge to users, in one transaction. It answers a
// *BadgeRefusal when the badge cannot be assigned (not found or deleted,
// inactive, system, or a badge with grades, of which one must be chosen),
// and else one outcome per identifier, in order. One grade of a badge per
// user: a lower grade held is replaced (and recorded as such), a higher one
// keeps the user from getting this one (HigherGrade); a grade whose badge
// was deleted since is replaced whatever its grade.
func (s *Service) AssignBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error) {
	return s.changeBadge(ctx, c, func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error) {
		held, err := tx.HeldBadges(ctx, users, badge.ID, badge.ParentID)
		if err != nil {
			return nil, err
		}
		has := map[int64]bool{}
		higher := map[int64]bool{}
		others := map[int64][]int64{}
		for _, h := range held {
			switch {
			case h.BadgeID == badge.ID:
				has[h.UserID] = true
			case !h.Deleted && h.Grade > badge.Grade:
				higher[h.UserID] = true
			default:
				others[h.UserID] = append(others[h.UserID], h.BadgeID)
			}
		}
		var assign []int64
		var replaced []Holding
		var events []BadgeEvent
		for _, u := range users {
			if higher[u] {
				continue
			}
			for _, old := range others[u] {
				replaced = append(replaced, Holding{u, old})
				events = append(events, BadgeEvent{UserID: u, BadgeID: old, Action: "replaced"})
			}
			if !has[u] {
				assign = append(assign, u)
				events = append(events, BadgeEvent{UserID: u, BadgeID: badge.ID, Action: "assigned"})
			}
		}
		if len(replaced) > 0 {
			if err := tx.DeleteHoldings(ctx, replaced); err != nil {
				return nil, err
			}
		}
		if len(assign) > 0 {
			if err := tx.InsertHoldings(ctx, assign, badge.ID, c.At); err != nil {
				return nil, err
			}
		}
		if len(events) > 0 {
			if err := tx.InsertBadgeEvents(ctx, events, c.Actor, c.At); err != nil {
				return nil, err
			}
		}
		return higher, nil
	})
}

// RemoveBadge takes a badge from users, in one transaction; refusals and
// outcomes as for AssignBadge (an inactive badge may be removed when
// c.AllowInactive says so).
func (s *Service) RemoveBadge(ctx context.Context, c BadgeChange) ([]BadgeOutcome, error) {
	return s.changeBadge(ctx, c, func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error) {
		held, err := tx.HeldBadges(ctx, users, badge.ID, 0)
		if err != nil || len(held) == 0 {
			return nil, err
		}
		holdings := make([]Holding, len(held))
		events := make([]BadgeEvent, len(held))
		for i, h := range held {
			holdings[i] = Holding{h.UserID, h.BadgeID}
			events[i] = BadgeEvent{UserID: h.UserID, BadgeID: h.BadgeID, Action: "removed"}
		}
		if err := tx.DeleteHoldings(ctx, holdings); err != nil {
			return nil, err
		}
		return nil, tx.InsertBadgeEvents(ctx, events, c.Actor, c.At)
	})
}

// changeBadge checks the badge, finds and locks the users, and runs apply
// with the live ones; apply answers the users it refused for holding a
// higher grade.
func (s *Service) changeBadge(ctx context.Context, c BadgeChange,
	apply func(ctx context.Context, tx Tx, badge Badge, users []int64) (map[int64]bool, error)) ([]BadgeOutcome, error) {
	out := make([]BadgeOutcome, len(c.Identifiers))
	err := s.Store.InTx(ctx, func(ctx context.Context, tx Tx) error {
		badge, grades, err := tx.ChangedBadge(ctx, c.BadgeID)
		if stend.IsKind(err, stend.NotFound) || err == nil && badge.Deleted {
			return &BadgeRefusal{NotFound: true}
		}
		if err != nil {
			return err
		}
		r := BadgeRefusal{Inactive: !badge.Active && !c.AllowInactive, System: badge.System, Parent: grades > 0}
		if r != (BadgeRefusal{}) {
			return &r
		}
		ids, users, err := tx.LockUsers(ctx, c.Identifiers)
		var higher map[int64]bool
		if err == nil && len(users) > 0 {
			higher, err = apply(ctx, tx, badge, users)
		}
		for i, ident := range c.Identifiers {
			id, ok := ids[ident]
			out[i] = BadgeOutcome{Identifier: ident, Found: ok, HigherGrade: ok && higher[id]}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
