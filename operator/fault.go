package operator

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"stend"
	"stend/fault"
)

// Faults on request: operators (and integrators' tests) add rules that fail
// matching requests of the four APIs; see package fault.

// faultAPIs are the APIs a rule may name ("" for every one).
var faultAPIs = []string{"", "migrant-exam", "fssp", "motivity", "motivity-files", "reestro"}

// credentialForms are how each API names the credentials it proves, as
// the journal names them (httpx.Authenticated in each API).
var credentialForms = map[string]string{"fssp": "token ", "migrant-exam": "organization ", "reestro": "key ", "motivity": "PUBLIC_API_TOKEN"}

// credentialFits says whether pattern (exact, or a prefix ending with *)
// can match a credential of api ("": any): a rule that never could is a
// mistyped name, refused rather than kept silently idle.
func credentialFits(api, pattern string) bool {
	prefix, wild := strings.CutSuffix(pattern, "*")
	for a, form := range credentialForms {
		if api != "" && a != api {
			continue
		}
		switch {
		case wild && strings.HasPrefix(form, prefix):
		case a == "motivity" && pattern == form:
		case a != "motivity" && strings.HasPrefix(prefix, form) && (wild || len(prefix) > len(form)):
		default:
			continue
		}
		return true
	}
	return false
}

// normalizeFault is r as it is kept: the method in upper case, a job
// rule's API its job's.
func normalizeFault(r fault.Rule) fault.Rule {
	r.Method = strings.ToUpper(r.Method)
	if api, ok := fault.JobAPIs[r.Job]; ok && r.API == "" {
		r.API = api
	}
	return r
}

// validateFault checks a rule as given.
func validateFault(op string, r fault.Rule) error {
	switch {
	case strings.TrimSpace(r.Name) == "" || len(r.Name) > 200:
		return stend.Errorf(stend.Invalid, op, "name is required, at most 200 bytes")
	case !slices.Contains(faultAPIs, r.API):
		return stend.Errorf(stend.Invalid, op, "api must be one of migrant-exam, fssp, motivity, motivity-files, reestro (or empty: all)")
	case r.Job != "" && fault.JobAPIs[r.Job] == "":
		return stend.Errorf(stend.Invalid, op, "job must be fssp.task, reestro.check or motivity.report.build (or empty: the rule fails requests)")
	case r.Job != "" && r.API != fault.JobAPIs[r.Job]:
		return stend.Errorf(stend.Invalid, op, "api of a job rule is its job's: fssp for fssp.task, reestro for reestro.check, motivity for motivity.report.build")
	case r.Job != "" && (r.Method != "" || r.Path != ""):
		return stend.Errorf(stend.Invalid, op, "a job rule has no method or path: its job is not a request")
	case r.Job != "" && (r.Status != 0 || r.Cut || r.LatencyMS != 0 || r.RetryAfterS != 0):
		return stend.Errorf(stend.Invalid, op, "a job rule fails its job: status, cut, latencyMs and retryAfterS are for requests")
	case r.Credential != "" && r.API == "motivity-files":
		return stend.Errorf(stend.Invalid, op, "credential: motivity-files downloads carry none (their links are signed)")
	case r.Credential != "" && !credentialFits(r.API, r.Credential):
		return stend.Errorf(stend.Invalid, op, `credential names one as the journal does: "token <name>" (fssp), "organization <username>" (migrant-exam), "key <id> for <organization>" (reestro), "PUBLIC_API_TOKEN" (motivity); a prefix ends with *`)
	case r.Path != "" && !strings.HasPrefix(r.Path, "/"):
		return stend.Errorf(stend.Invalid, op, "path starts with / (a prefix ends with *)")
	case (r.Field == "") != (r.Value == "") && r.Field == "":
		return stend.Errorf(stend.Invalid, op, "value needs field")
	case r.Status != 0 && (r.Status < 400 || r.Status > 599):
		return stend.Errorf(stend.Invalid, op, "status must be 400 to 599")
	case r.Cut && r.Status != 0:
		return stend.Errorf(stend.Invalid, op, "a rule cuts the connection or answers a status, not both")
	case r.Job == "" && !r.Cut && r.Status == 0 && r.LatencyMS == 0:
		return stend.Errorf(stend.Invalid, op, "a rule answers a status, cuts the connection or adds latency (or names a job to fail)")
	case r.LatencyMS < 0 || r.LatencyMS > 600_000 || r.RetryAfterS < 0 || r.RetryAfterS > 86_400 || r.Times < 0:
		return stend.Errorf(stend.Invalid, op, "latencyMs 0 to 600000, retryAfterS 0 to 86400, times not negative")
	case r.Probability < 0 || r.Probability > 1:
		return stend.Errorf(stend.Invalid, op, "probability is 0 to 1 (0: always)")
	case len(r.Message) > 2000 || len(r.Path) > 2000 || len(r.Field) > 500 || len(r.Value) > 2000 || len(r.Credential) > 500:
		return stend.Errorf(stend.Invalid, op, "texts too long")
	}
	return nil
}

// PutFault adds the rule, or replaces the one of the same name (counts
// start again).
func (s *Service) PutFault(ctx context.Context, r fault.Rule) (fault.Rule, error) {
	const op = "operator.PutFault"
	if err := storable(op, r); err != nil {
		return fault.Rule{}, err
	}
	r = normalizeFault(r)
	if err := validateFault(op, r); err != nil {
		return fault.Rule{}, err
	}
	r.CreatedAt = s.now()
	out, err := s.FaultStore.PutFault(ctx, r)
	if err == nil && s.FaultsChanged != nil {
		s.FaultsChanged()
	}
	return out, err
}

// Faults lists the rules with their counts.
func (s *Service) Faults(ctx context.Context) ([]fault.Rule, error) {
	rs, err := s.FaultStore.Faults(ctx)
	if rs == nil {
		rs = []fault.Rule{}
	}
	return rs, err
}

func (s *Service) DeleteFault(ctx context.Context, id int64) error {
	err := s.FaultStore.DeleteFault(ctx, id)
	if err == nil && s.FaultsChanged != nil {
		s.FaultsChanged()
	}
	return err
}

// ClearFaults removes every rule.
func (s *Service) ClearFaults(ctx context.Context) (int64, error) {
	n, err := s.FaultStore.ClearFaults(ctx)
	if err == nil && s.FaultsChanged != nil {
		s.FaultsChanged()
	}
	return n, err
}

// loadFaultsSeed puts the seed's rules; one that already matches is left
// as it is (its counts too), so that the seed can be loaded at every start.
func (s *Service) loadFaultsSeed(ctx context.Context, rules []fault.Rule) error {
	if len(rules) == 0 {
		return nil
	}
	held, err := s.FaultStore.Faults(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		r = normalizeFault(r)
		same := false
		for _, h := range held {
			if h.Name == r.Name {
				r.ID, r.Matched, r.Injected, r.CreatedAt = h.ID, h.Matched, h.Injected, h.CreatedAt
				same = r == h
			}
		}
		if same {
			continue
		}
		if _, err := s.PutFault(ctx, r); err != nil {
			return fmt.Errorf("seed: fault %q: %w", r.Name, err)
		}
	}
	return nil
}

func (h *HTTP) faultRoutes(m *http.ServeMux) {
	const p = Prefix + "faults"
	m.HandleFunc("GET "+p, h.answer(func(r *http.Request) (any, error) {
		rs, err := h.svc.Faults(r.Context())
		return map[string]any{"faults": rs}, err
	}))
	m.HandleFunc("POST "+p, withBody(h, h.svc.PutFault))
	m.HandleFunc("DELETE "+p, h.answer(func(r *http.Request) (any, error) {
		n, err := h.svc.ClearFaults(r.Context())
		return map[string]int64{"deleted": n}, err
	}))
	m.HandleFunc("DELETE "+p+"/{id}", h.answer(func(r *http.Request) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return map[string]int64{"deleted": 1}, h.svc.DeleteFault(r.Context(), id)
	}))
}
