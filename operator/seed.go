package operator

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
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
	return s.loadMotivitySeed(ctx, seed.Motivity, logger)
}
