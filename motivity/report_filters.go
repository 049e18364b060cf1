package motivity

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"stend"
)

// FilterOption is one value a filter's url lists: Value is an identifier
// (users) or an id (badges, quests, answered as a JSON number).
type FilterOption struct {
	Value any    `json:"value"`
	Label string `json:"label"`
}

// FilterValues lists the values of the filter named filter, one whose
// metadata gives a url (users, badges, quests), with labels in locale:
// those whose label or value holds search without regard to case (all
// when search is empty), at most limit. Another filter is NotFound.
func (s *Service) FilterValues(ctx context.Context, filter, search, locale string, p Platform, limit int) ([]FilterOption, error) {
	const op = "motivity.FilterValues"
	out := []FilterOption{}
	fragment := strings.ToLower(search)
	// add keeps an option that matches; false once the list is full.
	add := func(value any, text, label string) bool {
		if strings.Contains(strings.ToLower(label), fragment) || strings.Contains(strings.ToLower(text), fragment) {
			out = append(out, FilterOption{value, label})
		}
		return len(out) < limit
	}
	switch filter {
	case "users":
		// Users not deleted, by identifier: the value is the identifier,
		// the label the name. Read as a stream and stopped once full.
		for u, err := range s.Store.LiveUsers(ctx) {
			if err != nil {
				return nil, err
			}
			if !add(u.Identifier, u.Identifier, u.Name) {
				break
			}
		}
	case "badges":
		badges, err := s.Store.Badges(ctx)
		if err != nil {
			return nil, err
		}
	badges:
		for _, b := range badges {
			for _, g := range append([]Badge{b}, b.Children...) {
				if !add(g.ID, strconv.FormatInt(g.ID, 10), Localized(g.Texts, locale, p).Title) {
					break badges
				}
			}
		}
	case "quests":
		quests, err := s.LiveQuests(ctx)
		if err != nil {
			return nil, err
		}
		for _, id := range slices.Sorted(maps.Keys(quests)) {
			if !add(id, strconv.FormatInt(id, 10), Localized(quests[id].Texts, locale, p).Title) {
				break
			}
		}
	default:
		return nil, stend.Errorf(stend.NotFound, op, "no filter %q lists values", filter)
	}
	return out, nil
}
