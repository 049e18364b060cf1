package sqlitedriver

import (
	"syscall"
	"time"
)

// ProcessCPU returns the user+system CPU time this process has used so far.
// The benchmarks report it per operation (cpu-µs/op) next to wall-clock
// figures: on a shared machine other processes stretch wall time, but they
// barely change how much CPU the driver itself burns per operation.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
