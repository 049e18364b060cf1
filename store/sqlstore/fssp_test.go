package sqlstore_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stend"
	"stend/fssp"
	"stend/fssp/generate"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// TestTextsSurviveTheirCacheBeingEmptied: searches running while another
// one empties the shared text and bailiff maps still answer every field.
func TestTextsSurviveTheirCacheBeingEmptied(t *testing.T) {
	defer sqlstore.SetDictionaryLimit(3)()
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	if _, err := db.FSSP().LoadProceedings(ctx, generate.New(5, 3000), 0); err != nil {
		t.Fatal(err)
	}
	// What was loaded, to compare every text with (some are empty, as in
	// real answers).
	generated := map[fssp.ProceedingNumber]fssp.Proceeding{}
	for src, p := generate.New(5, 3000), (fssp.Proceeding{}); src.Next(&p); {
		generated[p.Number] = p
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, region := range []int{77, 50, 78, 66, 23, 16, 2, 61} {
				found, err := db.FSSP().SearchLegal(ctx, fssp.LegalQuery{Region: region, Name: []string{"ооо", "ао", "строй", "торг"}[g%4], Limit: 100})
				if err != nil {
					t.Error(err)
					return
				}
				for _, p := range found {
					w := generated[p.Number]
					if p.Subject != w.Subject || p.DocType != w.DocType || p.DocIssuer != w.DocIssuer || p.Bailiff.Name != w.Bailiff.Name {
						t.Errorf("proceeding %d lost its texts: %+v", p.ID, p)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

type proceedings []fssp.Proceeding

func (s *proceedings) Next(p *fssp.Proceeding) bool {
	if len(*s) == 0 {
		return false
	}
	*p = (*s)[0]
	*s = (*s)[1:]
	return true
}

func (s *proceedings) Err() error { return nil }

type syntheticProceedings struct{ proceedings }

func (*syntheticProceedings) SyntheticDepartments() {}

// The shapes of issue 18 (short numbers, the consolidated proceeding's
// number, amount and bailiff formats, no issuing body, an empty subject)
// are kept and read back as loaded, on both stores.
func TestProceedingShapesAreKept(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			dept := fssp.Department{ID: 74020, Name: "ОСП по Центральному району г. Челябинска", PostalIndex: "454091", Address: "г. Челябинск, ул. Кирова, 1"}
			person := func(own int64) fssp.Proceeding {
				return fssp.Proceeding{Kind: fssp.DebtorPhysical, Region: 74, LastName: "Иванов", FirstName: "Иван", Number: fssp.ProceedingNumber{Own: own, Year: 12, Department: 74020},
					DocType: "Судебный приказ", DocNumber: "2-1", DocIssuer: "Судебный участок № 1", Subject: "Задолженность", Amount: 100, Department: dept,
					Bailiff: fssp.Bailiff{Name: "ПЕТРОВА А. В.", Phone: "+7(351)000-00-00"}}
			}
			want := []fssp.Proceeding{person(1), person(2), person(3), person(4), person(5), person(6), person(7)}
			want[1].Number.Short = true
			want[2].Joined, want[2].Consolidated = true, &fssp.ProceedingNumber{Own: 9999999999, Year: 99, Department: 74020}
			want[3].AmountFormat, want[3].Bailiff.Format = fssp.AmountTrimmed, fssp.BailiffPhoneTwice
			want[4].Bailiff.Format, want[4].Bailiff.Phone = fssp.BailiffTrailingBreak, ""
			want[5].DocIssuer, want[5].Subject, want[5].Amount = "", "", 0
			// Rows are scanned into the same fields one after another: an
			// ended proceeding is followed by ones that are not.
			want[0].End = &fssp.ProceedingEnd{Date: stend.Date{Year: 2020, Month: 3, Day: 17}, Article: 46, Part: 1, Point: 3}
			want[0].Patronymic, want[0].BirthDate = "Петрович", stend.Date{Year: 1980, Month: 5, Day: 6}
			src := proceedings(append([]fssp.Proceeding(nil), want...))
			// A consolidated number is kept only for a joined proceeding:
			// render would never write it otherwise.
			src[6].Consolidated = &fssp.ProceedingNumber{Own: 5, Year: 20, Department: 74020}
			if _, err := db.FSSP().LoadProceedings(ctx, &src, 0); err != nil {
				t.Fatal(err)
			}
			// The first search reads the texts, bailiffs and departments from
			// the bank; the second finds them in the node's dictionaries.
			for _, pass := range []string{"read from the bank", "held by the node"} {
				got, err := db.FSSP().SearchPhysical(ctx, fssp.PhysicalQuery{Region: 74, LastName: "иванов", FirstName: "иван", Limit: 100})
				if err != nil || len(got) != len(want) {
					t.Fatalf("%s: found %d, want %d (%v)", pass, len(got), len(want), err)
				}
				for i := range want {
					w, g := want[i], got[i]
					w.ID = g.ID
					if g.Consolidated != nil && w.Consolidated != nil && *g.Consolidated == *w.Consolidated {
						w.Consolidated = g.Consolidated
					}
					if !reflect.DeepEqual(g, w) {
						t.Errorf("%s: proceeding %d:\ngot  %+v\nwant %+v", pass, i, g, w)
					}
				}
			}
		})
	}
}

// A load that gives one department two texts is refused, and the bank
// keeps what it had; a later load may give it new ones.
func TestALoadGivesADepartmentOneText(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			p := fssp.Proceeding{Kind: fssp.DebtorPhysical, Region: 66, LastName: "Иванов", FirstName: "Иван", Number: fssp.ProceedingNumber{Own: 1, Year: 20, Department: 66001},
				DocType: "Судебный приказ", Subject: "Задолженность", Department: fssp.Department{ID: 66001, Name: "ОСП 1", PostalIndex: "620000", Address: "Екатеринбург"}}
			src := proceedings{p}
			if _, err := db.FSSP().LoadProceedings(ctx, &src, 0); err != nil {
				t.Fatal(err)
			}
			second, third := p, p
			second.Number.Own, second.Department.Name = 2, "ОСП 2"
			third.Number.Own, third.Department.Name = 3, "ОСП 3"
			src = proceedings{second, third}
			if _, err := db.FSSP().LoadProceedings(ctx, &src, 0); !stend.IsKind(err, stend.Invalid) || !strings.Contains(err.Error(), "department 66001") {
				t.Fatalf("two texts of department 66001 in one load: %v", err)
			}
			found := func() []fssp.Proceeding {
				got, err := db.FSSP().SearchPhysical(ctx, fssp.PhysicalQuery{Region: 66, LastName: "иванов", FirstName: "иван", Limit: 10})
				if err != nil {
					t.Fatal(err)
				}
				return got
			}
			if got := found(); len(got) != 1 || got[0].Department.Name != "ОСП 1" {
				t.Fatalf("after the refused load: %+v", got)
			}
			// A synthetic source (the generator) replaces no text the bank
			// holds: its proceedings show the bank's.
			synthetic := syntheticProceedings{proceedings{third}}
			if _, err := db.FSSP().LoadProceedings(ctx, &synthetic, 0); err != nil {
				t.Fatal(err)
			}
			if got := found(); len(got) != 2 || got[0].Department.Name != "ОСП 1" || got[1].Department.Name != "ОСП 1" {
				t.Fatalf("after a synthetic load: %+v", got)
			}
			src = proceedings{second}
			if _, err := db.FSSP().LoadProceedings(ctx, &src, 0); err != nil {
				t.Fatal(err)
			}
			if got := found(); len(got) != 3 || got[0].Department.Name != "ОСП 2" || got[2].Department.Name != "ОСП 2" {
				t.Fatalf("after a load with a new text: %+v", got)
			}
		})
	}
}

// A proceeding number names its department in full (74120) or by its
// region and last two digits (74/20), and two departments of a region can
// share those digits: a search by the full number answers only its
// department's proceedings, the first up to the cap after that choice
// (PostgreSQL chooses and caps in one statement, NumberProceedings), and a
// search by the short form answers both departments'.
func TestANumberSearchChoosesItsDepartmentBeforeItsCap(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			proceeding := func(dept int, docNumber string) fssp.Proceeding {
				return fssp.Proceeding{Kind: fssp.DebtorPhysical, Region: 74, LastName: "Иванов", FirstName: "Иван",
					Number: fssp.ProceedingNumber{Own: 4321, Year: 21, Department: dept}, DocType: "Судебный приказ", DocNumber: docNumber,
					Amount: 100, Department: fssp.Department{ID: dept, Name: fmt.Sprintf("ОСП № %d", dept)},
					Bailiff: fssp.Bailiff{Name: "ПЕТРОВА А. В."}}
			}
			src := proceedings{proceeding(74020, "2-1"), proceeding(74120, "2-2"), proceeding(74120, "2-3")}
			if _, err := db.FSSP().LoadProceedings(ctx, &src, 0); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				q    fssp.NumberQuery
				want []string
			}{
				{fssp.NumberQuery{Own: 4321, Year: 21, Department: 74120, Limit: 100}, []string{"2-2", "2-3"}},
				{fssp.NumberQuery{Own: 4321, Year: 21, Department: 74120, Limit: 1}, []string{"2-2"}},
				{fssp.NumberQuery{Own: 4321, Year: 21, Department: 74020, Limit: 100}, []string{"2-1"}},
				{fssp.NumberQuery{Own: 4321, Year: 21, Region: 74, DeptSuffix: 20, Limit: 100}, []string{"2-1", "2-2", "2-3"}},
				{fssp.NumberQuery{Own: 4321, Year: 21, Region: 74, DeptSuffix: 20, Limit: 2}, []string{"2-1", "2-2"}},
			} {
				found, err := db.FSSP().SearchProceedingNumber(ctx, c.q)
				var got []string
				for _, p := range found {
					got = append(got, p.DocNumber)
				}
				if err != nil || !slices.Equal(got, c.want) {
					t.Errorf("%+v: found %v, want %v (%v)", c.q, got, c.want, err)
				}
			}
		})
	}
}

// A load into an empty bank leaves PostgreSQL's planner its statistics
// (without them it ran a person's candidates with parallel workers or JIT:
// docs/benchmarks.md, "PostgreSQL profile"), and the searches answer as
// before on both stores. The visibility map the VACUUM sets is not checked:
// a transaction of a parallel test on the same server keeps it from
// marking any page.
func TestALoadIntoAnEmptyBankRefreshesStatistics(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			if _, err := db.FSSP().LoadProceedings(ctx, generate.New(3, 2000), 0); err != nil {
				t.Fatal(err)
			}
			has := func(found []fssp.Proceeding, n fssp.ProceedingNumber) bool {
				for _, f := range found {
					if f.Number == n {
						return true
					}
				}
				return false
			}
			checked := 0
			for src, p, i := generate.New(3, 2000), (fssp.Proceeding{}), 0; src.Next(&p); i++ {
				if i%20 != 0 {
					continue
				}
				found, err := db.FSSP().SearchProceedingNumber(ctx, fssp.NumberQuery{Own: p.Number.Own, Year: p.Number.Year, Department: p.Number.Department, Limit: 100})
				if err != nil || !has(found, p.Number) {
					t.Fatalf("number %+v: found %d (%v)", p.Number, len(found), err)
				}
				if p.Kind == fssp.DebtorPhysical {
					found, err = db.FSSP().SearchPhysical(ctx, fssp.PhysicalQuery{Region: p.Region, LastName: p.LastName, FirstName: p.FirstName, Patronymic: p.Patronymic, Limit: 100})
					if err != nil || !has(found, p.Number) {
						t.Fatalf("person %s %s %s in %d: found %d (%v)", p.LastName, p.FirstName, p.Patronymic, p.Region, len(found), err)
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no person searched")
			}
			if o.Name != "postgres" {
				return
			}
			var columns int
			err := db.ReadDB().QueryRowContext(ctx, `SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'fssp_proceedings'`).Scan(&columns)
			if err != nil || columns == 0 {
				t.Fatalf("after the load: statistics of %d columns (%v)", columns, err)
			}
		})
	}
}

// TestALoadRebuildsTheMigrationsIndexes: a load into an empty bank drops the
// search indexes and builds them at its end from its own statements, which
// must give the indexes the migrations made. On PostgreSQL the person and
// number indexes include id (migration 0023), so that their candidates can
// come from the index alone, without a heap page each.
func TestALoadRebuildsTheMigrationsIndexes(t *testing.T) {
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			query := `SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fssp_proceedings' AND sql IS NOT NULL ORDER BY name`
			if o.Name == "postgres" {
				query = `SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'fssp_proceedings' ORDER BY indexname`
			}
			indexes := func() []string {
				rows, err := db.ReadDB().QueryContext(ctx, query)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				var defs []string
				for rows.Next() {
					var d string
					if err := rows.Scan(&d); err != nil {
						t.Fatal(err)
					}
					defs = append(defs, d)
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				return defs
			}
			migrated := indexes()
			if len(migrated) < 3 {
				t.Fatalf("the migrations made %d indexes: %q", len(migrated), migrated)
			}
			if _, err := db.FSSP().LoadProceedings(ctx, generate.New(5, 3000), 0); err != nil {
				t.Fatal(err)
			}
			if loaded := indexes(); !slices.Equal(loaded, migrated) {
				t.Fatalf("after a load into an empty bank:\n%s\nthe migrations':\n%s", strings.Join(loaded, "\n"), strings.Join(migrated, "\n"))
			}
			if o.Name != "postgres" {
				return
			}
			for _, ix := range migrated {
				if strings.HasPrefix(ix, "fssp_proceedings_person:") || strings.HasPrefix(ix, "fssp_proceedings_number:") {
					if !strings.Contains(ix, "INCLUDE (id)") {
						t.Errorf("not covering: %s", ix)
					}
				}
			}
			var src fssp.Proceeding
			for g := generate.New(5, 3000); g.Next(&src) && src.Kind != fssp.DebtorPhysical; {
			}
			explain := func(stmt string, args ...any) string {
				var plan strings.Builder
				rows, err := db.ReadDB().QueryContext(ctx, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "+db.Query(stmt), args...)
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var line string
					if err := rows.Scan(&line); err != nil {
						t.Fatal(err)
					}
					plan.WriteString(line + "\n")
				}
				return plan.String()
			}
			// The person index reads the candidates; whether from the index
			// alone is not checked: that needs the visibility map the load's
			// VACUUM sets, and a transaction of a test of another package on
			// the same server keeps it from marking any page (the plan then
			// reads the heap, or a bitmap of it: seen once under go test ./...).
			// That the index covers the ids is checked above.
			key := fssp.PersonKey(src.Region, src.LastName, src.FirstName)
			if plan := explain("PersonProceedings", key, 0, 0, 100); !strings.Contains(plan, " on fssp_proceedings_person") && !strings.Contains(plan, " using fssp_proceedings_person") {
				t.Fatalf("the person candidates' plan:\n%s", plan)
			}
			// A legal chunk's rows come from the legal index in the order
			// answered, each read once: no sort, no second lookup by key.
			var legalID int64
			if err := db.ReadDB().QueryRowContext(ctx, `SELECT legal_id FROM fssp_proceedings WHERE legal_id IS NOT NULL GROUP BY legal_id ORDER BY count(*) DESC, legal_id LIMIT 1`).Scan(&legalID); err != nil {
				t.Fatal(err)
			}
			plan := explain("ProceedingsByLegalIDsUpTo", fmt.Sprintf("[%d]", legalID), 2)
			if !strings.Contains(plan, "Index Scan using fssp_proceedings_legal") || strings.Contains(plan, "fssp_proceedings_pkey") || strings.Contains(plan, "Sort") {
				t.Fatalf("a legal chunk's plan:\n%s", plan)
			}
		})
	}
}

// onPostgres runs fn, in parallel, on a fresh PostgreSQL store when the
// environment has one (storetest.PostgresEnv), for what only PostgreSQL
// has: its own row reader, prepared statements, TOAST, WAL flushes.
func onPostgres(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	for _, o := range storetest.Openers() {
		if o.Name == "postgres" {
			t.Run(o.Name, func(t *testing.T) {
				t.Parallel()
				fn(t, o.Open(t))
			})
		}
	}
}

// TestStatementsPreparedOncePerConnection: on PostgreSQL a search's
// statements are parsed and planned once per connection and then only
// executed (database/sql keeps each prepared on every connection it ran
// on, and the rows pgx reads itself run the one database/sql prepared
// there or one of pgx's statement cache): on a one-connection pool, more
// searches prepare nothing more, and each runs the person search's
// statement as an execution of one the connection prepared.
func TestStatementsPreparedOncePerConnection(t *testing.T) {
	// Not on SQLite: its statements live in the process, with nothing to count.
	onPostgres(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.FSSP().LoadProceedings(ctx, generate.New(7, 500), 0); err != nil {
			t.Fatal(err)
		}
		db.ReadDB().SetMaxOpenConns(1) // the store's one pool on PostgreSQL
		var p fssp.Proceeding
		for g := generate.New(7, 500); g.Next(&p) && p.Kind != fssp.DebtorPhysical; {
		}
		search := func(n int) {
			for range n {
				found, err := db.FSSP().SearchPhysical(ctx, fssp.PhysicalQuery{Region: p.Region, LastName: p.LastName, FirstName: p.FirstName, Limit: 100})
				if err != nil || len(found) == 0 {
					t.Fatalf("search: %d found (%v)", len(found), err)
				}
			}
		}
		prepared := func() (statements, runs int) {
			err := db.ReadDB().QueryRowContext(ctx, `SELECT count(*), coalesce(sum(generic_plans + custom_plans), 0) FROM pg_prepared_statements
				WHERE statement LIKE '%FROM (SELECT id FROM fssp_proceedings%WHERE person_key = $1%'`).Scan(&statements, &runs)
			if err != nil {
				t.Fatal(err)
			}
			return statements, runs
		}
		search(2)
		statements, runs := prepared()
		search(3)
		if s, r := prepared(); statements == 0 || s != statements || r-runs < 3 {
			t.Fatalf("after 2 searches: %d statements run %d times; after 3 more: %d run %d times", statements, runs, s, r)
		}
	})
}

// On PostgreSQL the searches' proceedings are read by the dialect's own
// reader (Dialect.ReadRows), not through database/sql, which boxes every
// value (a tenth of the node's CPU under the person-search load,
// docs/benchmarks.md); and the two readers give the same proceedings.
func TestSearchesReadTheirRowsThroughTheDialect(t *testing.T) {
	// Not on SQLite: its driver has no reader of its own.
	onPostgres(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.FSSP().LoadProceedings(ctx, generate.New(11, 2000), 0); err != nil {
			t.Fatal(err)
		}
		var person, legal fssp.Proceeding
		for g, p := generate.New(11, 2000), (fssp.Proceeding{}); g.Next(&p) && (person.LastName == "" || legal.LegalName == ""); {
			switch {
			case p.Kind == fssp.DebtorPhysical && person.LastName == "":
				person = p
			case p.Kind == fssp.DebtorLegal && legal.LegalName == "":
				legal = p
			}
		}
		var calls atomic.Int64
		db.WrapReadRows(func(read sqlstore.ReadRows) sqlstore.ReadRows {
			if read == nil {
				t.Fatal("PostgreSQL's dialect has no ReadRows")
			}
			return func(ctx context.Context, conn any, query string, args []any, row func(sqlstore.Columns) (bool, error)) error {
				calls.Add(1)
				return read(ctx, conn, query, args, row)
			}
		})
		// Each search, and the proceeding it is made from, which it must find.
		searches := []struct {
			from fssp.Proceeding
			run  func() ([]fssp.Proceeding, error)
		}{
			{person, func() ([]fssp.Proceeding, error) {
				return db.FSSP().SearchPhysical(ctx, fssp.PhysicalQuery{Region: person.Region, LastName: person.LastName, FirstName: person.FirstName, Limit: 100})
			}},
			{legal, func() ([]fssp.Proceeding, error) {
				return db.FSSP().SearchLegal(ctx, fssp.LegalQuery{Region: legal.Region, Name: legal.LegalName, Limit: 100})
			}},
			{person, func() ([]fssp.Proceeding, error) {
				return db.FSSP().SearchProceedingNumber(ctx, fssp.NumberQuery{Own: person.Number.Own, Year: person.Number.Year, Department: person.Number.Department, Limit: 100})
			}},
		}
		byDialect := make([][]fssp.Proceeding, len(searches))
		for i, search := range searches {
			before := calls.Load()
			found, err := search.run()
			if err != nil || len(found) == 0 {
				t.Fatalf("search %d: %d found (%v)", i, len(found), err)
			}
			if calls.Load() == before {
				t.Errorf("search %d read its rows through database/sql", i)
			}
			if want := search.from; !slices.ContainsFunc(found, func(p fssp.Proceeding) bool {
				return p.Number == want.Number && p.LastName == want.LastName && p.LegalName == want.LegalName && p.Amount == want.Amount
			}) {
				t.Errorf("search %d did not find the proceeding it was made from, %v", i, want.Number)
			}
			byDialect[i] = found
		}
		db.WrapReadRows(func(sqlstore.ReadRows) sqlstore.ReadRows { return nil })
		for i, search := range searches {
			found, err := search.run()
			if err != nil || !reflect.DeepEqual(found, byDialect[i]) {
				t.Errorf("search %d: database/sql read\n%+v (%v),\nthe dialect\n%+v", i, found, err, byDialect[i])
			}
		}
	})
}

// TestLargeBodiesCompressedWithLZ4: on PostgreSQL the bodies that TOAST
// compresses (task results, the journal's) use lz4, which cost 12 % less
// of the server's CPU a person search than pglz (docs/benchmarks.md); and
// a body written so reads back whole.
func TestLargeBodiesCompressedWithLZ4(t *testing.T) {
	// Not on SQLite: it compresses nothing.
	onPostgres(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		rows, err := db.ReadDB().QueryContext(ctx, `SELECT c.relname || '.' || a.attname, a.attcompression FROM pg_attribute a
			JOIN pg_class c ON c.oid = a.attrelid WHERE c.oid IN ('fssp_task_results'::regclass, 'journal'::regclass)
			AND a.attname IN ('body', 'answer', 'body_json') ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var column, method string
			if err := rows.Scan(&column, &method); err != nil {
				t.Fatal(err)
			}
			got = append(got, column+"="+method)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if want := "[fssp_task_results.body=l journal.answer=l journal.body=l journal.body_json=l]"; fmt.Sprint(got) != want {
			t.Fatalf("compression: %v, want %s", got, want)
		}
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		tok, err := db.FSSP().CreateToken(ctx, fssp.Token{Name: "lz4", Hash: []byte("lz4-token-hash"), IssuedAt: at, ExpiresAt: at.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(strings.Repeat(`{"name":"ИВАНОВ ИВАН ИВАНОВИЧ","details":"ст. 46 ч. 1 п. 3"},`, 200))
		task := fssp.Task{ID: "0F3C2A51-7C1D-4C9B-9E53-3E2B8C7A1D01", TokenID: tok.ID, Class: fssp.Single, State: fssp.TaskDone, Done: 1,
			Requests: []fssp.SubRequest{{Type: 1, Params: map[string]string{"lastname": "Иванов"}}}, CreatedAt: at, StartedAt: &at, FinishedAt: &at}
		if err := db.FSSP().InsertEndedTask(ctx, task, fssp.SubResult{Body: body}); err != nil {
			t.Fatal(err)
		}
		back, err := db.FSSP().TaskResults(ctx, task.ID)
		if err != nil || len(back) != 1 || !bytes.Equal(back[0].Body, body) {
			t.Fatalf("round trip: %d results (%v)", len(back), err)
		}
		var method string
		if err := db.ReadDB().QueryRowContext(ctx, `SELECT pg_column_compression(body) FROM fssp_task_results WHERE task_id = $1`, task.ID).Scan(&method); err != nil || method != "lz4" {
			t.Fatalf("the stored body: %q (%v)", method, err)
		}
	})
}

// TestOnlyARunningTasksBatchesCommitUnflushed: on PostgreSQL a running
// task's batch of results commits without waiting for the WAL's flush, and
// nothing in the transaction that ends a task does, the last result it
// stores included: the end's flush is what makes every batch before it
// durable (docs/fssp.md, "A running task's results").
func TestOnlyARunningTasksBatchesCommitUnflushed(t *testing.T) {
	// Not on SQLite: it waits for no flush at a commit (synchronous NORMAL).
	onPostgres(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		w := db.WriteDB()
		var want string
		if err := w.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&want); err != nil {
			t.Fatal(err)
		}
		// Every change to the task records the setting its
		// transaction commits with.
		for _, q := range []string{
			`CREATE TABLE commit_settings (n serial, done integer, state integer, setting text)`,
			`CREATE FUNCTION record_commit_setting() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
				INSERT INTO commit_settings (done, state, setting) VALUES (NEW.done, NEW.state, current_setting('synchronous_commit'));
				RETURN NEW;
			END $$`,
			`CREATE TRIGGER record_commit_setting AFTER UPDATE ON fssp_tasks FOR EACH ROW EXECUTE FUNCTION record_commit_setting()`,
		} {
			if _, err := w.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		// The schema goes back to the pool as the template made it.
		t.Cleanup(func() {
			if _, err := w.Exec(`DROP TRIGGER record_commit_setting ON fssp_tasks; DROP FUNCTION record_commit_setting(); DROP TABLE commit_settings`); err != nil {
				t.Error(err)
			}
		})
		at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		tok, err := db.FSSP().CreateToken(ctx, fssp.Token{Name: "flush", Hash: []byte("flush-token-hash"), IssuedAt: at, ExpiresAt: at.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		req := fssp.SubRequest{Type: 1, Params: map[string]string{"lastname": "Иванов"}}
		task := fssp.Task{ID: "5B1E0C2D-3F4A-4B5C-8D6E-7F8091A2B3C4", TokenID: tok.ID, Class: fssp.Group, State: fssp.TaskQueued,
			Requests: []fssp.SubRequest{req, req, req}, CreatedAt: at}
		err = db.FSSP().InTx(ctx, func(ctx context.Context, tx fssp.Tx) error { return tx.InsertTask(ctx, task, 0) })
		if err != nil {
			t.Fatal(err)
		}
		batch := []fssp.SubResult{{Index: 0, Body: []byte(`{}`)}, {Index: 1, Body: []byte(`{}`)}}
		if err := db.FSSP().SaveSubResults(ctx, task.ID, batch); err != nil {
			t.Fatal(err)
		}
		// The setting is the transaction's alone: the connection's
		// next statement commits as before.
		conn, err := w.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var after string
		if _, err := conn.ExecContext(ctx, db.Query("SaveFSSPSubResults"), task.ID, []int32{0}, []bool{false}, [][]byte{[]byte(`{}`)}, true); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&after); err != nil || after != want {
			t.Fatalf("synchronous_commit after a batch on its connection: %q (%v), want %q", after, err, want)
		}
		if err := db.FSSP().FinishTask(ctx, task.ID, &fssp.SubResult{Index: 2, Body: []byte(`{}`)}, at, at); err != nil {
			t.Fatal(err)
		}
		rows, err := w.QueryContext(ctx, `SELECT done, state, setting FROM commit_settings ORDER BY n`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var done, state int
			var setting string
			if err := rows.Scan(&done, &state, &setting); err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("done %d state %d: %s", done, state, setting))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		wantRows := []string{
			"done 2 state 2: off",                   // the running task's batch
			fmt.Sprintf("done 3 state 2: %s", want), // the last result, in the end's transaction
			fmt.Sprintf("done 3 state 0: %s", want), // the end
		}
		if !slices.Equal(got, wantRows) {
			t.Fatalf("the task's changes and the settings they committed with:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantRows, "\n"))
		}
	})
}

// TestLegalSearchBoundedByTheRowsWanted: a legal search's answer is the
// first Limit proceedings of the matching entities, whatever the limit
// (PostgreSQL reads each chunk of entities only up to the rows still
// wanted): a shorter limit answers a prefix of a longer one's answer, and
// both stores answer the same proceedings in the same order.
func TestLegalSearchBoundedByTheRowsWanted(t *testing.T) {
	answers := map[string][]string{}
	var mu sync.Mutex
	t.Run("stores", func(t *testing.T) {
		for _, o := range storetest.Openers() {
			t.Run(o.Name, func(t *testing.T) {
				t.Parallel()
				db := o.Open(t)
				ctx := context.Background()
				if _, err := db.FSSP().LoadProceedings(ctx, generate.New(5, 20000), 0); err != nil {
					t.Fatal(err)
				}
				search := func(name string, limit int) []string {
					found, err := db.FSSP().SearchLegal(ctx, fssp.LegalQuery{Region: 77, Name: name, Limit: limit})
					if err != nil {
						t.Fatal(err)
					}
					numbers := make([]string, len(found))
					for i, p := range found {
						numbers[i] = fmt.Sprint(p.Number)
					}
					return numbers
				}
				// One trigram, and several (the rarest is read).
				for _, name := range []string{"ооо", "строй"} {
					all := search(name, 100)
					if len(all) < 10 || len(slices.Compact(slices.Clone(all))) != len(all) {
						t.Fatalf("%s: %d proceedings, some twice? %v", name, len(all), all)
					}
					for _, limit := range []int{1, 3, 9} {
						if got := search(name, limit); !slices.Equal(got, all[:limit]) {
							t.Errorf("%s, limit %d: %v, want %v", name, limit, got, all[:limit])
						}
					}
					mu.Lock()
					answers[o.Name+" "+name] = all
					mu.Unlock()
				}
				if got := search("стройщщщ", 100); len(got) != 0 {
					t.Errorf("a trigram no name has: %v", got)
				}
			})
		}
	})
	for _, name := range []string{"ооо", "строй"} {
		if pg, ok := answers["postgres "+name]; ok && !slices.Equal(pg, answers["sqlite "+name]) {
			t.Errorf("%s: the stores differ:\nsqlite   %v\npostgres %v", name, answers["sqlite "+name], pg)
		}
	}
}

// The legal entities that have each trigram are counted per region, in the
// order asked, on both stores: a legal search reads the rarest. A trigram
// no name has may end the counting (SQLite stops there).
func TestLegalTrigramsAreCountedInOrder(t *testing.T) {
	gen := func() *generate.Generator { return generate.New(5, 3000) }
	// What the bank holds, counted from what was loaded: the legal
	// entities of a region that have a trigram.
	type regionTrigram struct {
		region int
		tri    int64
	}
	count := map[regionTrigram]int{}
	seen := map[int64]bool{}
	for src, p := gen(), (fssp.Proceeding{}); src.Next(&p); {
		key := fssp.LegalKey(p.Region, p.LegalName, p.LegalAddress)
		if p.Kind != fssp.DebtorLegal || seen[key] {
			continue
		}
		seen[key] = true
		for _, tri := range slices.Compact(slices.Sorted(slices.Values(fssp.Trigrams(fssp.NormalizeName(p.LegalName))))) {
			count[regionTrigram{p.Region, tri}]++
		}
	}
	// The commonest trigram of region 77, and its rarest.
	const region = 77
	var common, rare int64
	for rt, n := range count {
		if rt.region != region {
			continue
		}
		if n > count[regionTrigram{region, common}] {
			common = rt.tri
		}
		if rare == 0 || n < count[regionTrigram{region, rare}] {
			rare = rt.tri
		}
	}
	commonN, rareN, elsewhere := count[regionTrigram{region, common}], count[regionTrigram{region, rare}], count[regionTrigram{78, common}]
	if commonN < 2 || rareN == commonN || elsewhere == commonN {
		t.Fatalf("the bank has no trigrams to tell apart: %d, %d, %d elsewhere", commonN, rareN, elsewhere)
	}
	none := fssp.Trigrams(fssp.NormalizeName("щщщ"))[0]
	if count[regionTrigram{region, none}] != 0 {
		t.Fatal("a trigram meant to be in no name is in one")
	}
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			db := o.Open(t)
			ctx := context.Background()
			if _, err := db.FSSP().LoadProceedings(ctx, gen(), 0); err != nil {
				t.Fatal(err)
			}
			got, err := db.FSSP().CountLegalTrigrams(ctx, region, []int64{rare, common, common})
			if want := []int{rareN, commonN, commonN}; err != nil || !slices.Equal(got, want) {
				t.Errorf("counts %v (%v), want %v", got, err, want)
			}
			got, err = db.FSSP().CountLegalTrigrams(ctx, 78, []int64{common})
			if want := []int{elsewhere}; err != nil || !slices.Equal(got, want) {
				t.Errorf("region 78: counts %v (%v), want %v", got, err, want)
			}
			got, err = db.FSSP().CountLegalTrigrams(ctx, region, []int64{common, none, rare})
			if want := []int{commonN, 0}; err != nil || len(got) < 2 || !slices.Equal(got[:2], want) {
				t.Errorf("counts %v (%v), want %v first", got, err, want)
			}
		})
	}
}
