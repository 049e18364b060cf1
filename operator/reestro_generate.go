package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"stend"
	"stend/reestro"
)

// reestroGenerateBatch is the checks of one import transaction: large
// enough that commits do not dominate, small enough to hold in memory.
const reestroGenerateBatch = 10_000

// reestroGenerateEvery spaces generated checks: ten million of them span
// about a year, ending now.
const reestroGenerateEvery = 3 * time.Second

// generatedSurnames and generatedNames make the subjects of generated
// checks.
var (
	generatedSurnames = []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров"}
	generatedNames    = []string{"Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Иван", "Михаил"}
	generatedRegions  = []string{"77", "50", "78", "23", "66", "54", "16", "61"}
)

// GenerateReestroChecks adds count finished synthetic checks (Processed,
// one in 25 Failed) to an organization, about subjects it creates, for
// demos and benchmarks at any volume. The same seed makes the same checks;
// ids start with the check's number, so that loading appends to every index.
// Correlation ids split the checks into two portfolios ("portfolio-0",
// "portfolio-1"); external ids are "deal-<number>".
func (s *Service) GenerateReestroChecks(ctx context.Context, orgID string, seed uint64, count int64, progress func(int64)) (int64, error) {
	const op = "operator.GenerateReestroChecks"
	if count <= 0 || count > 1<<32 {
		return 0, stend.Errorf(stend.Invalid, op, "count must be between 1 and %d", int64(1)<<32)
	}
	id, ok := reestro.ParseGUID(strings.TrimSpace(orgID))
	if !ok {
		return 0, stend.Errorf(stend.NotFound, op, "no organization %q", orgID)
	}
	orgs, err := s.Reestro.Organizations(ctx)
	if err != nil {
		return 0, err
	}
	var org reestro.Organization
	for _, o := range orgs {
		if o.ID == id {
			org = o
		}
	}
	if org.Ref == 0 {
		return 0, stend.Errorf(stend.NotFound, op, "no organization %q", orgID)
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	guid := func(lead uint32) string {
		return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", lead, rng.Uint32()&0xffff, rng.Uint32()&0xfff,
			0x8000|rng.Uint32()&0x3fff, rng.Uint64()&0xffffffffffff)
	}
	now := s.now().UTC().Truncate(time.Second)
	subjects := make([]string, min(count/10+1, 1000))
	for i := range subjects {
		birth := stend.Date{Year: 1950 + rng.IntN(55), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
		sub, err := s.Reestro.CreateSubject(ctx, reestro.Subject{
			ID: guid(uint32(i)), OrganizationRef: org.Ref, CreatedAt: now.Add(-time.Duration(count) * reestroGenerateEvery),
			Person: reestro.Person{Surname: generatedSurnames[rng.IntN(len(generatedSurnames))],
				Name: generatedNames[rng.IntN(len(generatedNames))], BirthDate: &birth},
		})
		if err != nil {
			return 0, fmt.Errorf("%s: subject: %w", op, err)
		}
		subjects[i] = sub.ID
	}
	var done int64
	batch := make([]reestro.Check, 0, reestroGenerateBatch)
	for i := int64(0); i < count; i++ {
		created := now.Add(-time.Duration(count-i) * reestroGenerateEvery).Add(time.Duration(rng.IntN(1_000_000)) * time.Microsecond)
		finished := created.Add(2 * time.Second)
		regions := generatedRegions[rng.IntN(len(generatedRegions)):]
		regions = regions[:1+rng.IntN(min(3, len(regions)))]
		c := reestro.Check{
			ID: guid(uint32(i)), OrganizationRef: org.Ref, SubjectID: subjects[rng.IntN(len(subjects))],
			CorrelationID: "portfolio-" + strconv.FormatInt(i%2, 10), ExternalID: fmt.Sprintf("deal-%010d", i),
			Type: reestro.CheckFssp, State: reestro.CheckProcessed, CreatedAt: created, FinishedAt: &finished, Regions: regions,
		}
		if rng.IntN(25) == 0 {
			c.State, c.Failure = reestro.CheckFailed, "The FSSP search kept failing: generated"
		} else {
			var b strings.Builder
			b.WriteByte('[')
			for j, r := range regions {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"region":"` + r + `","items":[]}`)
			}
			b.WriteByte(']')
			c.Result = []byte(b.String())
		}
		batch = append(batch, c)
		if len(batch) == cap(batch) || i == count-1 {
			if err := s.Reestro.ImportChecks(ctx, batch); err != nil {
				return done, fmt.Errorf("%s: %w", op, err)
			}
			done += int64(len(batch))
			batch = batch[:0]
			if progress != nil {
				progress(done)
			}
		}
	}
	if err := s.Reestro.RefreshStatistics(ctx); err != nil {
		return done, fmt.Errorf("%s: %w", op, err)
	}
	return done, nil
}
