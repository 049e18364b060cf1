//go:build !no_ncruces

package sqlitedriver

// github.com/ncruces/go-sqlite3 v0.35.x runs a wasm2go translation of SQLite
// (module github.com/ncruces/go-sqlite3-wasm/v6); the old
// github.com/ncruces/go-sqlite3/embed package is deprecated in this version
// ("importing ... embed is unnecessary": it only prints a warning), so it is
// deliberately not imported.
import _ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"

func init() {
	register(Driver{Name: "ncruces", SQLName: "sqlite3", Module: "github.com/ncruces/go-sqlite3"})
}
