package operator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"stend"
	"stend/credential"
	"stend/fssp"
	"stend/fssp/bankcsv"
	"stend/fssp/generate"
)

// NewFSSPToken asks for an FSSP API token. An empty Token is generated;
// nil Limits take the old service's defaults, and a zero limit is none. In
// JSON (the operator API, the seed) a limits object may name some limits
// only: the others keep their defaults.
type NewFSSPToken struct {
	Name   string       `json:"name"`
	Token  string       `json:"token,omitempty"`
	Limits *fssp.Limits `json:"limits,omitempty"`
}

// UnmarshalJSON reads the limits one by one: decoded whole, a limits object
// that named one limit left the others 0, which is no limit at all.
func (n *NewFSSPToken) UnmarshalJSON(b []byte) error {
	type fields NewFSSPToken // its fields, not this method
	var v struct {
		fields
		Limits *struct {
			SinglePerHour *int `json:"singlePerHour"`
			SinglePerDay  *int `json:"singlePerDay"`
			GroupPerDay   *int `json:"groupPerDay"`
		} `json:"limits"`
	}
	// Its callers refuse unknown keys; a decoder of its own would not.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	*n = NewFSSPToken(v.fields)
	if l := v.Limits; l != nil {
		limits := fssp.DefaultLimits
		for _, f := range []struct {
			from *int
			to   *int
		}{{l.SinglePerHour, &limits.SinglePerHour}, {l.SinglePerDay, &limits.SinglePerDay}, {l.GroupPerDay, &limits.GroupPerDay}} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		n.Limits = &limits
	}
	return nil
}

// FSSPToken is what an operator sees of a token: never its hash.
type FSSPToken struct {
	ID        int64       `json:"id"`
	Name      string      `json:"name"`
	IssuedAt  time.Time   `json:"issuedAt"`
	ExpiresAt time.Time   `json:"expiresAt"`
	RevokedAt *time.Time  `json:"revokedAt,omitempty"`
	Limits    fssp.Limits `json:"limits"`
}

// IssuedFSSPToken answers an issue: the token is shown this once.
type IssuedFSSPToken struct {
	FSSPToken
	Token string `json:"token"`
}

func fsspTokenView(t fssp.Token) FSSPToken {
	return FSSPToken{ID: t.ID, Name: t.Name, IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Limits: t.Limits}
}

// minFSSPToken keeps operator-chosen tokens from being guessable.
const minFSSPToken = 8

// IssueFSSPToken issues a token valid for a year.
func (s *Service) IssueFSSPToken(ctx context.Context, n NewFSSPToken) (IssuedFSSPToken, error) {
	const op = "operator.IssueFSSPToken"
	if err := storable(op, n); err != nil {
		return IssuedFSSPToken{}, err
	}
	n.Name, n.Token = strings.TrimSpace(n.Name), strings.TrimSpace(n.Token)
	if n.Name == "" {
		return IssuedFSSPToken{}, stend.Errorf(stend.Invalid, op, "name is required")
	}
	if n.Token == "" {
		n.Token = credential.NewSecret(24)
	} else if len(n.Token) < minFSSPToken {
		return IssuedFSSPToken{}, stend.Errorf(stend.Invalid, op, "a token has at least %d characters", minFSSPToken)
	}
	limits := fssp.DefaultLimits
	if n.Limits != nil {
		limits = *n.Limits
	}
	if limits.SinglePerHour < 0 || limits.SinglePerDay < 0 || limits.GroupPerDay < 0 {
		return IssuedFSSPToken{}, stend.Errorf(stend.Invalid, op, "limits cannot be negative")
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	t, err := s.FSSP.CreateToken(ctx, fssp.Token{Name: n.Name, Hash: s.Keys.Hash(n.Token), IssuedAt: now,
		ExpiresAt: now.AddDate(1, 0, 0), Limits: limits})
	if err != nil {
		if stend.KindOf(err) == stend.Conflict {
			return IssuedFSSPToken{}, stend.Errorf(stend.Conflict, op, "that token is already issued")
		}
		return IssuedFSSPToken{}, fmt.Errorf("%s: %w", op, err)
	}
	return IssuedFSSPToken{FSSPToken: fsspTokenView(t), Token: n.Token}, nil
}

// EnsureFSSPToken issues the token unless it already exists: the seed file
// names tokens by value so that loading it again changes nothing.
func (s *Service) EnsureFSSPToken(ctx context.Context, n NewFSSPToken) (IssuedFSSPToken, bool, error) {
	held := func() (IssuedFSSPToken, bool) {
		if n.Token == "" {
			return IssuedFSSPToken{}, false
		}
		t, err := s.FSSP.TokenByHash(ctx, s.Keys.Hash(strings.TrimSpace(n.Token)))
		return IssuedFSSPToken{FSSPToken: fsspTokenView(t), Token: n.Token}, err == nil
	}
	if t, ok := held(); ok {
		return t, false, nil
	}
	t, err := s.IssueFSSPToken(ctx, n)
	if stend.IsKind(err, stend.Conflict) {
		// Issued meanwhile by another node ensuring the same token (nodes
		// of one deployment start together).
		if t, ok := held(); ok {
			return t, false, nil
		}
	}
	return t, err == nil, err
}

func (s *Service) FSSPTokens(ctx context.Context) ([]FSSPToken, error) {
	ts, err := s.FSSP.Tokens(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FSSPToken, len(ts))
	for i, t := range ts {
		out[i] = fsspTokenView(t)
	}
	return out, nil
}

// RevokeFSSPToken ends a token, at once on this node and within a second
// on the others; its tasks stay until they expire.
func (s *Service) RevokeFSSPToken(ctx context.Context, id int64) (FSSPToken, error) {
	if err := s.FSSP.RevokeToken(ctx, id, s.now().UTC()); err != nil {
		return FSSPToken{}, err
	}
	s.credentialsChanged()
	t, err := s.FSSP.Token(ctx, id)
	return fsspTokenView(t), err
}

// FSSPTask is an operator's view of a task.
type FSSPTask struct {
	ID         string            `json:"id"`
	TokenID    int64             `json:"tokenId"`
	Group      bool              `json:"group"`
	Status     int               `json:"status"`
	Progress   string            `json:"progress"`
	Failed     int               `json:"failed"`
	CreatedAt  time.Time         `json:"createdAt"`
	StartedAt  *time.Time        `json:"startedAt,omitempty"`
	FinishedAt *time.Time        `json:"finishedAt,omitempty"`
	Requests   []fssp.SubRequest `json:"requests,omitempty"`
}

func fsspTaskView(t fssp.Task, withRequests bool) FSSPTask {
	v := FSSPTask{ID: t.ID, TokenID: t.TokenID, Group: t.Class == fssp.Group, Status: t.State,
		Progress: fmt.Sprintf("%d of %d", t.Done, len(t.Requests)), Failed: t.Failed,
		CreatedAt: t.CreatedAt, StartedAt: t.StartedAt, FinishedAt: t.FinishedAt}
	if withRequests {
		v.Requests = t.Requests
	}
	return v
}

// FSSPTasks lists tasks, newest first.
func (s *Service) FSSPTasks(ctx context.Context, f fssp.TaskFilter) ([]FSSPTask, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	ts, err := s.FSSP.Tasks(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]FSSPTask, len(ts))
	for i, t := range ts {
		out[i] = fsspTaskView(t, false)
	}
	return out, nil
}

// FSSPTaskDetail is a task with its requests and what each found.
type FSSPTaskDetail struct {
	FSSPTask
	Results []any `json:"results"`
}

func (s *Service) FSSPTask(ctx context.Context, id string) (FSSPTaskDetail, error) {
	if !stend.StorableText(id) {
		// No task has such an id, and PostgreSQL would refuse to compare
		// it: it is as unknown as any other.
		return FSSPTaskDetail{}, stend.Errorf(stend.NotFound, "operator.FSSPTask", "no such task")
	}
	t, err := s.FSSP.Task(ctx, 0, strings.ToUpper(strings.TrimSpace(id)), s.now())
	if err != nil {
		return FSSPTaskDetail{}, err
	}
	res, err := s.FSSP.TaskResults(ctx, t.ID)
	if err != nil {
		return FSSPTaskDetail{}, err
	}
	d := FSSPTaskDetail{FSSPTask: fsspTaskView(t, true), Results: make([]any, len(res))}
	for i, r := range res {
		d.Results[i] = json.RawMessage(r.Body)
	}
	return d, nil
}

// GenerateBank adds count synthetic proceedings made from seed.
func (s *Service) GenerateBank(ctx context.Context, seed uint64, count int64, progress func(int64)) (int64, error) {
	if count <= 0 {
		return 0, stend.Errorf(stend.Invalid, "operator.GenerateBank", "count must be positive")
	}
	var src fssp.ProceedingSource = generate.New(seed, count)
	if progress != nil {
		src = syntheticSource{&countingSource{ProceedingSource: src, every: 10000, report: progress}}
	}
	// Commits every 50,000: a generated bank needs no all-or-nothing, and
	// short transactions let a running server write between them.
	return s.FSSP.LoadProceedings(ctx, src, 50_000)
}

// syntheticSource keeps the generator's word, through a wrapper, that its
// departments are made up (fssp.SyntheticDepartments).
type syntheticSource struct{ fssp.ProceedingSource }

func (syntheticSource) SyntheticDepartments() {}

// countingSource reports progress while a load runs.
type countingSource struct {
	fssp.ProceedingSource
	n, every int64
	report   func(int64)
	replaced fssp.DepartmentReplacements // the wrapped source's, if it has one
}

func (c *countingSource) DepartmentReplaced(was, now fssp.Department) {
	if c.replaced != nil {
		c.replaced.DepartmentReplaced(was, now)
	}
}

func (c *countingSource) Next(p *fssp.Proceeding) bool {
	ok := c.ProceedingSource.Next(p)
	if ok {
		c.n++
		if c.n%c.every == 0 {
			c.report(c.n)
		}
	}
	return ok
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported int64               `json:"imported"`
	BadRows  []bankcsv.LineError `json:"badRows"`
	// ReplacedDepartments are the departments whose texts the bank held
	// the file replaced (its own text wins): said, not done silently.
	ReplacedDepartments []bankcsv.Replacement `json:"replacedDepartments"`
}

// ImportBank loads proceedings from CSV. Unless skipBad, it is all or
// nothing: one bad row and no row is kept, every bad row is reported.
func (s *Service) ImportBank(ctx context.Context, r io.Reader, layout string, skipBad bool, progress func(int64)) (ImportResult, error) {
	rd, err := bankcsv.NewReader(r, layout, skipBad)
	if err != nil {
		return ImportResult{}, err
	}
	var src fssp.ProceedingSource = rd
	if progress != nil {
		src = &countingSource{ProceedingSource: rd, every: 10000, report: progress, replaced: rd}
	}
	commitEvery := 0
	if skipBad {
		commitEvery = 50_000
	}
	// Imported counts what was committed, even when a later part failed.
	n, err := s.FSSP.LoadProceedings(ctx, src, commitEvery)
	return ImportResult{Imported: n, BadRows: nonNil(rd.Bad()), ReplacedDepartments: rd.Replaced()}, err
}

// BankSize counts the proceedings of the data bank.
func (s *Service) BankSize(ctx context.Context) (int64, error) { return s.FSSP.CountProceedings(ctx) }
