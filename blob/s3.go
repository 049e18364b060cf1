package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"stend"
)

// S3Config names a bucket of an S3-compatible server. Credentials are not
// here: the client reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN itself, so no setting, log line or error ever holds
// them.
type S3Config struct {
	// Endpoint is the server's URL: http://127.0.0.1:8333,
	// https://storage.example.
	Endpoint string
	Bucket   string
	Region   string
	// Prefix is put before every key, for a bucket shared with other data.
	Prefix string
}

// s3PartSize is one part of a multipart upload. Put holds two (one
// uploading while the next is read from the client), so a node spends
// 16 MiB on an upload of any size; 10,000 parts, S3's limit, make 80 GiB,
// eight times the largest file the platform takes.
const s3PartSize = 8 << 20

// S3 keeps objects in a bucket. The client is minio-go's low-level Core:
// blob streams parts itself, so that reading the next part from the client
// overlaps uploading the last one and memory stays at two parts
// (benchmarks/s3client measured the choice of library, docs/motivity.md, "Files").
// Payloads are sent unsigned (UNSIGNED-PAYLOAD; the request is still
// signed): signing them hashed every byte a second time beside the upload's
// own SHA-256, on the same two cores; TLS to the endpoint protects them.
type S3 struct {
	core   minio.Core
	bucket string
	prefix string
}

var _ Store = (*S3)(nil)

// NewS3 connects to the bucket, making it if it is missing.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	const op = "blob.NewS3"
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, stend.Errorf(stend.Invalid, op, "endpoint %q is not an http(s) URL", cfg.Endpoint)
	}
	c, err := minio.New(u.Host, &minio.Options{
		Creds:  credentials.NewEnvAWS(),
		Secure: u.Scheme == "https",
		Region: cfg.Region,
		// Path-style requests work with every S3-compatible server and
		// need no wildcard DNS.
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		return nil, stend.Errorf(stend.Invalid, op, "%v", err)
	}
	s := &S3{core: minio.Core{Client: c}, bucket: cfg.Bucket, prefix: cfg.Prefix}
	exists, err := c.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, s.err(op, err)
	}
	if !exists {
		err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region})
		if err != nil && minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" {
			return nil, s.err(op, err)
		}
	}
	return s, nil
}

// err gives a server's answer its kind; no credential is in what minio-go
// reports.
func (s *S3) err(op string, err error) error {
	var kinded interface{ ErrorKind() stend.Kind }
	if errors.As(err, &kinded) {
		return err
	}
	switch minio.ToErrorResponse(err).Code {
	case "NoSuchKey", "NoSuchUpload":
		return &stend.Error{Kind: stend.NotFound, Op: op, Err: err}
	case "InvalidRange":
		return &stend.Error{Kind: stend.Invalid, Op: op, Err: err}
	case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout":
		return &stend.Error{Kind: stend.Unavailable, Op: op, Err: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &stend.Error{Kind: stend.Unavailable, Op: op, Err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &stend.Error{Kind: stend.Unavailable, Op: op, Err: err}
	}
	return &stend.Error{Kind: stend.Internal, Op: op, Err: err}
}

func (s *S3) Put(ctx context.Context, key string, r io.Reader) (Info, error) {
	const op = "blob.S3.Put"
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	if err := ctx.Err(); err != nil {
		return Info{}, s.err(op, err)
	}
	object := s.prefix + key
	cur, next := make([]byte, s3PartSize), make([]byte, s3PartSize)
	n, rerr := fill(r, cur)
	if rerr != nil && rerr != io.EOF {
		return Info{}, fmt.Errorf("%s: %w", op, rerr)
	}
	if rerr == io.EOF {
		// One part's worth or less: one request.
		_, err := s.core.PutObject(ctx, s.bucket, object, bytes.NewReader(cur[:n]), int64(n), "", "", minio.PutObjectOptions{DisableContentSha256: true})
		if err != nil {
			return Info{}, s.err(op, err)
		}
		return s.Stat(ctx, key)
	}
	uploadID, err := s.core.NewMultipartUpload(ctx, s.bucket, object, minio.PutObjectOptions{})
	if err != nil {
		return Info{}, s.err(op, err)
	}
	var parts []minio.CompletePart
	size, err := func() (int64, error) {
		var size int64
		for {
			type sent struct {
				part minio.ObjectPart
				err  error
			}
			done := make(chan sent, 1)
			number := len(parts) + 1
			go func(data []byte) {
				p, err := s.core.PutObjectPart(ctx, s.bucket, object, uploadID, number, bytes.NewReader(data), int64(len(data)), minio.PutObjectPartOptions{DisableContentSha256: true})
				done <- sent{p, err}
			}(cur[:n])
			size += int64(n)
			last := rerr == io.EOF
			if !last {
				n, rerr = fill(r, next)
			}
			up := <-done
			if up.err != nil {
				return 0, s.err(op, up.err)
			}
			parts = append(parts, minio.CompletePart{PartNumber: number, ETag: up.part.ETag})
			if last || rerr == io.EOF && n == 0 {
				return size, nil
			}
			if rerr != nil && rerr != io.EOF {
				return 0, fmt.Errorf("%s: %w", op, rerr)
			}
			cur, next = next, cur
		}
	}()
	if err == nil {
		_, err = s.core.CompleteMultipartUpload(ctx, s.bucket, object, uploadID, parts, minio.PutObjectOptions{})
		if err != nil {
			err = s.err(op, err)
		}
	}
	if err != nil {
		// The client may be what went away: the abort must not go with
		// its context. What an abort cannot reach, Sweep removes.
		_ = s.core.AbortMultipartUpload(context.WithoutCancel(ctx), s.bucket, object, uploadID)
		return Info{}, err
	}
	info, err := s.Stat(ctx, key)
	if err == nil && info.Size != size {
		return Info{}, stend.Errorf(stend.Internal, op, "stored %d bytes of %d", info.Size, size)
	}
	return info, err
}

func (s *S3) Get(ctx context.Context, key string, off, length int64) (io.ReadCloser, error) {
	const op = "blob.S3.Get"
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if err := checkRange(op, off); err != nil {
		return nil, err
	}
	empty := func() (io.ReadCloser, error) {
		info, err := s.Stat(ctx, key)
		if err != nil {
			return nil, err
		}
		if off > info.Size {
			return nil, pastEnd(op, key, off, info.Size)
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	if length == 0 {
		return empty()
	}
	var opts minio.GetObjectOptions
	if length < 0 {
		opts.Set("Range", fmt.Sprintf("bytes=%d-", off))
	} else {
		opts.Set("Range", fmt.Sprintf("bytes=%d-%d", off, off+length-1))
	}
	rc, _, _, err := s.core.GetObject(ctx, s.bucket, s.prefix+key, opts)
	if err != nil {
		if resp := minio.ToErrorResponse(err); resp.Code == "InvalidRange" || resp.StatusCode == http.StatusRequestedRangeNotSatisfiable {
			// An offset at the end, or past it: which one, the size
			// tells.
			return empty()
		}
		return nil, s.err(op, err)
	}
	return rc, nil
}

func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	const op = "blob.S3.Stat"
	if err := CheckKey(key); err != nil {
		return Info{}, err
	}
	oi, err := s.core.StatObject(ctx, s.bucket, s.prefix+key, minio.StatObjectOptions{})
	if err != nil {
		if minio.ToErrorResponse(err).StatusCode == http.StatusNotFound {
			return Info{}, notFound(op, key)
		}
		return Info{}, s.err(op, err)
	}
	return Info{Key: key, Size: oi.Size, ModTime: oi.LastModified}, nil
}

func (s *S3) Delete(ctx context.Context, key string) error {
	const op = "blob.S3.Delete"
	if err := CheckKey(key); err != nil {
		return err
	}
	if err := s.core.RemoveObject(ctx, s.bucket, s.prefix+key, minio.RemoveObjectOptions{}); err != nil {
		return s.err(op, err)
	}
	return nil
}

func (s *S3) List(ctx context.Context, prefix string) iter.Seq2[Info, error] {
	return func(yield func(Info, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // a caller that stops early ends the listing
		for oi := range s.core.Client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
			if oi.Err != nil {
				yield(Info{}, s.err("blob.S3.List", oi.Err))
				return
			}
			if !yield(Info{Key: strings.TrimPrefix(oi.Key, s.prefix), Size: oi.Size, ModTime: oi.LastModified}, nil) {
				return
			}
		}
	}
}

func (s *S3) Sweep(ctx context.Context, before time.Time) (int, error) {
	n := 0
	for u := range s.core.Client.ListIncompleteUploads(ctx, s.bucket, s.prefix, true) {
		if u.Err != nil {
			return n, s.err("blob.S3.Sweep", u.Err)
		}
		if !u.Initiated.Before(before) {
			continue
		}
		if err := s.core.AbortMultipartUpload(ctx, s.bucket, u.Key, u.UploadID); err == nil {
			n++
		}
	}
	return n, nil
}
