package operator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"stend"
	"stend/motivity"
)

// MotivityFile is a file the platform knows, as operators see it.
type MotivityFile struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Size         int64     `json:"size"`
	ContentType  string    `json:"contentType"`
	DeclaredType string    `json:"declaredType,omitempty"`
	SHA256       string    `json:"sha256"`
	Origin       string    `json:"origin"`
	CreatedAt    time.Time `json:"createdAt"`
}

func motivityFileOut(f motivity.File) MotivityFile {
	return MotivityFile{ID: f.ID, Name: f.Name, Size: f.Size, ContentType: motivity.ContentType(f.Name), DeclaredType: f.DeclaredType,
		SHA256: hex.EncodeToString(f.SHA256), Origin: f.Origin, CreatedAt: f.CreatedAt}
}

// UploadMotivityFile stores what r yields as a file named name, by the
// rules of the public upload (the document's formats, 1 byte to 10 GB),
// and gives it its id. The bytes are streamed into the blob store; the
// record is written once they are there whole.
func (s *Service) UploadMotivityFile(ctx context.Context, name, declaredType string, r io.Reader) (MotivityFile, error) {
	const op = "operator.UploadMotivityFile"
	if !motivity.FormatAllowed(name) {
		return MotivityFile{}, stend.Errorf(stend.Invalid, op, "file format not allowed: %q (the document's formats only)", name)
	}
	key := motivity.NewFileBlobKey()
	sum := sha256.New()
	// One byte past the limit tells an oversized file.
	info, err := s.Blobs.Put(ctx, key, io.TeeReader(io.LimitReader(r, motivity.MaxFileSize+1), sum))
	if err != nil {
		return MotivityFile{}, fmt.Errorf("%s: %w", op, err)
	}
	f := motivity.File{Name: name, Size: info.Size, DeclaredType: declaredType, SHA256: sum.Sum(nil), BlobKey: key,
		Origin: motivity.OriginOperator, CreatedAt: s.now()}
	if info.Size == 0 || info.Size > motivity.MaxFileSize {
		err = stend.Errorf(stend.Invalid, op, "file size not allowed: %d bytes (1 to %d)", info.Size, motivity.MaxFileSize)
	} else {
		f, err = s.Motivity.InsertFile(ctx, f)
	}
	if err != nil {
		// The sweep removes what this cannot.
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), key)
		return MotivityFile{}, err
	}
	return motivityFileOut(f), nil
}

// MotivityFiles lists files not deleted, by id.
func (s *Service) MotivityFiles(ctx context.Context, afterID int64, limit int) ([]MotivityFile, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	files, err := s.Motivity.Files(ctx, afterID, limit)
	out := make([]MotivityFile, 0, len(files))
	for _, f := range files {
		out = append(out, motivityFileOut(f))
	}
	return out, err
}

// MotivityFile is one file not deleted.
func (s *Service) MotivityFile(ctx context.Context, id int64) (MotivityFile, error) {
	f, err := s.Motivity.File(ctx, id)
	return motivityFileOut(f), err
}

// DeleteMotivityFile deletes a file: its id answers "File not found" from
// then on, its links stop working, and its bytes are removed (by the
// sweep, when the blob store cannot be reached now).
func (s *Service) DeleteMotivityFile(ctx context.Context, id int64) (MotivityFile, error) {
	f, err := s.Motivity.DeleteFile(ctx, id, s.now())
	if err != nil {
		return MotivityFile{}, err
	}
	_ = s.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey)
	return motivityFileOut(f), nil
}

// motivityFileRoutes: files are uploaded as the request's body itself
// (curl --data-binary @file), named by ?name=, streamed as they arrive.
func (h *HTTP) motivityFileRoutes(m *http.ServeMux) {
	const p = Prefix + "motivity/files"
	m.HandleFunc("POST "+p, func(w http.ResponseWriter, r *http.Request) {
		f, err := h.svc.UploadMotivityFile(r.Context(), r.URL.Query().Get("name"), r.Header.Get("Content-Type"), r.Body)
		h.reply(w, r, http.StatusCreated, f, err)
	})
	m.HandleFunc("GET "+p, h.answer(func(r *http.Request) (any, error) {
		after, limit, err := page(r)
		if err != nil {
			return nil, err
		}
		return h.svc.MotivityFiles(r.Context(), after, limit)
	}))
	m.HandleFunc("GET "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return h.svc.MotivityFile(r.Context(), id)
	}))
	m.HandleFunc("DELETE "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return h.svc.DeleteMotivityFile(r.Context(), id)
	}))
}

// SeedFile is a file the seed uploads: Path on the seed's machine (relative
// to the seed file), Name as the platform shows it (default: the path's
// base name).
type SeedFile struct {
	Path string `json:"path"`
	Name string `json:"name,omitempty"`
}

// loadFilesSeed uploads the seed's files, skipping one whose name and
// content (SHA-256) a file not deleted has already, so that the seed can be
// loaded at every start.
func (s *Service) loadFilesSeed(ctx context.Context, files []SeedFile, dir string) error {
	if len(files) == 0 {
		return nil
	}
	held := map[string]bool{}
	for after := int64(0); ; {
		page, err := s.MotivityFiles(ctx, after, 1000)
		if err != nil {
			return err
		}
		for _, f := range page {
			held[f.Name+"\x00"+f.SHA256] = true
			after = f.ID
		}
		if len(page) < 1000 {
			break
		}
	}
	for _, sf := range files {
		path := sf.Path
		if !filepath.IsAbs(path) && dir != "" {
			path = filepath.Join(dir, path)
		}
		name := sf.Name
		if name == "" {
			name = filepath.Base(path)
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return fmt.Errorf("seed: motivity file %s: %w", sf.Path, err)
		}
		if held[name+"\x00"+sum] {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("seed: motivity file %s: %w", sf.Path, err)
		}
		_, err = s.UploadMotivityFile(ctx, name, "", f)
		f.Close()
		if err != nil {
			return fmt.Errorf("seed: motivity file %s: %w", sf.Path, err)
		}
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
