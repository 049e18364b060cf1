// Command hello is the trivial program used to compare binary sizes: it links
// the drivers of this build (pick one with -tags no_modernc / no_ncruces; both
// tags give a database/sql-only baseline), opens an in-memory database and
// prints SQLite's version.
package main

import (
	"database/sql"
	"fmt"
	"os"

	"stend/benchmarks/sqlitedriver"
)

func main() {
	for _, d := range sqlitedriver.Drivers {
		db, err := sql.Open(d.SQLName, "file::memory:")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var v string
		if err := db.QueryRow(`SELECT sqlite_version()`).Scan(&v); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		db.Close()
		fmt.Printf("%s %s: SQLite %s\n", d.Name, d.ModuleVersion(), v)
	}
	if len(sqlitedriver.Drivers) == 0 {
		fmt.Println("no driver linked (baseline)")
	}
}
