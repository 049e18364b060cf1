package storetest

// A PostgreSQL test schema is cloned from a template migrated once per
// migration set. A clone does as much catalog work as the migrations (the
// same tables and the same ~90 index builds, toast indexes included), so one
// clone costs about one migration. What it saves is the store's migration
// lock, which every migrating test held for its whole DDL, so that the opens
// of parallel tests, and of every package and process testing against the
// database at once, queued on each other.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"stend/store/postgres"
)

// templateFormat enters the template's name: change it whenever the way a
// template is built or described changes, so that no run trusts a template
// verified the old way.
const templateFormat = "1"

// templateLockKey serializes building templates across test processes. It
// is taken before the store's own migration lock, never after it.
const templateLockKey = 0x5e7d7e57

// templateIdle is how long a template of another migration set must have
// gone unused before a run drops it: longer than any run, so that a
// concurrent run from another checkout never loses the template it clones.
const templateIdle = 24 * time.Hour

const (
	templatePrefix = "stend_template_"
	// The comment is written only once a clone was found equal to the
	// template, so that a template whose clone differed is verified (and
	// fails) again in every run instead of being trusted.
	templateComment = "stend storetest template verified, last used "
)

// pgTemplate is a migrated schema and the script that copies it.
type pgTemplate struct {
	schema string
	// script builds the template's tables, rows, indexes and constraints
	// in the schema that search_path names.
	script string
	// reset empties a clone that a test used back to the template's rows
	// and identity positions, in the schema that search_path names; it
	// fails, and the clone is dropped instead, when the test changed the
	// clone's tables or indexes.
	reset string
}

// clone creates schema as a copy of the template in one round trip: a
// multi-statement query is one transaction, so a failed clone leaves
// nothing behind.
func (p *pgTemplate) clone(ctx context.Context, admin *sql.DB, schema string) error {
	id := quoteIdent(schema)
	_, err := admin.ExecContext(ctx, "CREATE SCHEMA "+id+";\nSET LOCAL search_path = "+id+";\n"+p.script)
	return err
}

var templates struct {
	sync.Mutex
	byKey map[string]*pgTemplate
}

// postgresTemplate returns the template of the embedded migrations in the
// database dsn names, building it if no run did yet. The first test of the
// process pays for it; the others wait for it rather than build their own.
func postgresTemplate(ctx context.Context, dsn string) (*pgTemplate, error) {
	name, err := templateName()
	if err != nil {
		return nil, err
	}
	templates.Lock()
	defer templates.Unlock()
	key := dsn + "\x00" + name
	if p := templates.byKey[key]; p != nil {
		return p, nil
	}
	p, err := buildTemplate(ctx, dsn, name)
	if err != nil {
		return nil, fmt.Errorf("storetest: template %s: %w", name, err)
	}
	if templates.byKey == nil {
		templates.byKey = map[string]*pgTemplate{}
	}
	templates.byKey[key] = p
	return p, nil
}

// templateName hashes the migrations, so that a changed migration never
// reuses a template migrated before the change.
func templateName() (string, error) {
	m := postgres.Dialect().Migrations
	names, err := fs.Glob(m, "*.sql")
	if err != nil {
		return "", err
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "format %s\n", templateFormat)
	for _, n := range names {
		body, err := fs.ReadFile(m, n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", n, len(body))
		h.Write(body)
	}
	return templatePrefix + hex.EncodeToString(h.Sum(nil))[:16], nil
}

func buildTemplate(ctx context.Context, dsn, schema string) (*pgTemplate, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	admin, err := postgres.OpenDB(dsn)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	// A transaction lock: released however this ends, crash included.
	tx, err := admin.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(templateLockKey)); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	// Committed at once: the migration runs on connections of its own. A
	// run that died before its migration committed left the schema empty,
	// and Migrate then applies everything.
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+quoteIdent(schema)); err != nil {
		return nil, err
	}
	if err := migrateSchema(ctx, dsn, schema); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `SET LOCAL search_path = `+quoteIdent(schema)); err != nil {
		return nil, err
	}
	script, err := cloneScript(ctx, tx, schema)
	if err != nil {
		return nil, err
	}
	reset, err := resetScript(ctx, tx, schema, script)
	if err != nil {
		return nil, err
	}
	p := &pgTemplate{schema: schema, script: script, reset: reset}
	var comment sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1`, schema).Scan(&comment); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(comment.String, templateComment) {
		if err := verifyTemplate(ctx, admin, p); err != nil {
			return nil, err
		}
	}
	now := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `COMMENT ON SCHEMA `+quoteIdent(schema)+` IS `+quoteLiteral(templateComment+now.Format(time.RFC3339))); err != nil {
		return nil, err
	}
	if err := dropIdleTemplates(ctx, tx, schema, now); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// verifyTemplate clones the template and compares the two, so that a
// migration using something the script does not copy fails the first run
// that migrates it, in whichever package runs first.
func verifyTemplate(ctx context.Context, admin *sql.DB, p *pgTemplate) error {
	scratch := "stend_verify_" + strings.TrimPrefix(p.schema, templatePrefix)
	drop := func() error {
		_, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+quoteIdent(scratch)+` CASCADE`)
		return err
	}
	if err := drop(); err != nil {
		return err
	}
	if err := p.clone(ctx, admin, scratch); err != nil {
		return fmt.Errorf("clone: %w", err)
	}
	defer drop()
	want, err := describe(ctx, admin, p.schema)
	if err != nil {
		return err
	}
	got, err := describe(ctx, admin, scratch)
	if err != nil {
		return err
	}
	if d := diffLines(want, got); d != "" {
		return fmt.Errorf("a clone differs from the migrated template (- template, + clone):\n%s", d)
	}
	return nil
}

// dropIdleTemplates drops the templates of other migration sets (older
// checkouts, edited migrations) that no run used for templateIdle.
func dropIdleTemplates(ctx context.Context, tx *sql.Tx, keep string, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT nspname, coalesce(obj_description(oid, 'pg_namespace'), '')
		FROM pg_namespace WHERE starts_with(nspname, $1) AND nspname <> $2`, templatePrefix, keep)
	if err != nil {
		return err
	}
	var idle []string
	for rows.Next() {
		var name, comment string
		if err := rows.Scan(&name, &comment); err != nil {
			rows.Close()
			return err
		}
		// A template without a date failed its verification (or its run
		// died first): left for a person to look at.
		used, err := time.Parse(time.RFC3339, strings.TrimPrefix(comment, templateComment))
		if err == nil && now.Sub(used) > templateIdle {
			idle = append(idle, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, name := range idle {
		if _, err := tx.ExecContext(ctx, `DROP SCHEMA `+quoteIdent(name)+` CASCADE`); err != nil {
			return err
		}
	}
	return nil
}

// migrateSchema migrates schema through the store itself, so that the
// template is what a migrated store is, schema_migrations included.
func migrateSchema(ctx context.Context, dsn, schema string) error {
	db, err := postgres.Open(dsn, postgres.Options{SearchPath: schema, MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Migrate(ctx)
	return err
}

// unsupportedSQL lists what the template holds that cloneScript would not
// copy, so that a migration adding one fails loudly instead of leaving test
// schemas without it. Only tables and the sequences of their identity
// columns may live in the schema; LIKE copies columns, defaults, NOT NULL,
// CHECK constraints, identity and column comments; the script adds the rest
// of what a table has below.
//
// The PostgreSQL server of the development machine stamps every column it
// creates with an option pg_attver=<number>, different for each table: no
// migration sets it, so it is left out here and in describeSQL.
const unsupportedSQL = `
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = $1),
tables AS (SELECT c.* FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind = 'r')
SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
FROM pg_depend d JOIN ns ON d.refobjid = ns.oid
LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refclassid = 'pg_namespace'::regclass
  AND NOT coalesce(c.relkind = 'r' AND NOT c.relispartition, false)
  AND NOT coalesce(c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend o JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
      WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refclassid = 'pg_class'::regclass AND o.deptype = 'i' AND a.attidentity <> ''), false)
UNION ALL SELECT pg_describe_object('pg_trigger'::regclass, g.oid, 0) FROM pg_trigger g JOIN tables t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal
UNION ALL SELECT pg_describe_object('pg_rewrite'::regclass, r.oid, 0) FROM pg_rewrite r JOIN tables t ON t.oid = r.ev_class
UNION ALL SELECT pg_describe_object('pg_policy'::regclass, p.oid, 0) FROM pg_policy p JOIN tables t ON t.oid = p.polrelid
UNION ALL SELECT 'inheritance of table ' || t.relname FROM tables t WHERE EXISTS (SELECT FROM pg_inherits i WHERE t.oid IN (i.inhrelid, i.inhparent))
UNION ALL SELECT 'persistence ' || t.relpersistence::text || ' of table ' || t.relname FROM tables t WHERE t.relpersistence <> 'p'
UNION ALL SELECT 'storage parameters of table ' || t.relname FROM tables t WHERE t.reloptions IS NOT NULL
UNION ALL SELECT 'row security of table ' || t.relname FROM tables t WHERE t.relrowsecurity OR t.relforcerowsecurity
UNION ALL SELECT 'replica identity of table ' || t.relname FROM tables t WHERE t.relreplident <> 'd'
UNION ALL SELECT 'privileges on table ' || t.relname FROM tables t WHERE t.relacl IS NOT NULL
UNION ALL SELECT 'options of column ' || t.relname || '.' || a.attname FROM tables t JOIN pg_attribute a ON a.attrelid = t.oid
  WHERE a.attnum > 0 AND NOT a.attisdropped AND EXISTS (SELECT FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\_attver=%')
UNION ALL SELECT 'CLUSTER ON index ' || c.relname FROM pg_index i JOIN tables t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indisclustered
UNION ALL SELECT 'NOT VALID check constraint ' || k.conname FROM pg_constraint k JOIN tables t ON t.oid = k.conrelid WHERE k.contype = 'c' AND NOT k.convalidated
UNION ALL SELECT 'constraint ' || k.conname || ' of type ' || k.contype::text FROM pg_constraint k JOIN tables t ON t.oid = k.conrelid WHERE k.contype NOT IN ('p', 'u', 'x', 'f', 'c')
ORDER BY 1`

// The statements that follow the tables and their rows, in this order:
// constraints that build indexes before the foreign keys that need them.
const (
	keysSQL = `
SELECT format('ALTER TABLE %I %s;', t.relname, string_agg(format('ADD CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), ', ' ORDER BY k.conname))
FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1 AND t.relkind = 'r' AND k.contype IN ('p', 'u', 'x')
GROUP BY t.relname ORDER BY t.relname`
	// pg_get_indexdef names the table with its schema whatever the
	// search_path, so the template's is cut off.
	indexesSQL = `
SELECT replace(pg_get_indexdef(i.indexrelid),
    format(' ON %s.%s USING ', quote_ident(n.nspname), quote_ident(t.relname)),
    format(' ON %s USING ', quote_ident(t.relname))) || ';'
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1 AND t.relkind = 'r'
  AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid AND k.contype IN ('p', 'u', 'x'))
ORDER BY 1`
	foreignKeysSQL = `
SELECT format('ALTER TABLE %I %s;', t.relname, string_agg(format('ADD CONSTRAINT %I %s', k.conname, pg_get_constraintdef(k.oid)), ', ' ORDER BY k.conname))
FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1 AND t.relkind = 'r' AND k.contype = 'f'
GROUP BY t.relname ORDER BY t.relname`
	// LIKE does not copy a column's statistics target.
	statisticsSQL = `
SELECT format('ALTER TABLE %I %s;', t.relname, string_agg(format('ALTER COLUMN %I SET STATISTICS %s', a.attname, a.attstattarget), ', ' ORDER BY a.attnum))
FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid
WHERE n.nspname = $1 AND t.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget <> -1
GROUP BY t.relname ORDER BY t.relname`
	// LIKE copies the comments of columns and CHECK constraints only.
	commentsSQL = `
SELECT format('COMMENT ON TABLE %I IS %L;', t.relname, d.description)
FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = t.oid AND d.objsubid = 0
WHERE n.nspname = $1 AND t.relkind = 'r'
UNION ALL
SELECT format('COMMENT ON INDEX %I IS %L;', c.relname, d.description)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
WHERE n.nspname = $1 AND c.relkind = 'i'
UNION ALL
SELECT format('COMMENT ON CONSTRAINT %I ON %I IS %L;', k.conname, t.relname, d.description)
FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_description d ON d.classoid = 'pg_constraint'::regclass AND d.objoid = k.oid
WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'x', 'f')
ORDER BY 1`
)

// cloneScript writes the statements that rebuild schema's tables in the
// schema named by search_path. tx's search_path must be schema, so that the
// definitions PostgreSQL prints name its objects without it.
func cloneScript(ctx context.Context, tx *sql.Tx, schema string) (string, error) {
	var problems []string
	if err := collect(ctx, tx, &problems, unsupportedSQL, schema); err != nil {
		return "", err
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("the migrations made what storetest cannot clone yet (teach cloneScript, or the tests would miss it): %s", strings.Join(problems, "; "))
	}
	type table struct{ name, cols string }
	var tables []table
	rows, err := tx.QueryContext(ctx, `
SELECT t.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '')
FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = $1 AND t.relkind = 'r'
GROUP BY t.relname ORDER BY t.relname`, schema)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var t table
		if err := rows.Scan(&t.name, &t.cols); err != nil {
			rows.Close()
			return "", err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(tables) == 0 {
		return "", errors.New("the template has no tables")
	}
	var b strings.Builder
	src := func(t string) string { return quoteIdent(schema) + "." + quoteIdent(t) }
	// Indexes (and so primary keys and unique constraints) are made after
	// the rows, and LIKE would name the indexes itself, while the store's
	// DDL statements drop and recreate some by name.
	for _, t := range tables {
		fmt.Fprintf(&b, "CREATE TABLE %s (LIKE %s INCLUDING ALL EXCLUDING INDEXES);\n", quoteIdent(t.name), src(t.name))
	}
	// Rows the migrations inserted (schema_migrations, the Motivity
	// platform), in any order since no foreign key exists yet.
	for _, t := range tables {
		var hasRows bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT FROM `+src(t.name)+`)`).Scan(&hasRows); err != nil {
			return "", err
		}
		if hasRows {
			fmt.Fprintf(&b, "INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM %s;\n", quoteIdent(t.name), t.cols, t.cols, src(t.name))
		}
	}
	// Identity sequences start where the template's stand: at their start
	// unless a migration inserted rows without ids.
	var rest []string
	if err := collect(ctx, tx, &rest, `
SELECT format('SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(%L, %L), %s);', quote_ident(relname), attname, last)
FROM (
  SELECT t.relname, a.attname, pg_sequence_last_value(q.seqrelid) AS last
  FROM pg_sequence q JOIN pg_depend d ON d.objid = q.seqrelid JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
  WHERE n.nspname = $1 AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'
  -- Keeps the filter on last out of the scans: evaluated on sequences
  -- of other schemas, the function fails on those being dropped.
  OFFSET 0
) AS identities
WHERE last IS NOT NULL
ORDER BY 1`, schema); err != nil {
		return "", err
	}
	for _, q := range []string{keysSQL, indexesSQL, foreignKeysSQL, statisticsSQL, commentsSQL} {
		if err := collect(ctx, tx, &rest, q, schema); err != nil {
			return "", err
		}
	}
	for _, s := range rest {
		// Everything after LIKE and INSERT must land in the clone.
		if strings.Contains(s, schema) {
			return "", fmt.Errorf("a statement of the clone names the template: %s", s)
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// describeSQL prints what a schema is made of, one line per fact, the
// schema's name left out, for comparing a clone with its template. $1 is
// the schema and must be the search_path too, so that definitions name the
// schema's objects without it.
const describeSQL = `
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = $1),
tables AS (SELECT c.* FROM pg_class c, ns WHERE c.relnamespace = ns.oid AND c.relkind = 'r')
SELECT replace(line, quote_ident($1) || '.', '') FROM (
SELECT 'object ' || pg_describe_object(d.classid, d.objid, d.objsubid) AS line
  FROM pg_depend d, ns WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = ns.oid
UNION ALL SELECT format('table %s: persistence %s, options %s, row security %s/%s, replica identity %s, privileges %s, toast %s, comment %s',
    t.relname, t.relpersistence, t.reloptions, t.relrowsecurity, t.relforcerowsecurity, t.relreplident, t.relacl, t.reltoastrelid <> 0,
    obj_description(t.oid, 'pg_class'))
  FROM tables t
UNION ALL SELECT format('column %s #%s %s: %s, not null %s, default %s, identity %s, generated %s, collation %s, storage %s, compression %s, statistics %s, options %s, comment %s',
    t.relname, row_number() OVER (PARTITION BY t.oid ORDER BY a.attnum), a.attname, format_type(a.atttypid, a.atttypmod),
    a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, co.collname, a.attstorage, a.attcompression,
    a.attstattarget, (SELECT array_agg(o ORDER BY o) FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg\_attver=%'),
    col_description(t.oid, a.attnum))
  FROM tables t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = t.oid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
UNION ALL SELECT format('index %s: %s, valid %s, clustered %s, replica identity %s, comment %s',
    c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid, i.indisclustered, i.indisreplident, obj_description(c.oid, 'pg_class'))
  FROM pg_index i JOIN tables t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid
UNION ALL SELECT format('constraint %s.%s: %s, validated %s, comment %s',
    t.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated, obj_description(k.oid, 'pg_constraint'))
  FROM pg_constraint k JOIN tables t ON t.oid = k.conrelid
UNION ALL SELECT 'trigger ' || pg_get_triggerdef(g.oid) FROM pg_trigger g JOIN tables t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal
UNION ALL SELECT 'rule ' || pg_get_ruledef(r.oid) FROM pg_rewrite r JOIN tables t ON t.oid = r.ev_class
UNION ALL SELECT format('policy %s on %s: %s %s %s using %s check %s', p.polname, t.relname, p.polcmd, p.polpermissive, p.polroles,
    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_policy p JOIN tables t ON t.oid = p.polrelid
UNION ALL SELECT format('sequence %s of %s: %s from %s by %s in [%s, %s], cache %s, cycle %s, last %s, privileges %s',
    s.relname, (SELECT string_agg(o.refobjid::regclass || '.' || a.attname || ' ' || o.deptype::text, ', ') FROM pg_depend o
      JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
      WHERE o.classid = 'pg_class'::regclass AND o.objid = s.oid AND o.refclassid = 'pg_class'::regclass),
    format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle, pg_sequence_last_value(s.oid), s.relacl)
  FROM pg_class s JOIN ns ON s.relnamespace = ns.oid JOIN pg_sequence q ON q.seqrelid = s.oid
) AS lines`

// describe returns the lines of describeSQL followed by every table's rows.
func describe(ctx context.Context, db *sql.DB, schema string) ([]string, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return describeTx(ctx, tx, schema)
}

func describeTx(ctx context.Context, tx *sql.Tx, schema string) ([]string, error) {
	if _, err := tx.ExecContext(ctx, `SET LOCAL search_path = `+quoteIdent(schema)); err != nil {
		return nil, err
	}
	var lines []string
	if err := collect(ctx, tx, &lines, describeSQL, schema); err != nil {
		return nil, err
	}
	var tables []string
	if err := collect(ctx, tx, &tables, `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1`, schema); err != nil {
		return nil, err
	}
	for _, t := range tables {
		var rows string
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(string_agg(r::text, ' ' ORDER BY r::text), '') FROM `+
			quoteIdent(schema)+"."+quoteIdent(t)+` AS r`).Scan(&rows); err != nil {
			return nil, err
		}
		lines = append(lines, fmt.Sprintf("rows of %s: %s", t, rows))
	}
	sort.Strings(lines)
	return lines, nil
}

// collect appends the text column of every row of query to out.
func collect(ctx context.Context, tx *sql.Tx, out *[]string, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			return err
		}
		*out = append(*out, s.String)
	}
	return rows.Err()
}

// diffLines lists the lines of sorted want missing from sorted got (-) and
// the other way round (+); it is empty when they are equal.
func diffLines(want, got []string) string {
	var b strings.Builder
	i, j := 0, 0
	for i < len(want) || j < len(got) {
		switch {
		case j == len(got) || i < len(want) && want[i] < got[j]:
			fmt.Fprintf(&b, "- %s\n", want[i])
			i++
		case i == len(want) || got[j] < want[i]:
			fmt.Fprintf(&b, "+ %s\n", got[j])
			j++
		default:
			i++
			j++
		}
	}
	return b.String()
}

func quoteIdent(s string) string { return pgx.Identifier{s}.Sanitize() }

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// resetScript empties a used clone in one round trip, about 10 ms where a
// new clone costs 400 (the catalog work of 29 tables and 89 indexes): rows
// deleted (foreign keys not checked, since every table is emptied), the
// migrations' rows copied again, identity sequences back to the template's
// positions. It first checks that the clone still has the template's
// relations: a test may drop and rebuild indexes (the FSSP bank load does)
// and fail half-way.
func resetScript(ctx context.Context, tx *sql.Tx, schema, clone string) (string, error) {
	var b strings.Builder
	// The template's search_path is the template, so its definitions come
	// out unqualified, as the clone's do under its own.
	var shape string
	if err := tx.QueryRowContext(ctx, `SELECT `+shapeSQL).Scan(&shape); err != nil {
		return "", err
	}
	fmt.Fprintf(&b, `DO $$ BEGIN IF (SELECT %s) <> %s THEN RAISE EXCEPTION 'the test changed the schema''s tables, indexes or constraints'; END IF; END $$;`+"\n", shapeSQL, quoteLiteral(shape))
	b.WriteString("SET LOCAL session_replication_role = replica;\n")
	var lines []string
	if err := collect(ctx, tx, &lines, `
SELECT format('DELETE FROM %I;', relname) FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' ORDER BY relname`, schema); err != nil {
		return "", err
	}
	// The rows the migrations inserted, copied as the clone script copies
	// them.
	for line := range strings.Lines(clone) {
		if strings.HasPrefix(line, "INSERT INTO ") {
			lines = append(lines, strings.TrimSpace(line))
		}
	}
	if err := collect(ctx, tx, &lines, `
SELECT format('SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(%L, %L), %s, %s);', quote_ident(t.relname), a.attname,
       coalesce(pg_sequence_last_value(q.seqrelid), s.seqstart), (pg_sequence_last_value(q.seqrelid) IS NOT NULL)::text)
FROM pg_sequence q JOIN pg_sequence s ON s.seqrelid = q.seqrelid JOIN pg_depend d ON d.objid = q.seqrelid JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE t.relnamespace = $1::regnamespace AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'
ORDER BY 1`, schema); err != nil {
		return "", err
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// shapeSQL digests what a schema is made of (columns, indexes, constraints,
// sequences) as its search_path shows it: a reset keeps a clone only when
// this still matches the template's.
const shapeSQL = `md5(coalesce((SELECT string_agg(d, E'\n' ORDER BY d) FROM (
  SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || a.attidentity::text AS d
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  -- pg_get_indexdef names the table with its schema whatever the search_path.
  SELECT replace(pg_get_indexdef(i.indexrelid), quote_ident(current_schema()) || '.', '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = current_schema()::regnamespace
  UNION ALL
  SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL
  SELECT 'sequence ' || relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'S'
) AS shape), ''))`
