package motivity_test

import (
	"strings"
	"testing"

	"stend"
	"stend/motivity"
)

func ptr[T any](v T) *T { return &v }

// TestProvisioningRules: each rule of the platform model refuses what
// breaks it (Invalid, with its own message) and lets the rest through.
func TestProvisioningRules(t *testing.T) {
	platform := motivity.Platform{DefaultLocale: "ru", Locales: []string{"ru", "en", "uz-Cyrl"}, IdentifierKind: motivity.IdentifierEmail,
		GoalLimit: 10, TimeZone: "Europe/Moscow"}
	text := map[string]motivity.BadgeText{"ru": {Title: "Первый", PopupDescription: "Поздравляем!"}}
	badge := motivity.Badge{ID: 1, Texts: text}
	grade := motivity.Badge{ID: 2, ParentID: 1, Grade: 1, Texts: text}
	user := motivity.User{ID: 1, Identifier: "a@example.ru", Email: "a@example.ru", Name: "A", ManagerID: 2}
	with := func(p motivity.Platform, f func(*motivity.Platform)) motivity.Platform { f(&p); return p }
	withBadge := func(b motivity.Badge, f func(*motivity.Badge)) motivity.Badge { f(&b); return b }
	withUser := func(u motivity.User, f func(*motivity.User)) motivity.User { f(&u); return u }
	cases := []struct {
		name string
		err  error
		want string // "" : valid
	}{
		{"platform", platform.Validate(), ""},
		{"a locale that is no language code", with(platform, func(p *motivity.Platform) { p.Locales = []string{"ru", "Russian"} }).Validate(), `locale "Russian" is not a language code`},
		{"no locale", with(platform, func(p *motivity.Platform) { p.Locales = nil }).Validate(), "at least one locale is required"},
		{"default locale not among them", with(platform, func(p *motivity.Platform) { p.DefaultLocale = "ky" }).Validate(), `the default locale "ky" is not one of the locales`},
		{"goal limit 0", with(platform, func(p *motivity.Platform) { p.GoalLimit = 0 }).Validate(), "goalLimit must be 1 to 1000"},
		{"unknown time zone", with(platform, func(p *motivity.Platform) { p.TimeZone = "Mars/Olympus" }).Validate(), `timeZone "Mars/Olympus" is not an IANA time zone`},
		{"the machine's zone", with(platform, func(p *motivity.Platform) { p.TimeZone = "Local" }).Validate(), `timeZone "Local"`},
		{"unknown identifier kind", with(platform, func(p *motivity.Platform) { p.IdentifierKind = "phone" }).Validate(), "identifierKind must be email, login or personnelNumber"},
		{"user", user.Validate(motivity.IdentifierEmail), ""},
		{"login users need no @", withUser(user, func(u *motivity.User) { u.Identifier = "alogin" }).Validate(motivity.IdentifierLogin), ""},
		{"no identifier", withUser(user, func(u *motivity.User) { u.Identifier = "" }).Validate(motivity.IdentifierLogin), "identifier is required, at most 254 bytes"},
		{"identifier too long", withUser(user, func(u *motivity.User) { u.Identifier = strings.Repeat("a", 250) + "@x.ru" }).Validate(motivity.IdentifierEmail), "identifier is required, at most 254 bytes"},
		{"not an e-mail", withUser(user, func(u *motivity.User) { u.Identifier = "alogin" }).Validate(motivity.IdentifierEmail), `users are identified by e-mail: "alogin" is not one`},
		{"name too long", withUser(user, func(u *motivity.User) { u.Name = strings.Repeat("я", 251) }).Validate(motivity.IdentifierEmail), "email or name too long"},
		{"NUL", withUser(user, func(u *motivity.User) { u.Name = "a\x00" }).Validate(motivity.IdentifierEmail), "texts may not contain U+0000"},
		{"own manager", withUser(user, func(u *motivity.User) { u.ManagerID = u.ID }).Validate(motivity.IdentifierEmail), "a user cannot be their own manager"},
		{"badge", badge.Validate(), ""},
		{"grade", grade.Validate(), ""},
		{"negative id", withBadge(badge, func(b *motivity.Badge) { b.ID = -1 }).Validate(), "id must be positive"},
		{"its own parent", withBadge(grade, func(b *motivity.Badge) { b.ParentID = b.ID }).Validate(), "bad badge or parent id"},
		{"grade 0", withBadge(grade, func(b *motivity.Badge) { b.Grade = 0 }).Validate(), "a grade needs grade 1 or more"},
		{"a grade on a badge", withBadge(badge, func(b *motivity.Badge) { b.Grade = 1 }).Validate(), "grade is for the grades of a badge"},
		{"no texts", withBadge(badge, func(b *motivity.Badge) { b.Texts = nil }).Validate(), "texts: at least one language is required"},
		{"colour too long", withBadge(badge, func(b *motivity.Badge) { b.Color = ptr(strings.Repeat("f", 33)) }).Validate(), "image or color too long"},
		{"NUL in the image", withBadge(badge, func(b *motivity.Badge) { b.Image = "\x00" }).Validate(), "texts may not contain U+0000"},
		{"a text without a popup", withBadge(badge, func(b *motivity.Badge) {
			b.Texts = map[string]motivity.BadgeText{"en": {Title: "First"}}
		}).Validate(), "texts.en: a language code, a title and a popup description are required"},
		{"a text in no language", withBadge(badge, func(b *motivity.Badge) {
			b.Texts = map[string]motivity.BadgeText{"English": {Title: "First", PopupDescription: "Yay"}}
		}).Validate(), "texts.English:"},
	}
	for _, c := range cases {
		switch {
		case c.want == "" && c.err != nil:
			t.Errorf("%s: refused: %v", c.name, c.err)
		case c.want != "" && (!stend.IsKind(c.err, stend.Invalid) || !strings.Contains(c.err.Error(), c.want)):
			t.Errorf("%s: %v, want Invalid %q", c.name, c.err, c.want)
		}
	}
}
