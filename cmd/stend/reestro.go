package main

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"strings"

	"stend/operator"
	"stend/server"
)

// The `stend reestro …` commands: Reestro organizations, API keys and
// grants, as the operator API and the seed file offer them.
var reestroCommands = map[string]command{
	"reestro org create":   {"create an organization ([--id GUID]: the portal.orgid; generated when empty; --name)", runReestroOrgCreate},
	"reestro org list":     {"list organizations", runReestroOrgList},
	"reestro key issue":    {"issue an apiKey (--name [--key]: generated GUID when empty; [--orgs id,id]); prints it once", runReestroKeyIssue},
	"reestro key list":     {"list keys with their organizations (never the keys)", runReestroKeyList},
	"reestro key revoke":   {"revoke a key (--key-id)", runReestroKeyRevoke},
	"reestro grant add":    {"let a key act for an organization (--key-id --org)", runReestroGrantAdd},
	"reestro grant remove": {"take an organization from a key (--key-id --org)", runReestroGrantRemove},
	"reestro generate":     {"add finished synthetic checks to an organization, for demos and benchmarks (--org --count [--random-seed])", runReestroGenerate},
}

func init() { maps.Copy(commands, reestroCommands) }

// announceReestro tells a newcomer how to call the Reestro API.
func announceReestro(logger *slog.Logger, base string, seed *operator.Seed) {
	logger.Info("API reestro", "url", base+"/realty/assessment/v1/checks", "auth", "Authorization: ReestroAuth apiKey=…&portal.orgid=…")
	if seed == nil || !seed.Demo {
		return
	}
	for _, k := range seed.Reestro.Keys {
		if k.Key != "" {
			logger.Info("demo credentials", "api", "reestro", "apiKey", k.Key, "portal.orgid", strings.Join(k.Organizations, ","))
		}
	}
}

func runReestroGenerate(ctx context.Context, e *cmdEnv, args []string) error {
	defer bulkGC()()
	fs := e.flags()
	org := fs.String("org", "", "organization id")
	count := fs.Int64("count", 100_000, "checks to add")
	seed := fs.Uint64("random-seed", 1, "generator seed: the same seed makes the same checks")
	return withNode(ctx, e, args, func(node *server.Node) error {
		bar := newProgress(e.stderr, *count)
		n, err := node.Operator.GenerateReestroChecks(ctx, *org, *seed, *count, bar.update)
		bar.done(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "{\"generated\": %d, \"seconds\": %.1f}\n", n, bar.elapsed().Seconds())
		return nil
	})
}

func runReestroOrgCreate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var n operator.NewReestroOrganization
	fs.StringVar(&n.ID, "id", "", "organization id, a GUID (generated when empty)")
	fs.StringVar(&n.Name, "name", "", "organization name")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.CreateReestroOrganization(ctx, n) })
}

func runReestroOrgList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.ReestroOrganizations(ctx) })
}

func runReestroKeyIssue(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var n operator.NewReestroKey
	fs.StringVar(&n.Name, "name", "", "key name (who holds it)")
	fs.StringVar(&n.Key, "key", "", "the key (generated GUID when empty; at least 16 characters)")
	orgs := fs.String("orgs", "", "organization ids to grant, comma-separated")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		for o := range strings.SplitSeq(*orgs, ",") {
			if o = strings.TrimSpace(o); o != "" {
				n.Organizations = append(n.Organizations, o)
			}
		}
		return s.IssueReestroKey(ctx, n)
	})
}

func runReestroKeyList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.ReestroKeys(ctx) })
}

func runReestroKeyRevoke(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("key-id", 0, "key id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.RevokeReestroKey(ctx, *id) })
}

func runReestroGrantAdd(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("key-id", 0, "key id")
	org := fs.String("org", "", "organization id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.GrantReestroKey(ctx, *id, *org) })
}

func runReestroGrantRemove(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("key-id", 0, "key id")
	org := fs.String("org", "", "organization id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.RevokeReestroGrant(ctx, *id, *org) })
}
