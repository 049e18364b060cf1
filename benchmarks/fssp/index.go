package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"stend/fssp"
	"stend/store/postgres"
	"stend/store/sqlite"
	"stend/store/sqlstore"
)

// compareIndexes runs the same legal-entity fragment queries through the
// store's search and through a generic trigram index over the same rows
// (built here if missing): SQLite FTS5 with the trigram tokenizer, or
// PostgreSQL pg_trgm's GIN index. Both answer the first 100 proceedings.
func compareIndexes(q *queries, dataDir, dsn string, n int) error {
	ctx := context.Background()
	var store *sqlstore.DB
	var raw *sql.DB
	var err error
	var generic string
	if dsn != "" {
		if store, err = postgres.Open(dsn, postgres.Options{}); err != nil {
			return err
		}
		if raw, err = postgres.OpenDB(dsn); err != nil {
			return err
		}
		start := time.Now()
		for _, ddl := range []string{`CREATE EXTENSION IF NOT EXISTS pg_trgm`,
			`CREATE INDEX IF NOT EXISTS bench_legal_trgm ON fssp_legal USING gin (upper(name) gin_trgm_ops)`} {
			if _, err := raw.Exec(ddl); err != nil {
				return fmt.Errorf("%s: %w", ddl, err)
			}
		}
		fmt.Printf("pg_trgm GIN index ready in %s\n", time.Since(start).Round(time.Millisecond))
		generic = `SELECT ` + columns + ` FROM fssp_legal l0 JOIN fssp_proceedings p ON p.legal_id = l0.id ` + joins + `
			WHERE l0.region = $1 AND upper(l0.name) LIKE '%' || $2 || '%' ORDER BY l0.id, p.id LIMIT 100`
	} else {
		path := filepath.Join(dataDir, "stend.db")
		if store, err = sqlite.Open(path, sqlite.Options{}); err != nil {
			return err
		}
		// FTS5 is an extension of this driver, registered per connection.
		if raw, err = driver.Open("file:"+path, fts5.Register); err != nil {
			return err
		}
		raw.SetMaxOpenConns(1)
		start := time.Now()
		if _, err := raw.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS bench_legal_fts USING fts5(name, region UNINDEXED, tokenize = 'trigram')`); err != nil {
			return err
		}
		var have int
		_ = raw.QueryRow(`SELECT count(*) FROM bench_legal_fts`).Scan(&have)
		if have == 0 {
			if _, err := raw.Exec(`INSERT INTO bench_legal_fts (rowid, name, region) SELECT id, name, region FROM fssp_legal`); err != nil {
				return err
			}
		}
		fmt.Printf("FTS5 trigram index ready in %s\n", time.Since(start).Round(time.Millisecond))
		generic = `SELECT ` + columns + ` FROM bench_legal_fts f JOIN fssp_proceedings p ON p.legal_id = f.rowid ` + joins + `
			WHERE bench_legal_fts MATCH '"' || ?1 || '"' AND f.region = ?2 ORDER BY f.rowid, p.id LIMIT 100`
	}
	defer store.Close()
	defer raw.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	var legal int64
	_ = raw.QueryRow(`SELECT count(*) FROM fssp_legal`).Scan(&legal)
	fmt.Printf("legal entities: %d\n", legal)
	for _, kind := range []string{"rare", "common", "3-letter"} {
		r := rand.New(rand.NewPCG(1, 2))
		var ours, theirs []time.Duration
		for range n {
			p := q.legalParams(r, kind)
			region := 0
			fmt.Sscan(p["region"], &region)
			fragment := fssp.NormalizeName(p["name"])
			start := time.Now()
			if _, err := store.FSSP().SearchLegal(ctx, fssp.LegalQuery{Region: region, Name: fragment, Limit: 100}); err != nil {
				return err
			}
			ours = append(ours, time.Since(start))
			start = time.Now()
			var rows *sql.Rows
			if dsn != "" {
				rows, err = raw.Query(generic, region, fragment)
			} else {
				rows, err = raw.Query(generic, fragment, region)
			}
			if err != nil {
				return err
			}
			got := 0
			for rows.Next() {
				got++
			}
			rows.Close()
			theirs = append(theirs, time.Since(start))
		}
		name := "FTS5 trigram"
		if dsn != "" {
			name = "pg_trgm GIN"
		}
		fmt.Printf("%-9s stend p50 %-8s p99 %-8s | %s p50 %-8s p99 %-8s | median ratio %.0fx\n", kind,
			ms(pct(ours, 0.5)), ms(pct(ours, 0.99)), name, ms(pct(theirs, 0.5)), ms(pct(theirs, 0.99)),
			float64(pct(theirs, 0.5))/float64(max(pct(ours, 0.5), 1)))
	}
	return nil
}

func pct(xs []time.Duration, q float64) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// The generic queries read the same columns as the store's search, so that
// both do the same work past finding the entities.
const columns = `p.id, p.kind, p.region, p.last_name, p.first_name, p.patronymic, p.birth_date, bp.text, l.name, l.address,
    p.number_own, p.number_year, p.department_id, p.opened, p.joined, dt.text, p.doc_date, p.doc_number, di.text,
    s.text, p.amount, p.fee, d.name, d.postal_index, d.address, b.name, b.phone,
    p.end_date, p.end_article, p.end_part, p.end_point`

const joins = `LEFT JOIN fssp_texts bp ON bp.id = p.birth_place_id
LEFT JOIN fssp_legal l ON l.id = p.legal_id
LEFT JOIN fssp_texts dt ON dt.id = p.doc_type_id
LEFT JOIN fssp_texts di ON di.id = p.doc_issuer_id
LEFT JOIN fssp_texts s ON s.id = p.subject_id
LEFT JOIN fssp_departments d ON d.id = p.department_id
LEFT JOIN fssp_bailiffs b ON b.id = p.bailiff_id `
