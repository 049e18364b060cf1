package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"stend"
	"stend/reestro"
)

var _ reestro.Store = (*Reestro)(nil)

func (db *Reestro) CreateOrganization(ctx context.Context, org reestro.Organization) (reestro.Organization, error) {
	const op = "sqlstore.CreateOrganization"
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.row(ctx, tx, "InsertReestroOrganization", org.ID, org.Name, db.dialect.TimeArg(org.CreatedAt)).Scan(&org.Ref)
	})
	if err != nil {
		return reestro.Organization{}, db.dbErr(op, err)
	}
	return org, nil
}

func scanReestroOrganization(s scanner) (reestro.Organization, error) {
	var o reestro.Organization
	err := s.Scan(&o.Ref, &o.ID, &o.Name, timeValue{&o.CreatedAt})
	return o, err
}

func (db *Reestro) Organizations(ctx context.Context) ([]reestro.Organization, error) {
	return collect(db.DB, ctx, "sqlstore.Organizations", "ReestroOrganizations", scanReestroOrganization)
}

func (db *Reestro) CreateKey(ctx context.Context, key reestro.Key) (reestro.Key, error) {
	const op = "sqlstore.CreateKey"
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.row(ctx, tx, "InsertReestroKey", key.Name, key.Hash, db.dialect.TimeArg(key.CreatedAt)).Scan(&key.ID)
	})
	if err != nil {
		return reestro.Key{}, db.dbErr(op, err)
	}
	key.Organizations = nil
	return key, nil
}

func scanReestroKey(s scanner) (reestro.Key, error) {
	var k reestro.Key
	var revoked nullTime
	err := s.Scan(&k.ID, &k.Name, &k.Hash, timeValue{&k.CreatedAt}, &revoked)
	k.RevokedAt = revoked.ptr()
	return k, err
}

type reestroGrant struct {
	keyID int64
	orgID string
}

// Keys lists every key with the organizations it is granted to.
func (db *Reestro) Keys(ctx context.Context) ([]reestro.Key, error) {
	const op = "sqlstore.Keys"
	keys, err := collect(db.DB, ctx, op, "ReestroKeys", scanReestroKey)
	if err != nil {
		return nil, err
	}
	grants, err := collect(db.DB, ctx, op, "ReestroGrants", func(s scanner) (reestroGrant, error) {
		var g reestroGrant
		return g, s.Scan(&g.keyID, &g.orgID)
	})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]int, len(keys))
	for i, k := range keys {
		byID[k.ID] = i
	}
	for _, g := range grants {
		if i, ok := byID[g.keyID]; ok {
			keys[i].Organizations = append(keys[i].Organizations, g.orgID)
		}
	}
	return keys, nil
}

func (db *Reestro) RevokeKey(ctx context.Context, id int64, at time.Time) (reestro.Key, error) {
	const op = "sqlstore.RevokeKey"
	var k reestro.Key
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := db.exec(ctx, tx, "RevokeReestroKey", id, db.dialect.TimeArg(at)); err != nil {
			return err
		}
		var err error
		k, err = scanReestroKey(db.row(ctx, tx, "ReestroKeyByID", id))
		return err
	})
	if err != nil {
		return reestro.Key{}, db.dbErr(op, err)
	}
	return k, nil
}

// reestroGrantRefs resolves a grant's key and organization inside tx, so
// that a missing one is NotFound rather than a silent no-op.
func (db *Reestro) reestroGrantRefs(ctx context.Context, tx *sql.Tx, keyID int64, orgID string) (int64, error) {
	if _, err := scanReestroKey(db.row(ctx, tx, "ReestroKeyByID", keyID)); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, stend.Errorf(stend.NotFound, "sqlstore", "no key %d", keyID)
		}
		return 0, err
	}
	org, err := scanReestroOrganization(db.row(ctx, tx, "ReestroOrganizationByID", orgID))
	if errors.Is(err, sql.ErrNoRows) {
		return 0, stend.Errorf(stend.NotFound, "sqlstore", "no organization %s", orgID)
	}
	return org.Ref, err
}

func (db *Reestro) GrantKey(ctx context.Context, keyID int64, orgID string) error {
	return db.dbErr("sqlstore.GrantKey", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ref, err := db.reestroGrantRefs(ctx, tx, keyID, orgID)
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, "GrantReestroKey", keyID, ref)
		return err
	}))
}

func (db *Reestro) RevokeGrant(ctx context.Context, keyID int64, orgID string) error {
	return db.dbErr("sqlstore.RevokeGrant", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		ref, err := db.reestroGrantRefs(ctx, tx, keyID, orgID)
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, "RevokeReestroGrant", keyID, ref)
		return err
	}))
}

func (db *Reestro) Access(ctx context.Context, keyHash []byte, orgID string) (reestro.Access, error) {
	var a reestro.Access
	var ref sql.NullInt64
	if err := db.row(ctx, db.read, "ReestroAccess", keyHash, orgID).Scan(&a.KeyID, &ref); err != nil {
		return reestro.Access{}, db.dbErr("sqlstore.Access", err)
	}
	a.Granted, a.OrganizationRef = ref.Valid, ref.Int64
	return a, nil
}

// storedPerson is a subject's person as stored: its own JSON shape, so
// that a change of the core type cannot silently change stored rows.
type storedPerson struct {
	Surname    string          `json:"surname"`
	Name       string          `json:"name"`
	Patronymic string          `json:"patronymic,omitempty"`
	BirthDate  string          `json:"birthDate,omitempty"`
	Document   *storedDocument `json:"identityDocument,omitempty"`
}

type storedDocument struct {
	Series     string `json:"series,omitempty"`
	Number     string `json:"number,omitempty"`
	IssueDate  string `json:"issueDate,omitempty"`
	IssuerCode string `json:"issuerCode,omitempty"`
}

func dateString(d *stend.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func datePtr(s string) (*stend.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, ok := stend.ParseDate(s)
	if !ok {
		return nil, fmt.Errorf("bad stored date %q", s)
	}
	return &d, nil
}

func encodePerson(p reestro.Person) (string, error) {
	sp := storedPerson{Surname: p.Surname, Name: p.Name, Patronymic: p.Patronymic, BirthDate: dateString(p.BirthDate)}
	if d := p.Document; d != nil {
		sp.Document = &storedDocument{Series: d.Series, Number: d.Number, IssueDate: dateString(d.IssueDate), IssuerCode: d.IssuerCode}
	}
	b, err := json.Marshal(sp)
	return string(b), err
}

func decodePerson(s string) (reestro.Person, error) {
	var sp storedPerson
	if err := json.Unmarshal([]byte(s), &sp); err != nil {
		return reestro.Person{}, err
	}
	p := reestro.Person{Surname: sp.Surname, Name: sp.Name, Patronymic: sp.Patronymic}
	var err error
	if p.BirthDate, err = datePtr(sp.BirthDate); err != nil {
		return p, err
	}
	if d := sp.Document; d != nil {
		p.Document = &reestro.IdentityDocument{Series: d.Series, Number: d.Number, IssuerCode: d.IssuerCode}
		if p.Document.IssueDate, err = datePtr(d.IssueDate); err != nil {
			return p, err
		}
	}
	return p, nil
}

func (db *Reestro) CreateSubject(ctx context.Context, s reestro.Subject) (reestro.Subject, error) {
	const op = "sqlstore.CreateSubject"
	person, err := encodePerson(s.Person)
	if err != nil {
		return reestro.Subject{}, fmt.Errorf("%s: %w", op, err)
	}
	err = db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var ref int64
		return db.row(ctx, tx, "InsertReestroSubject", s.ID, s.OrganizationRef, person, db.dialect.TimeArg(s.CreatedAt)).Scan(&ref)
	})
	if err != nil {
		return reestro.Subject{}, db.dbErr(op, err)
	}
	return s, nil
}

func scanReestroSubject(s scanner) (reestro.Subject, error) {
	var sub reestro.Subject
	var person string
	if err := s.Scan(&sub.ID, &sub.OrganizationRef, &person, timeValue{&sub.CreatedAt}); err != nil {
		return sub, err
	}
	var err error
	sub.Person, err = decodePerson(person)
	return sub, err
}

func (db *Reestro) Subject(ctx context.Context, orgRef int64, id string) (reestro.Subject, error) {
	const op = "sqlstore.Subject"
	s, err := scanReestroSubject(db.row(ctx, db.read, "ReestroSubject", orgRef, id))
	if errors.Is(err, sql.ErrNoRows) {
		return reestro.Subject{}, fmt.Errorf("%s: %w", op, reestro.ErrSubjectNotFound)
	}
	if err != nil {
		return reestro.Subject{}, db.dbErr(op, err)
	}
	return s, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// InTx runs fn in one write transaction of the Reestro store.
func (db *Reestro) InTx(ctx context.Context, fn func(ctx context.Context, tx reestro.Tx) error) error {
	return db.update(ctx, "sqlstore.Reestro.InTx", func(ctx context.Context, t *tx) error {
		return fn(ctx, reestroTx{t, db})
	})
}

type reestroTx struct {
	*tx
	db *Reestro
}

func (t reestroTx) Subject(ctx context.Context, orgRef int64, id string) (reestro.Subject, error) {
	sub, err := scanReestroSubject(t.db.row(ctx, t.sql, "ReestroSubject", orgRef, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, reestro.ErrSubjectNotFound
	}
	return sub, err
}

func (t reestroTx) InsertCheck(ctx context.Context, c reestro.Check, jobID int64) (reestro.Check, error) {
	err := t.db.row(ctx, t.sql, "InsertReestroCheck", c.ID, c.OrganizationRef, c.SubjectID, nullIfEmpty(c.CorrelationID),
		nullIfEmpty(c.ExternalID), int(c.Type), int(c.State), t.db.dialect.TimeArg(c.CreatedAt),
		strings.Join(c.Regions, ","), jobID).Scan(&c.Seq)
	return c, err
}

// ImportChecks writes on the writer directly, like a bank load: a
// group commit would hold every other writer's commit meanwhile.
func (db *Reestro) ImportChecks(ctx context.Context, checks []reestro.Check) error {
	const op = "sqlstore.ImportChecks"
	for _, c := range checks {
		if c.State != reestro.CheckProcessed && c.State != reestro.CheckFailed || c.FinishedAt == nil {
			return stend.Errorf(stend.Invalid, op, "check %s is not finished", c.ID)
		}
	}
	return db.dbErr(op, db.plainTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return db.insertBatched(ctx, tx, "ImportReestroCheck", len(checks), func(i int, dst []any) []any {
			c := &checks[i]
			return append(dst, c.ID, c.OrganizationRef, c.SubjectID, nullIfEmpty(c.CorrelationID),
				nullIfEmpty(c.ExternalID), int(c.Type), int(c.State), db.dialect.TimeArg(c.CreatedAt), strings.Join(c.Regions, ","),
				db.dialect.TimeArg(*c.FinishedAt), c.Result, nullIfEmpty(c.Failure))
		})
	}))
}

// RefreshStatistics matters on PostgreSQL: with no statistics yet
// on 10 million generated checks, it listed a page by sorting the whole
// table (7 s) until autovacuum, busy with the same table for minutes,
// analyzed it. SQLite's listing names its indexes and needs none.
func (db *Reestro) RefreshStatistics(ctx context.Context) error {
	if db.dialect.Analyze == nil {
		return nil
	}
	_, err := db.write.ExecContext(ctx, db.dialect.Analyze("reestro_checks"))
	return db.dbErr("sqlstore.RefreshStatistics", err)
}

func splitList(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	return strings.Split(s.String, ",")
}

// scanCheckColumns scans the columns every check query starts with.
func scanCheckColumns(s scanner, c *reestro.Check, more ...any) error {
	var corr, ext, regions sql.NullString
	var typ, state int
	var finished nullTime
	dst := append([]any{&c.Seq, &c.ID, &c.OrganizationRef, &c.SubjectID, &corr, &ext, &typ, &state,
		timeValue{&c.CreatedAt}, &finished, &regions}, more...)
	if err := s.Scan(dst...); err != nil {
		return err
	}
	c.CorrelationID, c.ExternalID = corr.String, ext.String
	c.Type, c.State = reestro.CheckType(typ), reestro.CheckState(state)
	c.FinishedAt = finished.ptr()
	c.Regions = splitList(regions)
	return nil
}

func scanReestroCheck(s scanner) (reestro.Check, error) {
	var c reestro.Check
	return c, scanCheckColumns(s, &c)
}

func (db *Reestro) Check(ctx context.Context, orgRef int64, id string) (reestro.Check, error) {
	const op = "sqlstore.Check"
	var c reestro.Check
	var tasks, failure sql.NullString
	err := scanCheckColumns(db.row(ctx, db.read, "ReestroCheck", orgRef, id), &c, &tasks, &c.Result, &failure)
	if errors.Is(err, sql.ErrNoRows) {
		return reestro.Check{}, fmt.Errorf("%s: %w", op, reestro.ErrCheckNotFound)
	}
	if err != nil {
		return reestro.Check{}, db.dbErr(op, err)
	}
	c.FSSPTasks, c.Failure = splitList(tasks), failure.String
	return c, nil
}

// The listing's open bounds: instants no check has, in both dialects.
var (
	checksBegin = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	checksEnd   = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Checks runs the statement led by the most selective filter set:
// an external id names a deal (one check or a few), a subject has more
// (every deal about that person), a correlation group more again, a state
// a share of everything.
func (db *Reestro) Checks(ctx context.Context, f reestro.CheckFilter) ([]reestro.Check, error) {
	const op = "sqlstore.Checks"
	afterAt, afterSeq := checksEnd, int64(math.MaxInt64)
	if f.AfterID != "" {
		key := cursorKey{f.OrganizationRef, f.AfterID}
		if pos, ok := db.checkCursors.get(key); ok {
			afterAt, afterSeq = pos.at, pos.seq
		} else {
			err := db.row(ctx, db.read, "ReestroCheckPosition", f.OrganizationRef, f.AfterID).Scan(timeValue{&afterAt}, &afterSeq)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, nil // another organization's check or none: nothing after it
			}
			if err != nil {
				return nil, db.dbErr(op, err)
			}
		}
	}
	name := "ReestroChecks"
	switch {
	case f.ExternalID != "":
		name = "ReestroChecksByExternal"
	case f.SubjectID != "":
		name = "ReestroChecksBySubject"
	case f.CorrelationID != "":
		name = "ReestroChecksByCorrelation"
	case f.State != 0:
		name = "ReestroChecksByState"
	}
	types := f.Types
	if types == 0 {
		types = math.MaxInt64
	}
	from := checksBegin
	if !f.From.IsZero() {
		from = f.From
	}
	// "Created before to" is (created_at, seq) < (to, 0): seq starts at 1.
	if !f.To.IsZero() && !f.To.After(afterAt) {
		afterAt, afterSeq = f.To, 0
	}
	checks, err := collect(db.DB, ctx, op, name, scanReestroCheck, f.OrganizationRef, f.SubjectID, f.ExternalID, f.CorrelationID,
		int(f.State), int64(types), db.dialect.TimeArg(from), db.dialect.TimeArg(afterAt), afterSeq)
	if err != nil {
		return nil, err
	}
	if f.Limit > 0 && len(checks) > f.Limit {
		checks = checks[:f.Limit]
	}
	if n := len(checks); n > 0 {
		last := checks[n-1]
		db.checkCursors.put(cursorKey{f.OrganizationRef, last.ID}, cursorPosition{last.CreatedAt, last.Seq})
	}
	return checks, nil
}

// cursorCache remembers where the last check of each page served sits, so
// that the next page, which names it in afterCheckId, starts without a
// lookup: a client walking a listing costs one query a page, not two. A
// check's position never changes, so an entry is never stale; another node
// simply looks the position up.
type cursorCache struct {
	mu sync.Mutex
	m  map[cursorKey]cursorPosition
}

type cursorKey struct {
	org int64
	id  string
}

type cursorPosition struct {
	at  time.Time
	seq int64
}

// cursorCacheLimit bounds the cache (about 100 bytes an entry); when full
// it starts over, which costs each walking client one lookup.
const cursorCacheLimit = 100_000

func (c *cursorCache) get(k cursorKey) (cursorPosition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[k]
	return p, ok
}

func (c *cursorCache) put(k cursorKey, p cursorPosition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cursorCacheLimit {
		c.m = make(map[cursorKey]cursorPosition, 1024)
	}
	c.m[k] = p
}

func (db *Reestro) SetFSSPTasks(ctx context.Context, id string, tasks []string) error {
	return db.dbErr("sqlstore.SetFSSPTasks", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "SetReestroFSSPTasks", id, nullIfEmpty(strings.Join(tasks, ",")))
		return err
	}))
}

func (db *Reestro) FinishCheck(ctx context.Context, id string, state reestro.CheckState, result []byte, failure string, at time.Time) error {
	return db.dbErr("sqlstore.FinishCheck", db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := db.exec(ctx, tx, "FinishReestroCheck", id, int(state), result, nullIfEmpty(failure), db.dialect.TimeArg(at))
		return err
	}))
}

func (db *Reestro) FailAbandonedChecks(ctx context.Context, deadline, at time.Time, failure string) (int, error) {
	var n int64
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, "FailAbandonedReestroChecks", db.dialect.TimeArg(deadline), db.dialect.TimeArg(at), failure)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), db.dbErr("sqlstore.FailAbandonedChecks", err)
}
