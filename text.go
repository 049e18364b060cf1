package stend

import (
	"strings"
	"unicode/utf8"
)

// StorableText reports whether s can be stored as text by every store:
// valid UTF-8 without NUL. PostgreSQL refuses anything else with an error,
// where SQLite stores it, so an API that passed such input on would answer
// differently on the two stores; each API rejects it at its edge with the
// error its document gives for a value it does not know or accept.
func StorableText(s string) bool {
	return utf8.ValidString(s) && !strings.Contains(s, "\x00")
}
