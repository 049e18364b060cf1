//go:build unix

package server

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// raiseFileLimit lifts the limit of open files as far as this process may:
// to the kernel's ceiling when privileged, else to the hard limit (Go
// itself raises the soft limit to the hard one; this also tries beyond).
// It returns the limit in force, which bounds the connections served.
func raiseFileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 0
	}
	if b, err := os.ReadFile("/proc/sys/fs/nr_open"); err == nil {
		// The kernel's ceiling can be a billion; a million files is more
		// than any node serves, and some libraries walk every descriptor.
		const enough = 1 << 20
		if ceiling, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && min(ceiling, enough) > l.Max {
			ceiling = min(ceiling, enough)
			if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: ceiling, Max: ceiling}) == nil {
				return ceiling
			}
		}
	}
	if l.Cur < l.Max && syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: l.Max, Max: l.Max}) == nil {
		return l.Max
	}
	return l.Cur
}
