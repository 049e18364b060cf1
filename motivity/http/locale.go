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
