package blob_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"stend/blob"
	"stend/blob/blobtest"
)

func TestDisk(t *testing.T) {
	t.Parallel()
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobtest.Run(t, d)
}

// A partial file that a crash left is swept once it is older than the
// sweep's bound, and not before.
func TestDiskSweep(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	d, err := blob.NewDisk(root)
	if err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(root, ".partial", "crashed")
	if err := os.MkdirAll(filepath.Dir(left), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(left, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n, err := d.Sweep(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("young partial file: %d %v", n, err)
	}
	if n, err := d.Sweep(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("old partial file: %d %v", n, err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// A whole read of a large object (read far ahead, dropped from the page
// cache behind, several drops) yields the stored bytes, from the start or
// from an offset; one closed halfway leaves the object whole.
func TestDiskWholeRead(t *testing.T) {
	t.Parallel()
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	data := blobtest.Random(70<<20 + 3)
	if _, err := d.Put(ctx, "whole", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	read := func(off int64, n int) []byte {
		t.Helper()
		rc, err := d.Get(ctx, "whole", off, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		var got bytes.Buffer
		if n < 0 {
			_, err = io.CopyBuffer(struct{ io.Writer }{&got}, struct{ io.Reader }{rc}, make([]byte, 1<<20))
		} else {
			_, err = io.CopyN(&got, rc, int64(n))
		}
		if err != nil {
			t.Fatal(err)
		}
		return got.Bytes()
	}
	if got := read(0, 40<<20); !bytes.Equal(got, data[:40<<20]) {
		t.Fatal("half a whole read: not the stored bytes")
	}
	for _, off := range []int64{0, 5} {
		if got := read(off, -1); !bytes.Equal(got, data[off:]) {
			t.Fatalf("whole read from %d: %d bytes, not the stored ones", off, len(got))
		}
	}
}
