package sqlstore_test

// The Go↔SQL contract: the Go logic of sqlstore is written once and asks each
// dialect's .sql files for queries by name, scanning their rows by position.
// Nothing but this test notices when one dialect's file gains, loses or
// reorders what the other has, or when a page size written into the SQL as a
// literal drifts from the Go constant the code stops at.

import (
	"context"
	"database/sql"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/stdlib"
	sqlite3driver "github.com/ncruces/go-sqlite3/driver"

	"stend/fssp"
	"stend/reestro"
	"stend/store/postgres"
	"stend/store/sqlite"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// dialectOnly are the named queries that one dialect has and the other
// does not need. Go reaches each of them only where the dialect defines it.
var dialectOnly = map[string]struct{ dialect, reason string }{
	"SaveFSSPSubResults": {"postgres", "a batch of sub-results and their counts in one statement (data-modifying CTE over arrays); " +
		"SQLite has neither arrays nor round trips to save, and inserts each in the transaction"},
	"CountFSSPSubResult": {"sqlite", "the count step of saving sub-results one statement each; PostgreSQL saves and " +
		"counts a batch with SaveFSSPSubResults"},
	"ProceedingsByLegalIDs": {"sqlite", "a chunk of legal entities' proceedings, unbounded; PostgreSQL bounds it by the " +
		"rows still wanted with ProceedingsByLegalIDsUpTo"},
	"ProceedingsByLegalIDsUpTo": {"postgres", "a chunk of legal entities' proceedings bounded by the rows still wanted, " +
		"so that PostgreSQL reads and sends only those; SQLite reads its rows in process and keeps an unbound statement"},
	"LegalByTrigram": {"sqlite", "a page of a trigram's legal entities, literal in size (a bound LIMIT makes SQLite prepare " +
		"the statement again at each run); PostgreSQL's LegalByTrigramUpTo takes the size"},
	"LegalByRegion": {"sqlite", "as LegalByTrigram, for fragments shorter than a trigram"},
	"LegalByTrigramUpTo": {"postgres", "a page of a trigram's legal entities of the size given: a search's first page " +
		"is short, a common fragment answering from its first entities, and PostgreSQL reads and sends every row of a page"},
	"LegalByRegionUpTo": {"postgres", "as LegalByTrigramUpTo, for fragments shorter than a trigram"},
	"CountLegalTrigram": {"sqlite", "a trigram's count, one statement a trigram; PostgreSQL counts a fragment's trigrams " +
		"in one round trip with CountLegalTrigrams"},
	"CountLegalTrigrams": {"postgres", "every trigram of a fragment counted in one round trip; SQLite has no round trips " +
		"to save and counts one at a time, stopping at a trigram no name has"},
	"SubmitNewReport": {"postgres", "a new report in one statement (data-modifying CTEs), one round trip instead of six; " +
		"SQLite has no data-modifying CTEs and no round trips to save, so sqlstore.SubmitReport runs the same steps " +
		"as separate statements there, choosing by whether the dialect defines SubmitNewReport"},
	"SubmitNewReports": {"postgres", "concurrent new reports of one node in one statement and one commit (sqlstore's " +
		"reportBatcher); SQLite's committer groups every write transaction already, so it has no batcher"},
	"InsertReport": {"sqlite", "a step of submitInSteps that only a new report takes; PostgreSQL stores new reports " +
		"with SubmitNewReport and goes through submitInSteps only for replacements"},
	"ReportPointsOfUsers": {"postgres", "the points report of named users found by user; PostgreSQL's ReportPoints " +
		"fences the user lookup off to keep the ledger's time order, which would read the whole ledger for a few users. " +
		"SQLite reads by time either way (sqlstore.PointsReport chooses by whether the dialect defines it)"},
	"InsertEndedFSSPTaskWithResult": {"postgres", "a task answered in its request, with its result, in one statement (data-modifying " +
		"CTE) outside a transaction: one round trip instead of four. SQLite has no data-modifying CTEs and no round trips " +
		"to save, so sqlstore.InsertEndedTask runs InsertEndedFSSPTask and InsertFSSPSubResult in a transaction there"},
	"InsertEndedFSSPTasksWithResults": {"postgres", "the tasks that one node's requests answered at once, stored in one " +
		"statement and one commit (sqlstore's endedTaskBatcher); SQLite's committer groups every write transaction already"},
	"PersonProceedings": {"postgres", "a person's candidates and their rows in one statement, one round trip instead of " +
		"two; SQLite reads them in process, where a round trip costs nothing, with PersonCandidates and ProceedingsByIDs " +
		"(sqlstore.SearchPhysical chooses by whether the dialect defines PersonProceedings)"},
	"NumberProceedings": {"postgres", "a number's candidates and their rows in one statement, one round trip instead of " +
		"two, as PersonProceedings; SQLite reads them in process with NumberCandidates and ProceedingsByIDs " +
		"(sqlstore.SearchProceedingNumber chooses by whether the dialect defines NumberProceedings)"},
	"NumberCandidates": {"sqlite", "the candidates' step of a number search; PostgreSQL reads them with their rows " +
		"in NumberProceedings"},
	"PersonCandidates": {"sqlite", "the candidates' step of a person search; PostgreSQL reads them with their rows " +
		"in PersonProceedings"},
	"InsertJournalEntries": {"postgres", "the journal writer's batch in one statement over arrays, one round trip instead of " +
		"one a row; SQLite has no arrays and no round trips to save, and inserts the batch with InsertJournalEntry in a " +
		"transaction (sqlstore.AppendJournal chooses by whether the dialect defines InsertJournalEntries)"},
	"InsertJournalEntry": {"sqlite", "the journal's rows one at a time in the writer's transaction; PostgreSQL writes the " +
		"batch with InsertJournalEntries"},
	"PointsLockTimeout": {"postgres", "bounds the wait for balance row locks (lock_timeout, see pointsLockTimeout); " +
		"only the points batcher runs it, and only dialects without group commit have one: SQLite's single writer " +
		"takes no row locks (its LockBalances locks nothing)"},
}

// columnsDiffer are the queries whose result columns may differ between the
// dialects, with why the Go code is indifferent to it.
var columnsDiffer = map[string]string{}

// goValue is what a literal LIMIT mirrors in Go.
type goValue struct {
	// ident is the constant as named in a "-- = ident in file.go" comment
	// of the SQL; empty when it lives outside sqlstore or is no constant.
	ident string
	// what tells a reader where to look.
	what  string
	value func(testing.TB) int
}

var (
	legalPage = goValue{ident: "legalPage", what: "sqlstore.legalPage, the page size after which SearchLegal reads another page",
		value: func(testing.TB) int { return sqlstore.LegalPage }}
	// The listing answers at most the API's maximum count; a smaller LIMIT
	// would cut pages, a larger one read rows the store drops.
	reestroMaxCount = goValue{what: "reestro.MaxCheckCount, the listing's largest count",
		value: func(testing.TB) int { return reestro.MaxCheckCount }}
	// The candidates are read up to the sub-request's item cap, which the
	// operator sets up to fssp.MaxItemsCap (server.Config.Validate); a LIMIT
	// below it would answer fewer proceedings than asked for.
	fsspItemCap = goValue{what: "fssp.MaxItemsCap, the largest fssp-max-items the server accepts",
		value: func(testing.TB) int { return fssp.MaxItemsCap }}
)

// noConstant is a LIMIT that mirrors nothing in Go; the value is pinned
// here so that changing it is a decision seen in review.
func noConstant(v int, why string) goValue {
	return goValue{what: "no Go constant: " + why, value: func(testing.TB) int { return v }}
}

// literalLimits ties every query with a literal LIMIT, in either dialect, to
// what it mirrors.
var literalLimits = map[string]goValue{
	"LegalByTrigram":             legalPage,
	"LegalByRegion":              legalPage,
	"PersonCandidates":           fsspItemCap,
	"ProceedingsByLegalIDs":      fsspItemCap,
	"ReestroChecks":              reestroMaxCount,
	"ReestroChecksBySubject":     reestroMaxCount,
	"ReestroChecksByExternal":    reestroMaxCount,
	"ReestroChecksByCorrelation": reestroMaxCount,
	"ReestroChecksByState":       reestroMaxCount,
	"NthFSSPTaskTime":            noConstant(1, "the one row at the OFFSET the quota check asks for"),
	"BankHasProceedings":         noConstant(1, "whether any row exists"),
	"CountLegalTrigram":          noConstant(1000, "a cap on counting: SearchLegal only needs the rarest trigram, not by how much"),
	"CountLegalTrigrams":         noConstant(1000, "as CountLegalTrigram, each trigram's count capped"),
}

type namedQuery struct {
	file, body string
}

type dialectQueries struct {
	name    string
	queries map[string]namedQuery
}

// parseQueries reads every "-- name: X" section of every .sql file of fsys,
// as sqlstore's loadQueries does, but in subdirectories too, so that
// reorganizing the files cannot hide a query from this test.
func parseQueries(fsys fs.FS) (map[string]namedQuery, error) {
	out := map[string]namedQuery{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		var name string
		var body strings.Builder
		flush := func() error {
			if name == "" {
				return nil
			}
			if prev, dup := out[name]; dup {
				return fmt.Errorf("query %s defined in %s and %s", name, prev.file, path)
			}
			q := strings.TrimSpace(body.String())
			if onlyComments(q) {
				q = ""
			}
			out[name] = namedQuery{file: path, body: q}
			body.Reset()
			return nil
		}
		for line := range strings.Lines(string(b)) {
			if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
				if err := flush(); err != nil {
					return err
				}
				name = strings.TrimSpace(n)
				continue
			}
			if name != "" {
				body.WriteString(line)
			}
		}
		return flush()
	})
	return out, err
}

func onlyComments(q string) bool {
	for line := range strings.Lines(q) {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "--") {
			return false
		}
	}
	return true
}

// Domains whose sections grow keep their SQL in a directory (sql/motivity/);
// the parser must find every query wherever it is.
func TestContractParser(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.sql":          {Data: []byte("-- header\n-- name: A\nSELECT 1;\n\n-- name: Nothing\n-- Nothing to do here.\n")},
		"deep/er/b.sql":  {Data: []byte("-- name: B\nSELECT 2\nLIMIT 3;\n")},
		"deep/notes.txt": {Data: []byte("-- name: C\nSELECT 3;\n")},
	}
	got, err := parseQueries(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]namedQuery{
		"A":       {file: "a.sql", body: "SELECT 1;"},
		"Nothing": {file: "a.sql", body: ""},
		"B":       {file: "deep/er/b.sql", body: "SELECT 2\nLIMIT 3;"},
	}
	if !maps.Equal(got, want) {
		t.Errorf("parsed %v, want %v", got, want)
	}
	fsys["deep/c.sql"] = &fstest.MapFile{Data: []byte("-- name: A\nSELECT 4;\n")}
	if _, err := parseQueries(fsys); err == nil {
		t.Error("a query defined in two files was not reported")
	}
}

func bothDialects(t *testing.T) [2]dialectQueries {
	t.Helper()
	var out [2]dialectQueries
	for i, d := range []sqlstore.Dialect{sqlite.Dialect(), postgres.Dialect()} {
		q, err := parseQueries(d.Queries)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if len(q) == 0 {
			t.Fatalf("%s: no named queries found", d.Name)
		}
		out[i] = dialectQueries{name: d.Name, queries: q}
	}
	return out
}

func TestContractNamedQueries(t *testing.T) {
	t.Parallel()
	ds := bothDialects(t)
	var problems []string
	for i, d := range ds {
		other := ds[1-i]
		for name, q := range d.queries {
			if _, ok := other.queries[name]; ok {
				continue
			}
			switch only, listed := dialectOnly[name]; {
			case !listed:
				problems = append(problems, fmt.Sprintf("%s is in %s (%s) but not in %s: add it there, or to dialectOnly with the reason",
					name, d.name, q.file, other.name))
			case only.dialect != d.name:
				problems = append(problems, fmt.Sprintf("%s is in %s only, but dialectOnly says %s", name, d.name, only.dialect))
			}
		}
	}
	for name, only := range dialectOnly {
		var in []string
		for _, d := range ds {
			if _, ok := d.queries[name]; ok {
				in = append(in, d.name)
			}
		}
		if len(in) != 1 {
			problems = append(problems, fmt.Sprintf("dialectOnly lists %s (%s only), which is in %d dialects: drop the entry", name, only.dialect, len(in)))
		}
	}
	report(t, "named queries", problems)
}

// report fails once with every problem, so that one run shows all the
// drift.
func report(t *testing.T, what string, problems []string) {
	t.Helper()
	if len(problems) > 0 {
		slices.Sort(problems)
		t.Errorf("%s: %d problems:\n\t%s", what, len(problems), strings.Join(problems, "\n\t"))
	}
}

// columnsOf prepares, without running, every query that sqlstore prepares
// (DDL is run as it is, and an empty query means nothing to do), templates
// with their tables filled in, and returns
// each one's result columns; prepare is the driver's.
func columnsOf(t *testing.T, db *sql.DB, queries map[string]namedQuery,
	prepare func(ctx context.Context, driverConn any, query string) ([]string, error)) map[string][]string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	out := map[string][]string{}
	var problems []string
	err = conn.Raw(func(dc any) error {
		for name, q := range queries {
			if q.body == "" || strings.HasPrefix(name, "DDL") {
				continue
			}
			// A template is prepared with the tables it is run on.
			cols, err := prepare(ctx, dc, strings.NewReplacer("{table}", "jobs", "{from}", "").Replace(q.body))
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s (%s): %v", name, q.file, err))
				continue
			}
			out[name] = cols
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	report(t, "prepare", problems)
	t.Logf("%d statements prepared", len(out))
	return out
}

func sqliteColumns(_ context.Context, dc any, query string) ([]string, error) {
	c, ok := dc.(sqlite3driver.Conn)
	if !ok {
		return nil, fmt.Errorf("driver connection is a %T, not the ncruces driver's", dc)
	}
	st, _, err := c.Raw().Prepare(query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("no statement")
	}
	defer st.Close()
	cols := make([]string, st.ColumnCount())
	for i := range cols {
		cols[i] = st.ColumnName(i)
	}
	return cols, nil
}

func postgresColumns(ctx context.Context, dc any, query string) ([]string, error) {
	c, ok := dc.(*stdlib.Conn)
	if !ok {
		return nil, fmt.Errorf("driver connection is a %T, not pgx's stdlib.Conn", dc)
	}
	// Unnamed: each preparation replaces the last, nothing to deallocate.
	sd, err := c.Conn().Prepare(ctx, "", query)
	if err != nil {
		return nil, err
	}
	cols := make([]string, len(sd.Fields))
	for i, f := range sd.Fields {
		cols[i] = f.Name
	}
	return cols, nil
}

func TestContractColumns(t *testing.T) {
	ds := bothDialects(t)
	var sqliteCols map[string][]string
	gatherSQLite := func(t *testing.T) {
		db := storetest.OpenSQLite(t)
		sqliteCols = columnsOf(t, db.ReadDB(), ds[0].queries, sqliteColumns)
	}
	t.Run("sqlite", gatherSQLite)
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(storetest.PostgresEnv) == "" {
			t.Skipf("%s is not set: columns are not compared with PostgreSQL's", storetest.PostgresEnv)
		}
		if sqliteCols == nil { // the sqlite subtest was filtered out
			gatherSQLite(t)
		}
		db := storetest.OpenPostgres(t)
		pgCols := columnsOf(t, db.ReadDB(), ds[1].queries, postgresColumns)
		var problems []string
		for name, lite := range sqliteCols {
			pg, ok := pgCols[name]
			if !ok {
				continue // in SQLite only, or nothing to do on PostgreSQL
			}
			if _, ok := columnsDiffer[name]; ok || sameColumns(lite, pg) {
				continue
			}
			problems = append(problems, fmt.Sprintf("%s: sqlite %v, postgres %v", name, lite, pg))
		}
		for name := range columnsDiffer {
			if lite, pg := sqliteCols[name], pgCols[name]; lite != nil && pg != nil && sameColumns(lite, pg) {
				problems = append(problems, fmt.Sprintf("columnsDiffer lists %s, whose columns are the same: drop the entry", name))
			}
		}
		report(t, "result columns", problems)
	})
}

var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// sameColumns reports whether two dialects' result columns agree for Go,
// which scans them by position: as many, with the same names where SQLite
// reports a name. An unaliased expression has none to compare: SQLite calls
// it by its text ("count(*)", "deleted_at IS NOT NULL"), PostgreSQL by its
// function or inner column ("count", "id") or "?column?". Case is folded, as
// PostgreSQL folds unquoted aliases.
func sameColumns(lite, pg []string) bool {
	if len(lite) != len(pg) {
		return false
	}
	for i := range lite {
		if plainIdent.MatchString(lite[i]) && !strings.EqualFold(lite[i], pg[i]) {
			return false
		}
	}
	return true
}

var (
	sqlComment = regexp.MustCompile(`--.*`)
	// A bound LIMIT ($4, ?4) is the caller's; a literal one mirrors Go.
	literalLimit = regexp.MustCompile(`(?i)\bLIMIT\s+(\d+)\b`)
	// "-- = legalPage in fssp.go": the SQL names the constant itself.
	mirrorComment = regexp.MustCompile(`--\s*=\s*([A-Za-z_]\w*)\s+in\s+(\S+\.go)\b`)
)

func TestContractLiteralLimits(t *testing.T) {
	t.Parallel()
	ds := bothDialects(t)
	var problems []string
	values := map[string]int{} // by goValue.what: each is read once
	valueOf := func(g goValue) int {
		v, ok := values[g.what]
		if !ok {
			v = g.value(t)
			values[g.what] = v
		}
		return v
	}
	for _, d := range ds {
		for name, q := range d.queries {
			var lits []int
			for _, m := range literalLimit.FindAllStringSubmatch(sqlComment.ReplaceAllString(q.body, ""), -1) {
				n, _ := strconv.Atoi(m[1])
				lits = append(lits, n)
			}
			g, listed := literalLimits[name]
			if len(lits) == 0 {
				if listed && !strings.HasPrefix(name, "DDL") && q.body != "" {
					problems = append(problems, fmt.Sprintf("%s: %s has no literal LIMIT any more: drop it from literalLimits", d.name, name))
				}
				continue
			}
			if !listed {
				problems = append(problems, fmt.Sprintf("%s: new literal LIMIT in query %s (%s): tie it to its Go constant in contract_test.go", d.name, name, q.file))
				continue
			}
			want := valueOf(g)
			for _, n := range lits {
				if n != want {
					problems = append(problems, fmt.Sprintf("%s: %s has LIMIT %d, but it mirrors %s, which is %d", d.name, name, n, g.what, want))
				}
			}
			for _, m := range mirrorComment.FindAllStringSubmatch(q.body, -1) {
				ident, file := m[1], m[2]
				if ident != g.ident {
					problems = append(problems, fmt.Sprintf("%s: %s says its LIMIT = %s in %s, but literalLimits ties it to %s", d.name, name, ident, file, g.what))
					continue
				}
				if v := goConst(t, filepath.Dir(file), filepath.Base(file), ident); v != want {
					problems = append(problems, fmt.Sprintf("%s: %s says its LIMIT = %s in %s, which is %d there", d.name, name, ident, file, v))
				}
			}
		}
	}
	for name := range literalLimits {
		if _, ok := ds[0].queries[name]; !ok {
			if _, ok := ds[1].queries[name]; !ok {
				problems = append(problems, fmt.Sprintf("literalLimits lists %s, which no dialect defines: drop the entry", name))
			}
		}
	}
	report(t, "literal LIMITs", problems)
}

// goConst reads the integer constant name from the Go source in dir (in
// file only, if given), for constants of packages that do not export them
// and cannot be given an accessor from here.
func goConst(t testing.TB, dir, file, name string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("constant %s: %v", name, err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || file != "" && n != file {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("constant %s: %v", name, err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if id.Name != name {
						continue
					}
					if i >= len(vs.Values) {
						t.Fatalf("constant %s in %s: no value of its own (iota?); tie it differently", name, n)
					}
					// In the universe scope: a constant spelled with other
					// constants fails here rather than being guessed at.
					tv, err := types.Eval(fset, nil, token.NoPos, types.ExprString(vs.Values[i]))
					if err != nil || tv.Value == nil || tv.Value.Kind() != constant.Int {
						t.Fatalf("constant %s in %s: not an integer literal expression (%v)", name, n, err)
					}
					v, exact := constant.Int64Val(tv.Value)
					if !exact {
						t.Fatalf("constant %s in %s: out of range", name, n)
					}
					return int(v)
				}
			}
		}
	}
	where := dir
	if file != "" {
		where = filepath.Join(dir, file)
	}
	t.Fatalf("no constant %s in %s", name, where)
	return 0
}
