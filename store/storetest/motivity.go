package storetest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/motivity"
	"stend/store/sqlstore"
)

// MustMotivityUser creates an active user identified by identifier.
func MustMotivityUser(t testing.TB, s motivity.Store, identifier string) motivity.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), motivity.User{CreatedAt: at, UpdatedAt: at, Identifier: identifier, Email: identifier, Name: identifier, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// MustBadge stores b.
func MustBadge(t testing.TB, s motivity.Store, b motivity.Badge) motivity.Badge {
	t.Helper()
	if b.Texts == nil {
		b.Texts = map[string]motivity.BadgeText{"ru": {Title: fmt.Sprintf("Бейдж %d", b.ID), PopupDescription: "Поздравляем!"}}
	}
	got, err := s.PutBadge(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// ExerciseMotivity is the suite every store of the Motivity platform must
// pass.
func ExerciseMotivity(t *testing.T, o Opener) {
	ctx := context.Background()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

	t.Run("PlatformDefaultsAndUpdate", func(t *testing.T) {
		t.Parallel()
		db := o.Open(t)
		p, err := db.Motivity().Platform(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.DefaultLocale != "ru" || fmt.Sprint(p.Locales) != "[en ru uz ky]" || p.IdentifierKind != motivity.IdentifierEmail ||
			p.PublicTokenHash != nil || p.PrizeCatalogUntil != nil {
			t.Fatalf("defaults: %+v", p)
		}
		until := at.Add(time.Hour)
		p.DefaultLocale, p.Locales, p.PublicTokenHash, p.PrizeCatalogUntil = "en", []string{"en", "ru", "kk"}, []byte("hash"), &until
		p.IdentifierKind = motivity.IdentifierLogin
		got, err := db.Motivity().UpdatePlatform(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if got.DefaultLocale != "en" || fmt.Sprint(got.Locales) != "[en ru kk]" || string(got.PublicTokenHash) != "hash" ||
			!got.PrizeCatalogUntil.Equal(until) || !got.PrizeCatalogValid(at) || got.PrizeCatalogValid(until) {
			t.Fatalf("updated: %+v", got)
		}
		MustMotivityUser(t, db.Motivity(), "someone")
		got.IdentifierKind = motivity.IdentifierEmail
		if _, err := db.Motivity().UpdatePlatform(ctx, got); !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("identifier kind changed with users: %v", err)
		}
	})

	t.Run("Users", func(t *testing.T) {
		t.Parallel()
		db := o.Open(t)
		boss := MustMotivityUser(t, db.Motivity(), "boss@example.ru")
		u, err := db.Motivity().CreateUser(ctx, motivity.User{CreatedAt: at, UpdatedAt: at, Identifier: "a@example.ru", Email: "a@example.ru", Name: "A", ManagerID: boss.ID, ManagesGoals: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Motivity().CreateUser(ctx, motivity.User{CreatedAt: at, UpdatedAt: at, Identifier: "a@example.ru"}); !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("duplicate identifier: %v", err)
		}
		got, err := db.Motivity().UserByIdentifier(ctx, "a@example.ru")
		if err != nil || got.ID != u.ID || got.ManagerID != boss.ID || !got.ManagesGoals || got.Active || got.Deleted {
			t.Fatalf("by identifier: %+v %v", got, err)
		}
		bal, err := db.Motivity().Balances(ctx, u.ID)
		if err != nil || fmt.Sprint(bal) != "[{score 0} {karma 0} {payment 0}]" {
			t.Fatalf("balances of a new user: %v %v", bal, err)
		}
		got.Deleted = true
		if got, err = db.Motivity().UpdateUser(ctx, got); err != nil || !got.Deleted {
			t.Fatalf("delete: %+v %v", got, err)
		}
		if _, err := db.Motivity().UserByIdentifier(ctx, "a@example.ru"); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("deleted user found: %v", err)
		}
		// A deleted user's identifier may be reused.
		MustMotivityUser(t, db.Motivity(), "a@example.ru")
		if _, err := db.Motivity().UserByID(ctx, 999); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("missing user: %v", err)
		}
		if _, err := db.Motivity().UpdateUser(ctx, motivity.User{CreatedAt: at, UpdatedAt: at, ID: 999, Identifier: "x"}); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("update missing user: %v", err)
		}
		if _, err := db.Motivity().Balances(ctx, 999); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("balances of a missing user: %v", err)
		}
		all, err := db.Motivity().Users(ctx, 0, 10)
		if err != nil || len(all) != 3 {
			t.Fatalf("list: %d %v", len(all), err)
		}
	})

	t.Run("Badges", func(t *testing.T) {
		t.Parallel()
		db := o.Open(t)
		desc := "Описание"
		color := "#ff0000"
		parent := MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 93, Image: "https://x/93.svg", Active: true, Texts: map[string]motivity.BadgeText{
			"ru": {Title: "Спорт", PopupDescription: "Поздравляем!"}, "en": {Title: "Sport", Description: &desc, PopupDescription: "Congrats!"}}})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 100, ParentID: 93, Grade: 2, Color: &color})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 98, ParentID: 93, Grade: 1})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 99, ParentID: 93, Grade: 3, Deleted: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 5, System: true})
		if _, err := db.Motivity().PutBadge(ctx, motivity.Badge{UpdatedAt: at, ID: 101, ParentID: 98}); !stend.IsKind(err, stend.Invalid) {
			t.Fatalf("grade of a grade: %v", err)
		}
		if _, err := db.Motivity().PutBadge(ctx, motivity.Badge{UpdatedAt: at, ID: 93, ParentID: 5}); !stend.IsKind(err, stend.Invalid) {
			t.Fatalf("a parent became a grade: %v", err)
		}
		if _, err := db.Motivity().PutBadge(ctx, motivity.Badge{UpdatedAt: at, ParentID: 77}); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("missing parent: %v", err)
		}
		auto := MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at})
		if auto.ID != 101 {
			t.Fatalf("next id: %d", auto.ID)
		}
		if parent.Texts["en"].Description == nil || *parent.Texts["en"].Description != desc || parent.Texts["ru"].Description != nil {
			t.Fatalf("texts: %+v", parent.Texts)
		}
		list, err := db.Motivity().Badges(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range list {
			s := fmt.Sprint(b.ID, ":")
			for _, c := range b.Children {
				s += fmt.Sprint(c.ID, "/", c.Grade, " ")
			}
			got = append(got, s)
		}
		if fmt.Sprint(got) != "[5: 93:98/1 100/2  101:]" {
			t.Fatalf("badges: %v", got)
		}
		if c := list[1].Children[1].Color; c == nil || *c != color {
			t.Fatalf("colour: %v", c)
		}
		if _, err := db.Motivity().Badge(ctx, 12345); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("missing badge: %v", err)
		}
	})

	t.Run("AssignAndRemove", func(t *testing.T) {
		t.Parallel()
		db := o.Open(t)
		for _, id := range []string{"a", "b", "gone"} {
			MustMotivityUser(t, db.Motivity(), id)
		}
		gone, _ := db.Motivity().UserByIdentifier(ctx, "gone")
		gone.Deleted = true
		if _, err := db.Motivity().UpdateUser(ctx, gone); err != nil {
			t.Fatal(err)
		}
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 1, Active: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 2, Active: false})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 3, Active: false, System: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 10, Active: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 11, ParentID: 10, Grade: 1, Active: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 12, ParentID: 10, Grade: 2, Active: true})
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 4, Active: true, Deleted: true})
		change := func(id int64, users ...string) motivity.BadgeChange {
			return motivity.BadgeChange{BadgeID: id, Identifiers: users, Actor: "test", At: at}
		}
		refusals := []struct {
			id   int64
			want motivity.BadgeRefusal
		}{
			{404, motivity.BadgeRefusal{NotFound: true}},
			{4, motivity.BadgeRefusal{NotFound: true}},
			{2, motivity.BadgeRefusal{Inactive: true}},
			{3, motivity.BadgeRefusal{Inactive: true, System: true}},
			{10, motivity.BadgeRefusal{Parent: true}},
		}
		for _, r := range refusals {
			_, err := motivity.NewService(db.Motivity()).AssignBadge(ctx, change(r.id, "a"))
			var got *motivity.BadgeRefusal
			if !errors.As(err, &got) || *got != r.want {
				t.Fatalf("assign %d: %v, want %+v", r.id, err, r.want)
			}
		}
		out, err := motivity.NewService(db.Motivity()).AssignBadge(ctx, change(1, "a", "nobody", "gone", "a"))
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(out) != "[{a true false} {nobody false false} {gone false false} {a true false}]" {
			t.Fatalf("outcomes: %v", out)
		}
		held := func(user string) string {
			u, err := db.Motivity().UserByIdentifier(ctx, user)
			if err != nil {
				t.Fatal(err)
			}
			bs, err := db.Motivity().UserBadges(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, b := range bs {
				ids = append(ids, b.BadgeID)
			}
			return fmt.Sprint(ids)
		}
		// A new grade replaces the other; a lower one is refused.
		mustAssign := func(id int64, users ...string) []motivity.BadgeOutcome {
			out, err := motivity.NewService(db.Motivity()).AssignBadge(ctx, change(id, users...))
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		mustAssign(11, "a")
		if h := held("a"); h != "[1 11]" {
			t.Fatalf("after grade 1: %s", h)
		}
		mustAssign(12, "a")
		if h := held("a"); h != "[1 12]" {
			t.Fatalf("after grade 2: %s", h)
		}
		if out := mustAssign(11, "a", "b"); !out[0].HigherGrade || out[1].HigherGrade || !out[1].Found {
			t.Fatalf("lower grade: %v", out)
		}
		if h := held("a"); h != "[1 12]" {
			t.Fatalf("lower grade changed holdings: %s", h)
		}
		// Removal: inactive badges may be removed when the change allows.
		if _, err := motivity.NewService(db.Motivity()).RemoveBadge(ctx, change(3, "a")); err == nil {
			t.Fatal("system badge removed")
		}
		c := change(2, "a")
		c.AllowInactive = true
		if _, err := motivity.NewService(db.Motivity()).RemoveBadge(ctx, c); err != nil {
			t.Fatal(err)
		}
		out, err = motivity.NewService(db.Motivity()).RemoveBadge(ctx, change(12, "a", "nobody"))
		if err != nil || fmt.Sprint(out) != "[{a true false} {nobody false false}]" {
			t.Fatalf("remove: %v %v", out, err)
		}
		if h := held("a"); h != "[1]" {
			t.Fatalf("after removal (no other grade comes back): %s", h)
		}
		a, _ := db.Motivity().UserByIdentifier(ctx, "a")
		events, err := db.Motivity().BadgeEvents(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var history []string
		for _, e := range events {
			history = append(history, fmt.Sprint(e.BadgeID, e.Action, " ", e.Actor))
			if !e.At.Equal(at) {
				t.Fatalf("event time %v", e.At)
			}
		}
		want := "[1assigned test 11assigned test 11replaced test 12assigned test 12removed test]"
		if fmt.Sprint(history) != want {
			t.Fatalf("history\n got %v\nwant %s", history, want)
		}
		// A badge held before it got grades is a parent now, which no one
		// can hold: a grade of it replaces it.
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 20, Active: true})
		mustAssign(20, "b")
		MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: 21, ParentID: 20, Grade: 1, Active: true})
		mustAssign(21, "b")
		if h := held("b"); h != "[11 21]" {
			t.Fatalf("a grade of a held badge: %s", h)
		}
	})

	t.Run("Points", func(t *testing.T) {
		t.Parallel()
		db := o.Open(t)
		a := MustMotivityUser(t, db.Motivity(), "a")
		batch := func(items ...motivity.PointsItem) []motivity.PointsOutcome {
			out, err := db.Motivity().ApplyPoints(ctx, motivity.PointsBatch{Items: items, Actor: "test", RequestID: "r1", At: at})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		out := batch(
			motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceKarma, Amount: 200, Message: "m1"},
			motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceKarma, Amount: -150, Message: "m2"},
			motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceKarma, Amount: -100, Message: "m3"},
			motivity.PointsItem{Identifier: "nobody", Balance: motivity.BalanceKarma, Amount: 1},
			motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceScore, Amount: 5, Rejected: true},
			motivity.PointsItem{Identifier: "a", Amount: 5},
		)
		want := "[{true 200 true false} {true 50 true false} {true 50 false true} {false 0 false false} {true 0 false false} {true 0 false false}]"
		if fmt.Sprint(out) != want {
			t.Fatalf("outcomes\n got %v\nwant %s", out, want)
		}
		if out := batch(motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceKarma, Amount: -51}); out[0].Applied || !out[0].Insufficient || out[0].Balance != 50 {
			t.Fatalf("single debit: %+v", out[0])
		}
		if out := batch(motivity.PointsItem{Identifier: "a", Balance: motivity.BalanceKarma, Amount: -50}); !out[0].Applied || out[0].Balance != 0 {
			t.Fatalf("single debit to zero: %+v", out[0])
		}
		if out := batch(motivity.PointsItem{Identifier: "nobody", Balance: motivity.BalanceKarma, Amount: 1}); out[0].UserFound {
			t.Fatalf("single, unknown user: %+v", out[0])
		}
		entries, err := db.Motivity().Ledger(ctx, motivity.LedgerFilter{UserID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range entries {
			got = append(got, fmt.Sprintf("%s %+d=%d %s %s %s", e.Balance, e.Amount, e.BalanceAfter, e.Message, e.Actor, e.RequestID))
			if !e.At.Equal(at) || e.UserID != a.ID {
				t.Fatalf("entry %+v", e)
			}
		}
		if fmt.Sprint(got) != "[karma +200=200 m1 test r1 karma -150=50 m2 test r1 karma -50=0  test r1]" {
			t.Fatalf("ledger: %q", got)
		}
		if page, _ := db.Motivity().Ledger(ctx, motivity.LedgerFilter{AfterID: entries[0].ID, Balance: motivity.BalanceKarma, Limit: 1}); len(page) != 1 || page[0].ID != entries[1].ID {
			t.Fatalf("ledger page: %+v", page)
		}
	})

	t.Run("ConcurrentGrades", func(t *testing.T) {
		t.Parallel()
		// Two handles (two nodes) assign and remove grades of one badge to
		// the same users at once: each user ends with at most one grade.
		first, reopen := Reopenable(t, o.Name)
		second := reopen()
		idents := []string{"a", "b", "c", "d"}
		for _, id := range idents {
			MustMotivityUser(t, first.Motivity(), id)
		}
		MustBadge(t, first.Motivity(), motivity.Badge{UpdatedAt: at, ID: 10, Active: true})
		for g := 1; g <= 3; g++ {
			MustBadge(t, first.Motivity(), motivity.Badge{UpdatedAt: at, ID: int64(10 + g), ParentID: 10, Grade: g, Active: true})
		}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				db := []*sqlstore.DB{first, second}[w%2]
				for i := range 15 {
					c := motivity.BadgeChange{BadgeID: int64(11 + (w+i)%3), Identifiers: idents, Actor: "test", At: at}
					if err := assignOrRemove(ctx, db, i%4 != 3, c); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		failOnAny(t, errs)
		for _, id := range idents {
			u, _ := first.Motivity().UserByIdentifier(ctx, id)
			held, err := first.Motivity().UserBadges(ctx, u.ID)
			if err != nil || len(held) > 1 {
				t.Fatalf("%s holds %v (%v)", id, held, err)
			}
		}
	})

	t.Run("ConcurrentPoints", func(t *testing.T) {
		t.Parallel()
		ExerciseConcurrentPoints(t, o.Name, 2)
	})

	t.Run("BadgesSnapshot", func(t *testing.T) {
		t.Parallel()
		// A badge deleted and restored over and over while the list is
		// read: every badge listed has its texts (one snapshot).
		db := o.Open(t)
		for id := range int64(20) {
			MustBadge(t, db.Motivity(), motivity.Badge{UpdatedAt: at, ID: id + 1, Active: true})
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 1)
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				b := motivity.Badge{UpdatedAt: at, ID: int64(1 + i%20), Active: true, Deleted: i%40 < 20,
					Texts: map[string]motivity.BadgeText{"ru": {Title: "t", PopupDescription: "p"}}}
				if _, err := db.Motivity().PutBadge(ctx, b); err != nil {
					errs <- err
					return
				}
			}
		})
		for range 300 {
			list, err := db.Motivity().Badges(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range list {
				if len(b.Texts) == 0 {
					close(stop)
					wg.Wait()
					t.Fatalf("badge %d listed without texts", b.ID)
				}
			}
		}
		close(stop)
		wg.Wait()
		failOnAny(t, errs)
	})

	t.Run("ConcurrentNewBadges", func(t *testing.T) {
		t.Parallel()
		// Two nodes create badges with no id given (the next one) at once:
		// each creation gets an id of its own, none fails; nor does
		// creating the same id at once (the later one updates).
		first, reopen := Reopenable(t, o.Name)
		handles := []*sqlstore.DB{first, reopen()}
		var mu sync.Mutex
		ids := map[int64]bool{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				for i := range 10 {
					texts := map[string]motivity.BadgeText{"ru": {Title: "t", PopupDescription: "p"}}
					if _, err := handles[w%2].Motivity().PutBadge(ctx, motivity.Badge{UpdatedAt: at, ID: int64(5000 + i), Texts: texts}); err != nil {
						errs <- err
						return
					}
					b, err := handles[w%2].Motivity().PutBadge(ctx, motivity.Badge{UpdatedAt: at, Texts: texts})
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					ids[b.ID] = true
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		failOnAny(t, errs)
		if len(ids) != 80 {
			t.Fatalf("%d distinct ids for 80 badges", len(ids))
		}
	})

	t.Run("BadgesAndPoints", func(t *testing.T) {
		t.Parallel()
		exerciseBadgesAndPoints(t, o.Name)
	})
}

// exerciseBadgesAndPoints assigns and removes a badge of the same users
// while points batches name them in shuffled orders, over two store handles
// on one database: no call may fail (a lock cycle between the badge lock on
// the users and the ledger's foreign key on them would be a deadlock), and
// every balance equals the changes acknowledged.
func exerciseBadgesAndPoints(t *testing.T, store string) {
	ctx := context.Background()
	first, reopen := Reopenable(t, store)
	handles := []*sqlstore.DB{first, reopen()}
	const users = 30
	var idents []string
	for i := range users {
		idents = append(idents, fmt.Sprintf("m%02d@example.ru", i))
		MustMotivityUser(t, first.Motivity(), idents[i])
	}
	MustBadge(t, first.Motivity(), motivity.Badge{UpdatedAt: at, ID: 1, Active: true})
	var mu sync.Mutex
	acknowledged := map[string]int64{}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Go(func() {
			db := handles[w%2]
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for range 25 {
				var items []motivity.PointsItem
				for _, k := range r.Perm(users) {
					items = append(items, motivity.PointsItem{Identifier: idents[k], Balance: motivity.BalanceKarma, Amount: 1, Message: "m"})
				}
				out, err := db.Motivity().ApplyPoints(ctx, motivity.PointsBatch{Items: items, Actor: "points", At: at})
				if err != nil {
					errs <- fmt.Errorf("points: %w", err)
					return
				}
				mu.Lock()
				for k, o := range out {
					if o.Applied {
						acknowledged[items[k].Identifier] += items[k].Amount
					}
				}
				mu.Unlock()
			}
		})
	}
	for w := range 2 {
		wg.Go(func() {
			db := handles[w%2]
			for i := range 25 {
				c := motivity.BadgeChange{BadgeID: 1, Identifiers: idents, Actor: "badges", At: at}
				if err := assignOrRemove(ctx, db, (i+w)%2 == 0, c); err != nil {
					errs <- fmt.Errorf("badges: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	failOnAny(t, errs)
	for _, ident := range idents {
		_, bal := userBalances(t, first, ident)
		if bal[1].Type != motivity.BalanceKarma || bal[1].Amount != acknowledged[ident] || bal[1].Amount != 100 {
			t.Fatalf("%s: balance %+v, acknowledged %d", ident, bal[1], acknowledged[ident])
		}
	}
}

// ExerciseConcurrentPoints changes the same balances from many goroutines
// over nodes store handles on one database, with debits big enough to be
// refused often, and checks that every balance equals the sum of its
// ledger, that none went below zero, and that every acknowledged change is
// in the ledger.
func ExerciseConcurrentPoints(t *testing.T, store string, nodes int) {
	ctx := context.Background()
	first, reopen := Reopenable(t, store)
	handles := []*sqlstore.DB{first}
	for len(handles) < nodes {
		handles = append(handles, reopen())
	}
	const users, workers, perWorker = 3, 16, 40
	var idents []string
	for i := range users {
		idents = append(idents, fmt.Sprintf("u%d@example.ru", i))
		MustMotivityUser(t, first.Motivity(), idents[i])
	}
	var mu sync.Mutex
	applied := 0
	acknowledged := map[string]int64{}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			db := handles[w%len(handles)]
			for i := range perWorker {
				amount := int64(1 + (w*7+i*3)%10)
				if (w+i)%2 == 1 {
					amount = -amount * 2
				}
				items := []motivity.PointsItem{{Identifier: idents[(w+i)%users], Balance: motivity.BalanceScore, Amount: amount, Message: "c"}}
				if i%5 == 0 {
					// A batch touching several users in another order.
					items = append(items, motivity.PointsItem{Identifier: idents[(w+i+1)%users], Balance: motivity.BalanceScore, Amount: -3},
						motivity.PointsItem{Identifier: idents[(w+i)%users], Balance: motivity.BalanceScore, Amount: 2})
				}
				out, err := db.Motivity().ApplyPoints(ctx, motivity.PointsBatch{Items: items, Actor: "test", At: at})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for k, o := range out {
					if o.Applied {
						applied++
						acknowledged[items[k].Identifier] += items[k].Amount
					}
					if o.Balance < 0 {
						errs <- fmt.Errorf("balance %d", o.Balance)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	failOnAny(t, errs)
	entries, err := first.Motivity().Ledger(ctx, motivity.LedgerFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != applied {
		t.Fatalf("ledger has %d entries, %d changes were acknowledged", len(entries), applied)
	}
	sums := map[int64]int64{}
	last := map[int64]int64{}
	for _, e := range entries {
		sums[e.UserID] += e.Amount
		if e.BalanceAfter < 0 || sums[e.UserID] != e.BalanceAfter {
			// Entries of one balance are in commit order: each one's
			// balance after is the running sum.
			t.Fatalf("entry %d: balance after %d, running sum %d", e.ID, e.BalanceAfter, sums[e.UserID])
		}
		last[e.UserID] = e.BalanceAfter
	}
	for _, ident := range idents {
		u, bal := userBalances(t, first, ident)
		if bal[0].Amount != sums[u.ID] || bal[0].Amount != acknowledged[ident] || bal[0].Amount < 0 {
			t.Fatalf("%s: balance %d, ledger sum %d, acknowledged %d", ident, bal[0].Amount, sums[u.ID], acknowledged[ident])
		}
	}
	if applied < workers*perWorker/3 {
		t.Fatalf("only %d changes applied: the test no longer exercises contention", applied)
	}
}

func assignOrRemove(ctx context.Context, db *sqlstore.DB, assign bool, c motivity.BadgeChange) error {
	var err error
	if assign {
		_, err = motivity.NewService(db.Motivity()).AssignBadge(ctx, c)
	} else {
		_, err = motivity.NewService(db.Motivity()).RemoveBadge(ctx, c)
	}
	return err
}

// failOnAny closes errs and fails the test on the first error in it.
func failOnAny(t *testing.T, errs chan error) {
	t.Helper()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// userBalances returns the user identified by ident and their balances.
func userBalances(t *testing.T, db *sqlstore.DB, ident string) (motivity.User, []motivity.Balance) {
	t.Helper()
	ctx := context.Background()
	u, err := db.Motivity().UserByIdentifier(ctx, ident)
	if err != nil {
		t.Fatal(err)
	}
	bal, err := db.Motivity().Balances(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return u, bal
}
