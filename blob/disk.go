package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"stend"
)

// partialDir holds files being written; a key cannot start with '.', so it
// never collides with an object.
const partialDir = ".partial"

// copyBuffer is what one Put writes per system call: large enough that a
// 10 GB stream costs thousands of writes, not millions, and that a write
// past the page cache keeps the disk busy (dd with O_DIRECT here: 470 MB/s
// in 1 MiB writes, 875 MB/s in 4 MiB ones), small beside the memory a node
// may spend on one upload.
const copyBuffer = 4 << 20

// Disk keeps each object as a file under a root directory, its key the
// path. A Put writes a file under .partial and renames it into place after
// an fsync, so a reader sees the old object or the new one, never a part.
type Disk struct {
	root string
}

var _ Store = (*Disk)(nil)

// NewDisk keeps objects under root, made at the first Put: a node that
// stores no file leaves no directory behind.
func NewDisk(root string) (*Disk, error) {
	if root == "" {
		return nil, stend.Errorf(stend.Invalid, "blob.NewDisk", "no directory")
	}
	return &Disk{root: root}, nil
}

func (d *Disk) path(key string) string { return filepath.Join(d.root, filepath.FromSlash(key)) }

func (d *Disk) Put(ctx context.Context, key string, r io.Reader) (Info, error) {
	const op = "blob.Disk.Put"
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, stend.Errorf(stend.Unavailable, op, "%v", err)
	}
	var rnd [12]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(d.root, partialDir, hex.EncodeToString(rnd[:]))
	if err := os.MkdirAll(filepath.Dir(tmp), 0o750); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	f, direct, err := createFile(tmp)
	if err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	done := false
	defer func() {
		if !done {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	size, err := copyChunks(ctx, &fileWriter{f: f, direct: direct}, r)
	if err != nil {
		return Info{}, fmt.Errorf("%s: %w", op, err)
	}
	if err := f.Sync(); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	st, err := f.Stat()
	if err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	if err := f.Close(); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	final := d.path(key)
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	done = true
	// The rename is durable only once its directory is.
	if err := syncDir(filepath.Dir(final)); err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	return Info{Key: key, Size: size, ModTime: st.ModTime()}, nil
}

// copyChunks copies r to w in pieces, checking ctx between them. It fills
// each piece before writing it (the body of an HTTP request arrives in reads
// of a few kilobytes), and writes in a goroutine of its own: reading the
// body (and hashing it, upstream) and writing the file take a core each (a
// 2 GB upload over loopback took 11.6 s with both in one goroutine, 6.5 s
// overlapped). A body that fits the first, small piece is written at once.
func copyChunks(ctx context.Context, w *fileWriter, r io.Reader) (int64, error) {
	buf := alignedBuffer(firstPiece)
	n, err := fill(r, buf)
	if err == io.EOF {
		if _, werr := w.Write(buf[:n]); werr != nil {
			return 0, stend.Errorf(stend.Internal, "blob.copy", "%v", werr)
		}
		return int64(n), nil
	}
	free := make(chan []byte, copyDepth+1)
	full := make(chan []byte, copyDepth+1)
	written := make(chan error, 1)
	var failed atomic.Bool // the writer failed: stop reading (a full disk must not take the rest of a 10 GB body)
	go func() {
		var err error
		for b := range full {
			if err == nil {
				_, err = w.Write(b)
				failed.Store(err != nil)
			}
			free <- b[:cap(b)]
		}
		written <- err
	}()
	var total int64
	made := 0
	for {
		if err != nil && err != io.EOF {
			break // the reader's own error, its kind kept
		}
		if failed.Load() {
			break // the writer's error is reported below
		}
		if cerr := ctx.Err(); cerr != nil {
			err = stend.Errorf(stend.Unavailable, "blob.copy", "%v", cerr)
			break
		}
		if n > 0 {
			full <- buf[:n]
			total += int64(n)
		}
		if err == io.EOF {
			err = nil
			break
		}
		for buf = nil; buf == nil; {
			select {
			case b := <-free:
				if cap(b) == copyBuffer {
					buf = b
				}
			default:
				if made < copyDepth {
					buf = pieces.Get().([]byte)
					made++
				} else {
					b := <-free
					if cap(b) == copyBuffer {
						buf = b
					}
				}
			}
		}
		n, err = fill(r, buf)
	}
	close(full)
	werr := <-written
	for len(free) > 0 {
		if b := <-free; cap(b) == copyBuffer {
			pieces.Put(b) // boxing the slice header costs nothing beside a 4 MiB piece
		}
	}
	if werr != nil && err == nil {
		err = stend.Errorf(stend.Internal, "blob.copy", "%v", werr)
	}
	return total, err
}

// copyDepth is how many pieces may wait for the writer: the reader runs
// ahead by up to this many while the disk is slower.
const copyDepth = 4

// firstPiece is the first read of a body: small, so that many small
// uploads at once do not each hold a whole piece.
const firstPiece = 256 << 10

// pieces are reused between uploads: an upload's four pieces are 16 MiB.
var pieces = sync.Pool{New: func() any { return alignedBuffer(copyBuffer) }}

// directAlign is what O_DIRECT asks of a write's memory, offset and length.
const directAlign = 4096

// alignedBuffer is n bytes starting at a multiple of directAlign.
func alignedBuffer(n int) []byte {
	b := make([]byte, n+directAlign)
	off := int(uintptr(unsafe.Pointer(&b[0])) & (directAlign - 1))
	if off != 0 {
		off = directAlign - off
	}
	return b[off : off+n : off+n]
}

// fileWriter writes a new file: past the page cache while direct, whole
// aligned blocks; the rest of the last piece (the only one whose length is
// not a multiple of directAlign) through the cache.
type fileWriter struct {
	f      *os.File
	direct bool
	off    int64
}

func (w *fileWriter) Write(b []byte) (int, error) {
	n := 0
	if w.direct {
		aligned := len(b) &^ (directAlign - 1)
		if aligned > 0 {
			k, err := w.f.Write(b[:aligned])
			n += k
			w.off += int64(k)
			if err != nil {
				return n, err
			}
		}
		if aligned == len(b) {
			return n, nil
		}
		if err := endDirect(w.f); err != nil {
			return n, err
		}
		w.direct = false
		b = b[aligned:]
	}
	k, err := w.f.Write(b)
	startWriteback(w.f, w.off, int64(k))
	w.off += int64(k)
	return n + k, err
}

// fill reads into buf until it is full or r ends: io.EOF at the end, any
// other error as r gave it (io.ReadFull would turn an io.ErrUnexpectedEOF of
// r's own into a normal end).
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func (d *Disk) Get(ctx context.Context, key string, off, length int64) (io.ReadCloser, error) {
	const op = "blob.Disk.Get"
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if err := checkRange(op, off); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(op, key)
	}
	if err != nil {
		return nil, stend.Errorf(stend.Internal, op, "%v", err)
	}
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		_ = f.Close()
		return nil, notFound(op, key)
	}
	if off > st.Size() {
		_ = f.Close()
		return nil, pastEnd(op, key, off, st.Size())
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, stend.Errorf(stend.Internal, op, "%v", err)
	}
	end := st.Size()
	if length >= 0 {
		end = min(off+length, end)
	}
	if end-off >= largeRead {
		return &dropBehindReader{f: f, off: off, end: end, dropped: off}, nil
	}
	if length < 0 {
		return f, nil
	}
	return readCloser{io.LimitReader(f, end-off), f}, nil
}

// largeRead is the least a read must span to be read as a download is:
// dropped from the page cache behind the reader.
const largeRead = 16 << 20

// dropBehindReader reads a large range of a file sequentially and drops
// what it read from the page cache behind it: a 10 GB download would
// otherwise push out what the node reads often (its database's pages), for
// a file seldom read twice. Reading ahead is the kernel's own (the
// device's read_ahead_kb, and up to max_sectors_kb for a 1 MiB read),
// which follows a sequential reader: asking it to read further ahead
// (FADV_WILLNEED, in pieces it does not cut, keeping 16 to 256 MiB
// ahead) made a cold 10 GB download slower here, 0.9 to 1.2 GB/s against
// 1.5 to 1.8 without (docs/benchmarks.md). A small read is left to the
// kernel's read-ahead alone, which reads a few pages for a few bytes: a
// range of a large file (a download link needs no token) reads little.
type dropBehindReader struct {
	f       *os.File
	off     int64 // where the next Read reads
	end     int64 // where reading stops
	dropped int64 // what was read before it is dropped from the cache
}

// dropEvery is how much a large read reads between drops.
const dropEvery = 32 << 20

func (a *dropBehindReader) Read(p []byte) (int, error) {
	if a.off >= a.end {
		return 0, io.EOF
	}
	if int64(len(p)) > a.end-a.off {
		p = p[:a.end-a.off]
	}
	n, err := a.f.Read(p)
	a.off += int64(n)
	if a.off-a.dropped >= dropEvery {
		dropCache(a.f, a.dropped, a.off-a.dropped)
		a.dropped = a.off
	}
	return n, err
}

func (a *dropBehindReader) Close() error {
	// With what the kernel read ahead and the reader did not take.
	dropCache(a.f, a.dropped, 0)
	return a.f.Close()
}

func (d *Disk) Stat(ctx context.Context, key string) (Info, error) {
	const op = "blob.Disk.Stat"
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	st, err := os.Stat(d.path(key))
	if errors.Is(err, fs.ErrNotExist) || err == nil && st.IsDir() {
		return Info{}, notFound(op, key)
	}
	if err != nil {
		return Info{}, stend.Errorf(stend.Internal, op, "%v", err)
	}
	return Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

func (d *Disk) Delete(ctx context.Context, key string) error {
	const op = "blob.Disk.Delete"
	if err := CheckKey(key); err != nil {
		return err
	}
	err := os.Remove(d.path(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return stend.Errorf(stend.Internal, op, "%v", err)
	}
	return nil
}

func (d *Disk) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		// Walk only the directory the prefix names, not the whole tree.
		start := d.root
		if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
			start = d.path(prefix[:i])
		}
		err := filepath.WalkDir(start, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rel, _ := filepath.Rel(d.root, p)
			key := filepath.ToSlash(rel)
			if e.IsDir() {
				if key == partialDir || key != "." && !strings.HasPrefix(key+"/", prefix) && !strings.HasPrefix(prefix, key+"/") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasPrefix(key, prefix) {
				return nil
			}
			st, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted while listed
			}
			if err != nil {
				return err
			}
			if !yield(Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil) {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			yield(Info{}, stend.Errorf(stend.Internal, "blob.Disk.List", "%v", err))
		}
	}
}

func (d *Disk) Sweep(ctx context.Context, before time.Time) (int, error) {
	dir := filepath.Join(d.root, partialDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, stend.Errorf(stend.Internal, "blob.Disk.Sweep", "%v", err)
	}
	n := 0
	for _, e := range entries {
		st, err := e.Info()
		if err != nil || !st.ModTime().Before(before) {
			continue
		}
		if os.Remove(path.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n, nil
}
