package server

import (
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"stend/certs"
	"stend/credential"
	"stend/fssp"
	fssphttp "stend/fssp/http"
	migrantexamhttp "stend/migrantexam/http"
	"stend/motivity"
	motivityhttp "stend/motivity/http"
	reestrohttp "stend/reestro/http"
	"stend/store/postgres"
)

// Config is every setting of a stend node, with defaults; each one comes
// from a flag or a STEND_* environment variable (a flag wins).
type Config struct {
	Addr        string
	DataDir     string
	DatabaseURL string
	// DatabasePool is how many PostgreSQL connections the node keeps.
	DatabasePool      int
	SQLiteSynchronous string
	Seed              string
	OperatorToken     string
	LogFormat         string
	LogLevel          string
	Timezone          string
	ShutdownTimeout   time.Duration
	// DrainPeriod is how long /readyz answers 503 before the listener
	// closes, at shutdown.
	DrainPeriod time.Duration
	// PasswordIterations is the PBKDF2 cost of stored passwords.
	PasswordIterations int
	PprofAddr          string

	// Secret keys the stored hashes of API keys and tokens; SecretFile
	// holds it instead. With neither, the node keeps one in the data
	// directory (secretFile).
	Secret     string
	SecretFile string
	// JobWorkers is how many jobs of each kind run at once on this node.
	JobWorkers JobWorkers
	// AuthFailures failed authentications from one address are allowed
	// at once, then one every AuthFailureEvery; beyond, the address is
	// refused (429) until one is allowed again. Each API counts its own.
	AuthFailures     int
	AuthFailureEvery time.Duration
	// MaxConnections bounds the connections served at once; BodyGrace and
	// MinBodyRate the pace a request body must keep (paceBodies).
	MaxConnections int
	BodyGrace      time.Duration
	MinBodyRate    int64

	MigrantExamMaxBodyBytes int64
	MigrantExamMaxRows      int

	FSSPMaxItems           int
	FSSPSearchTimeout      time.Duration
	FSSPParallel           int
	FSSPAtOnce             bool
	FSSPSweepEvery         time.Duration
	MotivityPublicToken    string
	MotivityMaxBodyBytes   int64
	MotivityMaxBadgeUsers  int
	MotivityMaxPointsItems int
	MotivityFileLinkTTL    time.Duration
	MotivityMaxFileBytes   int64
	// MotivityReportKeep is how long a report made by create/{type} is
	// kept once built.
	MotivityReportKeep time.Duration

	// PublicURL is the base of links the stand hands out (download links
	// of files); empty: the scheme and host each request came by.
	PublicURL string
	// BlobStore keeps files: "disk" under the data directory, or "s3" in
	// the bucket S3Bucket of S3Endpoint. S3 credentials are read from the
	// usual AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
	// by the client, never held here, so never logged.
	BlobStore  string
	S3Endpoint string
	S3Bucket   string
	S3Region   string
	S3Prefix   string

	// Journal records every request to the four APIs (package journal):
	// JournalBodyBytes of each body and answer, the newest JournalKeep
	// entries. Off, nothing of it runs.
	Journal          bool
	JournalBodyBytes int
	JournalKeep      int64

	ReestroMaxBodyBytes  int64
	ReestroCheckDeadline time.Duration
	ReestroSweepEvery    time.Duration
	ReestroFSSPURL       string
	ReestroFSSPToken     string
	ReestroFSSPPollMax   time.Duration

	// TLSAddr is the HTTPS listener's address (empty: none), serving what
	// Addr serves under a certificate for the documented hosts and
	// TLSHosts (comma-separated), issued by the CA of TLSCACert and
	// TLSCAKey or by the one kept in the data directory; or TLSCert and
	// TLSKey, served as they are (docs/stand.md, "Under the real host
	// names").
	TLSAddr   string
	TLSHosts  string
	TLSCACert string
	TLSCAKey  string
	TLSCert   string
	TLSKey    string
}

// JobWorkers is the job runner's capacity: Each for every kind, unless
// Kinds names it. Written "16" or "16,reestro.check=64,fssp.task=32".
type JobWorkers struct {
	Each  int
	Kinds map[string]int
}

func (w *JobWorkers) String() string {
	out := strconv.Itoa(w.Each)
	for _, kind := range slices.Sorted(maps.Keys(w.Kinds)) {
		out += "," + kind + "=" + strconv.Itoa(w.Kinds[kind])
	}
	return out
}

func (w *JobWorkers) Set(v string) error {
	parsed := JobWorkers{Kinds: map[string]int{}}
	for i, part := range strings.Split(v, ",") {
		kind, count, named := strings.Cut(strings.TrimSpace(part), "=")
		if !named {
			count = kind
		}
		n, err := strconv.Atoi(strings.TrimSpace(count))
		switch {
		case err != nil || n < 1 || n > 1024:
			return fmt.Errorf("job workers %q: a count is a number from 1 to 1024", part)
		case named && strings.TrimSpace(kind) != "":
			parsed.Kinds[strings.TrimSpace(kind)] = n
		case !named && i == 0:
			parsed.Each = n
		default:
			return fmt.Errorf("job workers %q: the count of every kind comes first, then kind=count", part)
		}
	}
	if parsed.Each == 0 {
		parsed.Each = w.Each
	}
	*w = parsed
	return nil
}

// Defaults are what a newcomer gets with no settings at all.
func Defaults() Config {
	return Config{
		Addr:                    "127.0.0.1:8080",
		DataDir:                 "stend-data",
		SQLiteSynchronous:       "NORMAL",
		DatabasePool:            postgres.DefaultPool,
		LogFormat:               "text",
		LogLevel:                "info",
		Timezone:                "Europe/Moscow",
		ShutdownTimeout:         15 * time.Second,
		DrainPeriod:             2 * time.Second,
		PasswordIterations:      credential.DefaultPasswordIterations,
		MigrantExamMaxBodyBytes: migrantexamhttp.DefaultMaxBodyBytes,
		MigrantExamMaxRows:      migrantexamhttp.DefaultMaxRows,
		FSSPMaxItems:            fssphttp.DefaultMaxItems,
		FSSPSearchTimeout:       fssphttp.DefaultSearchTimeout,
		FSSPParallel:            fssphttp.DefaultParallel,
		FSSPAtOnce:              true,
		FSSPSweepEvery:          time.Minute,
		MotivityMaxBodyBytes:    motivityhttp.DefaultMaxBodyBytes,
		MotivityMaxBadgeUsers:   motivityhttp.DefaultMaxBadgeUsers,
		MotivityMaxPointsItems:  motivityhttp.DefaultMaxPointsItems,
		MotivityFileLinkTTL:     motivityhttp.DefaultFileLinkTTL,
		MotivityMaxFileBytes:    motivity.MaxFileSize,
		MotivityReportKeep:      motivityhttp.DefaultReportKeep,
		BlobStore:               "disk",
		Journal:                 true,
		JournalBodyBytes:        64 << 10,
		JournalKeep:             100_000,
		S3Region:                "us-east-1",
		ReestroMaxBodyBytes:     reestrohttp.DefaultMaxBodyBytes,
		ReestroCheckDeadline:    reestrohttp.DefaultCheckDeadline,
		ReestroSweepEvery:       time.Minute,
		ReestroFSSPPollMax:      reestrohttp.DefaultFSSPPollMax,
		JobWorkers:              JobWorkers{Each: 16},
		MaxConnections:          10_000,
		AuthFailures:            20,
		AuthFailureEvery:        3 * time.Second,
		BodyGrace:               10 * time.Second,
		MinBodyRate:             1024,
	}
}

type setting struct {
	flag, env, help string
	secret          bool
	value           flag.Value
}

func (c *Config) settings() []setting {
	return []setting{
		{"addr", "STEND_ADDR", "address to listen on; every API shares it, on its own path", false, (*stringValue)(&c.Addr)},
		{"data-dir", "STEND_DATA_DIR", "directory for the SQLite database and stored files", false, (*stringValue)(&c.DataDir)},
		{"database-url", "STEND_DATABASE_URL", "PostgreSQL DSN (postgres://…); empty: SQLite in the data directory", true, (*stringValue)(&c.DatabaseURL)},
		{"database-pool", "STEND_DATABASE_POOL", "PostgreSQL connections this node keeps open, its most statements at once (docs/operator.md, Stores)", false, (*intValue)(&c.DatabasePool)},
		{"sqlite-synchronous", "STEND_SQLITE_SYNCHRONOUS", "SQLite synchronous pragma: NORMAL survives a process crash, FULL also a power cut", false, (*stringValue)(&c.SQLiteSynchronous)},
		{"seed", "STEND_SEED", "seed file (JSON) loaded at start; loading is idempotent", false, (*stringValue)(&c.Seed)},
		{"operator-token", "STEND_OPERATOR_TOKEN", "bearer token of the operator HTTP API (/operator/v1/); empty disables it", true, (*stringValue)(&c.OperatorToken)},
		{"secret", "STEND_SECRET", "secret keying the stored hashes of API keys and tokens (at least 16 characters); every node of one database needs the same one; empty: --secret-file", true, (*stringValue)(&c.Secret)},
		{"secret-file", "STEND_SECRET_FILE", "file holding the secret (see --secret); empty: " + secretFile + " in the data directory, made at the first start", false, (*stringValue)(&c.SecretFile)},
		{"log-format", "STEND_LOG_FORMAT", "log format: text or json", false, (*stringValue)(&c.LogFormat)},
		{"log-level", "STEND_LOG_LEVEL", "log level: debug, info, warn or error", false, (*stringValue)(&c.LogLevel)},
		{"timezone", "STEND_TIMEZONE", "time zone that decides what \"today\" is for date rules", false, (*stringValue)(&c.Timezone)},
		{"drain-period", "STEND_DRAIN_PERIOD", "at shutdown, how long /readyz answers 503 before the listener closes (load balancers move away meanwhile)", false, (*durationValue)(&c.DrainPeriod)},
		{"shutdown-timeout", "STEND_SHUTDOWN_TIMEOUT", "how long a shutdown waits for requests in flight", false, (*durationValue)(&c.ShutdownTimeout)},
		{"password-iterations", "STEND_PASSWORD_ITERATIONS", "PBKDF2-SHA256 iterations of stored passwords (OWASP's advice by default; tests use fewer); hashes keep their own count", false, (*intValue)(&c.PasswordIterations)},
		{"job-workers", "STEND_JOB_WORKERS", "jobs of each kind run at once, then kind=count for kinds that need another number (16,fssp.task=32,reestro.check=64)", false, &c.JobWorkers},
		{"auth-failures", "STEND_AUTH_FAILURES", "failed authentications one address may make at once; then one every --auth-failure-every, beyond which it gets 429; 0: no throttle (clients behind one proxy or NAT)", false, (*intValue)(&c.AuthFailures)},
		{"auth-failure-every", "STEND_AUTH_FAILURE_EVERY", "how often an address that used up its failed authentications gets one more", false, (*durationValue)(&c.AuthFailureEvery)},
		{"max-connections", "STEND_MAX_CONNECTIONS", "connections served at once; more wait to be accepted (also bounded by the open-file limit, raised at start)", false, (*intValue)(&c.MaxConnections)},
		{"body-grace", "STEND_BODY_GRACE", "how long a request body may take to start arriving", false, (*durationValue)(&c.BodyGrace)},
		{"min-body-rate", "STEND_MIN_BODY_RATE", "least average pace of a request body after the grace (bytes a second); a slower client is disconnected", false, (*int64Value)(&c.MinBodyRate)},
		{"journal", "STEND_JOURNAL", "record every request to the four APIs for the operator API's journal (false: none, for production)", false, (*boolValue)(&c.Journal)},
		{"journal-body-bytes", "STEND_JOURNAL_BODY_BYTES", "how much of each request body and answer the journal keeps (bytes)", false, (*intValue)(&c.JournalBodyBytes)},
		{"journal-keep", "STEND_JOURNAL_KEEP", "how many of the newest requests the journal keeps", false, (*int64Value)(&c.JournalKeep)},
		{"pprof-addr", "STEND_PPROF_ADDR", "address of a separate listener serving Go's /debug/pprof/ profiles; empty: none", false, (*stringValue)(&c.PprofAddr)},
		{"migrant-exam-max-body-bytes", "STEND_MIGRANT_EXAM_MAX_BODY_BYTES", "largest report body accepted (bytes); larger gets 413", false, (*int64Value)(&c.MigrantExamMaxBodyBytes)},
		{"migrant-exam-max-rows", "STEND_MIGRANT_EXAM_MAX_ROWS", "most requests rows in one report", false, (*intValue)(&c.MigrantExamMaxRows)},
		{"fssp-max-items", "STEND_FSSP_MAX_ITEMS", "most proceedings one FSSP sub-request answers", false, (*intValue)(&c.FSSPMaxItems)},
		{"fssp-search-timeout", "STEND_FSSP_SEARCH_TIMEOUT", "longest one FSSP sub-request may search before it fails alone", false, (*durationValue)(&c.FSSPSearchTimeout)},
		{"fssp-parallel", "STEND_FSSP_PARALLEL", "sub-requests of one FSSP task searched at once", false, (*intValue)(&c.FSSPParallel)},
		{"fssp-at-once", "STEND_FSSP_AT_ONCE", "run a single FSSP search in its submitting request when a task worker of the node is free, storing the task ended (false: queue every search)", false, (*boolValue)(&c.FSSPAtOnce)},
		{"fssp-sweep-every", "STEND_FSSP_SWEEP_EVERY", "how often FSSP tasks past their 24 hours are purged", false, (*durationValue)(&c.FSSPSweepEvery)},
		// The document's own name: "Публичный ключ API хранится в .env под названием PUBLIC_API_TOKEN".
		{"motivity-public-api-token", "PUBLIC_API_TOKEN", "Motivity X-Auth-Token; when set, made the platform's token at start (only its hash is stored)", true, (*stringValue)(&c.MotivityPublicToken)},
		{"motivity-max-body-bytes", "STEND_MOTIVITY_MAX_BODY_BYTES", "largest Motivity request body (bytes); larger gets 413", false, (*int64Value)(&c.MotivityMaxBodyBytes)},
		{"motivity-max-badge-users", "STEND_MOTIVITY_MAX_BADGE_USERS", "most userId values in one badge assignment or removal", false, (*intValue)(&c.MotivityMaxBadgeUsers)},
		{"motivity-max-points-items", "STEND_MOTIVITY_MAX_POINTS_ITEMS", "most items in one points batch", false, (*intValue)(&c.MotivityMaxPointsItems)},
		{"motivity-file-link-ttl", "STEND_MOTIVITY_FILE_LINK_TTL", "how long a Motivity download link works", false, (*durationValue)(&c.MotivityFileLinkTTL)},
		{"motivity-max-file-bytes", "STEND_MOTIVITY_MAX_FILE_BYTES", "largest Motivity upload (bytes; the document's 10 GB by default); larger gets \"File size not allowed\"", false, (*int64Value)(&c.MotivityMaxFileBytes)},
		{"motivity-report-keep", "STEND_MOTIVITY_REPORT_KEEP", "how long a Motivity report made by reports/create is kept once built (then reports/data answers \"Report not found\")", false, (*durationValue)(&c.MotivityReportKeep)},
		{"public-url", "STEND_PUBLIC_URL", "base URL of links the stand hands out (https://stand.example); empty: the scheme and host of each request", false, (*stringValue)(&c.PublicURL)},
		{"blob-store", "STEND_BLOB_STORE", "where files are kept: disk (under the data directory) or s3 (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)", false, (*stringValue)(&c.BlobStore)},
		{"s3-endpoint", "STEND_S3_ENDPOINT", "S3-compatible endpoint URL (https://host:port) of --blob-store s3", false, (*stringValue)(&c.S3Endpoint)},
		{"s3-bucket", "STEND_S3_BUCKET", "bucket of --blob-store s3 (made if missing)", false, (*stringValue)(&c.S3Bucket)},
		{"s3-region", "STEND_S3_REGION", "region of --blob-store s3", false, (*stringValue)(&c.S3Region)},
		{"s3-prefix", "STEND_S3_PREFIX", "key prefix of every object of --blob-store s3, for a bucket shared with other data", false, (*stringValue)(&c.S3Prefix)},
		{"reestro-max-body-bytes", "STEND_REESTRO_MAX_BODY_BYTES", "largest Reestro request body (bytes); larger gets 413", false, (*int64Value)(&c.ReestroMaxBodyBytes)},
		{"reestro-check-deadline", "STEND_REESTRO_CHECK_DEADLINE", "how long a Reestro check may stay Processing before it is Failed", false, (*durationValue)(&c.ReestroCheckDeadline)},
		{"reestro-sweep-every", "STEND_REESTRO_SWEEP_EVERY", "how often Reestro checks past their deadline or with no job left are Failed", false, (*durationValue)(&c.ReestroSweepEvery)},
		{"reestro-fssp-url", "STEND_REESTRO_FSSP_URL", "base URL of the FSSP API that Reestro checks search (http://host:port); empty: this node's own", false, (*stringValue)(&c.ReestroFSSPURL)},
		{"reestro-fssp-poll-max", "STEND_REESTRO_FSSP_POLL_MAX", "longest pause between a Reestro check's looks at its FSSP search (half the check's age, at least 100ms)", false, (*durationValue)(&c.ReestroFSSPPollMax)},
		{"reestro-fssp-token", "STEND_REESTRO_FSSP_TOKEN", "FSSP token of Reestro checks; empty with this node's own FSSP API: the deployment's, derived from the secret and the year", true, (*stringValue)(&c.ReestroFSSPToken)},
		{"tls-addr", "STEND_TLS_ADDR", "address of an HTTPS listener serving what --addr serves, under a certificate for the hosts clients hard-code (127.0.0.1:443); empty: none", false, (*stringValue)(&c.TLSAddr)},
		{"tls-hosts", "STEND_TLS_HOSTS", "names the certificate covers besides the documented hosts and localhost: host names, *.wildcards, IP addresses, comma-separated (Reestro's, a Motivity platform's)", false, (*stringValue)(&c.TLSHosts)},
		{"tls-ca-cert", "STEND_TLS_CA_CERT", "PEM certificate of the CA that issues the HTTPS certificate; empty: the stand's own in the data directory (tls/), made at the first need", false, (*stringValue)(&c.TLSCACert)},
		{"tls-ca-key", "STEND_TLS_CA_KEY", "PEM private key of --tls-ca-cert (a file only the stand's account reads)", false, (*stringValue)(&c.TLSCAKey)},
		{"tls-cert", "STEND_TLS_CERT", "PEM certificate (chain) served as it is instead of one the CA issues", false, (*stringValue)(&c.TLSCert)},
		{"tls-key", "STEND_TLS_KEY", "PEM private key of --tls-cert", false, (*stringValue)(&c.TLSKey)},
	}
}

// Register adds the settings to fs as flags whose defaults come from the
// environment, so that flag > environment > built-in default. The returned
// check, called after fs.Parse, reports a malformed environment value
// unless a flag replaced it.
// commandSettings are the settings that commands other than serve use:
// where the store and the files are, the secret, logs, and what shapes what
// they store (the time zone, the password cost). The rest (listeners,
// limits, workers) only a serving node has.
var commandSettings = map[string]bool{
	"data-dir": true, "database-url": true, "sqlite-synchronous": true, "secret": true, "secret-file": true,
	"log-format": true, "log-level": true, "timezone": true, "password-iterations": true, "public-url": true,
	"blob-store": true, "s3-endpoint": true, "s3-bucket": true, "s3-region": true, "s3-prefix": true,
	"motivity-file-link-ttl": true, "motivity-max-file-bytes": true,
}

// tlsSettings are the settings of the `stend tls` commands: where the CA
// is, and the names it is made for.
var tlsSettings = map[string]bool{
	"data-dir": true, "log-format": true, "log-level": true,
	"tls-hosts": true, "tls-ca-cert": true, "tls-ca-key": true, "tls-cert": true, "tls-key": true,
}

// RegisterTLS is Register for the `stend tls` commands (tlsSettings).
func (c *Config) RegisterTLS(fs *flag.FlagSet) (check func() error) {
	return c.register(fs, func(name string) bool { return tlsSettings[name] })
}

// RegisterCommand is Register for a command other than serve: only the
// settings it uses (commandSettings), so that its --help lists its own.
func (c *Config) RegisterCommand(fs *flag.FlagSet) (check func() error) {
	return c.register(fs, func(name string) bool { return commandSettings[name] })
}

func (c *Config) Register(fs *flag.FlagSet) (check func() error) {
	return c.register(fs, func(string) bool { return true })
}

func (c *Config) register(fs *flag.FlagSet, use func(flag string) bool) (check func() error) {
	bad := map[string]error{}
	for _, s := range c.settings() {
		if !use(s.flag) {
			continue
		}
		if v, ok := os.LookupEnv(s.env); ok {
			if err := s.value.Set(v); err != nil {
				bad[s.flag] = fmt.Errorf("%s: %w", s.env, err)
			}
		}
		help := s.help + " (env " + s.env + ")"
		value := s.value
		if s.secret {
			help += " [secret]"
			// flag records a value's String() as the default shown by
			// --help; a secret must not appear there.
			value = masked{value}
		}
		fs.Var(value, s.flag, help)
	}
	return func() error {
		fs.Visit(func(f *flag.Flag) { delete(bad, f.Name) })
		for _, s := range c.settings() {
			if err := bad[s.flag]; err != nil {
				return err
			}
		}
		return nil
	}
}

// LogValue shows the settings with secrets masked, for the start-up log.
func (c Config) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, s := range c.settings() {
		v := s.value.String()
		if s.secret && v != "" {
			v = "(set)"
		}
		attrs = append(attrs, slog.String(s.flag, v))
	}
	return slog.GroupValue(attrs...)
}

// Validate checks values that flag parsing cannot.
func (c Config) Validate() error {
	switch {
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("log-format must be text or json")
	case c.Secret != "" && c.SecretFile != "":
		return fmt.Errorf("secret and secret-file are two ways to give one secret: give one")
	case c.Secret != "" && len(c.Secret) < credential.MinSecretLen:
		return fmt.Errorf("secret must be at least %d characters", credential.MinSecretLen)
	case c.PasswordIterations < credential.MinPasswordIterations:
		return fmt.Errorf("password-iterations must be at least %d", credential.MinPasswordIterations)
	case c.MigrantExamMaxBodyBytes < 1024:
		return fmt.Errorf("migrant-exam-max-body-bytes must be at least 1024")
	case c.MigrantExamMaxRows < 1:
		return fmt.Errorf("migrant-exam-max-rows must be positive")
	case c.MotivityMaxBodyBytes < 1024 || c.MotivityMaxBadgeUsers < 1 || c.MotivityMaxPointsItems < 1:
		return fmt.Errorf("motivity-max-body-bytes must be at least 1024, motivity-max-badge-users and motivity-max-points-items positive")
	case c.FSSPMaxItems < 1 || c.FSSPMaxItems > fssp.MaxItemsCap:
		return fmt.Errorf("fssp-max-items must be between 1 and %d", fssp.MaxItemsCap)
	case c.FSSPParallel < 1 || c.FSSPParallel > 64:
		return fmt.Errorf("fssp-parallel must be between 1 and 64")
	case c.FSSPSearchTimeout <= 0 || c.FSSPSweepEvery <= 0:
		return fmt.Errorf("fssp-search-timeout and fssp-sweep-every must be positive")
	case c.ReestroMaxBodyBytes < 1024 || c.ReestroCheckDeadline <= 0 || c.ReestroSweepEvery <= 0 || c.ReestroFSSPPollMax <= 0:
		return fmt.Errorf("reestro-max-body-bytes must be at least 1024, reestro-check-deadline, reestro-sweep-every and reestro-fssp-poll-max positive")
	case c.JournalBodyBytes < 0 || c.JournalBodyBytes > 16<<20 || c.JournalKeep < 1:
		return fmt.Errorf("journal-body-bytes must be 0 to 16 MiB, journal-keep positive")
	case c.DatabasePool < 1 || c.DatabasePool > 1000:
		return fmt.Errorf("database-pool must be between 1 and 1000")
	case c.JobWorkers.Each < 1:
		return fmt.Errorf("job-workers must be positive")
	case c.AuthFailures < 0 || c.AuthFailureEvery <= 0:
		return fmt.Errorf("auth-failures must be 0 (no throttle) or more, auth-failure-every positive")
	case c.MaxConnections < 1 || c.BodyGrace <= 0 || c.MinBodyRate < 1:
		return fmt.Errorf("max-connections, body-grace and min-body-rate must be positive")
	case c.ReestroFSSPURL != "" && c.ReestroFSSPToken == "":
		return fmt.Errorf("reestro-fssp-token is required with reestro-fssp-url")
	case c.MotivityFileLinkTTL <= 0 || c.MotivityMaxFileBytes < 1 || c.MotivityReportKeep <= 0:
		return fmt.Errorf("motivity-file-link-ttl, motivity-max-file-bytes and motivity-report-keep must be positive")
	case c.BlobStore != "disk" && c.BlobStore != "s3":
		return fmt.Errorf("blob-store must be disk or s3")
	case c.BlobStore == "s3" && (c.S3Endpoint == "" || c.S3Bucket == ""):
		return fmt.Errorf("s3-endpoint and s3-bucket are required with blob-store s3")
	case c.ShutdownTimeout <= 0 || c.DrainPeriod < 0 || c.DrainPeriod > 10*time.Minute:
		return fmt.Errorf("shutdown-timeout must be positive, drain-period 0 to 10m")
	case (c.TLSCACert == "") != (c.TLSCAKey == "") || (c.TLSCert == "") != (c.TLSKey == ""):
		return fmt.Errorf("tls-ca-cert and tls-ca-key go together, and so do tls-cert and tls-key")
	case c.TLSCACert != "" && c.TLSCert != "":
		return fmt.Errorf("tls-ca-cert and tls-cert are two ways to give the HTTPS certificate: give one")
	}
	if err := certs.CheckNames(c.tlsHosts()); err != nil {
		return fmt.Errorf("tls-hosts: %w", err)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return fmt.Errorf("timezone: %w", err)
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return fmt.Errorf("log-level: %w", err)
	}
	return nil
}

type masked struct{ flag.Value }

func (masked) String() string { return "" }

type stringValue string

func (v *stringValue) String() string     { return string(*v) }
func (v *stringValue) Set(s string) error { *v = stringValue(strings.TrimSpace(s)); return nil }

type durationValue time.Duration

func (v *durationValue) String() string { return time.Duration(*v).String() }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	*v = durationValue(d)
	return err
}

type int64Value int64

func (v *int64Value) String() string { return strconv.FormatInt(int64(*v), 10) }
func (v *int64Value) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	*v = int64Value(n)
	return err
}

type boolValue bool

func (v *boolValue) String() string { return strconv.FormatBool(bool(*v)) }
func (v *boolValue) Set(s string) error {
	b, err := strconv.ParseBool(s)
	*v = boolValue(b)
	return err
}

// IsBoolFlag lets --journal stand for --journal=true.
func (v *boolValue) IsBoolFlag() bool { return true }

type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	*v = intValue(n)
	return err
}
