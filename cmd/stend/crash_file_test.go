package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the connection that makes and drops the test's schema

	"stend/blob"
	"stend/blob/blobtest"
	"stend/store/storetest"
)

// TestKilledProcessKeepsUploadedFiles: a file whose upload was answered
// 200 survives a SIGKILL of the process at once after the answer: a new
// process on the same data directory (and database, and blob store)
// serves it by a fresh link, byte for byte. On each store and blob store
// this environment has.
func TestKilledProcessKeepsUploadedFiles(t *testing.T) {
	t.Parallel()
	for _, store := range storetest.Openers() {
		for _, blobs := range blobtest.Openers() {
			t.Run(store.Name+"/"+blobs.Name, func(t *testing.T) {
				t.Parallel()
				killedAfterUpload(t, store.Name, blobs.Name)
			})
		}
	}
}

func killedAfterUpload(t *testing.T, store, blobs string) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seed, []byte(`{"motivity":{"platform":{"publicToken":"crash-test-token"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--data-dir", filepath.Join(dir, "data"), "--seed", seed, "--operator-token", "op", "--log-level", "warn"}
	if store == "postgres" {
		args = append(args, "--database-url", postgresSchema(t))
	}
	if blobs == "s3" {
		cfg := blobtest.S3Config(t)
		args = append(args, "--blob-store", "s3", "--s3-endpoint", cfg.Endpoint, "--s3-bucket", cfg.Bucket,
			"--s3-region", cfg.Region, "--s3-prefix", cfg.Prefix)
		emptyS3(t, cfg)
	}
	addr := freeAddr(t)
	base := "http://" + addr

	// Not a multiple of the disk store's aligned pieces: the tail takes
	// the other path to the disk.
	data := blobtest.Random(24<<20 + 12345)
	first := stendProcess(t, addr, args...)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "отчёт за год.pdf")
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/public/api/v1/file/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Auth-Token", "crash-test-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(answer), `"id":1,`) {
		t.Fatalf("upload: %d %s", resp.StatusCode, answer)
	}
	first.kill(t) // at once after the answer

	stendProcess(t, addr, args...)
	sum := sha256.Sum256(data)
	link := call(t, http.MethodPost, base+"/public/api/v1/file/1", "X-Auth-Token", "crash-test-token")
	m := regexp.MustCompile(`"file":"([^"]+)"`).FindStringSubmatch(link)
	if m == nil {
		t.Fatalf("link: %s", link)
	}
	got := call(t, http.MethodGet, m[1])
	if gotSum := sha256.Sum256([]byte(got)); gotSum != sum {
		t.Fatalf("downloaded %d bytes of %d, SHA-256 %x", len(got), len(data), gotSum)
	}
	var record struct{ SHA256 string }
	if err := json.Unmarshal([]byte(call(t, http.MethodGet, base+"/operator/v1/motivity/files/1", "Authorization", "Bearer op")), &record); err != nil ||
		record.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("the stored SHA-256: %+v %v", record, err)
	}
}

// call answers the body of a request that must succeed.
func call(t *testing.T, method, url string, header ...string) string {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %v %.200s", method, url, resp.StatusCode, err, b)
	}
	return string(b)
}

// postgresSchema makes a schema of the test database, dropped when the test
// ends, and answers a DSN confined to it, for processes to share.
func postgresSchema(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv(storetest.PostgresEnv)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "stend_crash_" + hex.EncodeToString(blobtest.Random(6))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	// Registered before the processes start, so run after they are
	// killed.
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Error(err)
		}
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return fmt.Sprintf("%s%ssearch_path=%s", dsn, sep, schema)
}

// emptyS3 removes what the test stored under cfg's prefix when it ends.
func emptyS3(t *testing.T, cfg blob.S3Config) {
	t.Helper()
	s, err := blob.NewS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for info, err := range s.List(ctx, "") {
			if err == nil {
				_ = s.Delete(ctx, info.Key)
			}
		}
	})
}
