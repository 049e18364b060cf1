package storetest

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"stend/store/postgres"
)

func postgresAdmin(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		tb.Skipf("%s is not set", PostgresEnv)
	}
	admin, err := postgres.OpenDB(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	return admin, dsn
}

// migratedSchema is a schema made the way every test's was before the
// templates: by running the migrations in it.
func migratedSchema(t *testing.T, admin *sql.DB, dsn string) string {
	t.Helper()
	schema := newSchemaName()
	t.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + schema + ` CASCADE`) })
	db, err := newPostgresSchema(context.Background(), admin, dsn, schema, migrated)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	return schema
}

func clonedSchema(t *testing.T) string {
	t.Helper()
	var schema string
	if err := OpenPostgres(t).ReadDB().QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	return schema
}

func TestPostgresCloneEqualsMigratedSchema(t *testing.T) {
	admin, dsn := postgresAdmin(t)
	ctx := context.Background()
	migrated, clone := migratedSchema(t, admin, dsn), clonedSchema(t)
	want, err := describe(ctx, admin, migrated)
	if err != nil {
		t.Fatal(err)
	}
	got, err := describe(ctx, admin, clone)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffLines(want, got); d != "" {
		t.Fatalf("the clone differs from a migrated schema (- migrated, + clone):\n%s", d)
	}
	// The comparison is worth only what the description covers.
	all := strings.Join(want, "\n")
	for _, s := range []string{
		"FOREIGN KEY (report_id, version) REFERENCES report_versions(report_id, version)",
		"ON DELETE CASCADE",
		"CREATE UNIQUE INDEX motivity_users_identifier ON motivity_users USING btree (identifier) WHERE (deleted_at IS NULL)",
		"CHECK ((amount >= 0))",
		"default 0, identity",
		"identity d",
		"rows of schema_migrations: (1,0001_migrant_exam.sql)",
		"rows of motivity_platform: (1,ru,",
		"sequence jobs_id_seq of jobs.id i: bigint from 1",
	} {
		if !strings.Contains(all, s) {
			t.Errorf("the description lacks %q", s)
		}
	}

	// Identity values start at 1, as in a migrated schema, and the
	// sequences are the clone's own.
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var columns []string
	if err := collect(ctx, tx, &columns, `SELECT format('%I.%I', c.relname, a.attname) FROM pg_attribute a
		JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND a.attidentity <> '' ORDER BY 1`, clone); err != nil {
		t.Fatal(err)
	}
	if len(columns) < 10 {
		t.Fatalf("identity columns of the clone: %v", columns)
	}
	for _, c := range columns {
		table, column, _ := strings.Cut(c, ".")
		var seq string
		var first int64
		if err := tx.QueryRowContext(ctx, `SELECT s, nextval(s) FROM pg_get_serial_sequence($1, $2) AS s`,
			quoteIdent(clone)+"."+table, column).Scan(&seq, &first); err != nil {
			t.Fatal(err)
		}
		if first != 1 || !strings.HasPrefix(seq, clone+".") {
			t.Errorf("%s: sequence %s starts at %d", c, seq, first)
		}
	}
}

// TestPostgresCloneComparisonSeesDifferences checks that the comparison
// above, and the one each new template goes through, would see a clone
// that missed a part of the schema; and that cloneScript refuses what it
// cannot copy.
func TestPostgresCloneComparisonSeesDifferences(t *testing.T) {
	admin, _ := postgresAdmin(t)
	ctx := context.Background()
	schema := clonedSchema(t)
	base, err := describe(ctx, admin, schema)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name, sql   string
		unsupported bool
	}{
		{name: "foreign key", sql: `ALTER TABLE report_requests DROP CONSTRAINT report_requests_report_id_version_fkey`},
		{name: "foreign key action", sql: `ALTER TABLE fssp_task_results DROP CONSTRAINT fssp_task_results_task_id_fkey,
			ADD CONSTRAINT fssp_task_results_task_id_fkey FOREIGN KEY (task_id) REFERENCES fssp_tasks (id)`},
		{name: "index", sql: `DROP INDEX reestro_checks_org`},
		{name: "index name", sql: `ALTER INDEX reports_area RENAME TO reports_examination_area_id_period_start_idx`},
		{name: "partial index", sql: `DROP INDEX jobs_running; CREATE INDEX jobs_running ON jobs (locked_until)`},
		{name: "unique index", sql: `DROP INDEX motivity_users_identifier; CREATE INDEX motivity_users_identifier ON motivity_users (identifier) WHERE deleted_at IS NULL`},
		{name: "primary key", sql: `ALTER TABLE fssp_legal_trigrams DROP CONSTRAINT fssp_legal_trigrams_pkey`},
		{name: "unique constraint", sql: `ALTER TABLE fssp_bailiffs DROP CONSTRAINT fssp_bailiffs_department_id_name_phone_key`},
		{name: "check", sql: `ALTER TABLE motivity_ledger DROP CONSTRAINT motivity_ledger_balance_after_check`},
		{name: "default", sql: `ALTER TABLE fssp_tasks ALTER done DROP DEFAULT`},
		{name: "not null", sql: `ALTER TABLE jobs ALTER kind DROP NOT NULL`},
		{name: "type", sql: `ALTER TABLE jobs ALTER attempt TYPE bigint`},
		{name: "identity", sql: `ALTER TABLE motivity_badge_events ALTER id DROP IDENTITY`},
		{name: "column", sql: `ALTER TABLE organizations ADD extra text`},
		{name: "migration row", sql: `DELETE FROM schema_migrations WHERE version = 3`},
		{name: "seed row", sql: `UPDATE motivity_platform SET locales = 'ru'`},
		{name: "sequence start", sql: `ALTER SEQUENCE fssp_texts_id_seq START WITH 10`},
		{name: "column comment", sql: `COMMENT ON COLUMN jobs.kind IS 'x'`},
		{name: "table comment", sql: `COMMENT ON TABLE jobs IS 'x'`},
		{name: "view", sql: `CREATE VIEW open_jobs AS SELECT id FROM jobs`, unsupported: true},
		{name: "function", sql: `CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1'`, unsupported: true},
		{name: "trigger", sql: `CREATE FUNCTION pg_temp.f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
			CREATE TRIGGER jobs_touch BEFORE UPDATE ON jobs FOR EACH ROW EXECUTE FUNCTION pg_temp.f()`, unsupported: true},
		{name: "sequence", sql: `CREATE SEQUENCE numbers`, unsupported: true},
		{name: "serial", sql: `ALTER TABLE jobs ADD n serial`, unsupported: true},
		{name: "enum", sql: `CREATE TYPE mood AS ENUM ('ok')`, unsupported: true},
		{name: "unlogged", sql: `ALTER TABLE fssp_texts SET UNLOGGED`, unsupported: true},
		{name: "storage parameter", sql: `ALTER TABLE jobs SET (fillfactor = 50)`, unsupported: true},
		{name: "grant", sql: `GRANT SELECT ON jobs TO PUBLIC`, unsupported: true},
		{name: "statistics", sql: `CREATE STATISTICS jobs_stats ON kind, state FROM jobs`, unsupported: true},
	} {
		t.Run(m.name, func(t *testing.T) {
			tx, err := admin.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `SET LOCAL search_path = `+quoteIdent(schema)+`; `+m.sql); err != nil {
				t.Fatal(err)
			}
			got, err := describeTx(ctx, tx, schema)
			if err != nil {
				t.Fatal(err)
			}
			if diffLines(base, got) == "" {
				t.Error("the description did not change")
			}
			if _, err := cloneScript(ctx, tx, schema); m.unsupported != (err != nil) {
				t.Errorf("cloneScript: %v", err)
			}
		})
	}
	// The mutations were rolled back; the sequences' positions, which are
	// not transactional, were not touched.
	if got, err := describe(ctx, admin, schema); err != nil || diffLines(base, got) != "" {
		t.Fatalf("after the mutations: %v\n%s", err, diffLines(base, got))
	}
}

func TestPostgresTemplateName(t *testing.T) {
	a, err := templateName()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := templateName(); a != b || !strings.HasPrefix(a, templatePrefix) || len(a) > 63 {
		t.Fatalf("template names %q, %q", a, b)
	}
}

// BenchmarkOpenPostgres compares the three ways a test's schema comes to
// be: migrated itself, cloned from the template, or a used clone reset
// (the pool's way); each opens a store on it, which prepares every
// statement. The drop a new schema needs at the end is left out of ns/op
// and reported as drop-ms/op.
func BenchmarkOpenPostgres(b *testing.B) {
	admin, dsn := postgresAdmin(b)
	ctx := context.Background()
	tmpl, err := postgresTemplate(ctx, dsn) // once per process, as in the tests
	if err != nil {
		b.Fatal(err)
	}
	for _, how := range []struct {
		name   string
		origin schemaOrigin
	}{{"migrate", migrated}, {"clone", cloned}, {"reset", pooled}} {
		b.Run(how.name, func(b *testing.B) {
			var drop time.Duration
			used := newSchemaName()
			if how.origin == pooled {
				if err := tmpl.clone(ctx, admin, used); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA ` + used + ` CASCADE`) })
			}
			for b.Loop() {
				schema := newSchemaName()
				if how.origin == pooled {
					schema = used
					if _, err := admin.ExecContext(ctx, "SET LOCAL search_path = "+quoteIdent(schema)+";\n"+tmpl.reset); err != nil {
						b.Fatal(err)
					}
				}
				db, err := newPostgresSchema(ctx, admin, dsn, schema, how.origin)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				db.Close()
				if how.origin != pooled {
					start := time.Now()
					if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
						b.Fatal(err)
					}
					drop += time.Since(start)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(drop.Milliseconds())/float64(b.N), "drop-ms/op")
		})
	}
}

// TestPooledSchemaIsResetToTheTemplate: a schema a test wrote to (rows,
// identities, the stand's clock) comes back from the pool as a new clone
// is, and a schema whose relations a test changed is dropped, not pooled.
func TestPooledSchemaIsResetToTheTemplate(t *testing.T) {
	admin, dsn := postgresAdmin(t)
	ctx := context.Background()
	tmpl, err := postgresTemplate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	fresh := clonedSchema(t)
	want, err := describe(ctx, admin, fresh)
	if err != nil {
		t.Fatal(err)
	}
	used := newSchemaName()
	t.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA IF EXISTS ` + used + ` CASCADE`) })
	db, err := newPostgresSchema(ctx, admin, dsn, used, cloned)
	if err != nil {
		t.Fatal(err)
	}
	MustOrganization(t, db.MigrantExam(), "used")
	MustMotivityUser(t, db.Motivity(), "used@example.ru")
	if _, err := db.AdvanceClock(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if dirty, err := describe(ctx, admin, used); err != nil || diffLines(want, dirty) == "" {
		t.Fatalf("the writes changed nothing the description shows (%v)", err)
	}
	if _, err := admin.ExecContext(ctx, "SET LOCAL search_path = "+quoteIdent(used)+";\n"+tmpl.reset); err != nil {
		t.Fatal(err)
	}
	got, err := describe(ctx, admin, used)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffLines(want, got); d != "" {
		t.Fatalf("a reset schema differs from a new clone (- clone, + reset):\n%s", d)
	}
	db, err = newPostgresSchema(ctx, admin, dsn, used, pooled)
	if err != nil {
		t.Fatal(err)
	}
	if org := MustOrganization(t, db.MigrantExam(), "again"); org.ID != 1 {
		t.Fatalf("identity after the reset: %d, want 1", org.ID)
	}
	if st, err := db.ClockState(ctx); err != nil || st.Offset != 0 {
		t.Fatalf("clock after the reset: %+v %v", st, err)
	}
	// A test that changed the schema's indexes leaves it to be dropped,
	// even when it made as many as there were.
	if _, err := db.ReadDB().ExecContext(ctx, `DROP INDEX jobs_finalized; CREATE INDEX jobs_finalized ON jobs (finalized_at)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	releaseSchema(admin, tmpl, used)
	var exists bool
	if err := admin.QueryRowContext(ctx, `SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)`, used).Scan(&exists); err != nil || exists {
		t.Fatalf("a changed schema was kept (%v)", err)
	}
	if isPooled(used) {
		t.Fatal("a changed schema went back to the pool")
	}
}
