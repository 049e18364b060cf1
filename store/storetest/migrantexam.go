package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"stend"
	"stend/migrantexam"
	"stend/store/sqlstore"
)

// MustOrganization creates an organization with placeholder hashes.
func MustOrganization(t testing.TB, s migrantexam.Store, username string) migrantexam.Organization {
	t.Helper()
	org, err := s.CreateOrganization(context.Background(), migrantexam.Organization{CreatedAt: at,
		Name: "Org " + username, Username: username, PasswordHash: "x", APIKeyHash: []byte("key-" + username),
	})
	if err != nil {
		t.Fatal(err)
	}
	return org
}

// MustArea grants area id to org.
func MustArea(t testing.TB, s migrantexam.Store, orgID, id int64) migrantexam.ExaminationArea {
	t.Helper()
	a, err := s.GrantArea(context.Background(), migrantexam.ExaminationArea{CreatedAt: at, ID: id, OrganizationID: orgID, Name: fmt.Sprintf("Area %d", id)})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func monday(s string) stend.Date {
	d, ok := stend.ParseDate(s)
	if !ok || d.Weekday() != time.Monday {
		panic("not a Monday: " + s)
	}
	return d
}

func content(area int64, week string, rows int) migrantexam.ReportContent {
	start := monday(week)
	f := false
	c := migrantexam.ReportContent{ExaminationAreaID: area, PeriodStart: start, PeriodEnd: start.AddDays(6)}
	for i := range c.Levels {
		d := start.AddDays(30 + i)
		c.Levels[i] = migrantexam.LevelOutlook{NoExamType: &f, NearestStartDate: &d}
	}
	for i := range rows {
		c.Requests = append(c.Requests, migrantexam.ExamRequest{
			IdentityDocumentNumber: fmt.Sprintf("%064x", i+1), ExamDate: start.AddDays(i % 7), ExamType: 1 + i%3, ExamStatus: 1 + i%2,
		})
	}
	if rows == 0 {
		c.NoExamInSelectedPeriod = true
	}
	return c
}

// ExerciseMigrantExam is the suite every MigrantExamStore must pass.
func ExerciseMigrantExam(t *testing.T, open func(t testing.TB) *sqlstore.DB) {
	ctx := context.Background()
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)

	t.Run("MigrateIsIdempotent", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, err %v", n, err)
		}
	})

	t.Run("Organizations", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a := MustOrganization(t, db.MigrantExam(), "alpha")
		if a.ID == 0 || a.CreatedAt.IsZero() {
			t.Fatalf("created %+v", a)
		}
		if _, err := db.MigrantExam().CreateOrganization(ctx, migrantexam.Organization{CreatedAt: at, Name: "x", Username: "alpha", PasswordHash: "x", APIKeyHash: []byte("other")}); !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("duplicate username: %v", err)
		}
		got, err := db.MigrantExam().OrganizationByUsername(ctx, "alpha")
		if err != nil || got.ID != a.ID || string(got.APIKeyHash) != "key-alpha" || !got.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("by username: %+v %v", got, err)
		}
		if _, err := db.MigrantExam().OrganizationByUsername(ctx, "nobody"); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("missing username: %v", err)
		}
		if _, err := db.MigrantExam().OrganizationByID(ctx, 999); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("missing id: %v", err)
		}
		a.Name, a.PasswordHash = "Renamed", "y"
		if u, err := db.MigrantExam().UpdateOrganization(ctx, a); err != nil || u.Name != "Renamed" || u.PasswordHash != "y" {
			t.Fatalf("update: %+v %v", u, err)
		}
		if _, err := db.MigrantExam().UpdateOrganization(ctx, migrantexam.Organization{CreatedAt: at, ID: 999, APIKeyHash: []byte("z")}); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("update missing: %v", err)
		}
		MustOrganization(t, db.MigrantExam(), "beta")
		all, err := db.MigrantExam().Organizations(ctx)
		if err != nil || len(all) != 2 || all[0].Username != "alpha" {
			t.Fatalf("list: %+v %v", all, err)
		}
	})

	t.Run("Areas", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a, b := MustOrganization(t, db.MigrantExam(), "a"), MustOrganization(t, db.MigrantExam(), "b")
		MustArea(t, db.MigrantExam(), a.ID, 10)
		auto := MustArea(t, db.MigrantExam(), a.ID, 0)
		if auto.ID != 11 {
			t.Fatalf("auto id %d, want 11", auto.ID)
		}
		if _, err := db.MigrantExam().GrantArea(ctx, migrantexam.ExaminationArea{CreatedAt: at, ID: 10, OrganizationID: b.ID}); !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("grant held area: %v", err)
		}
		again := MustArea(t, db.MigrantExam(), a.ID, 10)
		if again.Name != "Area 10" {
			t.Fatalf("regrant lost name: %+v", again)
		}
		if err := db.MigrantExam().RevokeArea(ctx, b.ID, 10); !stend.IsKind(err, stend.NotFound) {
			t.Fatalf("revoke by non-holder: %v", err)
		}
		if err := db.MigrantExam().RevokeArea(ctx, a.ID, 10); err != nil {
			t.Fatal(err)
		}
		MustArea(t, db.MigrantExam(), b.ID, 10)
		list, err := db.MigrantExam().Areas(ctx, a.ID)
		if err != nil || len(list) != 1 || list[0].ID != 11 {
			t.Fatalf("areas of a: %+v %v", list, err)
		}
	})

	t.Run("SubmitReplaceAndRead", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org, other := MustOrganization(t, db.MigrantExam(), "org"), MustOrganization(t, db.MigrantExam(), "other")
		MustArea(t, db.MigrantExam(), org.ID, 1)
		MustArea(t, db.MigrantExam(), other.ID, 2)
		c := content(1, "2025-05-26", 3)
		comment := "первая версия"
		c.Comment = &comment
		id, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: c})
		if err != nil || id == 0 {
			t.Fatalf("submit: %d %v", id, err)
		}
		_, err = db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(1, "2025-05-26", 0)})
		var dup *migrantexam.DuplicateReportError
		if !errors.As(err, &dup) || dup.ReportID != id || !stend.IsKind(err, stend.Conflict) {
			t.Fatalf("second report for the week: %v", err)
		}
		if _, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(2, "2025-05-26", 1)}); !errors.Is(err, migrantexam.ErrAreaNotGranted) {
			t.Fatalf("other's area: %v", err)
		}
		if _, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(77, "2025-05-26", 1)}); !errors.Is(err, migrantexam.ErrAreaNotGranted) {
			t.Fatalf("unknown area: %v", err)
		}
		if _, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: other.ID, ReplaceReportID: id, ReceivedAt: at, Content: content(2, "2025-05-26", 1)}); !errors.Is(err, migrantexam.ErrReportNotFound) {
			t.Fatalf("replace another's report: %v", err)
		}
		if _, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReplaceReportID: 9999, ReceivedAt: at, Content: content(1, "2025-05-26", 1)}); !errors.Is(err, migrantexam.ErrReportNotFound) {
			t.Fatalf("replace unknown report: %v", err)
		}
		later := at.Add(time.Hour)
		again, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReplaceReportID: id, ReceivedAt: later, Content: content(1, "2025-05-26", 5)})
		if err != nil || again != id {
			t.Fatalf("replace: %d %v", again, err)
		}
		r, err := db.MigrantExam().Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.CurrentVersion != 2 || len(r.Versions) != 2 || !r.UpdatedAt.Equal(later) || !r.CreatedAt.Equal(at) {
			t.Fatalf("report: %+v", r)
		}
		v1, v2 := r.Versions[0], r.Versions[1]
		if len(v1.Requests) != 3 || len(v2.Requests) != 5 || v1.RequestCount != 3 || v1.Comment == nil || *v1.Comment != comment || v2.Comment != nil {
			t.Fatalf("versions: %+v / %+v", v1, v2)
		}
		if v1.Requests[2] != c.Requests[2] || v1.Levels[3].NearestStartDate == nil || *v1.Levels[3].NearestStartDate != *c.Levels[3].NearestStartDate {
			t.Fatalf("round trip: %+v", v1)
		}
		if _, err := db.MigrantExam().Report(ctx, 9999); !errors.Is(err, migrantexam.ErrReportNotFound) {
			t.Fatalf("missing report: %v", err)
		}
	})

	t.Run("ReplaceIntoATakenWeek", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org := MustOrganization(t, db.MigrantExam(), "org")
		MustArea(t, db.MigrantExam(), org.ID, 1)
		first, _ := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(1, "2025-05-26", 1)})
		second, _ := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(1, "2025-06-02", 1)})
		_, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReplaceReportID: second, ReceivedAt: at, Content: content(1, "2025-05-26", 1)})
		var dup *migrantexam.DuplicateReportError
		if !errors.As(err, &dup) || dup.ReportID != first {
			t.Fatalf("move into a taken week: %v", err)
		}
		moved, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReplaceReportID: second, ReceivedAt: at, Content: content(1, "2025-06-09", 0)})
		if err != nil || moved != second {
			t.Fatalf("move into a free week: %v", err)
		}
		r, _ := db.MigrantExam().Report(ctx, second)
		if r.PeriodStart.String() != "2025-06-09" || r.Versions[0].PeriodStart.String() != "2025-06-02" {
			t.Fatalf("moved report: %+v", r)
		}
	})

	t.Run("BatchedRowsRoundTrip", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org := MustOrganization(t, db.MigrantExam(), "org")
		MustArea(t, db.MigrantExam(), org.ID, 1)
		// 250 rows: two full 100-row statements and 50 single rows.
		c := content(1, "2025-05-26", 250)
		id, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: c})
		if err != nil {
			t.Fatal(err)
		}
		r, err := db.MigrantExam().Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got := r.Versions[0].Requests
		if len(got) != len(c.Requests) {
			t.Fatalf("%d rows read back, want %d", len(got), len(c.Requests))
		}
		for i := range got {
			if got[i] != c.Requests[i] {
				t.Fatalf("row %d: %+v, want %+v", i, got[i], c.Requests[i])
			}
		}
	})

	t.Run("ConcurrentReplacementsOfOneReport", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org := MustOrganization(t, db.MigrantExam(), "org")
		MustArea(t, db.MigrantExam(), org.ID, 1)
		id, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(1, "2025-05-26", 1)})
		if err != nil {
			t.Fatal(err)
		}
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReplaceReportID: id, ReceivedAt: at, Content: content(1, "2025-05-26", i+2)})
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		r, err := db.MigrantExam().Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.CurrentVersion != n+1 || len(r.Versions) != n+1 {
			t.Fatalf("current version %d with %d versions, want %d", r.CurrentVersion, len(r.Versions), n+1)
		}
		seen := map[int]bool{}
		for i, v := range r.Versions {
			if v.Version != i+1 || seen[v.RequestCount] || len(v.Requests) != v.RequestCount {
				t.Fatalf("version %d: %+v", i+1, v)
			}
			seen[v.RequestCount] = true
		}
	})

	t.Run("ListReports", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		a, b := MustOrganization(t, db.MigrantExam(), "a"), MustOrganization(t, db.MigrantExam(), "b")
		MustArea(t, db.MigrantExam(), a.ID, 1)
		MustArea(t, db.MigrantExam(), a.ID, 2)
		MustArea(t, db.MigrantExam(), b.ID, 3)
		weeks := []string{"2025-05-05", "2025-05-12", "2025-05-19"}
		// Ids are random: the listing is oldest first, and reports of one
		// instant by id.
		type submission struct {
			at time.Time
			id int64
		}
		var submitted []submission
		submit := func(org, area int64, week string, received time.Time) {
			id, err := db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org, ReceivedAt: received, Content: content(area, week, 0)})
			if err != nil {
				t.Fatal(err)
			}
			submitted = append(submitted, submission{received, id})
		}
		for i, w := range weeks {
			for _, area := range []int64{1, 2} {
				submit(a.ID, area, w, at.Add(time.Duration(len(weeks)-i)*time.Minute))
			}
		}
		submit(b.ID, 3, weeks[0], at.Add(time.Hour))
		slices.SortFunc(submitted, func(x, y submission) int {
			if c := x.at.Compare(y.at); c != 0 {
				return c
			}
			return cmp.Compare(x.id, y.id)
		})
		var want []int64
		for _, s := range submitted {
			want = append(want, s.id)
		}
		count := func(f migrantexam.ReportFilter) int {
			rs, err := db.MigrantExam().Reports(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		if n := count(migrantexam.ReportFilter{}); n != 7 {
			t.Fatalf("all: %d", n)
		}
		if n := count(migrantexam.ReportFilter{OrganizationID: a.ID}); n != 6 {
			t.Fatalf("org a: %d", n)
		}
		if n := count(migrantexam.ReportFilter{ExaminationAreaID: 2}); n != 3 {
			t.Fatalf("area 2: %d", n)
		}
		var listed []int64
		for after := int64(0); ; {
			page, err := db.MigrantExam().Reports(ctx, migrantexam.ReportFilter{Limit: 3, AfterID: after})
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, r := range page {
				listed = append(listed, r.ID)
			}
			after = page[len(page)-1].ID
		}
		if !slices.Equal(listed, want) {
			t.Fatalf("listed in pages %v, want %v", listed, want)
		}
	})

	t.Run("ConcurrentSubmissionsOfOneWeek", func(t *testing.T) {
		t.Parallel()
		db := open(t)
		org := MustOrganization(t, db.MigrantExam(), "org")
		MustArea(t, db.MigrantExam(), org.ID, 1)
		const n = 16
		var wg sync.WaitGroup
		ids := make([]int64, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				ids[i], errs[i] = db.MigrantExam().SubmitReport(ctx, migrantexam.ReportSubmission{OrganizationID: org.ID, ReceivedAt: at, Content: content(1, "2025-05-26", 2)})
			})
		}
		wg.Wait()
		var created int64
		for i := range n {
			if errs[i] == nil {
				if created != 0 {
					t.Fatalf("two reports created for one week: %d and %d", created, ids[i])
				}
				created = ids[i]
			}
		}
		for i := range n {
			var dup *migrantexam.DuplicateReportError
			if errs[i] != nil && (!errors.As(errs[i], &dup) || dup.ReportID != created) {
				t.Fatalf("loser %d: %v", i, errs[i])
			}
		}
		if created == 0 {
			t.Fatal("no submission won")
		}
	})
}
