package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stend"
	"stend/credential"
	"stend/fssp"
	"stend/job"
	"stend/migrantexam"
	"stend/reestro"
	"stend/server"
	"stend/stendtest"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// keySet is one key or token per API, as a client presents it.
type keySet struct{ fssp, exam, motivity, reestro string }

var clientKeys = keySet{
	fssp:     "fssp-token-of-the-keying-test",
	exam:     "exam-api-key-of-the-keying-test",
	motivity: "motivity-token-of-the-keying-test",
	reestro:  "reestro-key-of-the-keying-test",
}

const (
	examUser     = "keyed"
	examPassword = "password-of-keyed"
	reestroOrg   = "6F1C2B9E-0000-4000-8000-000000000001"
)

// storedHashes reads the hash each table holds for clientKeys' owners,
// straight from the database.
func storedHashes(t *testing.T, db *sqlstore.DB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for api, q := range map[string]string{
		"fssp":         `SELECT token_hash FROM fssp_tokens WHERE name = 'keying'`,
		"migrant-exam": `SELECT api_key_hash FROM organizations WHERE username = '` + examUser + `'`,
		"motivity":     `SELECT public_token_hash FROM motivity_platform`,
		"reestro":      `SELECT key_hash FROM reestro_keys WHERE name = 'keying'`,
	} {
		var h []byte
		if err := db.ReadDB().QueryRow(q).Scan(&h); err != nil {
			t.Fatalf("%s: %v", api, err)
		}
		out[api] = h
	}
	return out
}

// presented is each API's key as it is hashed (Reestro's in its
// canonical form).
func (k keySet) presented() map[string]string {
	return map[string]string{"fssp": k.fssp, "migrant-exam": k.exam, "motivity": k.motivity, "reestro": reestro.CanonicalKey(k.reestro)}
}

func plainSHA256(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// authenticated reports, per API, whether the stand's router let k in:
// anything but the API's 401.
func authenticated(s *stendtest.Stand, k keySet) map[string]bool {
	out := map[string]bool{}
	out["fssp"] = s.Serve(httptest.NewRequest(http.MethodGet,
		"/api/v1.0/status?task=00000000-0000-0000-0000-000000000000&token="+url.QueryEscape(k.fssp), nil)).Status != http.StatusUnauthorized
	// A body of the wrong type is answered 415 only once the credentials
	// hold, so it tells them apart without storing a report; it is off the
	// document, so it is sent marked.
	req := stendtest.Malformed(httptest.NewRequest(http.MethodPost, "/Reports/Report", strings.NewReader("not json")))
	req.SetBasicAuth(examUser, examPassword)
	req.Header.Set("x-api-key", k.exam)
	req.Header.Set("Content-Type", "text/plain")
	out["migrant-exam"] = s.Serve(req).Status != http.StatusUnauthorized
	req = httptest.NewRequest(http.MethodGet, "/public/api/v1/badge", nil)
	req.Header.Set("X-Auth-Token", k.motivity)
	out["motivity"] = s.Serve(req).Status != http.StatusUnauthorized
	req = httptest.NewRequest(http.MethodGet, "/realty/assessment/v1/checks", nil)
	req.Header.Set("Authorization", "ReestroAuth apiKey="+url.QueryEscape(k.reestro)+"&portal.orgid="+reestroOrg)
	out["reestro"] = s.Serve(req).Status != http.StatusUnauthorized
	return out
}

func wantAuthenticated(t *testing.T, s *stendtest.Stand, k keySet, want bool) {
	t.Helper()
	for api, ok := range authenticated(s, k) {
		if ok != want {
			t.Errorf("%s: authenticated %v, want %v", api, ok, want)
		}
	}
}

var wrongKeys = keySet{fssp: "wrong-fssp-token-0000", exam: "wrong-exam-key", motivity: "wrong-motivity-token", reestro: "wrong-reestro-key-0000"}

// provision gives every API clientKeys through the operator API.
func provision(t *testing.T, s *stendtest.Stand) {
	t.Helper()
	for path, body := range map[string]string{
		"/operator/v1/fssp/tokens":                `{"name":"keying","token":"` + clientKeys.fssp + `"}`,
		"/operator/v1/migrant-exam/organizations": `{"name":"Keyed","username":"` + examUser + `","password":"` + examPassword + `","apiKey":"` + clientKeys.exam + `"}`,
		"/operator/v1/motivity/platform/token":    `{"token":"` + clientKeys.motivity + `"}`,
		"/operator/v1/reestro/organizations":      `{"id":"` + reestroOrg + `","name":"Keyed"}`,
	} {
		if ans := s.Operator(http.MethodPost, path, "application/json", body); ans.Status >= 300 {
			t.Fatalf("%s: %d %s", path, ans.Status, ans.Body)
		}
	}
	// After its organization exists.
	if ans := s.Operator(http.MethodPost, "/operator/v1/reestro/keys", "application/json",
		`{"name":"keying","key":"`+clientKeys.reestro+`","organizations":["`+reestroOrg+`"]}`); ans.Status >= 300 {
		t.Fatalf("reestro key: %d %s", ans.Status, ans.Body)
	}
}

// provisionLegacy stores clientKeys as databases did before keying: the
// plain SHA-256 of each key.
func provisionLegacy(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	at := stendtest.Now
	if _, err := db.FSSP().CreateToken(ctx, fssp.Token{Name: "keying", Hash: plainSHA256(clientKeys.fssp), IssuedAt: at, ExpiresAt: at.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	pw, err := credential.HashPassword(examPassword, credential.MinPasswordIterations)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.MigrantExam().CreateOrganization(ctx, migrantexam.Organization{Name: "Keyed", Username: examUser, PasswordHash: pw,
		APIKeyHash: plainSHA256(clientKeys.exam), CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	p, err := db.Motivity().Platform(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.PublicTokenHash, p.UpdatedAt = plainSHA256(clientKeys.motivity), at
	if _, err := db.Motivity().UpdatePlatform(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Reestro().CreateOrganization(ctx, reestro.Organization{ID: reestroOrg, Name: "Keyed", CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	k, err := db.Reestro().CreateKey(ctx, reestro.Key{Name: "keying", Hash: plainSHA256(reestro.CanonicalKey(clientKeys.reestro)), CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Reestro().GrantKey(ctx, k.ID, reestroOrg); err != nil {
		t.Fatal(err)
	}
}

// TestStoredKeysAreKeyed: what the database holds for a key or token is
// neither the key nor its plain SHA-256 (which a copied database would
// give up to an offline guess), but its hash keyed with the secret.
func TestStoredKeysAreKeyed(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		provision(t, s)
		wantAuthenticated(t, s, clientKeys, true)
		wantAuthenticated(t, s, wrongKeys, false)
		keys, err := credential.NewKeyHasher([]byte(stendtest.Secret))
		if err != nil {
			t.Fatal(err)
		}
		stored := storedHashes(t, s.Store)
		for api, key := range clientKeys.presented() {
			switch h := stored[api]; {
			case bytes.Contains(h, []byte(key)), bytes.Equal(h, plainSHA256(key)):
				t.Errorf("%s: the database holds the key or its plain SHA-256", api)
			case !bytes.Equal(h, keys.Hash(key)):
				t.Errorf("%s: the database holds %x, not the key's keyed hash", api, h)
			}
		}
	})
}

// TestLegacyKeysAuthenticateAfterKeying: a database of plain SHA-256
// hashes, as every database held before keying, is converted at the
// node's start, and its keys keep working on every API; the conversion
// runs once, so a restarted node does not wrap the hashes again.
func TestLegacyKeysAuthenticateAfterKeying(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		db, reopen := storetest.Reopenable(t, o.Name)
		provisionLegacy(t, db)
		keys, err := credential.NewKeyHasher([]byte(stendtest.Secret))
		if err != nil {
			t.Fatal(err)
		}
		for start := range 2 {
			if start == 1 {
				db = reopen()
			}
			s := stendtest.On(t, db, stendtest.NewManualClock(stendtest.Now), stendtest.Options{})
			wantAuthenticated(t, s, clientKeys, true)
			wantAuthenticated(t, s, wrongKeys, false)
			stored := storedHashes(t, db)
			for api, key := range clientKeys.presented() {
				if !bytes.Equal(stored[api], keys.Hash(key)) {
					t.Errorf("start %d: %s holds %x, not the key's keyed hash", start+1, api, stored[api])
				}
			}
		}
	})
}

// TestAnotherSecretRefusesToStart: a node given another secret than the
// one that keyed the database refuses to start (otherwise no key would
// authenticate, silently); and a key's stored hash, copied into a database
// keyed with another secret, lets nobody in there.
func TestAnotherSecretRefusesToStart(t *testing.T) {
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		s := stendtest.Open(t, o, stendtest.Options{})
		provision(t, s)
		other := stendtest.Config()
		other.Secret = "another secret of another stand"
		_, err := server.NewNodeWith(context.Background(), other, s.Store, s.Clock, stend.RandomIDs{}, stendtest.Logger(), job.Config{})
		if stend.KindOf(err) != stend.Invalid || !strings.Contains(err.Error(), "another secret") {
			t.Fatalf("a node with another secret: %v", err)
		}
		wantAuthenticated(t, s, clientKeys, true) // the refused node changed nothing

		copied := stendtest.Open(t, o, stendtest.Options{Config: &other})
		h := storedHashes(t, s.Store)["fssp"]
		if _, err := copied.Store.FSSP().CreateToken(context.Background(), fssp.Token{Name: "copied", Hash: h,
			IssuedAt: stendtest.Now, ExpiresAt: stendtest.Now.AddDate(1, 0, 0)}); err != nil {
			t.Fatal(err)
		}
		if authenticated(copied, clientKeys)["fssp"] {
			t.Fatal("a copied hash authenticated under another secret")
		}
	})
}

// TestDataFilesArePrivate: a node started with no settings makes its data
// directory 0700 and its database, the database's WAL and shared memory,
// and its secret 0600; started again, it reads the same secret, which
// also works given as STEND_SECRET. SQLite only: PostgreSQL keeps no file
// here but the secret.
func TestDataFilesArePrivate(t *testing.T) {
	cfg := stendtest.Config()
	cfg.Secret = ""
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	start := func(cfg server.Config) (*stendtest.Stand, error) {
		store, err := server.OpenStore(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		if _, err := store.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		clock := stendtest.NewManualClock(stendtest.Now)
		sc, err := stend.NewStandClock(context.Background(), clock, store)
		if err != nil {
			t.Fatal(err)
		}
		node, err := server.NewNodeWith(context.Background(), cfg, store, sc, stend.RandomIDs{}, stendtest.Logger(), job.Config{})
		if err != nil {
			return nil, err
		}
		return &stendtest.Stand{T: t, Store: store, Node: node, Base: clock, Clock: sc, Handler: stendtest.Checked(t, node.Handler())}, nil
	}
	s, err := start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	provision(t, s)
	wantPrivate(t, cfg.DataDir)
	if err := s.Store.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := start(cfg)
	if err != nil {
		t.Fatalf("restart with the data directory's secret: %v", err)
	}
	// SQLite made -wal and -shm again.
	wantPrivate(t, cfg.DataDir)
	wantAuthenticated(t, again, clientKeys, true)
	if err := again.Store.Close(); err != nil {
		t.Fatal(err)
	}
	secret, err := os.ReadFile(filepath.Join(cfg.DataDir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Secret = string(bytes.TrimSpace(secret))
	if _, err := start(cfg); err != nil {
		t.Fatalf("the secret file's text as STEND_SECRET: %v", err)
	}
}

func wantPrivate(t *testing.T, dir string) {
	t.Helper()
	for name, want := range map[string]os.FileMode{
		"":             0o700 | os.ModeDir,
		"stend.db":     0o600,
		"stend.db-wal": 0o600,
		"stend.db-shm": 0o600,
		"secret.key":   0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%q: %v, want %v", name, fi.Mode(), want)
		}
	}
}

// TestSecretSettings: a secret is given once, long enough, and a named
// secret file must exist (made up on each node, it would differ between
// the nodes of one database).
func TestSecretSettings(t *testing.T) {
	for name, mutate := range map[string]func(*server.Config){
		"both":  func(c *server.Config) { c.Secret, c.SecretFile = stendtest.Secret, "/etc/stend/secret" },
		"short": func(c *server.Config) { c.Secret = "short" },
	} {
		c := server.Defaults()
		mutate(&c)
		if c.Validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cfg := stendtest.Config()
	cfg.Secret, cfg.SecretFile = "", filepath.Join(t.TempDir(), "missing.key")
	store := storetest.OpenSQLite(t)
	clock, err := stend.NewStandClock(context.Background(), stendtest.NewManualClock(stendtest.Now), store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := server.NewNodeWith(context.Background(), cfg, store, clock, stend.RandomIDs{}, stendtest.Logger(), job.Config{}); err == nil {
		t.Fatal("a node started with a secret file that does not exist")
	}
	if _, err := os.Stat(cfg.SecretFile); err == nil {
		t.Fatal("the named secret file was made up")
	}
}
