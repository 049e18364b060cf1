package motivity

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"
	// The platform's time zone must load on machines without a zone
	// database (containers, Windows).
	_ "time/tzdata"

	"stend"
)

// Locales a new platform accepts in the Locale header, and its default.
// An operator may add languages ("При добавлении на платформу новых языков
// появляется возможность указывать и их в заголовке").
var (
	DefaultLocales = []string{"en", "ru", "uz", "ky"}
	DefaultLocale  = "ru"
)

// Identifier kinds: what the platform's "unique identifier" of a user is.
// The document leaves the choice to the platform; e-mail is the default.
const (
	IdentifierEmail           = "email"
	IdentifierLogin           = "login"
	IdentifierPersonnelNumber = "personnelNumber"
)

// NormalizeIdentifier is how identifiers of kind are compared: e-mail
// addresses without regard to case, as mail systems do; other kinds as
// given, without surrounding spaces.
func NormalizeIdentifier(kind, s string) string {
	s = strings.TrimSpace(s)
	if kind == IdentifierEmail {
		return strings.ToLower(s)
	}
	return s
}

// Platform is the platform's settings. It always exists (a fresh
// store holds the defaults); with no public token set every public request
// is refused.
type Platform struct {
	DefaultLocale string
	Locales       []string
	// IdentifierKind names what User.Identifier holds (IdentifierEmail…).
	IdentifierKind string
	// PublicTokenHash is the SHA-256 of PUBLIC_API_TOKEN; nil: none set.
	PublicTokenHash []byte
	// PrizeCatalogUntil is when the prize-catalog licence expires (the
	// "payment" balance needs it); nil: no licence.
	PrizeCatalogUntil *time.Time
	// GoalLimit is the most active goals a user may have.
	GoalLimit int
	// TimeZone (IANA) is the platform's: goal deadlines are its calendar
	// days, and goal dates are answered in its offset.
	TimeZone  string
	UpdatedAt time.Time
}

// DefaultTimeZone is a new platform's: the document's samples answer
// +03:00.
const DefaultTimeZone = "Europe/Moscow"

var locations sync.Map // IANA name → *time.Location

// Location is the platform's time zone (UTC if its name cannot be loaded,
// which Validate keeps from being stored).
func (p Platform) Location() *time.Location {
	name := p.TimeZone
	if name == "" {
		name = DefaultTimeZone
	}
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	locations.Store(name, l)
	return l
}

// PrizeCatalogValid reports whether the prize-catalog licence is held and
// not expired at now.
func (p Platform) PrizeCatalogValid(now time.Time) bool {
	return p.PrizeCatalogUntil != nil && now.Before(*p.PrizeCatalogUntil)
}

// HasLocale reports whether loc is one of the platform's languages.
func (p Platform) HasLocale(loc string) bool {
	for _, l := range p.Locales {
		if l == loc {
			return true
		}
	}
	return false
}

// PlatformStore keeps the platform's settings.
type PlatformStore interface {
	Platform(ctx context.Context) (Platform, error)
	// UpdatePlatform replaces the settings. Changing the identifier
	// kind while users exist is a Conflict.
	UpdatePlatform(ctx context.Context, p Platform) (Platform, error)
}

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
	if p.GoalLimit < 1 || p.GoalLimit > 1000 {
		return stend.Errorf(stend.Invalid, op, "goalLimit must be 1 to 1000")
	}
	if _, err := time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" || p.TimeZone == "Local" {
		return stend.Errorf(stend.Invalid, op, "timeZone %q is not an IANA time zone (Europe/Moscow, Asia/Yekaterinburg…)", p.TimeZone)
	}
	switch p.IdentifierKind {
	case IdentifierEmail, IdentifierLogin, IdentifierPersonnelNumber:
	default:
		return stend.Errorf(stend.Invalid, op, "identifierKind must be email, login or personnelNumber")
	}
	return nil
}
