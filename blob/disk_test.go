package blob_test

import (
	"context"
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
