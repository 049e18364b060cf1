// Package sqlitedriver compares pure-Go (cgo-free) SQLite drivers for stend
// through database/sql on workloads that mirror stend's use. The drivers
// under test register themselves from modernc.go and ncruces.go; either can be
// left out of a build with the tags no_modernc / no_ncruces (used by
// cmd/probe and cmd/hello to measure one driver per binary).
package sqlitedriver

import (
	"net/url"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// Driver describes one database/sql SQLite driver under test.
type Driver struct {
	Name    string // short label used in benchmark names, e.g. "modernc"
	SQLName string // name registered with database/sql
	Module  string // Go module path, for reporting its version
}

// Drivers lists the drivers linked into this build, sorted by Name.
var Drivers []Driver

func register(d Driver) {
	Drivers = append(Drivers, d)
	sort.Slice(Drivers, func(i, j int) bool { return Drivers[i].Name < Drivers[j].Name })
}

// ByName returns the linked driver with the given Name.
func ByName(name string) (Driver, bool) {
	for _, d := range Drivers {
		if d.Name == name {
			return d, true
		}
	}
	return Driver{}, false
}

// ModuleVersion reports the version of d's module in this binary's build info.
func (d Driver) ModuleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "?"
	}
	for _, m := range bi.Deps {
		if m.Path == d.Module {
			if m.Replace != nil {
				return m.Replace.Version
			}
			return m.Version
		}
	}
	return "?"
}

// Options are the connection settings that go into the DSN.
type Options struct {
	BusyTimeoutMS int    // PRAGMA busy_timeout
	TxLock        string // "", "deferred", "immediate" or "exclusive"
}

// DefaultOptions are stend's settings: busy_timeout 5000 and BEGIN IMMEDIATE.
var DefaultOptions = Options{BusyTimeoutMS: 5000, TxLock: "immediate"}

// DSN builds the data source name. Both modernc.org/sqlite and
// github.com/ncruces/go-sqlite3/driver accept exactly this syntax: a "file:"
// URI (ncruces only reads _txlock/_pragma when the DSN starts with "file:"),
// one _pragma=name(value) parameter per PRAGMA, run on every new connection,
// and _txlock to choose the BEGIN mode of database/sql transactions.
func DSN(path string, o Options) string {
	q := []string{
		"_pragma=" + url.QueryEscape("busy_timeout("+strconv.Itoa(o.BusyTimeoutMS)+")"),
		"_pragma=" + url.QueryEscape("journal_mode(WAL)"),
		"_pragma=" + url.QueryEscape("synchronous(NORMAL)"),
		"_pragma=" + url.QueryEscape("foreign_keys(ON)"),
	}
	if o.TxLock != "" {
		q = append(q, "_txlock="+o.TxLock)
	}
	return "file:" + path + "?" + strings.Join(q, "&")
}
