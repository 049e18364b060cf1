// Command stend runs the stand and its operator commands.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	_ "time/tzdata" // the Moscow zone must resolve on machines without tzdata

	"stend"
	"stend/migrantexam"
	"stend/operator"
	"stend/server"
)

type command struct {
	summary string
	run     func(ctx context.Context, env *cmdEnv, args []string) error
}

// commands maps "word" or "word word word" to a command.
var commands = map[string]command{
	"serve":   {"run the stand: every API, the operator API, health and metrics", runServe},
	"migrate": {"apply database migrations and exit", runMigrate},
	"seed":    {"load a seed file into the database and exit (--file)", runSeed},

	"migrant-exam org create":  {"create an organization (--name --username [--password] [--api-key]); prints credentials once", runOrgCreate},
	"migrant-exam org list":    {"list organizations", runOrgList},
	"migrant-exam org rotate":  {"replace an organization's password and API key (--org [--password] [--api-key])", runOrgRotate},
	"migrant-exam area grant":  {"grant an examination area to an organization (--org [--area] [--name])", runAreaGrant},
	"migrant-exam area revoke": {"take an area from an organization (--org --area)", runAreaRevoke},
	"migrant-exam area list":   {"list an organization's areas (--org)", runAreaList},
	"migrant-exam report list": {"list reports ([--org] [--area] [--after] [--limit])", runReportList},
	"migrant-exam report show": {"show a report with every version (--id)", runReportShow},
}

// gcPercent is the GOGC stend runs with unless GOGC is set: the default (100)
// made a small report cost 15% more CPU in collections (benchmarks/load),
// and the heap of a stand is small next to the machine's memory.
const gcPercent = 400

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // --help asked for, and printed
		}
		fmt.Fprintln(os.Stderr, "stend:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: stend <command> [flags]   (stend <command> --help lists the flags; stend --version the build)")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-26s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery setting is a flag and a STEND_* environment variable; a flag wins. serve takes them all, other commands those they use.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	for words := min(3, len(args)); words >= 1; words-- {
		name := strings.Join(args[:words], " ")
		if c, ok := commands[name]; ok {
			return c.run(ctx, &cmdEnv{name: name, summary: c.summary, stdout: stdout, stderr: stderr}, args[words:])
		}
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	if len(args) == 1 && (args[0] == "version" || args[0] == "--version" || args[0] == "-version") {
		version(stdout)
		return nil
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

// cmdEnv is what every command shares: its flags, the configuration and
// where it writes.
type cmdEnv struct {
	name, summary  string
	stdout, stderr io.Writer
	cfg            server.Config
	fs             *flag.FlagSet
	checkEnv       func() error
	// takesFiles: the command's arguments after its flags are files.
	takesFiles bool
}

// flags prepares the command's flag set with every configuration setting.
func (e *cmdEnv) flags() *flag.FlagSet {
	e.cfg = server.Defaults()
	e.fs = flag.NewFlagSet("stend "+e.name, flag.ContinueOnError)
	e.fs.SetOutput(e.stderr)
	switch {
	case e.name == "serve":
		e.checkEnv = e.cfg.Register(e.fs)
	case strings.HasPrefix(e.name, "tls "):
		e.checkEnv = e.cfg.RegisterTLS(e.fs)
	default:
		e.checkEnv = e.cfg.RegisterCommand(e.fs)
	}
	// --help says what the command does before its flags.
	e.fs.Usage = func() {
		fmt.Fprintf(e.fs.Output(), "stend %s: %s\n\nflags:\n", e.name, e.summary)
		e.fs.PrintDefaults()
	}
	return e.fs
}

func (e *cmdEnv) parse(args []string) error {
	if err := e.fs.Parse(args); err != nil {
		return err
	}
	if e.fs.NArg() > 0 && !e.takesFiles {
		return fmt.Errorf("unexpected arguments: %v", e.fs.Args())
	}
	if err := e.checkEnv(); err != nil {
		return err
	}
	return e.cfg.Validate()
}

func (e *cmdEnv) logger() *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(e.cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if e.cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

// openMigrated opens the store and brings its schema up to date.
func (e *cmdEnv) openMigrated(ctx context.Context, logger *slog.Logger) (*server.Node, error) {
	store, err := server.OpenStore(e.cfg)
	if err != nil {
		return nil, err
	}
	n, err := store.Migrate(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	if n > 0 {
		logger.Info("migrations applied", "count", n, "store", store.Dialect())
	}
	// Commands and the server read the same clock: a command run beside a
	// serving node sees the time its clients see.
	clock, err := stend.NewStandClock(ctx, nil, store)
	if err != nil {
		store.Close()
		return nil, err
	}
	node, err := server.NewNode(ctx, e.cfg, store, clock, logger)
	if err != nil {
		store.Close()
		return nil, err
	}
	return node, nil
}

func runServe(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	if err := e.parse(args); err != nil {
		return err
	}
	logger := e.logger()
	logger.Info("starting stend", "config", e.cfg)
	// Before the store: a certificate that cannot be had fails the start
	// before a long seed.
	var https *server.HTTPS
	if e.cfg.TLSAddr != "" {
		var err error
		if https, err = e.cfg.HTTPS(logger); err != nil {
			return err
		}
	}
	node, err := e.openMigrated(ctx, logger)
	if err != nil {
		return err
	}
	defer node.Store.Close()
	var seed *operator.Seed
	if e.cfg.Seed != "" {
		s, err := operator.ReadSeed(e.cfg.Seed)
		if err != nil {
			return err
		}
		if err := node.Operator.LoadSeed(ctx, s, logger); err != nil {
			return err
		}
		logger.Info("seed loaded", "file", e.cfg.Seed)
		node.AddSeed(s)
		seed = &s
	}
	if err := applyPublicToken(ctx, node, logger); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", e.cfg.Addr)
	if err != nil {
		return err
	}
	if e.cfg.PprofAddr != "" {
		// Its own listener, never the public one: profiles show internals.
		go func() {
			mux := http.NewServeMux()
			mux.HandleFunc("/debug/pprof/", pprof.Index)
			mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
			mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
			logger.Info("pprof listening", "addr", e.cfg.PprofAddr)
			logger.Error("pprof", "err", http.ListenAndServe(e.cfg.PprofAddr, mux))
		}()
	}
	announce(logger, "http://"+ln.Addr().String(), e.cfg, node.Store.Dialect(), seed)
	if https != nil {
		return serveTLS(ctx, e.cfg.TLSAddr, https, node, ln, logger)
	}
	return node.Serve(ctx, ln)
}

// announce tells a newcomer where everything is and how to get in.
func announce(logger *slog.Logger, base string, cfg server.Config, store string, seed *operator.Seed) {
	logger.Info("listening", "base", base, "store", store)
	logger.Info("API migrant-exam", "url", base+"/Reports/Report", "auth", "Basic username:password + x-api-key header")
	logger.Info("API fssp", "url", base+"/api/v1.0/", "auth", "token parameter (issued by `stend fssp token issue`)")
	announceReestro(logger, base, seed)
	announceMotivity(logger, base, seed)
	if cfg.OperatorToken != "" {
		logger.Info("operator API", "url", base+operator.Prefix, "auth", "Authorization: Bearer <STEND_OPERATOR_TOKEN>")
	} else {
		logger.Info("operator API disabled: set STEND_OPERATOR_TOKEN to enable it", "url", base+operator.Prefix)
	}
	logger.Info("health and metrics", "healthz", base+"/healthz", "readyz", base+"/readyz", "metrics", base+"/metrics")
	if seed == nil || !seed.Demo {
		return
	}
	for _, o := range seed.MigrantExam.Organizations {
		areas := make([]string, len(o.Areas))
		for i, a := range o.Areas {
			areas[i] = strconv.FormatInt(a.ID, 10)
		}
		logger.Info("demo credentials", "api", "migrant-exam", "username", o.Username, "password", o.Password,
			"x-api-key", o.APIKey, "examinationAreaIds", strings.Join(areas, ","))
	}
	for _, t := range seed.FSSP.Tokens {
		if t.Token != "" {
			logger.Info("demo credentials", "api", "fssp", "token", t.Token)
		}
	}
}

func runMigrate(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withNode(ctx, e, args, func(node *server.Node) error {
		fmt.Fprintln(e.stdout, "database is up to date:", node.Store.Dialect())
		return nil
	})
}

func runSeed(ctx context.Context, e *cmdEnv, args []string) error {
	file := e.flags().String("file", "", "seed file to load")
	return withNode(ctx, e, args, func(node *server.Node) error {
		if *file == "" {
			return errors.New("--file is required")
		}
		s, err := operator.ReadSeed(*file)
		if err != nil {
			return err
		}
		if err := node.Operator.LoadSeed(ctx, s, node.Logger); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "seed loaded:", *file)
		return nil
	})
}

// withNode parses the command's flags, opens and migrates the store, and
// runs fn on it: what every command but serve does.
func withNode(ctx context.Context, e *cmdEnv, args []string, fn func(*server.Node) error) error {
	if err := e.parse(args); err != nil {
		return err
	}
	node, err := e.openMigrated(ctx, e.logger())
	if err != nil {
		return err
	}
	defer node.Store.Close()
	return fn(node)
}

// withOperator runs fn with the operator service and prints what it
// returns as indented JSON.
func withOperator(ctx context.Context, e *cmdEnv, args []string, fn func(*operator.Service) (any, error)) error {
	return withNode(ctx, e, args, func(node *server.Node) error { return e.print(fn(node.Operator)) })
}

// print writes what a command answers as indented JSON, or its error.
func (e *cmdEnv) print(v any, err error) error {
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runOrgCreate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var n operator.NewOrganization
	fs.StringVar(&n.Name, "name", "", "organization name")
	fs.StringVar(&n.Username, "username", "", "Basic username")
	fs.StringVar(&n.Password, "password", "", "Basic password (generated when empty)")
	fs.StringVar(&n.APIKey, "api-key", "", "x-api-key (generated when empty)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.CreateOrganization(ctx, n) })
}

func runOrgList(ctx context.Context, e *cmdEnv, args []string) error {
	e.flags()
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Organizations(ctx) })
}

func runOrgRotate(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	org := fs.Int64("org", 0, "organization id")
	password := fs.String("password", "", "new password (generated when empty)")
	apiKey := fs.String("api-key", "", "new x-api-key (generated when empty)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return s.RotateCredentials(ctx, *org, *password, *apiKey)
	})
}

func runAreaGrant(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	org := fs.Int64("org", 0, "organization id")
	area := fs.Int64("area", 0, "examination area id (0: the next free id)")
	name := fs.String("name", "", "area name")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.GrantArea(ctx, *org, *area, *name) })
}

func runAreaRevoke(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	org := fs.Int64("org", 0, "organization id")
	area := fs.Int64("area", 0, "examination area id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) {
		return map[string]any{"revoked": *area}, s.RevokeArea(ctx, *org, *area)
	})
}

func runAreaList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	org := fs.Int64("org", 0, "organization id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Areas(ctx, *org) })
}

func runReportList(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	var f migrantexam.ReportFilter
	fs.Int64Var(&f.OrganizationID, "org", 0, "only this organization's reports")
	fs.Int64Var(&f.ExaminationAreaID, "area", 0, "only this area's reports")
	fs.Int64Var(&f.AfterID, "after", 0, "reports with an id greater than this (paging)")
	fs.IntVar(&f.Limit, "limit", 100, "at most this many (1–1000)")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Reports(ctx, f) })
}

func runReportShow(ctx context.Context, e *cmdEnv, args []string) error {
	fs := e.flags()
	id := fs.Int64("id", 0, "report id")
	return withOperator(ctx, e, args, func(s *operator.Service) (any, error) { return s.Report(ctx, *id) })
}
