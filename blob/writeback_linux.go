package blob

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE: start writing the range's
// dirty pages out, without waiting.
const syncFileRangeWrite = 2

// startWriteback starts writing a range just written out to the disk, for
// files written through the page cache. Without it the kernel keeps a
// whole upload dirty in memory (its background writeback starts at a tenth
// of RAM) and the closing fsync writes all of it while the client waits.
func startWriteback(f *os.File, off, n int64) {
	_ = syscall.SyncFileRange(int(f.Fd()), off, n, syncFileRangeWrite)
}

// createFile makes a new file written past the page cache (O_DIRECT): the
// kernel then copies nothing, and the core it spent copying an upload into
// the cache is left to reading and hashing it. Where the file system
// refuses O_DIRECT (tmpfs), the file is written through the cache.
func createFile(path string) (f *os.File, direct bool, err error) {
	f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_DIRECT, 0o640)
	if errors.Is(err, syscall.EINVAL) {
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
		return f, false, err
	}
	return f, err == nil, err
}

// endDirect turns O_DIRECT off, for the last piece of a file, whose length
// is not a multiple of the alignment O_DIRECT needs.
func endDirect(f *os.File) error {
	fd := f.Fd()
	flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_GETFL, 0)
	if errno != 0 {
		return errno
	}
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_SETFL, flags&^syscall.O_DIRECT); errno != 0 {
		return errno
	}
	return nil
}

// dropCache drops a range of f that was read from the page cache (n 0:
// to the end).
func dropCache(f *os.File, off, n int64) {
	_ = unix.Fadvise(int(f.Fd()), off, n, unix.FADV_DONTNEED)
}
