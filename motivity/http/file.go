package http

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/blob"
	"stend/credential"
	"stend/httpx"
	"stend/motivity"
)

// «Файлы»: POST /file/upload stores one file, POST /file/{fileId} answers a
// link to it; the link is served by DownloadPrefix, without the token.

const (
	msgFileRequired      = "File not transmitted. File required"
	msgOneFile           = "Only one file allowed"
	msgFormatNotAllowed  = "File format not allowed"
	msgSizeNotAllowed    = "File size not allowed"
	msgFileNotFound      = "File not found"
	DefaultFileLinkTTL   = 24 * time.Hour
	DownloadPrefix       = "/file/"
	fileFormName         = "file"
	linkTokenBytes       = 8 + 8 + linkMACBytes
	linkMACBytes         = 16
	linkMACLabel         = "stend motivity file link\x00"
	downloadCacheControl = "private, no-transform"
)

// uploadedFile is how the document shows a file: in an upload's answer, a
// quest's preview image, a message's attachments.
type uploadedFile struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

type uploadAnswer struct {
	Result bool           `json:"result"`
	Files  []uploadedFile `json:"files"`
}

type linkAnswer struct {
	Result bool   `json:"result"`
	FileID int64  `json:"fileId"`
	File   string `json:"file"`
}

// refusal is a documented refusal of an upload: 400 with its text.
type refusal string

func (r refusal) Error() string { return string(r) }

// clientError marks a failure to read the request body: the client went
// away or sent a broken multipart body, as opposed to a failure of the
// blob store.
type clientError struct{ err error }

func (e clientError) Error() string { return "reading the upload: " + e.err.Error() }
func (e clientError) Unwrap() error { return e.err }

// capped reads at most max bytes of r and fails with a refusal at the first
// byte beyond, so a file over the limit stops being read there.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, refusal(msgSizeNotAllowed)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, refusal(msgSizeNotAllowed)
	}
	if err != nil && err != io.EOF {
		err = clientError{err}
	}
	return n, err
}

// fileRoute serves POST /file/upload and POST /file/{fileId}.
func (h *Handler) fileRoute(w http.ResponseWriter, r *http.Request, p motivity.Platform) {
	if r.PathValue("fileId") == "upload" {
		h.uploadFile(w, r, p)
		return
	}
	h.fileLink(w, r, p)
}

// bodyBuffer is what one read of an upload's body asks of the connection.
// The multipart reader reads 4 KiB at a time; beneath it, reads of this
// size take a tenth of the system calls, which were two thirds of an
// upload's CPU time.
const bodyBuffer = 256 << 10

// multipartReader reads the body of a multipart/form-data request (or
// multipart/mixed, as net/http accepts) through a large buffer.
func multipartReader(r *http.Request) (*multipart.Reader, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "multipart/form-data" && mt != "multipart/mixed") || params["boundary"] == "" {
		return nil, refusal(msgFileRequired)
	}
	return multipart.NewReader(bufio.NewReaderSize(r.Body, bodyBuffer), params["boundary"]), nil
}

// fileName is the part's file name exactly as sent (multipart.Part.FileName
// keeps only the last path element), and whether the part carries one.
func fileName(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	name := params["filename"]
	return name, name != ""
}

// uploadFile streams the one file of a multipart body into the blob store,
// hashing it on the way, and records it once it is stored whole. Nothing
// of the body is held beyond the store's buffer.
func (h *Handler) uploadFile(w http.ResponseWriter, r *http.Request, _ motivity.Platform) {
	ctx := r.Context()
	var stored *motivity.File
	err := func() error {
		mr, err := multipartReader(r)
		if err != nil {
			return err
		}
		files := 0
		fields := &capped{left: h.cfg.MaxBodyBytes}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return clientError{err}
			}
			name, isFile := fileName(part)
			if isFile {
				files++
			}
			switch {
			case !isFile:
				// A form field: read through, within the API's body
				// limit for all of them together.
				fields.r = part
				if _, err := io.Copy(io.Discard, fields); err != nil {
					return err
				}
				continue
			case files > 1:
				return refusal(msgOneFile)
			case part.FormName() != fileFormName:
				// A file under another name: counted (a second file
				// is refused), never stored.
				if _, err := io.Copy(io.Discard, &capped{r: part, left: h.cfg.MaxFileBytes}); err != nil {
					return err
				}
				continue
			case !motivity.FormatAllowed(name):
				return refusal(msgFormatNotAllowed)
			case !motivity.NameAllowed(name):
				// Refused before the content, not after 10 GB.
				return refusal(msgRequired)
			}
			f, err := h.storeFile(r, part, name)
			if err != nil {
				return err
			}
			stored = &f
		}
		if stored == nil {
			return refusal(msgFileRequired)
		}
		return nil
	}()
	if err == nil {
		// The record is written last: a body refused after the file (a
		// second file) leaves neither record nor blob.
		stored.CreatedAt = httpx.Now(ctx)
		f, ierr := h.store.InsertFile(ctx, *stored)
		if ierr == nil {
			writeOK(w, uploadAnswer{Result: true, Files: []uploadedFile{{ID: f.ID, Name: f.Name, Size: f.Size}}})
			return
		}
		err = ierr
	}
	if stored != nil {
		h.removeBlob(r, stored.BlobKey)
	}
	var ref refusal
	var cerr clientError
	switch {
	case errors.As(err, &ref):
		// Refused at once: the rest of the body is not read, so the
		// connection cannot carry another request.
		w.Header().Set("Connection", "close")
		writeMessage(w, http.StatusBadRequest, string(ref))
	case ctx.Err() != nil:
		// The client went away: nothing to answer, nothing kept.
	case errors.As(err, &cerr):
		// A body that is not the multipart it says it is, or that ended
		// before its closing boundary: no file arrived.
		w.Header().Set("Connection", "close")
		writeMessage(w, http.StatusBadRequest, msgFileRequired)
	default:
		h.fail(w, r, err)
	}
}

// storeFile streams part into a new blob and returns the file's record,
// not yet written.
func (h *Handler) storeFile(r *http.Request, part *multipart.Part, name string) (motivity.File, error) {
	key := motivity.NewFileBlobKey()
	sum := sha256.New()
	// Beyond the limit the reader fails: the blob store drops what it
	// wrote, and nothing more of the body is read.
	body := io.TeeReader(&capped{r: part, left: h.cfg.MaxFileBytes}, sum)
	info, err := h.cfg.Blobs.Put(r.Context(), key, body)
	if err != nil {
		return motivity.File{}, err
	}
	f := motivity.File{Name: name, Size: info.Size, DeclaredType: part.Header.Get("Content-Type"), SHA256: sum.Sum(nil),
		BlobKey: key, Origin: motivity.OriginPublicAPI}
	if f.Size == 0 {
		h.removeBlob(r, key)
		return motivity.File{}, refusal(msgSizeNotAllowed)
	}
	return f, nil
}

// removeBlob deletes what a refused or failed upload stored; the orphan
// sweep retries what this cannot.
func (h *Handler) removeBlob(r *http.Request, key string) {
	ctx := context.WithoutCancel(r.Context())
	if err := h.cfg.Blobs.Delete(ctx, key); err != nil {
		h.logger.WarnContext(ctx, "motivity: removing a refused upload", "key", key, "err", err)
	}
}

// fileLink answers a link to the file that works without the token until
// it expires.
func (h *Handler) fileLink(w http.ResponseWriter, r *http.Request, _ motivity.Platform) {
	id := parseID(r.PathValue("fileId"))
	if id < 1 {
		writeMessage(w, http.StatusNotFound, msgFileNotFound)
		return
	}
	f, ok := h.file(w, r, id)
	if !ok {
		return
	}
	expires := httpx.Now(r.Context()).Add(h.cfg.FileLinkTTL)
	writeOK(w, linkAnswer{Result: true, FileID: f.ID, File: h.link(r, f, expires)})
}

// link is a download link to f until expires. Its token is a capability
// (the link works without the API's token), so it is kept out of the
// request journal as the API's secrets are.
func (h *Handler) link(r *http.Request, f motivity.File, expires time.Time) string {
	p := DownloadPath(h.cfg.Keys, f, expires)
	token, _, _ := strings.Cut(strings.TrimPrefix(p, DownloadPrefix), "/")
	httpx.NoteSecret(r.Context(), token)
	return h.publicURL(r) + p
}

// file reads file id, or answers that there is none.
func (h *Handler) file(w http.ResponseWriter, r *http.Request, id int64) (motivity.File, bool) {
	f, err := h.store.File(r.Context(), id)
	if stend.IsKind(err, stend.NotFound) {
		writeMessage(w, http.StatusNotFound, msgFileNotFound)
		return f, false
	}
	if err != nil {
		h.fail(w, r, err)
		return f, false
	}
	return f, true
}

// publicURL is the configured base of links, else the one the client
// reached this node by.
func (h *Handler) publicURL(r *http.Request) string {
	if h.cfg.PublicURL != "" {
		return strings.TrimSuffix(h.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// DownloadPath is the path of a link to f valid until expires: the file's
// id and the expiry, signed with the deployment's secret (every node
// checks what any node signed; nothing is stored), then the name, so that
// a client saving under the link's last segment gets it.
func DownloadPath(keys credential.KeyHasher, f motivity.File, expires time.Time) string {
	var tok [linkTokenBytes]byte
	binary.BigEndian.PutUint64(tok[0:], uint64(f.ID))
	binary.BigEndian.PutUint64(tok[8:], uint64(expires.Unix()))
	copy(tok[16:], linkMAC(keys, tok[:16]))
	return DownloadPrefix + base64.RawURLEncoding.EncodeToString(tok[:]) + "/" + url.PathEscape(f.Name)
}

func linkMAC(keys credential.KeyHasher, payload []byte) []byte {
	return keys.Hash(linkMACLabel + string(payload))[:linkMACBytes]
}

// parseLink returns the file id and expiry a token signs.
func parseLink(keys credential.KeyHasher, token string) (id int64, expires time.Time, ok bool) {
	tok, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(tok) != linkTokenBytes || !credential.EqualHash(tok[16:], linkMAC(keys, tok[:16])) {
		return 0, time.Time{}, false
	}
	return int64(binary.BigEndian.Uint64(tok[0:])), time.Unix(int64(binary.BigEndian.Uint64(tok[8:])), 0), true
}

// Downloads serves the links that POST /file/{fileId} answers, under
// DownloadPrefix: no token (a browser follows the link), 404 once expired
// (by the stand's clock) or once the file is deleted, ranges for resuming.
func (h *Handler) Downloads() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+DownloadPrefix+"{token}/{name}", h.download)
	mux.HandleFunc(DownloadPrefix, func(w http.ResponseWriter, r *http.Request) {
		writeMessage(w, http.StatusNotFound, msgFileNotFound)
	})
	return httpx.Recover(h.logger, writeInternal, httpx.AtNow(h.clock, mux))
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	httpx.NoteSecret(ctx, r.PathValue("token"))
	id, expires, ok := parseLink(h.cfg.Keys, r.PathValue("token"))
	if !ok || !httpx.Now(ctx).Before(expires) {
		writeMessage(w, http.StatusNotFound, msgFileNotFound)
		return
	}
	f, ok := h.file(w, r, id)
	if !ok {
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", motivity.ContentType(f.Name))
	hd.Set("Content-Disposition", contentDisposition(f.Name))
	hd.Set("ETag", `"`+hex.EncodeToString(f.SHA256)+`"`)
	hd.Set("Cache-Control", downloadCacheControl)
	// The stand's own origin serves what clients uploaded (an SVG may
	// hold script): never sniffed, never run as a page.
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	if plainDownload(r) {
		h.sendWhole(w, r, f)
		return
	}
	content := &blobSeeker{r: r, store: h.cfg.Blobs, key: f.BlobKey, size: f.Size, spans: rangeSpans(r.Header.Get("Range"), f.Size)}
	defer content.Close()
	http.ServeContent(w, r, "", f.CreatedAt, content)
}

// plainDownload: a request for the whole file, with no condition and no
// range, which most downloads are.
func plainDownload(r *http.Request) bool {
	for _, name := range []string{"Range", "If-Range", "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"} {
		if r.Header.Get(name) != "" {
			return false
		}
	}
	return true
}

// sendBuffer is what a whole download reads and writes at a time:
// http.ServeContent copies 32 KiB at a time, which held a 10 GB download
// from a file in the page cache to about 1.3 GB/s.
const sendBuffer = 1 << 20

// sendWhole answers the whole file as http.ServeContent would, through a
// larger buffer.
func (h *Handler) sendWhole(w http.ResponseWriter, r *http.Request, f motivity.File) {
	hd := w.Header()
	hd.Set("Accept-Ranges", "bytes")
	hd.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	hd.Set("Last-Modified", f.CreatedAt.UTC().Format(http.TimeFormat))
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	rc, err := h.cfg.Blobs.Get(r.Context(), f.BlobKey, 0, -1)
	if err != nil {
		for _, name := range []string{"Accept-Ranges", "Content-Length", "Last-Modified", "Content-Disposition", "ETag"} {
			hd.Del(name)
		}
		h.fail(w, r, err)
		return
	}
	defer rc.Close()
	w.WriteHeader(http.StatusOK)
	// Plain reader and writer: either side's WriteTo or ReadFrom would
	// pick its own 32 KiB buffer instead.
	_, _ = io.CopyBuffer(struct{ io.Writer }{w}, struct{ io.Reader }{rc}, make([]byte, sendBuffer))
}

// contentDisposition keeps the original name: RFC 6266's filename* in
// UTF-8 for every client that reads it, and an ASCII fallback for those
// that do not.
func contentDisposition(name string) string {
	fallback := strings.Map(func(c rune) rune {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return '_'
		}
		return c
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, rfc5987(name))
}

// rfc5987 percent-encodes all but RFC 5987's attr-char.
func rfc5987(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// blobSeeker lets http.ServeContent answer ranges of a blob: a seek only
// moves the offset; a read opens the blob there when the open one is
// elsewhere, for the rest of the range asked for that holds the offset
// (spans, from the request's Range), else to the end. A download link
// needs no token, and a read to the end of a large blob is a download's to
// the store (blob.Disk's drop-behind; S3 asked for the rest of the object,
// which its server starts sending): a range of a few bytes must have the
// node read a few.
type blobSeeker struct {
	r     *http.Request
	store blob.Store
	key   string
	size  int64
	spans []byteSpan
	pos   int64
	rc    io.ReadCloser
	rcPos int64
	rcEnd int64 // where rc ends
}

func (b *blobSeeker) Read(p []byte) (int, error) {
	if b.pos >= b.size {
		return 0, io.EOF
	}
	if b.rc == nil || b.rcPos != b.pos || b.rcEnd == b.pos {
		b.Close()
		length, end := int64(-1), b.size
		for _, s := range b.spans {
			if s.start <= b.pos && b.pos < s.end {
				length, end = s.end-b.pos, s.end
				break
			}
		}
		rc, err := b.store.Get(b.r.Context(), b.key, b.pos, length)
		if err != nil {
			return 0, err
		}
		b.rc, b.rcPos, b.rcEnd = rc, b.pos, end
	}
	n, err := b.rc.Read(p)
	b.pos += int64(n)
	b.rcPos += int64(n)
	if err == io.EOF && b.pos == b.rcEnd && b.pos < b.size {
		// The span ended, not the blob (ServeContent answers the whole
		// file when If-Range names another version): the next read opens
		// the rest.
		err = nil
	}
	return n, err
}

// byteSpan is a range of a file, end exclusive.
type byteSpan struct{ start, end int64 }

// rangeSpans reads the byte ranges of a Range header as RFC 9110 does
// (http.ServeContent judges them; these only bound what a read opens):
// nil when there is none, and a malformed one left out.
func rangeSpans(header string, size int64) []byteSpan {
	specs, ok := strings.CutPrefix(header, "bytes=")
	if !ok {
		return nil
	}
	var spans []byteSpan
	for spec := range strings.SplitSeq(specs, ",") {
		first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
		if !ok {
			continue
		}
		var s byteSpan
		if first == "" {
			n, err := strconv.ParseInt(last, 10, 64)
			if err != nil || n <= 0 {
				continue
			}
			s = byteSpan{max(size-n, 0), size}
		} else {
			start, err := strconv.ParseInt(first, 10, 64)
			if err != nil || start < 0 {
				continue
			}
			s = byteSpan{start, size}
			if last != "" {
				end, err := strconv.ParseInt(last, 10, 64)
				if err != nil || end < start {
					continue
				}
				s.end = min(end+1, size)
			}
		}
		if s.start < s.end {
			spans = append(spans, s)
		}
	}
	return spans
}

func (b *blobSeeker) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.pos
	case io.SeekEnd:
		offset += b.size
	}
	if offset < 0 {
		return 0, errors.New("negative position")
	}
	b.pos = offset
	return offset, nil
}

func (b *blobSeeker) Close() error {
	if b.rc != nil {
		err := b.rc.Close()
		b.rc = nil
		return err
	}
	return nil
}

// SweepFiles removes what uploads cut short by a crash left: partial
// writes, and blobs under motivity.FileBlobPrefix that no file names (the
// node died between storing the bytes and writing the record, or a delete
// could not remove them), each only when older than before, so that an
// upload in flight on any node is never touched; and tus uploads left a
// week before that.
func SweepFiles(ctx context.Context, files motivity.FileStore, blobs blob.Store, before time.Time) (int, error) {
	removed, err := blobs.Sweep(ctx, before)
	if err != nil {
		return removed, err
	}
	n, err := sweepTus(ctx, blobs, before)
	removed += n
	if err != nil {
		return removed, err
	}
	n, err = blob.SweepUnheld(ctx, blobs, motivity.FileBlobPrefix, before, files.FileKeysHeld)
	return removed + n, err
}
