package http

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	tusd "github.com/tus/tusd/v2/pkg/handler"
	xslog "golang.org/x/exp/slog"

	"stend"
	"stend/blob"
	"stend/httpx"
	"stend/motivity"
)

// Beyond the document: resumable uploads of the same files by the tus 1.0
// protocol (core, creation, creation-with-upload, termination), for
// integrators who move large files over unreliable links. The protocol is
// tusd's handler; the bytes go to the stand's blob store through tusStore,
// so that they live where every other file does (disk or S3) and a
// finished upload is a file like any other, addressed by the same ids.
// The same token, formats and size apply; an upload over the size is 413,
// as the protocol asks.

// TusPrefix is where tus uploads are created (POST) and continued (HEAD,
// PATCH, DELETE on the URL that creation answers).
const TusPrefix = Prefix + "ext/tus/"

// FileIDHeader names the file a finished tus upload became: POST
// /file/{fileId} gives its link.
const FileIDHeader = "Motivity-File-Id"

// tusSegment is the most one blob of an upload holds. A PATCH is stored
// as segments, each whole once written, so that a connection lost in the
// middle of a long PATCH keeps what arrived before it (tusd hands the store
// a body cut short as one that ended).
const tusSegment = 64 << 20

// tusBlobPrefix is where unfinished uploads live: an info blob and the
// segments, named by their offset.
const tusBlobPrefix = "tus/"

// Tus serves the tus extension: the token is checked as on every path of
// the API.
func (h *Handler) Tus() http.Handler {
	store := &tusStore{h: h}
	composer := tusd.NewStoreComposer()
	composer.UseCore(store)
	composer.UseTerminater(store)
	composer.UseLocker(newTusLocker(h.store, h.clock, h.logger))
	th, err := tusd.NewHandler(tusd.Config{
		StoreComposer:        composer,
		BasePath:             TusPrefix,
		MaxSize:              h.cfg.MaxFileBytes,
		DisableDownload:      true, // downloads are the links of POST /file/{fileId}
		DisableConcatenation: true,
		AcquireLockTimeout:   tusLockWait,
		// tusd logs each request to its own logger (golang.org/x/exp's
		// slog); the API's access log already records them.
		Logger:                    xslog.New(xslog.NewTextHandler(io.Discard, nil)),
		PreUploadCreateCallback:   h.tusCreate,
		PreFinishResponseCallback: h.tusFinished,
	})
	if err != nil {
		panic(fmt.Sprintf("motivity: tus handler: %v", err)) // a bug in the configuration above
	}
	// tusd routes paths below its base path.
	routed := http.StripPrefix(TusPrefix, th)
	return httpx.Recover(h.logger, writeInternal, httpx.AtNow(h.clock, h.guard(func(w http.ResponseWriter, r *http.Request, _ motivity.Platform) {
		routed.ServeHTTP(w, r)
	})))
}

// tusRefusal answers a documented text in the API's envelope.
func tusRefusal(status int, msg string) tusd.Error {
	body, _ := json.Marshal(messageBody{Result: false, Message: msg})
	return tusd.Error{ErrorCode: "ERR_REFUSED", Message: msg, HTTPResponse: tusd.HTTPResponse{
		StatusCode: status, Body: string(body), Header: tusd.HTTPHeader{"Content-Type": contentType}}}
}

// tusName is the file's name from the upload's metadata: "filename", as
// tus-js-client and Uppy send it, or "name".
func tusName(meta tusd.MetaData) string {
	if n := meta["filename"]; n != "" {
		return n
	}
	return meta["name"]
}

func (h *Handler) tusCreate(hook tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	u := hook.Upload
	switch {
	case tusName(u.MetaData) == "":
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(http.StatusBadRequest, msgFileRequired)
	case !motivity.FormatAllowed(tusName(u.MetaData)):
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(http.StatusBadRequest, msgFormatNotAllowed)
	case !motivity.NameAllowed(tusName(u.MetaData)):
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(http.StatusBadRequest, msgRequired)
	case u.SizeIsDeferred || u.Size == 0:
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, tusRefusal(http.StatusBadRequest, msgSizeNotAllowed)
	}
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, nil
}

func (h *Handler) tusFinished(hook tusd.HookEvent) (tusd.HTTPResponse, error) {
	info, err := (&tusStore{h: h}).readInfo(hook.Context, hook.Upload.ID)
	if err != nil {
		return tusd.HTTPResponse{}, err
	}
	return tusd.HTTPResponse{Header: tusd.HTTPHeader{FileIDHeader: strconv.FormatInt(info.FileID, 10)}}, nil
}

// tusStore keeps uploads in the blob store.
type tusStore struct{ h *Handler }

// tusInfo is what an upload keeps besides its bytes.
type tusInfo struct {
	Size     int64             `json:"size"`
	MetaData map[string]string `json:"metaData"`
	// FileID is the file it became, once finished.
	FileID int64 `json:"fileId,omitempty"`
}

type tusUpload struct {
	s    *tusStore
	id   string
	info tusInfo
}

func tusInfoKey(id string) string { return tusBlobPrefix + id + "/info" }

// tusPartKey names the segment starting at off: fixed width, so that
// listing order is offset order.
func tusPartKey(id string, off int64) string {
	return fmt.Sprintf("%s%s/part-%020d", tusBlobPrefix, id, off)
}

func (s *tusStore) NewUpload(ctx context.Context, fi tusd.FileInfo) (tusd.Upload, error) {
	var b [16]byte
	_, _ = rand.Read(b[:])
	u := &tusUpload{s: s, id: hex.EncodeToString(b[:]), info: tusInfo{Size: fi.Size, MetaData: fi.MetaData}}
	if err := s.writeInfo(ctx, u.id, u.info); err != nil {
		return nil, err
	}
	return u, nil
}

func (s *tusStore) writeInfo(ctx context.Context, id string, info tusInfo) error {
	b, _ := json.Marshal(info)
	_, err := s.h.cfg.Blobs.Put(ctx, tusInfoKey(id), bytes.NewReader(b))
	return err
}

func (s *tusStore) readInfo(ctx context.Context, id string) (tusInfo, error) {
	var info tusInfo
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return info, tusd.ErrNotFound
	}
	rc, err := s.h.cfg.Blobs.Get(ctx, tusInfoKey(id), 0, -1)
	if stend.IsKind(err, stend.NotFound) {
		return info, tusd.ErrNotFound
	}
	if err != nil {
		return info, err
	}
	defer rc.Close()
	err = json.NewDecoder(rc).Decode(&info)
	return info, err
}

func (s *tusStore) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	info, err := s.readInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	return &tusUpload{s: s, id: id, info: info}, nil
}

// parts are the upload's segments in offset order.
func (u *tusUpload) parts(ctx context.Context) ([]blob.Info, error) {
	var parts []blob.Info
	for info, err := range u.s.h.cfg.Blobs.List(ctx, tusBlobPrefix+u.id+"/part-") {
		if err != nil {
			return nil, err
		}
		parts = append(parts, info)
	}
	slices.SortFunc(parts, func(a, b blob.Info) int { return strings.Compare(a.Key, b.Key) })
	return parts, nil
}

// offset is how many bytes the upload holds: its segments, which follow
// one another without gaps (each starts where the last ended).
func (u *tusUpload) offset(ctx context.Context) (int64, []blob.Info, error) {
	parts, err := u.parts(ctx)
	if err != nil {
		return 0, nil, err
	}
	var off int64
	for _, p := range parts {
		if p.Key != tusPartKey(u.id, off) {
			return 0, nil, stend.Errorf(stend.Internal, "motivity.tus", "upload %s: segment %s where offset %d was expected", u.id, p.Key, off)
		}
		off += p.Size
	}
	return off, parts, nil
}

func (u *tusUpload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	var written int64
	for {
		info, err := u.s.h.cfg.Blobs.Put(ctx, tusPartKey(u.id, offset+written), io.LimitReader(src, tusSegment))
		if err != nil {
			return written, err
		}
		written += info.Size
		if info.Size == 0 {
			return written, u.s.h.cfg.Blobs.Delete(ctx, info.Key)
		}
		if info.Size < tusSegment {
			return written, nil
		}
	}
}

func (u *tusUpload) GetInfo(ctx context.Context) (tusd.FileInfo, error) {
	off := u.info.Size
	if u.info.FileID == 0 {
		var err error
		if off, _, err = u.offset(ctx); err != nil {
			return tusd.FileInfo{}, err
		}
	}
	return tusd.FileInfo{ID: u.id, Size: u.info.Size, Offset: off, MetaData: u.info.MetaData}, nil
}

func (u *tusUpload) GetReader(context.Context) (io.ReadCloser, error) {
	return nil, tusd.ErrNotImplemented
}

// FinishUpload makes the segments one file: copied into a blob of the
// platform's files with the SHA-256 computed on the way, recorded, then
// the segments removed. A node that dies before the record is written
// leaves a complete upload without a file (the client uploads again) and
// an orphan copy (swept).
func (u *tusUpload) FinishUpload(ctx context.Context) error {
	const op = "motivity.tus.Finish"
	h := u.s.h
	size, parts, err := u.offset(ctx)
	if err != nil {
		return err
	}
	if size != u.info.Size {
		return stend.Errorf(stend.Internal, op, "upload %s holds %d of %d bytes", u.id, size, u.info.Size)
	}
	key := motivity.NewFileBlobKey()
	sum := sha256.New()
	info, err := h.cfg.Blobs.Put(ctx, key, io.TeeReader(&partsReader{ctx: ctx, blobs: h.cfg.Blobs, parts: parts}, sum))
	if err != nil {
		return err
	}
	f, err := h.store.InsertFile(ctx, motivity.File{Name: tusName(u.info.MetaData), Size: info.Size, DeclaredType: u.info.MetaData["filetype"],
		SHA256: sum.Sum(nil), BlobKey: key, Origin: motivity.OriginPublicAPI, CreatedAt: httpx.Now(ctx)})
	if err != nil {
		_ = h.cfg.Blobs.Delete(context.WithoutCancel(ctx), key)
		return err
	}
	u.info.FileID = f.ID
	if err := u.s.writeInfo(ctx, u.id, u.info); err != nil {
		return err
	}
	for _, p := range parts {
		_ = h.cfg.Blobs.Delete(ctx, p.Key)
	}
	return nil
}

// partsReader reads the segments one after the other, opening each when
// the last is done.
type partsReader struct {
	ctx   context.Context
	blobs blob.Store
	parts []blob.Info
	cur   io.ReadCloser
}

func (p *partsReader) Read(b []byte) (int, error) {
	for {
		if p.cur == nil {
			if len(p.parts) == 0 {
				return 0, io.EOF
			}
			rc, err := p.blobs.Get(p.ctx, p.parts[0].Key, 0, -1)
			if err != nil {
				return 0, err
			}
			p.cur, p.parts = rc, p.parts[1:]
		}
		n, err := p.cur.Read(b)
		if errors.Is(err, io.EOF) {
			_ = p.cur.Close()
			p.cur = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (s *tusStore) AsTerminatableUpload(u tusd.Upload) tusd.TerminatableUpload { return u.(*tusUpload) }

// Terminate removes an upload: its segments and its info; a file it
// already became stays.
func (u *tusUpload) Terminate(ctx context.Context) error {
	parts, err := u.parts(ctx)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if err := u.s.h.cfg.Blobs.Delete(ctx, p.Key); err != nil {
			return err
		}
	}
	return u.s.h.cfg.Blobs.Delete(ctx, tusInfoKey(u.id))
}

// tusKeep is how long an upload is kept after its last write: a client
// may resume within it; a finished upload's note (its file id) may be
// read within it.
const tusKeep = 7 * 24 * time.Hour

// sweepTus removes the uploads whose last write is older than tusKeep
// before before.
func sweepTus(ctx context.Context, blobs blob.Store, before time.Time) (int, error) {
	last := map[string]time.Time{}
	keys := map[string][]string{}
	for info, err := range blobs.List(ctx, tusBlobPrefix) {
		if err != nil {
			return 0, err
		}
		id, _, _ := strings.Cut(strings.TrimPrefix(info.Key, tusBlobPrefix), "/")
		keys[id] = append(keys[id], info.Key)
		if info.ModTime.After(last[id]) {
			last[id] = info.ModTime
		}
	}
	removed := 0
	for id, ks := range keys {
		if !last[id].Before(before.Add(-tusKeep)) {
			continue
		}
		for _, k := range ks {
			if err := blobs.Delete(ctx, k); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}
