package http

import (
	"net/http"
	"strings"

	"stend/motivity"
)

// requestLocale is the language of the answer: the Locale header when it
// holds exactly one of the platform's languages, else the platform's
// default (header absent, a typo, several values, a language the platform
// does not have). Language codes are matched without regard to case, as
// language tags are.
func requestLocale(r *http.Request, p motivity.Platform) string {
	values := r.Header.Values("Locale")
	if len(values) != 1 {
		return p.DefaultLocale
	}
	v := strings.TrimSpace(values[0])
	for _, l := range p.Locales {
		if strings.EqualFold(v, l) {
			return l
		}
	}
	return p.DefaultLocale
}

// content picks an element's wording: in the locale asked for when the
// element has it, else in the platform's default, else in the first of the
// platform's languages that it has, else in any (the lowest code), so that
// an element always shows something.
func content[T any](texts map[string]T, locale string, p motivity.Platform) T {
	if t, ok := texts[locale]; ok {
		return t
	}
	if t, ok := texts[p.DefaultLocale]; ok {
		return t
	}
	for _, l := range p.Locales {
		if t, ok := texts[l]; ok {
			return t
		}
	}
	var best string
	for l := range texts {
		if best == "" || l < best {
			best = l
		}
	}
	return texts[best]
}
