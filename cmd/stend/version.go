package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version says which build this is: the module's version (a tag when built
// from one, "(devel)" from a checkout), the commit and its time, whether the
// tree had changes, and the Go that built it.
func version(w io.Writer) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(w, "stend (no build information)")
		return
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	line := "stend " + info.Main.Version
	if rev := settings["vcs.revision"]; rev != "" {
		line += " " + rev[:min(12, len(rev))]
		if t := settings["vcs.time"]; t != "" {
			line += " " + t
		}
		if settings["vcs.modified"] == "true" {
			line += " (modified)"
		}
	}
	fmt.Fprintln(w, line+" "+info.GoVersion)
}
