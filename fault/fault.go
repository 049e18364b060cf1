// Package fault makes the stand fail on request, so that integrators can
// test how their clients take an API's errors, its slowness and cut
// connections: an operator adds rules that match requests (an API, a method,
// a path, the credential, a member of a JSON body) and say what to do with
// them (answer a status in the API's own envelope, with Retry-After; wait
// first; cut the connection), how many times, and with what probability,
// drawn from a seeded sequence so that a test is repeatable. A rule may fail
// a job instead (an FSSP task's searches, a Reestro check), as the job would
// fail of itself. Rules are kept in the database, so every node applies
// them, and counted there, so that "the next two requests" means two across
// the nodes.
package fault

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"strings"
	"time"

	"stend/fssp"
	"stend/motivity"
	"stend/reestro"
)

// Rule is one fault.
type Rule struct {
	ID   int64  `json:"id"`
	Name string `json:"name"` // unique; the seed file puts rules by name
	// What it matches; empty matches all. Path is exact, or a prefix when
	// it ends with *; Field and Value match a member of a JSON body by its
	// path ("examinationAreaId", "requests.0.examDate"), as text.
	API    string `json:"api"`
	Method string `json:"method,omitempty"`
	Path   string `json:"path,omitempty"`
	Field  string `json:"field,omitempty"`
	Value  string `json:"value,omitempty"`
	// Credential matches the credential a request was authenticated with
	// (or a job's creator), named as the journal names it ("token bank",
	// "organization center", "key 3 for <org>", "PUBLIC_API_TOKEN"):
	// exact, or a prefix when it ends with *. Such a rule is tried once
	// the API has proven the credential, never on a wrong one.
	Credential string `json:"credential,omitempty"`
	// Job makes the rule fail runs of a job kind instead of requests
	// (JobAPIs); Field then matches the job's items (an FSSP sub-request,
	// the check as it was asked for).
	Job string `json:"job,omitempty"`
	// What it does: wait LatencyMS first; then cut the connection, or
	// answer Status (with Message, in the API's envelope, and Retry-After
	// when RetryAfterS is set), or, with neither, let the request through
	// late.
	LatencyMS   int    `json:"latencyMs,omitempty"`
	Cut         bool   `json:"cut,omitempty"`
	Status      int    `json:"status,omitempty"`
	Message     string `json:"message,omitempty"`
	RetryAfterS int    `json:"retryAfterS,omitempty"`
	// Times is how many matching requests it fails (0: every one);
	// Probability (0 or 1: always) the chance of each, drawn from Seed.
	Times       int64   `json:"times,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	Seed        uint64  `json:"seed,omitempty"`
	// Matched and Injected count the matching requests and the faults
	// made.
	Matched   int64     `json:"matched"`
	Injected  int64     `json:"injected"`
	CreatedAt time.Time `json:"createdAt"`
}

// JobAPIs are the job kinds a rule may fail, and the API of each.
var JobAPIs = map[string]string{fssp.TaskJobKind: "fssp", reestro.CheckJobKind: "reestro", motivity.ReportBuildJobKind: "motivity"}

// Store keeps rules.
type Store interface {
	PutFault(ctx context.Context, r Rule) (Rule, error)
	Faults(ctx context.Context) ([]Rule, error)
	DeleteFault(ctx context.Context, id int64) error
	ClearFaults(ctx context.Context) (int64, error)
	// MatchFault counts one more match of rule id and answers the count,
	// as one atomic step across nodes; Injected counts a fault made.
	MatchFault(ctx context.Context, id int64) (int64, error)
	InjectedFault(ctx context.Context, id int64) error
	// FaultsVersion changes whenever a rule is put or deleted.
	FaultsVersion(ctx context.Context) (int64, error)
}

// credentialMatches: pattern exact, or a prefix ending with *; no
// credential matches nothing.
func credentialMatches(pattern, name string) bool {
	if name == "" {
		return false
	}
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return pattern == name
}

// fires decides whether the n-th match (from 1) of r is failed: within
// Times, and drawn below Probability from the rule's seeded sequence, the
// same on every node and every run.
func (r Rule) fires(n int64) bool {
	if r.Times > 0 && n > r.Times {
		return false
	}
	if r.Probability <= 0 || r.Probability >= 1 {
		return true
	}
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], r.Seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(n))
	h.Write(b[:])
	return float64(h.Sum64()>>11)/float64(1<<53) < r.Probability
}
