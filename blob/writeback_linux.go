package blob

import (
	"os"
	"syscall"
)

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE: start writing the range's
// dirty pages out, without waiting.
const syncFileRangeWrite = 2

// startWriteback starts writing a range just written out to the disk.
// Without it the kernel keeps a whole upload dirty in memory (its
// background writeback starts at a tenth of RAM) and the closing fsync
// writes all of it while the client waits; with it the disk writes while
// the body still arrives, and the fsync finds only the tail.
func startWriteback(f *os.File, off, n int64) {
	_ = syscall.SyncFileRange(int(f.Fd()), off, n, syncFileRangeWrite)
}
