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
	"strconv"
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
// rules of the public upload (the document's formats, 1 byte to the
// stand's limit, MaxFileBytes),
// and gives it its id. The bytes are streamed into the blob store; the
// record is written once they are there whole.
func (s *Service) UploadMotivityFile(ctx context.Context, name, declaredType string, r io.Reader) (MotivityFile, error) {
	const op = "operator.UploadMotivityFile"
	if !motivity.FormatAllowed(name) {
		return MotivityFile{}, stend.Errorf(stend.Invalid, op, "file format not allowed: %q (the document's formats only)", name)
	}
	limit := s.MaxFileBytes
	if limit <= 0 {
		limit = motivity.MaxFileSize
	}
	key := motivity.NewFileBlobKey()
	sum := sha256.New()
	// One byte past the limit tells an oversized file.
	info, err := s.Blobs.Put(ctx, key, io.TeeReader(io.LimitReader(r, limit+1), sum))
	if err != nil {
		return MotivityFile{}, fmt.Errorf("%s: %w", op, err)
	}
	f := motivity.File{Name: name, Size: info.Size, DeclaredType: declaredType, SHA256: sum.Sum(nil), BlobKey: key,
		Origin: motivity.OriginOperator, CreatedAt: s.now()}
	if info.Size == 0 || info.Size > limit {
		err = stend.Errorf(stend.Invalid, op, "file size not allowed: %d bytes (1 to %d)", info.Size, limit)
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
// sweep, when the blob store cannot be reached now, or once no snapshot
// holds the file).
func (s *Service) DeleteMotivityFile(ctx context.Context, id int64) (MotivityFile, error) {
	f, err := s.Motivity.DeleteFile(ctx, id, s.now())
	if err != nil {
		return MotivityFile{}, err
	}
	// A snapshot that holds the file keeps its bytes, for its restore.
	if held, err := s.Motivity.FileKeysHeld(ctx, []string{f.BlobKey}); err == nil && !held[f.BlobKey] {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), f.BlobKey)
	}
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

// seedFiles uploads files the seed names, once: a file not deleted with
// the same name and content (SHA-256) is used instead, so that the seed can
// be loaded at every start.
type seedFiles struct {
	s    *Service
	dir  string
	held map[string]int64 // name NUL sha256 → id
}

func (s *Service) newSeedFiles(ctx context.Context, dir string) (*seedFiles, error) {
	sf := &seedFiles{s: s, dir: dir, held: map[string]int64{}}
	for after := int64(0); ; {
		page, err := s.MotivityFiles(ctx, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, f := range page {
			sf.held[f.Name+"\x00"+f.SHA256] = f.ID
			after = f.ID
		}
		if len(page) < 1000 {
			return sf, nil
		}
	}
}

// file answers the id of the file at path (named name, or the path's base
// name), uploading it unless held.
func (sf *seedFiles) file(ctx context.Context, path, name string) (int64, error) {
	if !filepath.IsAbs(path) && sf.dir != "" {
		path = filepath.Join(sf.dir, path)
	}
	if name == "" {
		name = filepath.Base(path)
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return 0, err
	}
	if id, ok := sf.held[name+"\x00"+sum]; ok {
		return id, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	up, err := sf.s.UploadMotivityFile(ctx, name, "", f)
	if err != nil {
		return 0, err
	}
	sf.held[name+"\x00"+sum] = up.ID
	return up.ID, nil
}

// loadFilesSeed uploads the seed's files and the badge images it gives by
// path (making each badge's image "file:<id>").
func (s *Service) loadFilesSeed(ctx context.Context, seed *SeedMotivity, dir string) error {
	var withImages func([]BadgeInput) bool
	withImages = func(bs []BadgeInput) bool {
		for _, b := range bs {
			if b.ImagePath != "" || withImages(b.Grades) {
				return true
			}
		}
		return false
	}
	questImages := false
	for _, q := range seed.Quests {
		questImages = questImages || q.PreviewImagePath != ""
		for _, t := range q.Tasks {
			questImages = questImages || t.PreviewImagePath != ""
		}
	}
	if len(seed.Files) == 0 && !withImages(seed.Badges) && !questImages {
		return nil
	}
	sf, err := s.newSeedFiles(ctx, dir)
	if err != nil {
		return err
	}
	for _, f := range seed.Files {
		if _, err := sf.file(ctx, f.Path, f.Name); err != nil {
			return fmt.Errorf("seed: motivity file %s: %w", f.Path, err)
		}
	}
	var images func([]BadgeInput) error
	images = func(bs []BadgeInput) error {
		for i := range bs {
			if bs[i].ImagePath != "" {
				id, err := sf.file(ctx, bs[i].ImagePath, "")
				if err != nil {
					return fmt.Errorf("seed: motivity badge %d image %s: %w", bs[i].ID, bs[i].ImagePath, err)
				}
				bs[i].Image = motivity.ImageFilePrefix + strconv.FormatInt(id, 10)
			}
			if err := images(bs[i].Grades); err != nil {
				return err
			}
		}
		return nil
	}
	if err := images(seed.Badges); err != nil {
		return err
	}
	for i := range seed.Quests {
		q := &seed.Quests[i]
		if q.PreviewImagePath != "" {
			if q.PreviewImage, err = sf.file(ctx, q.PreviewImagePath, ""); err != nil {
				return fmt.Errorf("seed: motivity quest %d image %s: %w", q.ID, q.PreviewImagePath, err)
			}
		}
		for j := range q.Tasks {
			t := &q.Tasks[j]
			if t.PreviewImagePath != "" {
				if t.PreviewImage, err = sf.file(ctx, t.PreviewImagePath, ""); err != nil {
					return fmt.Errorf("seed: motivity quest %d task %d image %s: %w", q.ID, t.ID, t.PreviewImagePath, err)
				}
			}
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
