//go:build linux

package http_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"stend/blob/blobtest"
	"stend/server"
	"stend/store/storetest"
)

// A download link needs no token, so a small range of a large file must
// have the node read little from its disk: the range asked for, not the
// 256 MiB a whole download reads ahead. Counted by the process's own
// reads from storage (/proc/self/io). Before: a 1-byte range opened the
// blob to its end, and 8 MiB were read. Not parallel: another test's
// reads would count.
func TestSmallRangeReadsLittle(t *testing.T) {
	if _, err := readBytes(); err != nil {
		t.Skip("no /proc/self/io")
	}
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			var dir string
			s := fileStand(t, o, "disk", func(cfg *server.Config) {
				cfg.MotivityMaxFileBytes = 64 << 20
				dir = cfg.DataDir
			})
			var fsys unix.Statfs_t
			if err := unix.Statfs(dir, &fsys); err != nil || fsys.Type == unix.TMPFS_MAGIC {
				t.Skip("tmpfs: nothing is read from a disk")
			}
			data := blobtest.Random(48 << 20)
			if a := s.upload(part{field: "file", filename: "большой.mp4", content: data}); a.status != 200 {
				t.Fatalf("upload: %d %s", a.status, a.body)
			}
			_, path := s.link(1)
			for rng, want := range map[string][2]int{"bytes=0-0": {0, 1}, "bytes=30000000-30000009": {30000000, 30000010}, "bytes=-2": {48<<20 - 2, 48 << 20}} {
				evict(t, filepath.Join(dir, "blobs"))
				before, _ := readBytes()
				a := s.fetch("GET", path, "Range: "+rng)
				after, _ := readBytes()
				if a.status != 206 || a.body != string(data[want[0]:want[1]]) {
					t.Fatalf("%s: %d, %d bytes", rng, a.status, len(a.body))
				}
				t.Logf("%s: %d bytes read from the disk", rng, after-before)
				if read := after - before; read > 1<<20 {
					t.Errorf("%s: the node read %d bytes from its disk", rng, read)
				}
			}
		})
	}
}

// readBytes is what this process has read from storage.
func readBytes() (int64, error) {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "read_bytes: "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, fs.ErrNotExist
}

// evict drops every file under dir from the page cache.
func evict(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
	})
	if err != nil {
		t.Fatal(err)
	}
}
