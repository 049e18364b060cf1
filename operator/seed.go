package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"stend/fault"
)

// Seed is the declarative seed file: everything a stand needs at start.
// Loading it is idempotent, so the same file can be given at every start;
// see docs/operator.md for the format.
type Seed struct {
	// Demo marks a seed whose credentials are public demo values: the
	// server then logs them at start so that a newcomer can use them.
	Demo        bool `json:"demo"`
	MigrantExam struct {
		Organizations []SeedOrganization `json:"organizations"`
	} `json:"migrantExam"`
	Motivity SeedMotivity `json:"motivity"`
	FSSP     SeedFSSP     `json:"fssp"`
	Reestro  SeedReestro  `json:"reestro"`
	// Faults are rules that fail matching requests (docs/stand.md).
	Faults []fault.Rule `json:"faults"`

	// dir is where the seed file is: files it names are relative to it.
	dir string
}

// SeedFSSP provisions the FSSP data bank API: its tokens and, when the bank
// is empty, its proceedings.
type SeedFSSP struct {
	Tokens []NewFSSPToken `json:"tokens"`
	// Bank fills an empty bank; a bank that holds proceedings is left as
	// it is, so that loading the seed again adds nothing.
	Bank struct {
		Generate *struct {
			Count int64  `json:"count"`
			Seed  uint64 `json:"seed"`
		} `json:"generate"`
		Import []struct {
			File    string `json:"file"`
			Layout  string `json:"layout"`
			SkipBad bool   `json:"skipBad"`
		} `json:"import"`
	} `json:"bank"`
}

// SeedOrganization is an organization with the areas it holds.
type SeedOrganization struct {
	NewOrganization
	Areas []SeedArea `json:"areas"`
}

// SeedArea is an examination area to grant.
type SeedArea struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ReadSeed parses a seed file, refusing unknown keys so that a typo does not
// silently leave part of a stand unprovisioned.
func ReadSeed(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, fmt.Errorf("seed: %w", err)
	}
	defer f.Close()
	var s Seed
	dec := json.NewDecoder(io.LimitReader(f, 64<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("seed %s: %w", path, err)
	}
	s.dir = filepath.Dir(path)
	return s, nil
}

// LoadSeed makes the stand hold everything the seed describes. Credentials
// it had to generate are logged once, as the commands print them once.
func (s *Service) LoadSeed(ctx context.Context, seed Seed, logger *slog.Logger) error {
	for _, so := range seed.MigrantExam.Organizations {
		org, generated, err := s.EnsureOrganization(ctx, so.NewOrganization)
		if err != nil {
			return fmt.Errorf("seed: organization %q: %w", so.Username, err)
		}
		if generated != nil && (so.Password == "" || so.APIKey == "") {
			// Only what was generated: what the seed file holds, its
			// reader already has.
			attrs := []any{"api", "migrant-exam", "username", generated.Username}
			if so.Password == "" {
				attrs = append(attrs, "password", generated.Password)
			}
			if so.APIKey == "" {
				attrs = append(attrs, "x-api-key", generated.APIKey)
			}
			logger.Info("seed: generated credentials, shown once", attrs...)
		}
		for _, a := range so.Areas {
			if _, err := s.GrantArea(ctx, org.ID, a.ID, a.Name); err != nil {
				return fmt.Errorf("seed: organization %q, area %d: %w", so.Username, a.ID, err)
			}
		}
	}
	if err := s.loadFSSPSeed(ctx, seed.FSSP, seed.dir, logger); err != nil {
		return err
	}
	if err := s.loadReestroSeed(ctx, seed.Reestro, logger); err != nil {
		return err
	}
	// Files first: badges may name them as their images.
	if err := s.loadFilesSeed(ctx, &seed.Motivity, seed.dir); err != nil {
		return err
	}
	if err := s.loadMotivitySeed(ctx, seed.Motivity, logger); err != nil {
		return err
	}
	return s.loadFaultsSeed(ctx, seed.Faults)
}

func (s *Service) loadFSSPSeed(ctx context.Context, seed SeedFSSP, dir string, logger *slog.Logger) error {
	for _, n := range seed.Tokens {
		t, created, err := s.EnsureFSSPToken(ctx, n)
		if err != nil {
			return fmt.Errorf("seed: fssp token %q: %w", n.Name, err)
		}
		if created && n.Token == "" {
			logger.Info("seed: generated credentials, shown once", "api", "fssp", "name", t.Name, "token", t.Token)
		}
	}
	size, err := s.BankSize(ctx)
	if err != nil || size > 0 {
		return err
	}
	if g := seed.Bank.Generate; g != nil && g.Count > 0 {
		n, err := s.GenerateBank(ctx, g.Seed, g.Count, nil)
		if err != nil {
			return fmt.Errorf("seed: fssp bank: %w", err)
		}
		logger.Info("seed: fssp bank generated", "proceedings", n)
	}
	for _, im := range seed.Bank.Import {
		file := im.File
		if !filepath.IsAbs(file) && dir != "" {
			file = filepath.Join(dir, file)
		}
		f, err := os.Open(file)
		if err != nil {
			return fmt.Errorf("seed: fssp import: %w", err)
		}
		res, err := s.ImportBank(ctx, f, im.Layout, im.SkipBad, nil)
		f.Close()
		if err != nil {
			return fmt.Errorf("seed: fssp import %s: %w", im.File, err)
		}
		logger.Info("seed: fssp bank imported", "file", im.File, "proceedings", res.Imported, "bad_rows", len(res.BadRows),
			"replaced_departments", len(res.ReplacedDepartments))
	}
	return nil
}
