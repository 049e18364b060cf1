//go:build !linux

package blob

import "os"

// startWriteback has no portable equivalent: the closing fsync writes all.
func startWriteback(*os.File, int64, int64) {}
