package motivity

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"stend"
)

// The platform model's rules on what an operator provisions. The operator
// surface (commands, operator API, seed) only parses its input and asks
// these; the store trusts what passed them.

// localeCode is a language tag as the Locale header carries it: en, ru,
// uz-Cyrl.
var localeCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)

// ValidLocale reports whether l can be one of the platform's languages.
func ValidLocale(l string) bool { return localeCode.MatchString(l) }

// Validate checks the platform's settings: languages that are language
// codes, at least one, the default among them, a known identifier kind.
func (p Platform) Validate() error {
	const op = "motivity.Platform"
	for _, l := range p.Locales {
		if !ValidLocale(l) {
			return stend.Errorf(stend.Invalid, op, "locale %q is not a language code (en, ru, uz-Cyrl…)", l)
		}
	}
	if len(p.Locales) == 0 {
		return stend.Errorf(stend.Invalid, op, "at least one locale is required")
	}
	if !p.HasLocale(p.DefaultLocale) {
		return stend.Errorf(stend.Invalid, op, "the default locale %q is not one of the locales %v", p.DefaultLocale, p.Locales)
	}
	switch p.IdentifierKind {
	case IdentifierEmail, IdentifierLogin, IdentifierPersonnelNumber:
	default:
		return stend.Errorf(stend.Invalid, op, "identifierKind must be email, login or personnelNumber")
	}
	return nil
}

// Validate checks a user as the platform identifies users (kind): an
// identifier of at most 254 bytes, an e-mail address where users are
// identified by e-mail, bounded e-mail and name, no U+0000 (which
// PostgreSQL cannot store: refused on both stores alike), and not its own
// manager.
func (u User) Validate(kind string) error {
	const op = "motivity.User"
	switch {
	case u.Identifier == "" || len(u.Identifier) > 254:
		return stend.Errorf(stend.Invalid, op, "identifier is required, at most 254 bytes")
	case kind == IdentifierEmail && !strings.Contains(u.Identifier, "@"):
		return stend.Errorf(stend.Invalid, op, "users are identified by e-mail: %q is not one", u.Identifier)
	case len(u.Email) > 254 || len(u.Name) > 500:
		return stend.Errorf(stend.Invalid, op, "email or name too long")
	case hasNUL(u.Identifier, u.Email, u.Name):
		return stend.Errorf(stend.Invalid, op, "texts may not contain U+0000")
	case u.ID != 0 && u.ManagerID == u.ID:
		return stend.Errorf(stend.Invalid, op, "a user cannot be their own manager")
	}
	return nil
}

// Validate checks a badge or a grade: a grade (ParentID set) has a grade
// from 1, a badge none; texts in at least one language, each with a title
// and a popup description (the API picks one language per badge and must
// never show an empty one); bounded lengths; no U+0000.
func (b Badge) Validate() error {
	const op = "motivity.Badge"
	switch {
	case b.ID < 0:
		return stend.Errorf(stend.Invalid, op, "id must be positive (0: the next free id)")
	case b.ParentID < 0 || b.ParentID != 0 && b.ParentID == b.ID:
		return stend.Errorf(stend.Invalid, op, "bad badge or parent id")
	case b.ParentID != 0 && b.Grade < 1:
		return stend.Errorf(stend.Invalid, op, "a grade needs grade 1 or more")
	case b.ParentID == 0 && b.Grade != 0:
		return stend.Errorf(stend.Invalid, op, "grade is for the grades of a badge (in its grades)")
	case len(b.Texts) == 0:
		return stend.Errorf(stend.Invalid, op, "texts: at least one language is required")
	case len(b.Image) > 2000 || b.Color != nil && len(*b.Color) > 32:
		return stend.Errorf(stend.Invalid, op, "image or color too long")
	case hasNUL(b.Image) || b.Color != nil && hasNUL(*b.Color):
		return stend.Errorf(stend.Invalid, op, "texts may not contain U+0000")
	}
	for _, l := range slices.Sorted(maps.Keys(b.Texts)) {
		t := b.Texts[l]
		description := ""
		if t.Description != nil {
			description = *t.Description
		}
		if !ValidLocale(l) || strings.TrimSpace(t.Title) == "" || strings.TrimSpace(t.PopupDescription) == "" || len(t.Title) > 500 ||
			len(t.PopupDescription) > 2000 || len(description) > 2000 || hasNUL(t.Title, t.PopupDescription, description) {
			return stend.Errorf(stend.Invalid, op, "texts.%s: a language code, a title and a popup description are required; title at most 500 bytes, descriptions 2000, no U+0000", l)
		}
	}
	return nil
}

func hasNUL(ss ...string) bool {
	for _, s := range ss {
		if strings.ContainsRune(s, 0) {
			return true
		}
	}
	return false
}
