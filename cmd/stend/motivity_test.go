package main

import (
	"context"
	"strings"
	"testing"

	"stend/credential"
)

func TestMotivityCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if out := runStend(t, dir, "motivity", "platform", "show"); !strings.Contains(out, `"defaultLocale": "ru"`) || !strings.Contains(out, `"publicTokenSet": false`) {
		t.Fatalf("platform show: %s", out)
	}
	out := runStend(t, dir, "motivity", "platform", "set", "--locales", "en, ru,kk", "--default-locale", "kk", "--prize-catalog-until", "2030-01-01")
	if !strings.Contains(out, `"defaultLocale": "kk"`) || !strings.Contains(out, `"prizeCatalogUntil": "2030-01-02T00:00:00Z"`) {
		t.Fatalf("platform set: %s", out)
	}
	if out := runStend(t, dir, "motivity", "token", "set"); len(strings.TrimSpace(out)) < 48 || !strings.Contains(out, `"token"`) {
		t.Fatalf("generated token: %s", out)
	}
	if out := runStend(t, dir, "motivity", "platform", "show"); strings.Contains(out, "hash") || !strings.Contains(out, `"publicTokenSet": true`) {
		t.Fatalf("platform after the token: %s", out)
	}
	runStend(t, dir, "motivity", "user", "put", "--identifier", "Boss@Example.ru", "--name", "Boss", "--manages-goals")
	runStend(t, dir, "motivity", "user", "put", "--identifier", "a@example.ru", "--manager", "boss@example.ru", "--active=false")
	if out := runStend(t, dir, "motivity", "user", "show", "--identifier", "a@example.ru"); !strings.Contains(out, `"managerId": 1`) ||
		!strings.Contains(out, `"active": false`) || !strings.Contains(out, `"score": 0`) {
		t.Fatalf("user show: %s", out)
	}
	// An update changes only the flags given: the user stays deactivated
	// and keeps the manager; the boss keeps the goals permission.
	if out := runStend(t, dir, "motivity", "user", "put", "--identifier", "a@example.ru", "--name", "A"); !strings.Contains(out, `"active": false`) ||
		!strings.Contains(out, `"managerId": 1`) {
		t.Fatalf("user put kept active and manager: %s", out)
	}
	if out := runStend(t, dir, "motivity", "user", "put", "--identifier", "boss@example.ru", "--name", "Boss 2"); !strings.Contains(out, `"managesGoals": true`) {
		t.Fatalf("user put kept the goals permission: %s", out)
	}
	runStend(t, dir, "motivity", "badge", "put", "--json", `{"id":93,"image":"i","texts":{"ru":{"title":"Спорт","popupDescription":"!"}},"grades":[{"id":98,"grade":1,"image":"g","texts":{"ru":{"title":"Спорт 1","popupDescription":"!"}}}]}`)
	if out := runStend(t, dir, "motivity", "badge", "list"); !strings.Contains(out, `"id": 98`) || !strings.Contains(out, `"grade": 1`) {
		t.Fatalf("badge list: %s", out)
	}
	if out := runStend(t, dir, "motivity", "user", "delete", "--identifier", "a@example.ru"); !strings.Contains(out, `"deleted": true`) {
		t.Fatalf("user delete: %s", out)
	}
	if out := runStend(t, dir, "motivity", "user", "list"); strings.Count(out, `"identifier"`) != 2 {
		t.Fatalf("user list keeps deleted users: %s", out)
	}
	if out := runStend(t, dir, "motivity", "ledger", "list"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("ledger: %s", out)
	}
	for _, bad := range [][]string{
		{"motivity", "platform", "set", "--default-locale", "fr"},
		{"motivity", "platform", "set", "--identifier-kind", "login"}, // users exist
		{"motivity", "user", "put", "--identifier", "not-an-email"},
		{"motivity", "badge", "put", "--json", `{"id":1,"texts":{},"unknown":1}`},
		{"motivity", "ledger", "list", "--balance", "gold"},
		{"motivity", "token", "set", "--token", "short"},
	} {
		if err := run(context.Background(), append(bad, "--data-dir", dir, "--log-level", "warn"), &strings.Builder{}, &strings.Builder{}); err == nil {
			t.Errorf("%v succeeded", bad)
		}
	}
}

// PUBLIC_API_TOKEN, the document's variable, becomes the platform's token
// at start, over whatever was set before.
func TestPublicTokenFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	runStend(t, dir, "motivity", "token", "set", "--token", "operator-set-token")
	t.Setenv("PUBLIC_API_TOKEN", "token-from-the-env")
	e := &cmdEnv{name: "serve", stdout: &strings.Builder{}, stderr: &strings.Builder{}}
	e.flags()
	if err := e.parse([]string{"--data-dir", dir}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	node, err := e.openMigrated(ctx, e.logger())
	if err != nil {
		t.Fatal(err)
	}
	defer node.Store.Close()
	if err := applyPublicToken(ctx, node, e.logger()); err != nil {
		t.Fatal(err)
	}
	p, err := node.Store.Motivity().Platform(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !credential.EqualHash(p.PublicTokenHash, node.Keys.Hash("token-from-the-env")) {
		t.Fatal("PUBLIC_API_TOKEN was not applied")
	}
}
