package motivity

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Resumable uploads: tus 1.0 under /public/api/v1/ext/tus/, an extension
// of stend's (the document has only the one-request upload). An upload
// interrupted by the network goes on from the last byte the server kept,
// instead of from the start.

// maxResumes bounds how many times ResumeUpload takes an upload up again
// after an interruption, within one call.
const maxResumes = 5

// ResumableUpload is an upload created on the server: keep URL (it is the
// upload) to resume it later, from another process too, within a week.
type ResumableUpload struct {
	URL  string
	Name string
	Size int64
}

func (c *Client) tusRequest(ctx context.Context, op, method, target string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	req.Header.Set("X-Auth-Token", c.token)
	req.Header.Set("Tus-Resumable", "1.0.0")
	return req, nil
}

// CreateUpload creates a resumable upload of size bytes named name. The
// format and the size are judged now (ErrFormatNotAllowed,
// ErrSizeNotAllowed; an upload over the server's limit is ErrTooLarge, as
// tus answers it), before any byte is sent.
func (c *Client) CreateUpload(ctx context.Context, name string, size int64) (*ResumableUpload, error) {
	const op = "CreateUpload"
	req, err := c.tusRequest(ctx, op, http.MethodPost, c.base+"ext/tus/", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Upload-Length", strconv.FormatInt(size, 10))
	req.Header.Set("Upload-Metadata", "filename "+base64.StdEncoding.EncodeToString([]byte(name)))
	resp, _, err := c.exchangeResp(c.http, req, op, http.StatusCreated)
	if err != nil {
		return nil, err
	}
	loc, err := req.URL.Parse(resp.Header.Get("Location"))
	if err != nil || resp.Header.Get("Location") == "" {
		return nil, malformed(op, "Location %q", resp.Header.Get("Location"))
	}
	return &ResumableUpload{URL: loc.String(), Name: name, Size: size}, nil
}

// UploadOffset asks how many bytes of the upload the server holds.
func (c *Client) UploadOffset(ctx context.Context, u *ResumableUpload) (int64, error) {
	const op = "UploadOffset"
	req, err := c.tusRequest(ctx, op, http.MethodHead, u.URL, nil)
	if err != nil {
		return 0, err
	}
	resp, _, err := c.exchangeResp(c.http, req, op, http.StatusOK)
	if err != nil {
		return 0, err
	}
	off, err := strconv.ParseInt(resp.Header.Get("Upload-Offset"), 10, 64)
	if err != nil || off < 0 || off > u.Size {
		return 0, malformed(op, "Upload-Offset %q", resp.Header.Get("Upload-Offset"))
	}
	return off, nil
}

// ErrUploadOutcomeUnknown: the upload was finished, but the answer that
// named its file was lost; the server has the file, the client not its id.
var ErrUploadOutcomeUnknown = errors.New("motivity: upload finished, its file id was lost")

// ResumeUpload sends what the server does not hold yet of the upload,
// reading content (the whole file, seekable) from there, and returns the
// file once the last byte is stored. An interruption (the network, a 5xx,
// another request taking the upload over) is resumed from the server's
// offset, up to 5 times in a call; call again to go on after that, even
// from another process, with the same URL.
func (c *Client) ResumeUpload(ctx context.Context, u *ResumableUpload, content io.ReadSeeker) (*File, error) {
	const op = "ResumeUpload"
	var last error
	for attempt := 0; attempt <= maxResumes; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(time.Duration(attempt) * c.pollFirst)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, fmt.Errorf("motivity: %s: %w (after %v)", op, ctx.Err(), last)
			case <-t.C:
			}
		}
		off, err := c.UploadOffset(ctx, u)
		if err != nil {
			if !retryable(ctx, err) {
				return nil, err
			}
			last = err
			continue
		}
		if off == u.Size {
			return nil, fmt.Errorf("motivity: %s: %s: %w", op, u.URL, ErrUploadOutcomeUnknown)
		}
		if _, err := content.Seek(off, io.SeekStart); err != nil {
			return nil, fmt.Errorf("motivity: %s: %w", op, err)
		}
		req, err := c.tusRequest(ctx, op, http.MethodPatch, u.URL, io.NopCloser(io.LimitReader(content, u.Size-off)))
		if err != nil {
			return nil, err
		}
		req.ContentLength = u.Size - off
		req.Header.Set("Upload-Offset", strconv.FormatInt(off, 10))
		req.Header.Set("Content-Type", "application/offset+octet-stream")
		resp, _, err := c.exchangeResp(c.stream, req, op, http.StatusNoContent)
		if err != nil {
			if !retryable(ctx, err) {
				return nil, err
			}
			last = err
			continue
		}
		if id := resp.Header.Get("Motivity-File-Id"); id != "" {
			n, err := strconv.ParseInt(id, 10, 64)
			if err != nil {
				return nil, malformed(op, "Motivity-File-Id %q", id)
			}
			return &File{ID: n, Name: u.Name, Size: u.Size}, nil
		}
		// Stopped short (another request took the upload over): go on.
		last = fmt.Errorf("stopped at %s of %d bytes", resp.Header.Get("Upload-Offset"), u.Size)
	}
	return nil, fmt.Errorf("motivity: %s: gave up after %d resumes: %w", op, maxResumes, last)
}

// retryable: an interruption worth resuming after, not a refusal.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		// 409: the offset moved under us (another writer); 423: locked.
		return errors.Is(err, ErrUnavailable) || apiErr.HTTPStatus == http.StatusConflict || apiErr.HTTPStatus == http.StatusLocked
	}
	var ue *url.Error
	return errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF)
}

// UploadResumable uploads content (size bytes, seekable: a file) named
// name through a resumable upload: CreateUpload, then ResumeUpload.
func (c *Client) UploadResumable(ctx context.Context, name string, content io.ReadSeeker, size int64) (*File, error) {
	u, err := c.CreateUpload(ctx, name, size)
	if err != nil {
		return nil, err
	}
	return c.ResumeUpload(ctx, u, content)
}
