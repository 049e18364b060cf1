package http_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"stend/operator"
)

// The seed file uploads files from paths relative to it, once: loading it
// again keeps the one file; another content under the name is a new file.
func TestSeedFiles(t *testing.T) {
	t.Parallel()
	forEachFileStand(t, func(t *testing.T, s *stand) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "Отчёт за май.pdf"), []byte("%PDF отчёт"), 0o600); err != nil {
			t.Fatal(err)
		}
		seedPath := filepath.Join(dir, "seed.json")
		if err := os.WriteFile(seedPath, []byte(`{"motivity":{"files":[{"path":"Отчёт за май.pdf"},{"path":"Отчёт за май.pdf","name":"Копия.pdf"}]}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		load := func() []operator.MotivityFile {
			t.Helper()
			seed, err := operator.ReadSeed(seedPath)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.node.Operator.LoadSeed(ctx, seed, s.node.Logger); err != nil {
				t.Fatal(err)
			}
			files, err := s.node.Operator.MotivityFiles(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			return files
		}
		first := load()
		if len(first) != 2 || first[0].Name != "Отчёт за май.pdf" || first[1].Name != "Копия.pdf" || first[0].Size != int64(len("%PDF отчёт")) {
			t.Fatalf("seeded files: %+v", first)
		}
		if again := load(); len(again) != 2 || again[0].ID != first[0].ID {
			t.Fatalf("loading the seed again: %+v", again)
		}
		if err := os.WriteFile(filepath.Join(dir, "Отчёт за май.pdf"), []byte("%PDF другой"), 0o600); err != nil {
			t.Fatal(err)
		}
		if changed := load(); len(changed) != 4 {
			t.Fatalf("a changed content is a new file: %+v", changed)
		}
	})
}
