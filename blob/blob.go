// Package blob keeps the stand's bytes: uploaded files today, and whatever
// later features store that is too large for a database row (attachments,
// images, report data, snapshots). One interface, two implementations: Disk,
// under the data directory (the default, nothing to set up), and S3, any
// S3-compatible object storage (several nodes share one bucket as they share
// one PostgreSQL). blobtest holds the suite both pass.
//
// Every write is a stream: a Put never holds an object in memory, so a
// 10 GB upload costs a node a buffer, not its size.
package blob

import (
	"context"
	"io"
	"iter"
	"strings"
	"time"

	"stend"
)

// Store is where blobs live.
type Store interface {
	// Put stores what r yields under key, replacing what was there. The
	// object appears whole when Put returns nil, and not at all when r
	// fails or ctx ends first (a client cut off mid-upload leaves
	// nothing); once Put returns nil it survives a crash of the node.
	Put(ctx context.Context, key string, r io.Reader) (Info, error)
	// Get reads length bytes from offset off; length < 0 reads to the end.
	// A missing key is stend.NotFound; an offset past the end is
	// stend.Invalid.
	Get(ctx context.Context, key string, off, length int64) (io.ReadCloser, error)
	// Stat describes key; a missing key is stend.NotFound.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes key; a missing key is no error, so that a retried
	// delete and a sweep racing it both succeed.
	Delete(ctx context.Context, key string) error
	// List yields the objects whose keys start with prefix, in no promised
	// order.
	List(ctx context.Context, prefix string) iter.Seq2[Info, error]
	// Sweep removes what Puts interrupted by a crash left behind (partial
	// files, unfinished multipart uploads) begun before before: a Put in
	// flight on another node is younger than any sensible before.
	Sweep(ctx context.Context, before time.Time) (int, error)
}

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// MaxKeyLen bounds a key, S3's own limit.
const MaxKeyLen = 1024

// CheckKey accepts keys that every implementation maps to the same object:
// segments of letters, digits, '-', '_' and '.', joined by '/', none empty,
// none "." or "..", the first not starting with '.' (Disk keeps its partial
// files there).
func CheckKey(key string) error {
	const op = "blob.CheckKey"
	if key == "" || len(key) > MaxKeyLen {
		return stend.Errorf(stend.Invalid, op, "key length %d", len(key))
	}
	if strings.HasPrefix(key, ".") {
		return stend.Errorf(stend.Invalid, op, "key %q starts with a dot", key)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return stend.Errorf(stend.Invalid, op, "key %q has an empty or relative segment", key)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return stend.Errorf(stend.Invalid, op, "key %q has the character %q", key, c)
			}
		}
	}
	return nil
}

// checkRange refuses what no object can answer, before asking the store.
func checkRange(op string, off int64) error {
	if off < 0 {
		return stend.Errorf(stend.Invalid, op, "negative offset %d", off)
	}
	return nil
}

func notFound(op, key string) error {
	return stend.Errorf(stend.NotFound, op, "no blob %q", key)
}

func pastEnd(op, key string, off, size int64) error {
	return stend.Errorf(stend.Invalid, op, "offset %d past the end of %q (%d bytes)", off, key, size)
}

// readCloser closes c after reading r (a range of a larger stream).
type readCloser struct {
	io.Reader
	io.Closer
}
