package motivity

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"stend"
)

// File is a file the platform knows: uploaded through the public API, or
// attached by an operator. Its bytes live in the stand's blob store under
// BlobKey; the record is written only once they are stored whole, so a
// record always has its bytes.
type File struct {
	ID   int64 // from a sequence (gaps allowed)
	Name string
	Size int64
	// DeclaredType is the Content-Type the client gave the part: kept,
	// never trusted (downloads answer ContentType(Name)).
	DeclaredType string
	SHA256       []byte
	BlobKey      string
	// Origin says who stored it: OriginPublicAPI or OriginOperator.
	Origin    string
	CreatedAt time.Time
	DeletedAt *time.Time
}

const (
	OriginPublicAPI = "public-api"
	OriginOperator  = "operator"
)

// MaxFileSize is the document's "размер до 10 Гб", inclusive, in binary
// gigabytes (the decisions).
const MaxFileSize int64 = 10 << 30

// FileBlobPrefix is where the platform's files live in the blob store.
const FileBlobPrefix = "motivity/files/"

// NewFileBlobKey names the blob of a new file: random, not the id, which
// is given only when the record is written after the bytes are stored; the
// first two hex digits make a directory, so that no directory of a disk
// store holds more than a 256th of the files.
func NewFileBlobKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return FileBlobPrefix + h[:2] + "/" + h[2:]
}

// contentTypes are the document's allowed formats and what a download
// answers for each: a fixed table, not the host's mime.types, so that every
// node answers the same.
var contentTypes = map[string]string{
	"bmp":       "image/bmp",
	"doc":       "application/msword",
	"docx":      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"epub":      "application/epub+zip",
	"flv":       "video/x-flv",
	"gif":       "image/gif",
	"heic":      "image/heic",
	"jfi":       "image/jpeg",
	"jfif":      "image/jpeg",
	"jpeg":      "image/jpeg",
	"jpg":       "image/jpeg",
	"jpg_large": "image/jpeg",
	"m4a":       "audio/mp4",
	"mov":       "video/quicktime",
	"mp4":       "video/mp4",
	"pdf":       "application/pdf",
	"png":       "image/png",
	"ppt":       "application/vnd.ms-powerpoint",
	"pptx":      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"svg":       "image/svg+xml",
	"webp":      "image/webp",
	"xls":       "application/vnd.ms-excel",
	"xlsx":      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// extension is what follows the name's last dot, lower-cased; "" without
// one.
func extension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i+1:])
}

// FormatAllowed reports whether the name's extension is one of the
// document's formats (case-insensitive).
func FormatAllowed(name string) bool {
	_, ok := contentTypes[extension(name)]
	return ok
}

// ContentType is what a download of a file so named answers.
func ContentType(name string) string {
	if t, ok := contentTypes[extension(name)]; ok {
		return t
	}
	return "application/octet-stream"
}

// FileStore keeps the records of files.
type FileStore interface {
	// InsertFile records a stored file and gives it its id.
	InsertFile(ctx context.Context, f File) (File, error)
	// File is a file not deleted; stend.NotFound otherwise.
	File(ctx context.Context, id int64) (File, error)
	// Files lists files not deleted with ids above afterID, by id.
	Files(ctx context.Context, afterID int64, limit int) ([]File, error)
	// DeleteFile marks a file deleted (its blob is the caller's to
	// remove); stend.NotFound when there is none or it is deleted.
	DeleteFile(ctx context.Context, id int64, at time.Time) (File, error)
	// FileKeysHeld reports which of keys a file not deleted names: any
	// other blob is an orphan (of a crash between the blob's write and the
	// record's, or of a delete whose blob removal failed).
	FileKeysHeld(ctx context.Context, keys []string) (map[string]bool, error)
}

// NameAllowed: a file's name is not empty, at most 1024 bytes, and holds
// no U+0000 (which PostgreSQL cannot store).
func NameAllowed(name string) bool { return name != "" && len(name) <= 1024 && !hasNUL(name) }

// CheckFile refuses what no store should record.
func CheckFile(f File) error {
	const op = "motivity.CheckFile"
	switch {
	case !NameAllowed(f.Name) || hasNUL(f.DeclaredType):
		return stend.Errorf(stend.Invalid, op, "file name %q", f.Name)
	case f.BlobKey == "" || len(f.SHA256) != 32:
		return stend.Errorf(stend.Invalid, op, "file without its blob or digest")
	case f.Origin != OriginPublicAPI && f.Origin != OriginOperator:
		return stend.Errorf(stend.Invalid, op, "origin %q", f.Origin)
	}
	return nil
}
