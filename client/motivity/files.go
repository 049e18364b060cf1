package motivity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// MaxFileSize is the document's limit of an uploaded file (10 GB, read as
// GiB by stend); a file must have at least one byte.
const MaxFileSize = 10 << 30

// File is an uploaded file of the platform.
type File struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

type uploadAnswerJSON struct {
	Result bool   `json:"result"`
	Files  []File `json:"files"`
}

// Upload sends content as a file named name (POST /file/upload,
// multipart/form-data). The content is streamed as it is read, never held
// in memory, so a file of any size takes a few kilobytes; the request has
// no Content-Length (chunked). The format is judged by the name's
// extension (ErrFormatNotAllowed), the size by the bytes sent
// (ErrSizeNotAllowed: empty or over MaxFileSize); the server refuses
// either without reading the rest. The name is stored exactly as given.
// Content is not read after Upload returns.
func (c *Client) Upload(ctx context.Context, name string, content io.Reader) (*File, error) {
	const op = "Upload"
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	written := make(chan struct{})
	go func() {
		defer close(written)
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	// Content is not read once Upload has returned.
	defer func() { <-written }()
	req, err := c.request(ctx, op, http.MethodPost, "file/upload", pr)
	if err != nil {
		pr.Close()
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	data, err := c.exchange(c.stream, req, op, http.StatusOK)
	// A refusal comes before the body is read whole: stop the writer.
	pr.CloseWithError(errors.New("upload answered"))
	if err != nil {
		return nil, err
	}
	var raw uploadAnswerJSON
	if err := c.decode(op, data, &raw); err != nil {
		return nil, err
	}
	if !raw.Result || len(raw.Files) != 1 {
		return nil, malformed(op, "result %v with %d files", raw.Result, len(raw.Files))
	}
	return &raw.Files[0], nil
}

// FileLink is a download link of a file.
type FileLink struct {
	FileID int64 `json:"fileId"`
	// URL is absolute, needs no token, and works for a limited time (24
	// hours on stend); after, or once the file is deleted, ErrFileNotFound.
	URL string `json:"file"`
}

// Link asks for a download link of a file (POST /file/{fileId}); an
// unknown or deleted file is ErrFileNotFound.
func (c *Client) Link(ctx context.Context, fileID int64) (*FileLink, error) {
	var raw struct {
		Result bool `json:"result"`
		FileLink
	}
	if err := c.call(ctx, "Link", http.MethodPost, "file/"+strconv.FormatInt(fileID, 10), nil, &raw); err != nil {
		return nil, err
	}
	if !raw.Result || raw.FileID != fileID || raw.URL == "" {
		return nil, malformed("Link", "result %v, file %d, link %q", raw.Result, raw.FileID, raw.URL)
	}
	return &raw.FileLink, nil
}

// Download is a file being downloaded: read Body, then close it.
type Download struct {
	Body io.ReadCloser
	// Name is the file's name from Content-Disposition ("" when none).
	Name        string
	ContentType string
	// Offset is where Body starts; Length how many bytes it holds (-1
	// when the server did not say); Size the whole file's size (-1 when
	// unknown).
	Offset, Length, Size int64
	// ETag identifies the content: a resumed download sends it back
	// (If-Range) so that it never glues two versions together.
	ETag string
}

// Download opens a download link from offset (0: the whole file). The body
// is streamed: nothing is buffered. A link that expired or whose file was
// deleted is ErrFileNotFound; an offset at or past the end is an *APIError
// with HTTPStatus 416. To resume an interrupted download, call it again
// with the bytes already read as offset and ifRange the ETag of the first
// answer: if the file changed meanwhile, the server sends it whole
// (Offset 0) rather than a range of another content.
func (c *Client) Download(ctx context.Context, link string, offset int64, ifRange string) (*Download, error) {
	const op = "Download"
	// The link carries its own credentials; the API's token is not sent
	// outside the API's prefix.
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
		if ifRange != "" {
			req.Header.Set("If-Range", ifRange)
		}
	}
	resp, err := c.open(req, op)
	if err != nil {
		return nil, err
	}
	d := &Download{Body: resp.Body, ContentType: resp.Header.Get("Content-Type"), Length: resp.ContentLength, Size: resp.ContentLength,
		ETag: resp.Header.Get("ETag")}
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		d.Name = params["filename"] // mime decodes filename* into filename
	}
	if resp.StatusCode == http.StatusPartialContent {
		// "bytes first-last/size"
		var first, last int64
		var size string
		if _, err := fmt.Sscanf(resp.Header.Get("Content-Range"), "bytes %d-%d/%s", &first, &last, &size); err != nil {
			resp.Body.Close()
			return nil, malformed(op, "Content-Range %q", resp.Header.Get("Content-Range"))
		}
		d.Offset, d.Size = first, -1
		if n, err := strconv.ParseInt(strings.TrimSpace(size), 10, 64); err == nil {
			d.Size = n
		}
	}
	return d, nil
}

// DownloadFile asks for a link of the file and opens it from offset.
func (c *Client) DownloadFile(ctx context.Context, fileID, offset int64) (*Download, error) {
	link, err := c.Link(ctx, fileID)
	if err != nil {
		return nil, err
	}
	return c.Download(ctx, link.URL, offset, "")
}
