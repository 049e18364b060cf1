package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"stend/credential"
)

// secretFile is the secret a node keeps in its data directory when given
// none, so that a stand started with no settings keys its hashes too.
const secretFile = "secret.key"

// dataDirMode and dataFileMode keep the database and the secret to the
// account that runs stend: they hold credential hashes and personal data.
const (
	dataDirMode  = 0o700
	dataFileMode = 0o600
)

// keyHasher is the deployment's hasher of API keys and tokens, keyed with
// the configured secret, or with the data directory's, made at the first
// start; made names the file when it was made now, for the operator to
// back up. A named file must exist: made up on each node, it would differ
// between the nodes of one database.
func (c Config) keyHasher() (keys credential.KeyHasher, made string, err error) {
	if c.Secret != "" {
		keys, err = credential.NewKeyHasher([]byte(c.Secret))
		return keys, "", err
	}
	path := c.SecretFile
	if path == "" {
		if err := os.MkdirAll(c.DataDir, dataDirMode); err != nil {
			return keys, "", fmt.Errorf("data dir: %w", err)
		}
		path = filepath.Join(c.DataDir, secretFile)
		created, err := createSecret(path)
		if err != nil {
			return keys, "", err
		}
		if created {
			made = path
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return keys, "", fmt.Errorf("secret: %w", err)
	}
	// Trimmed: a file written by `echo` or an editor ends in a newline,
	// which STEND_SECRET would not hold.
	if keys, err = credential.NewKeyHasher(bytes.TrimSpace(b)); err != nil {
		return keys, "", fmt.Errorf("secret file %s: %w", path, err)
	}
	return keys, made, nil
}

// createSecret writes 32 random bytes, hex-encoded (so that the file's
// text can also be given as STEND_SECRET), unless path exists, and
// reports whether it did.
func createSecret(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return false, fmt.Errorf("secret: %w", err)
	}
	created, err := createFile(path, []byte(hex.EncodeToString(b)+"\n"))
	if err != nil {
		return false, fmt.Errorf("secret: %w", err)
	}
	return created, nil
}

// createFile writes data to path, readable by the node's account alone,
// unless path exists, and reports whether it did. The file appears whole
// or not at all: it is written aside and linked into place, which fails
// rather than replace a file another process made meanwhile.
func createFile(path string, data []byte) (bool, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return false, err
	}
	defer os.Remove(tmp.Name())
	// CreateTemp makes the file 0600.
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path)
	}
	switch {
	case errors.Is(err, fs.ErrExist):
		return false, nil
	case err != nil:
		return false, err
	}
	// The link itself must survive a power cut: users may trust the CA, and
	// the database's keys depend on the secret, as soon as they are made.
	return true, syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
