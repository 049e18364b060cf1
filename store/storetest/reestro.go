package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"stend"
	"stend/reestro"
	"stend/store/sqlstore"
)

// MustReestroOrganization creates an organization with a predictable GUID.
func MustReestroOrganization(t testing.TB, s reestro.Store, n int) reestro.Organization {
	t.Helper()
	o, err := s.CreateOrganization(context.Background(), reestro.Organization{
		ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", n), Name: fmt.Sprintf("org %d", n),
		CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// MustReestroSubject creates a subject of org.
func MustReestroSubject(t testing.TB, s reestro.Store, org reestro.Organization, id string) reestro.Subject {
	t.Helper()
	birth := stend.Date{Year: 1980, Month: 3, Day: 4}
	sub, err := s.CreateSubject(context.Background(), reestro.Subject{ID: id, OrganizationRef: org.Ref,
		Person:    reestro.Person{Surname: "Иванов", Name: "Иван", BirthDate: &birth},
		CreatedAt: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func guid(kind, n int) string { return fmt.Sprintf("%08d-0000-4000-8000-%012d", kind, n) }

func checkIDs(cs []reestro.Check) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// ExerciseReestro is the suite every ReestroStore must pass.
func ExerciseReestro(t *testing.T, open func(t testing.TB) *sqlstore.DB) {
	ctx := context.Background()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

	t.Run("KeysAndGrants", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a, b := MustReestroOrganization(t, db.Reestro(), 1), MustReestroOrganization(t, db.Reestro(), 2)
		if _, err := db.Reestro().CreateOrganization(ctx, reestro.Organization{ID: a.ID, Name: "dup", CreatedAt: at}); !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("duplicate organization: %v", err)
		}
		k, err := db.Reestro().CreateKey(ctx, reestro.Key{Name: "k", Hash: []byte("hash-1"), CreatedAt: at})
		if err != nil || k.ID == 0 {
			t.Fatalf("key %+v %v", k, err)
		}
		acc, err := db.Reestro().Access(ctx, []byte("hash-1"), a.ID)
		if err != nil || acc.Granted || acc.KeyID != k.ID {
			t.Fatalf("before grant: %+v %v", acc, err)
		}
		if err := db.Reestro().GrantKey(ctx, k.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Reestro().GrantKey(ctx, k.ID, a.ID); err != nil {
			t.Fatalf("granting twice: %v", err)
		}
		if err := db.Reestro().GrantKey(ctx, k.ID, guid(9, 9)); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("unknown organization: %v", err)
		}
		if err := db.Reestro().GrantKey(ctx, 999, a.ID); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("unknown key: %v", err)
		}
		acc, err = db.Reestro().Access(ctx, []byte("hash-1"), a.ID)
		if err != nil || !acc.Granted || acc.OrganizationRef != a.Ref {
			t.Fatalf("granted: %+v %v", acc, err)
		}
		if acc, err = db.Reestro().Access(ctx, []byte("hash-1"), b.ID); err != nil || acc.Granted {
			t.Fatalf("other organization: %+v %v", acc, err)
		}
		if acc, err = db.Reestro().Access(ctx, []byte("hash-1"), guid(9, 9)); err != nil || acc.Granted {
			t.Fatalf("unknown organization: %+v %v", acc, err)
		}
		if _, err := db.Reestro().Access(ctx, []byte("nope"), a.ID); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("unknown key: %v", err)
		}
		keys, err := db.Reestro().Keys(ctx)
		if err != nil || len(keys) != 1 || !slices.Equal(keys[0].Organizations, []string{a.ID}) {
			t.Fatalf("keys %+v %v", keys, err)
		}
		if err := db.Reestro().RevokeGrant(ctx, k.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if acc, err = db.Reestro().Access(ctx, []byte("hash-1"), a.ID); err != nil || acc.Granted {
			t.Fatalf("grant revoked: %+v %v", acc, err)
		}
		if _, err := db.Reestro().RevokeKey(ctx, k.ID, at); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Reestro().Access(ctx, []byte("hash-1"), a.ID); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("revoked key: %v", err)
		}
	})

	t.Run("SubjectsAndChecksAreScoped", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a, b := MustReestroOrganization(t, db.Reestro(), 1), MustReestroOrganization(t, db.Reestro(), 2)
		sub := MustReestroSubject(t, db.Reestro(), a, guid(1, 1))
		got, err := db.Reestro().Subject(ctx, a.Ref, sub.ID)
		if err != nil || got.Person.Surname != "Иванов" || got.Person.BirthDate.String() != "1980-03-04" {
			t.Fatalf("subject %+v %v", got, err)
		}
		if _, err := db.Reestro().Subject(ctx, b.Ref, sub.ID); !errors.Is(err, reestro.ErrSubjectNotFound) {
			t.Fatalf("another organization's subject: %v", err)
		}
		_, err = reestro.NewService(db.Reestro()).CreateCheck(ctx, reestro.Check{ID: guid(2, 1), OrganizationRef: b.Ref, SubjectID: sub.ID,
			Type: reestro.CheckFssp, CreatedAt: at, Regions: []string{"77"}}, "")
		if !errors.Is(err, reestro.ErrSubjectNotFound) {
			t.Fatalf("check on another organization's subject: %v", err)
		}
		c, err := reestro.NewService(db.Reestro()).CreateCheck(ctx, reestro.Check{ID: guid(2, 2), OrganizationRef: a.Ref, SubjectID: sub.ID,
			CorrelationID: "corr", Type: reestro.CheckFssp, CreatedAt: at, Regions: []string{"54", "77"}}, "")
		if err != nil || c.State != reestro.CheckProcessing {
			t.Fatalf("check %+v %v", c, err)
		}
		if _, err := db.Reestro().Check(ctx, b.Ref, c.ID); !errors.Is(err, reestro.ErrCheckNotFound) {
			t.Fatalf("another organization's check: %v", err)
		}
		if cs, err := db.Reestro().Checks(ctx, reestro.CheckFilter{OrganizationRef: b.Ref}); err != nil || len(cs) != 0 {
			t.Fatalf("another organization's listing: %v %v", cs, err)
		}
		if cs, err := db.Reestro().Checks(ctx, reestro.CheckFilter{OrganizationRef: b.Ref, AfterID: c.ID}); err != nil || len(cs) != 0 {
			t.Fatalf("after another organization's check: %v %v", cs, err)
		}
		// The job is enqueued with the check.
		// A check's job is due when the check is created.
		jobs, err := db.ClaimJobs(ctx, "w", map[string]int{reestro.CheckJobKind: 10}, at.Add(time.Minute), at.Add(time.Hour))
		if err != nil || len(jobs) != 1 || jobs[0].Kind != reestro.CheckJobKind {
			t.Fatalf("jobs %+v %v", jobs, err)
		}
		if err := db.Reestro().SetFSSPTasks(ctx, c.ID, []string{"T1", "T2"}); err != nil {
			t.Fatal(err)
		}
		got2, err := db.Reestro().Check(ctx, 0, c.ID)
		if err != nil || !slices.Equal(got2.FSSPTasks, []string{"T1", "T2"}) || !slices.Equal(got2.Regions, []string{"54", "77"}) || got2.CorrelationID != "corr" {
			t.Fatalf("check %+v %v", got2, err)
		}
		if err := db.Reestro().FinishCheck(ctx, c.ID, reestro.CheckProcessed, []byte(`{"x":1}`), "", at.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		// A finished check is final.
		if err := db.Reestro().FinishCheck(ctx, c.ID, reestro.CheckFailed, nil, "late", at.Add(2*time.Second)); err != nil {
			t.Fatal(err)
		}
		got2, err = db.Reestro().Check(ctx, a.Ref, c.ID)
		if err != nil || got2.State != reestro.CheckProcessed || string(got2.Result) != `{"x":1}` || got2.FSSPTasks != nil ||
			got2.Failure != "" || got2.FinishedAt == nil || !got2.FinishedAt.Equal(at.Add(time.Second)) {
			t.Fatalf("finished %+v %v", got2, err)
		}
	})

	t.Run("Listing", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a := MustReestroOrganization(t, db.Reestro(), 1)
		s1, s2 := MustReestroSubject(t, db.Reestro(), a, guid(1, 1)), MustReestroSubject(t, db.Reestro(), a, guid(1, 2))
		var all []string // newest first
		for i := range 70 {
			c := reestro.Check{ID: guid(2, i), OrganizationRef: a.Ref, SubjectID: s1.ID, Type: reestro.CheckFssp,
				// Pairs share a creation time: seq breaks the tie.
				CreatedAt: at.Add(time.Duration(i/2) * time.Second), Regions: []string{"77"}}
			if i%3 == 0 {
				c.SubjectID = s2.ID
			}
			if i%5 == 0 {
				c.CorrelationID = "five"
			}
			if i%7 == 0 {
				c.ExternalID = fmt.Sprintf("ext%d", i)
			}
			if _, err := reestro.NewService(db.Reestro()).CreateCheck(ctx, c, ""); err != nil {
				t.Fatal(err)
			}
			if i%4 == 0 {
				if err := db.Reestro().FinishCheck(ctx, c.ID, reestro.CheckFailed, nil, "x", at); err != nil {
					t.Fatal(err)
				}
			}
			all = append([]string{c.ID}, all...)
		}
		idx := func(id string) int {
			var n int
			fmt.Sscanf(id[24:], "%d", &n)
			return n
		}
		want := func(keep func(i int) bool) []string {
			var out []string
			for _, id := range all {
				if keep(idx(id)) {
					out = append(out, id)
				}
			}
			return out
		}
		// pages walks a whole listing with afterCheckId, as a client does.
		pages := func(f reestro.CheckFilter) []string {
			var out []string
			for {
				cs, err := db.Reestro().Checks(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if len(cs) == 0 {
					return out
				}
				out = append(out, checkIDs(cs)...)
				f.AfterID = cs[len(cs)-1].ID
			}
		}
		org := reestro.CheckFilter{OrganizationRef: a.Ref}
		for _, tc := range []struct {
			name string
			f    func(f *reestro.CheckFilter)
			keep func(i int) bool
		}{
			{"all", func(*reestro.CheckFilter) {}, func(int) bool { return true }},
			{"subject", func(f *reestro.CheckFilter) { f.SubjectID = s2.ID }, func(i int) bool { return i%3 == 0 }},
			{"correlation", func(f *reestro.CheckFilter) { f.CorrelationID = "five" }, func(i int) bool { return i%5 == 0 }},
			{"external", func(f *reestro.CheckFilter) { f.ExternalID = "ext14" }, func(i int) bool { return i == 14 }},
			{"state", func(f *reestro.CheckFilter) { f.State = reestro.CheckFailed }, func(i int) bool { return i%4 == 0 }},
			{"processing", func(f *reestro.CheckFilter) { f.State = reestro.CheckProcessing }, func(i int) bool { return i%4 != 0 }},
			{"subject and state", func(f *reestro.CheckFilter) { f.SubjectID = s1.ID; f.State = reestro.CheckFailed },
				func(i int) bool { return i%3 != 0 && i%4 == 0 }},
			{"correlation and state", func(f *reestro.CheckFilter) { f.CorrelationID = "five"; f.State = reestro.CheckProcessing },
				func(i int) bool { return i%5 == 0 && i%4 != 0 }},
			{"type", func(f *reestro.CheckFilter) { f.Types = 1 << reestro.CheckFssp }, func(int) bool { return true }},
			{"other type", func(f *reestro.CheckFilter) { f.Types = 1 << 5 }, func(int) bool { return false }},
			{"from", func(f *reestro.CheckFilter) { f.From = at.Add(10 * time.Second) }, func(i int) bool { return i/2 > 10 }},
			{"to", func(f *reestro.CheckFilter) { f.To = at.Add(10 * time.Second) }, func(i int) bool { return i/2 < 10 }},
			{"from to subject", func(f *reestro.CheckFilter) {
				f.From, f.To, f.SubjectID = at.Add(3*time.Second), at.Add(20*time.Second), s1.ID
			}, func(i int) bool { return i/2 > 3 && i/2 < 20 && i%3 != 0 }},
		} {
			f := org
			tc.f(&f)
			if got, w := pages(f), want(tc.keep); !slices.Equal(got, w) {
				t.Errorf("%s: got %v\nwant %v", tc.name, got, w)
			}
		}
		f := org
		f.Limit = 7
		cs, err := db.Reestro().Checks(ctx, f)
		if err != nil || !slices.Equal(checkIDs(cs), all[:7]) {
			t.Fatalf("limit 7: %v %v", checkIDs(cs), err)
		}
		f.Limit, f.AfterID = 0, all[35]
		if cs, err = db.Reestro().Checks(ctx, f); err != nil || !slices.Equal(checkIDs(cs), all[36:66]) {
			t.Fatalf("page after the 36th: %v %v", checkIDs(cs), err)
		}
	})

	t.Run("ImportedChecksAreFinishedAndListed", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org := MustReestroOrganization(t, db.Reestro(), 1)
		sub := MustReestroSubject(t, db.Reestro(), org, guid(2, 1))
		finished := at.Add(time.Minute)
		var checks []reestro.Check
		// 205 checks: the first five in group "g", the rest enough for two
		// multi-row statements and some single rows after them.
		for i := range 205 {
			c := reestro.Check{ID: guid(3, i), OrganizationRef: org.Ref, SubjectID: sub.ID, Type: reestro.CheckFssp,
				State: reestro.CheckProcessed, CreatedAt: at.Add(time.Duration(i) * time.Second), FinishedAt: &finished,
				Regions: []string{"77"}, Result: []byte(`[{"region":"77","items":[]}]`), CorrelationID: "g"}
			if i >= 5 {
				c.CorrelationID, c.ExternalID, c.Regions = "h", fmt.Sprintf("deal-%d", i), []string{"77", strconv.Itoa(i)}
			}
			if i == 3 || i == 150 {
				c.State, c.Result, c.Failure = reestro.CheckFailed, nil, "boom"
			}
			checks = append(checks, c)
		}
		processing := checks[0]
		processing.ID, processing.State = guid(3, 99), reestro.CheckProcessing
		if err := db.Reestro().ImportChecks(ctx, append(slices.Clone(checks), processing)); !stend.IsKind(err, stend.Invalid) {
			t.Fatalf("a check in Processing was imported: %v", err)
		}
		if err := db.Reestro().ImportChecks(ctx, checks); err != nil {
			t.Fatal(err)
		}
		got, err := db.Reestro().Checks(ctx, reestro.CheckFilter{OrganizationRef: org.Ref, CorrelationID: "g", Limit: 30})
		if err != nil || !slices.Equal(checkIDs(got), []string{guid(3, 4), guid(3, 3), guid(3, 2), guid(3, 1), guid(3, 0)}) {
			t.Fatalf("listed %v %v", checkIDs(got), err)
		}
		c, err := db.Reestro().Check(ctx, org.Ref, guid(3, 3))
		if err != nil || c.State != reestro.CheckFailed || c.Failure != "boom" || c.FinishedAt == nil || !c.FinishedAt.Equal(finished) {
			t.Fatalf("failed check %+v %v", c, err)
		}
		c, err = db.Reestro().Check(ctx, org.Ref, guid(3, 0))
		if err != nil || string(c.Result) != `[{"region":"77","items":[]}]` {
			t.Fatalf("processed check %+v %v", c, err)
		}
		for _, i := range []int{5, 104, 150, 204} {
			c, err = db.Reestro().Check(ctx, org.Ref, guid(3, i))
			if err != nil || c.ExternalID != fmt.Sprintf("deal-%d", i) || !slices.Equal(c.Regions, []string{"77", strconv.Itoa(i)}) ||
				!c.CreatedAt.Equal(at.Add(time.Duration(i)*time.Second)) || (i == 150) != (c.State == reestro.CheckFailed) {
				t.Fatalf("imported check %d: %+v %v", i, c, err)
			}
		}
		var walked []string
		for f := (reestro.CheckFilter{OrganizationRef: org.Ref, CorrelationID: "h", Limit: 30}); ; {
			page, err := db.Reestro().Checks(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			walked = append(walked, checkIDs(page)...)
			f.AfterID = page[len(page)-1].ID
		}
		if len(walked) != 200 || walked[0] != guid(3, 204) || walked[199] != guid(3, 5) {
			t.Fatalf("group h walked %d checks: %v", len(walked), walked)
		}
		// Imported checks have no job, and are not abandoned for that.
		if n, err := db.Reestro().FailAbandonedChecks(ctx, at, at.Add(time.Hour), "x"); err != nil || n != 0 {
			t.Fatalf("abandoned: %d %v", n, err)
		}
	})

	t.Run("AbandonedChecksFail", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a := MustReestroOrganization(t, db.Reestro(), 1)
		sub := MustReestroSubject(t, db.Reestro(), a, guid(1, 1))
		mk := func(n int, created time.Time) reestro.Check {
			c, err := reestro.NewService(db.Reestro()).CreateCheck(ctx, reestro.Check{ID: guid(2, n), OrganizationRef: a.Ref, SubjectID: sub.ID,
				Type: reestro.CheckFssp, CreatedAt: created, Regions: []string{"77"}}, "")
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		old, fresh, orphan := mk(1, at.Add(-2*time.Hour)), mk(2, at), mk(3, at)
		// The orphan's job gives up.
		// A check's job is due when the check is created.
		jobs, err := db.ClaimJobs(ctx, "w", map[string]int{reestro.CheckJobKind: 10}, at.Add(time.Minute), at.Add(time.Hour))
		if err != nil || len(jobs) != 3 {
			t.Fatalf("claim: %v %v", jobs, err)
		}
		for _, j := range jobs {
			if string(j.Args) == fmt.Sprintf(`{"check":"%s"}`, orphan.ID) {
				if err := db.DiscardJob(ctx, j.ID, "w", at, "gave up"); err != nil {
					t.Fatal(err)
				}
			}
		}
		n, err := db.Reestro().FailAbandonedChecks(ctx, at.Add(-time.Hour), at, "abandoned")
		if err != nil || n != 2 {
			t.Fatalf("failed %d, %v", n, err)
		}
		for c, want := range map[string]reestro.CheckState{old.ID: reestro.CheckFailed, fresh.ID: reestro.CheckProcessing, orphan.ID: reestro.CheckFailed} {
			got, err := db.Reestro().Check(ctx, a.Ref, c)
			if err != nil || got.State != want || (want == reestro.CheckFailed) != (got.Failure == "abandoned") {
				t.Errorf("%s: %+v %v", c, got, err)
			}
		}
	})
}
