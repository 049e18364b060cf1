//go:build !no_modernc

package sqlitedriver

import _ "modernc.org/sqlite" // registers "sqlite"

func init() {
	register(Driver{Name: "modernc", SQLName: "sqlite", Module: "modernc.org/sqlite"})
}
