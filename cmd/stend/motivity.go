package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"strings"

	"stend"
	"stend/motivity"
	"stend/operator"
	"stend/server"
)

// The `stend motivity …` commands: the Motivity platform's operator
// surface, as the operator API and the seed file offer it.
var motivityCommands = map[string]command{
	"motivity platform show": {"show the Motivity platform's settings", runMotivityPlatformShow},
	"motivity platform set":  {"change settings ([--default-locale] [--locales en,ru,…] [--identifier-kind] [--prize-catalog-until YYYY-MM-DD|RFC3339|''] [--goal-limit] [--time-zone])", runMotivityPlatformSet},
	"motivity token set":     {"set the public token (X-Auth-Token) ([--token]; generated when empty); prints it once", runMotivityTokenSet},
	"motivity user put":      {"create or update a user (--identifier [--email] [--name] [--active] [--manager] [--manages-goals])", runMotivityUserPut},
	"motivity user list":     {"list users, deleted ones too ([--after] [--limit])", runMotivityUserList},
	"motivity user show":     {"show a user with balances and badges (--identifier)", runMotivityUserShow},
	"motivity user delete":   {"mark a user deleted; ledger and badges stay (--identifier)", runMotivityUserDelete},
	"motivity badge put":     {"create or rewrite a badge and its grades (--json, as in the seed file)", runMotivityBadgePut},
	"motivity badge list":    {"list badges that are not deleted, with grades", runMotivityBadgeList},
	"motivity badge show":    {"show one badge (--id)", runMotivityBadgeShow},
	"motivity goal list":     {"show a user's goals and key results, deleted ones too, with every change (--user)", runMotivityGoalList},
	"motivity goal generate": {"make a platform of many users with goals, for benchmarks (--users [--active 10] [--completed 100] [--random-seed])", runMotivityGoalGenerate},
	"motivity goal add":      {"add goals to a user in any state (--user --json, a list as in the seed file)", runMotivityGoalAdd},
	"motivity ledger list":   {"list balance changes ([--user] [--balance score|karma|payment] [--after] [--limit])", runMotivityLedgerList},
}

func init() { maps.Copy(commands, motivityCommands) }

// applyPublicToken makes PUBLIC_API_TOKEN (or --motivity-public-api-token)
// the platform's token at start: the document keeps the token in the
// environment, so the environment wins over what an operator set before.
func applyPublicToken(ctx context.Context, node *server.Node, logger *slog.Logger) error {
	if node.Config.MotivityPublicToken == "" {
		return nil
	}
	if _, err := node.Operator.SetPublicToken(ctx, node.Config.MotivityPublicToken); err != nil {
		return errors.New("PUBLIC_API_TOKEN: " + err.Error())
	}
	logger.Info("Motivity public token set from PUBLIC_API_TOKEN")
	return nil
}

// announceMotivity tells a newcomer how to call the Motivity API.
func announceMotivity(logger *slog.Logger, base string, seed *operator.Seed) {
	logger.Info("API motivity", "url", base+"/public/api/v1/", "auth", "X-Auth-Token header (PUBLIC_API_TOKEN)")
	if seed == nil || !seed.Demo || seed.Motivity.Platform == nil || seed.Motivity.Platform.PublicToken == "" {
		return
	}
	users := make([]string, len(seed.Motivity.Users))
	for i, u := range seed.Motivity.Users {
		users[i] = u.Identifier
	}
	logger.Info("demo credentials", "api", "motivity", "X-Auth-Token", seed.Motivity.Platform.PublicToken, "users", strings.Join(users, ","))
}

func runMotivityPlatformShow(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityPlatform(ctx) })
}

func runMotivityPlatformSet(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	defaultLocale := fs.String("default-locale", "", "language of answers when the Locale header gives none the platform has")
	locales := fs.String("locales", "", "the platform's languages, comma-separated (en,ru,uz,ky)")
	kind := fs.String("identifier-kind", "", "what identifies users: email, login or personnelNumber (only while there are no users)")
	until := fs.String("prize-catalog-until", "", "prize-catalog licence expiry (YYYY-MM-DD: to the end of that day, UTC); '' removes it")
	goalLimit := fs.Int("goal-limit", 0, "the most active goals a user may have (1–1000)")
	timeZone := fs.String("time-zone", "", "the platform's IANA time zone: goal deadlines are its days (Europe/Moscow)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		var set operator.MotivitySettings
		// Only the flags given change anything.
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "default-locale":
				set.DefaultLocale = defaultLocale
			case "locales":
				for _, l := range strings.Split(*locales, ",") {
					set.Locales = append(set.Locales, strings.TrimSpace(l))
				}
			case "identifier-kind":
				set.IdentifierKind = kind
			case "prize-catalog-until":
				set.PrizeCatalogUntil = until
			case "goal-limit":
				set.GoalLimit = goalLimit
			case "time-zone":
				set.TimeZone = timeZone
			}
		})
		return s.UpdateMotivityPlatform(ctx, set)
	})
}

func runMotivityTokenSet(ctx context.Context, e *cmdEnv, args []string) error {
	token := e.flags().String("token", "", "the token (generated when empty)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.SetPublicToken(ctx, *token) })
}

func runMotivityUserPut(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var in operator.MotivityUserInput
	fs.StringVar(&in.Identifier, "identifier", "", "the user's unique identifier (e-mail by default)")
	email := fs.String("email", "", "e-mail (the identifier when users are identified by e-mail)")
	name := fs.String("name", "", "display name")
	active := fs.Bool("active", true, "active (false: deactivated)")
	manager := fs.String("manager", "", "the manager's identifier ('' removes the manager)")
	goals := fs.Bool("manages-goals", false, `the permission «План развития \ Управление целями и планами»`)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		// Only the flags given change an existing user.
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "email":
				in.Email = email
			case "name":
				in.Name = name
			case "active":
				in.Active = active
			case "manager":
				in.Manager = manager
			case "manages-goals":
				in.ManagesGoals = goals
			}
		})
		return s.PutMotivityUser(ctx, in)
	})
}

func runMotivityUserList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	after := fs.Int64("after", 0, "users with an id greater than this (paging)")
	limit := fs.Int("limit", 100, "at most this many (1–1000)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityUsers(ctx, *after, *limit) })
}

func runMotivityUserShow(ctx context.Context, e *cmdEnv, args []string) error {
	ident := e.flags().String("identifier", "", "the user's identifier")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityUser(ctx, *ident) })
}

func runMotivityUserDelete(ctx context.Context, e *cmdEnv, args []string) error {
	ident := e.flags().String("identifier", "", "the user's identifier")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.DeleteMotivityUser(ctx, *ident) })
}

func runMotivityGoalList(ctx context.Context, e *cmdEnv, args []string) error {
	user := e.flags().String("user", "", "the user's identifier")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.MotivityGoals(ctx, *user) })
}

func runMotivityGoalGenerate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var g operator.GoalGeneration
	fs.IntVar(&g.Users, "users", 0, "users to create (user-000001@bench.example.ru …)")
	fs.IntVar(&g.Active, "active", 10, "active goals of each user (at most the platform's limit)")
	fs.IntVar(&g.Completed, "completed", 100, "completed goals of each user")
	fs.Uint64Var(&g.Seed, "random-seed", 1, "generator seed: the same seed makes the same goals")
	return withNode(ctx, e, args, func(node *server.Node) error {
		bar := newProgress(e.stderr, int64(g.Users)*int64(g.Active+g.Completed))
		n, err := node.Operator.GenerateMotivityGoals(ctx, g, bar.update)
		bar.done(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "{\"generated\": %d, \"seconds\": %.1f}\n", n, bar.elapsed().Seconds())
		return nil
	})
}

func runMotivityGoalAdd(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	user := fs.String("user", "", "the user's identifier")
	doc := fs.String("json", "", `the goals, as in the seed file: [{"title":"…","value":10,"valueUnit":"hours","priority":"low","deadlineAt":"2030-12-31","approvedBy":"…"}]`)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		in, err := strictJSON[[]operator.GoalInput]("motivity goal add", *doc)
		if err != nil {
			return nil, err
		}
		return s.AddMotivityGoals(ctx, *user, in)
	})
}

// strictJSON decodes a --json flag, refusing unknown keys as the seed file
// does.
func strictJSON[T any](op, doc string) (T, error) {
	var v T
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return v, stend.Errorf(stend.Invalid, op, "--json: %v", err)
	}
	return v, nil
}

func runMotivityBadgePut(ctx context.Context, e *cmdEnv, args []string) error {
	doc := e.flags().String("json", "", `the badge, as in the seed file: {"id":93,"image":"…","texts":{"ru":{"title":"…","popupDescription":"…"}},"grades":[…]}`)
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		in, err := strictJSON[operator.BadgeInput]("motivity badge put", *doc)
		if err != nil {
			return nil, err
		}
		return s.PutBadge(ctx, in)
	})
}

func runMotivityBadgeList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Badges(ctx) })
}

func runMotivityBadgeShow(ctx context.Context, e *cmdEnv, args []string) error {
	id := e.flags().Int64("id", 0, "badge id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Badge(ctx, *id) })
}

func runMotivityLedgerList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	user := fs.String("user", "", "only this user's changes (identifier)")
	balance := fs.String("balance", "", "only this balance: score, karma or payment")
	after := fs.Int64("after", 0, "entries with an id greater than this (paging)")
	limit := fs.Int("limit", 100, "at most this many (1–1000)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return s.Ledger(ctx, *user, motivity.BalanceType(*balance), *after, *limit)
	})
}
