//go:build linux

package blob

import (
	"context"
	"io"
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A large read drops what it read from the page cache behind the reader
// (in mincore's view), and at Close what the kernel read ahead that it did
// not take; a range of a byte reads a few pages. The file is sparse, so the
// kernel fills the pages it reads at once, without the disk.
func TestDiskReadCache(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	var fs unix.Statfs_t
	if err := unix.Statfs(root, &fs); err != nil || fs.Type == unix.TMPFS_MAGIC {
		t.Skip("tmpfs: every file is in memory")
	}
	d, err := NewDisk(root)
	if err != nil {
		t.Fatal(err)
	}
	const size = 256 << 20
	path := d.path("big")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	ctx := context.Background()
	read := func(rc io.Reader, n int64) {
		t.Helper()
		if _, err := io.CopyBuffer(io.Discard, io.LimitReader(rc, n), make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
	}
	for _, length := range []int64{-1, 128 << 20} {
		rc, err := d.Get(ctx, "big", 0, length)
		if err != nil {
			t.Fatal(err)
		}
		read(rc, 65<<20)
		if n := resident(t, path, 0, 64<<20); n != 0 {
			t.Fatalf("length %d: %d bytes read are still in the page cache", length, n)
		}
		if n := resident(t, path, 64<<20, 65<<20); n != 1<<20 {
			t.Fatalf("length %d: %d bytes of the last MiB read in the page cache", length, n)
		}
		if err := rc.Close(); err != nil {
			t.Fatal(err)
		}
		if n := resident(t, path, 0, size); n != 0 {
			t.Fatalf("length %d: %d bytes in the page cache after Close", length, n)
		}
	}
	rc, err := d.Get(ctx, "big", 100<<20, 1)
	if err != nil {
		t.Fatal(err)
	}
	read(rc, 1)
	_ = rc.Close()
	if n := resident(t, path, 0, size); n == 0 || n > 1<<20 {
		t.Fatalf("a range of 1 byte read %d bytes into the page cache", n)
	}
}

// resident is how many bytes of [from, to) of the file at path are in the
// page cache.
func resident(t *testing.T, path string, from, to int64) int64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := unix.Mmap(int(f.Fd()), from, int(to-from), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	page := int64(os.Getpagesize())
	vec := make([]byte, (to-from+page-1)/page)
	if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
		t.Fatal(errno)
	}
	var n int64
	for _, v := range vec {
		n += int64(v&1) * page
	}
	return n
}
