// Package blobtest is the suite every blob.Store passes, and the blob
// stores this environment has for other packages' tests: Disk always, S3
// when STEND_TEST_S3_ENDPOINT names a server (.ci/run starts one).
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/blob"
)

// Opener opens a fresh, empty store of one kind for a test.
type Opener struct {
	Name string
	Open func(t testing.TB) blob.Store
}

// Openers are the kinds this environment has.
func Openers() []Opener {
	o := []Opener{{"disk", func(t testing.TB) blob.Store {
		d, err := blob.NewDisk(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}}}
	if S3Configured() {
		o = append(o, Opener{"s3", OpenS3})
	}
	return o
}

// ForEach runs fn as a parallel subtest on each kind of store.
func ForEach(t *testing.T, fn func(t *testing.T, o Opener)) {
	for _, o := range Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, o)
		})
	}
}

// failingReader yields n bytes, then fails as a client cut off does.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	clear(p[:k])
	r.n -= k
	return k, nil
}

// Random returns n random bytes.
func Random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// Run is the suite: every Store behaves alike under it.
func Run(t *testing.T, s blob.Store) {
	ctx := context.Background()
	put := func(t *testing.T, key string, data []byte) blob.Info {
		t.Helper()
		info, err := s.Put(ctx, key, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if info.Key != key || info.Size != int64(len(data)) {
			t.Fatalf("put %s: %+v, want %d bytes", key, info, len(data))
		}
		return info
	}
	get := func(t *testing.T, key string, off, n int64) ([]byte, error) {
		t.Helper()
		rc, err := s.Get(ctx, key, off, n)
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	missing := func(t *testing.T, key string) {
		t.Helper()
		if _, err := s.Stat(ctx, key); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("stat %s: %v, want not found", key, err)
		}
		if _, err := get(t, key, 0, -1); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("get %s: %v, want not found", key, err)
		}
	}

	t.Run("whole and ranges", func(t *testing.T) {
		// More than one S3 part and one Disk buffer, not a multiple of
		// either.
		data := Random(17<<20 + 5)
		put(t, "ranges/big.bin", data)
		info, err := s.Stat(ctx, "ranges/big.bin")
		if err != nil || info.Size != int64(len(data)) || info.Key != "ranges/big.bin" || info.ModTime.IsZero() {
			t.Fatalf("stat: %+v %v", info, err)
		}
		for _, c := range []struct{ off, n int64 }{
			{0, -1}, {0, 1}, {5, 10}, {1 << 20, 3 << 20}, {int64(len(data)) - 7, -1},
			{int64(len(data)) - 7, 100}, // past the end: what there is
			{int64(len(data)), -1}, {int64(len(data)), 5}, {3, 0},
		} {
			got, err := get(t, "ranges/big.bin", c.off, c.n)
			if err != nil {
				t.Fatalf("get %d+%d: %v", c.off, c.n, err)
			}
			end := int64(len(data))
			if c.n >= 0 {
				end = min(end, c.off+c.n)
			}
			if !bytes.Equal(got, data[c.off:end]) {
				t.Fatalf("get %d+%d: %d bytes, not the stored ones", c.off, c.n, len(got))
			}
		}
		if _, err := get(t, "ranges/big.bin", int64(len(data))+1, -1); !stend.IsKind(err, stend.Invalid) {
			t.Fatalf("offset past the end: %v", err)
		}
		if _, err := get(t, "ranges/big.bin", -1, -1); !stend.IsKind(err, stend.Invalid) {
			t.Fatalf("negative offset: %v", err)
		}
	})

	t.Run("empty object", func(t *testing.T) {
		put(t, "empty/e", nil)
		got, err := get(t, "empty/e", 0, -1)
		if err != nil || len(got) != 0 {
			t.Fatalf("%q %v", got, err)
		}
	})

	t.Run("replace and delete", func(t *testing.T) {
		put(t, "replace/x", []byte("first"))
		put(t, "replace/x", []byte("second, longer"))
		if got, err := get(t, "replace/x", 0, -1); err != nil || string(got) != "second, longer" {
			t.Fatalf("%q %v", got, err)
		}
		if err := s.Delete(ctx, "replace/x"); err != nil {
			t.Fatal(err)
		}
		missing(t, "replace/x")
		if err := s.Delete(ctx, "replace/x"); err != nil {
			t.Fatalf("deleting a missing key: %v", err)
		}
	})

	t.Run("interrupted put leaves nothing", func(t *testing.T) {
		cut := errors.New("client went away")
		_, err := s.Put(ctx, "cut/a", &failingReader{n: 9 << 20, err: cut})
		if !errors.Is(err, cut) {
			t.Fatalf("put: %v, want the reader's error", err)
		}
		missing(t, "cut/a")
		// A failed replacement keeps the old object.
		put(t, "cut/b", []byte("kept"))
		if _, err := s.Put(ctx, "cut/b", &failingReader{n: 100, err: cut}); !errors.Is(err, cut) {
			t.Fatalf("put: %v", err)
		}
		if got, err := get(t, "cut/b", 0, -1); err != nil || string(got) != "kept" {
			t.Fatalf("%q %v", got, err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cctx, "cut/c", bytes.NewReader(Random(10))); err == nil {
			t.Fatal("put with an ended context succeeded")
		}
		missing(t, "cut/c")
		for info, err := range s.List(ctx, "cut/") {
			if err != nil {
				t.Fatal(err)
			}
			if info.Key != "cut/b" {
				t.Fatalf("listed %s", info.Key)
			}
		}
		// The failed Puts cleaned up after themselves (no partial file,
		// no unfinished multipart upload): a sweep finds nothing.
		if n, err := s.Sweep(ctx, time.Now().Add(time.Minute)); err != nil || n != 0 {
			t.Fatalf("sweep after failed puts: %d %v", n, err)
		}
	})

	t.Run("list by prefix", func(t *testing.T) {
		for _, k := range []string{"list/a/1", "list/a/2", "list/ab/3", "list/b/4", "list/a-c"} {
			put(t, k, []byte(k))
		}
		for prefix, want := range map[string]string{
			"list/a/":  "list/a/1 list/a/2",
			"list/a":   "list/a-c list/a/1 list/a/2 list/ab/3",
			"list/":    "list/a-c list/a/1 list/a/2 list/ab/3 list/b/4",
			"list/c":   "",
			"list/b/4": "list/b/4",
		} {
			var keys []string
			for info, err := range s.List(ctx, prefix) {
				if err != nil {
					t.Fatal(err)
				}
				if info.Size != int64(len(info.Key)) {
					t.Fatalf("%s: size %d", info.Key, info.Size)
				}
				keys = append(keys, info.Key)
			}
			slices.Sort(keys)
			if got := strings.Join(keys, " "); got != want {
				t.Errorf("list %q: %q, want %q", prefix, got, want)
			}
		}
		// A caller may stop early.
		n := 0
		for range s.List(ctx, "list/") {
			n++
			break
		}
		if n != 1 {
			t.Fatal(n)
		}
	})

	t.Run("keys", func(t *testing.T) {
		for _, k := range []string{"", "/a", "a/", "a//b", "a/../b", "./a", ".partial/x", "a b", "ключ", "a\\b", strings.Repeat("k", blob.MaxKeyLen+1)} {
			if _, err := s.Put(ctx, k, strings.NewReader("x")); !stend.IsKind(err, stend.Invalid) {
				t.Errorf("put %q: %v, want invalid", k, err)
			}
			if _, err := s.Stat(ctx, k); !stend.IsKind(err, stend.Invalid) {
				t.Errorf("stat %q: %v, want invalid", k, err)
			}
		}
	})

	t.Run("concurrent puts", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				data := bytes.Repeat([]byte{byte(i)}, 100_000+i)
				if _, err := s.Put(ctx, fmt.Sprintf("conc/%d", i), bytes.NewReader(data)); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		for i := range 8 {
			got, err := get(t, fmt.Sprintf("conc/%d", i), 0, -1)
			if err != nil || len(got) != 100_000+i || got[0] != byte(i) {
				t.Fatalf("%d: %d bytes %v", i, len(got), err)
			}
		}
	})
}
