package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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
		if err := os.WriteFile(filepath.Join(dir, "star.svg"), []byte("<svg/>"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(seedPath, []byte(`{"motivity":{"files":[{"path":"Отчёт за май.pdf"},{"path":"Отчёт за май.pdf","name":"Копия.pdf"}],`+
			`"badges":[{"id":50,"imagePath":"star.svg","texts":{"ru":{"title":"Звезда","popupDescription":"Ура"}}}]}}`), 0o600); err != nil {
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
		if len(first) != 3 || first[0].Name != "Отчёт за май.pdf" || first[1].Name != "Копия.pdf" || first[2].Name != "star.svg" ||
			first[0].Size != int64(len("%PDF отчёт")) {
			t.Fatalf("seeded files: %+v", first)
		}
		if again := load(); len(again) != 3 || again[0].ID != first[0].ID {
			t.Fatalf("loading the seed again: %+v", again)
		}
		// The badge's image is the file, answered as a link that serves it.
		a := s.call("GET", "/public/api/v1/badge", "")
		var badges []struct {
			ID    int64
			Image string
		}
		if err := json.Unmarshal([]byte(a.body), &badges); err != nil || a.status != 200 {
			t.Fatalf("badges: %d %s", a.status, a.body)
		}
		var image string
		for _, b := range badges {
			if b.ID == 50 {
				image = b.Image
			}
		}
		u, err := url.Parse(image)
		if err != nil || !strings.Contains(image, "/file/") {
			t.Fatalf("badge 50's image: %q", image)
		}
		if got := s.call("GET", u.RequestURI(), "", "X-Auth-Token:"); got.status != 200 || got.body != "<svg/>" {
			t.Fatalf("the image's link: %d %q", got.status, got.body)
		}
		for _, bad := range []string{"file:99999", "file:x"} {
			if _, err := s.node.Operator.PutBadge(ctx, operator.BadgeInput{ID: 51, Image: bad,
				Texts: map[string]operator.BadgeTextJSON{"ru": {Title: "x", PopupDescription: "y"}}}); err == nil {
				t.Errorf("a badge image %q was taken", bad)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "Отчёт за май.pdf"), []byte("%PDF другой"), 0o600); err != nil {
			t.Fatal(err)
		}
		if changed := load(); len(changed) != 5 {
			t.Fatalf("a changed content is a new file: %+v", changed)
		}
	})
}
