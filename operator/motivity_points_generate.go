package operator

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"stend"
	"stend/motivity"
)

// PointsGeneration is what GenerateMotivityPoints makes: Entries ledger
// entries over the Days days before now among Users users
// (user-000001@bench.example.ru …, the quest generator's users, created
// when missing).
type PointsGeneration struct {
	Users   int
	Entries int64
	Days    int
	Seed    uint64
}

// PointsGenerated says what GenerateMotivityPoints made.
type PointsGenerated struct {
	Users   int   `json:"users"`
	Entries int64 `json:"entries"`
	// Refused: changes drawn that the store refused, as it refuses a
	// request's, because the balance would have gone below zero (another
	// writer spent it meanwhile); nothing of them is written.
	Refused   int64                          `json:"refused"`
	ByBalance map[motivity.BalanceType]int64 `json:"byBalance"`
	From      time.Time                      `json:"from"`
	To        time.Time                      `json:"to"`
}

// pointsGenerateBatch bounds the changes of one import transaction.
const pointsGenerateBatch = 50_000

// generatedMessages are the messages of generated changes, by balance and
// by whether the change adds or takes.
var generatedMessages = map[motivity.BalanceType][2][]string{
	motivity.BalanceScore: {
		{"Бонус за завершённый проект", "Победа в конкурсе идей", "Наставничество новичка", "Прохождение курса", "Лучший сотрудник месяца"},
		{"Обмен на мерч", "Покупка в магазине наград", "Корректировка начисления"},
	},
	motivity.BalanceKarma: {
		{"Спасибо за помощь коллеге", "Благодарность от клиента", "Участие в волонтёрской акции"},
		{"Передача благодарности", "Корректировка кармы"},
	},
	motivity.BalancePayment: {
		{"Начисление к празднику", "Годовой бонус", "Компенсация обучения"},
		{"Заказ из каталога призов", "Подарочный сертификат"},
	},
}

// GenerateMotivityPoints fills the ledger at volume, for benchmarks: changes
// in requests of one to four, most through the public API, some by the
// operator, mostly adding (score by the most, karma, a little payment) and
// sometimes spending what the balance holds, spread evenly over the period
// with times that mostly grow with the entry's id (a request now and then
// is stamped up to a minute earlier, as a slow one would be). They go
// through the points path in large transactions, so every balance is the
// sum of its entries and each entry's balance after follows the one before.
func (s *Service) GenerateMotivityPoints(ctx context.Context, g PointsGeneration, progress func(int64)) (PointsGenerated, error) {
	const op = "operator.GenerateMotivityPoints"
	if g.Days == 0 {
		g.Days = 365
	}
	if g.Users < 1 || g.Users > 1_000_000 || g.Entries < 1 || g.Entries > 100_000_000 || g.Days < 1 || g.Days > 3650 {
		return PointsGenerated{}, stend.Errorf(stend.Invalid, op, "users 1 to 1,000,000, entries 1 to 100,000,000, days 1 to 3,650")
	}
	rng := rand.New(rand.NewPCG(g.Seed, g.Seed^0x9e3779b9))
	to := s.now().UTC().Truncate(time.Microsecond)
	from := to.Add(-time.Duration(g.Days) * 24 * time.Hour)
	out := PointsGenerated{ByBalance: map[motivity.BalanceType]int64{}, From: from, To: to}
	idents := make([]string, g.Users)
	for first := 0; first < g.Users; first += pointsGenerateBatch {
		n := min(pointsGenerateBatch, g.Users-first)
		if _, err := s.ensureBenchUsers(ctx, n, func(i int) (string, string) {
			idents[first+i-1] = benchUserIdentifier(first + i)
			return idents[first+i-1], fmt.Sprintf("Сотрудник %d", first+i)
		}, to); err != nil {
			return out, fmt.Errorf("%s: users: %w", op, err)
		}
	}
	out.Users = g.Users
	// What each balance holds as far as the generator knows: spending is
	// drawn within it. A balance held before the run counts as empty,
	// which only spends less.
	held := make([][3]int64, g.Users)
	span := to.Sub(from)
	request := int64(0)
	batches := make([]motivity.PointsBatch, 0, pointsGenerateBatch)
	for drawn := int64(0); drawn < g.Entries; {
		batches = batches[:0]
		items := 0
		for items < pointsGenerateBatch && drawn < g.Entries {
			n := min(int64(1+rng.IntN(4)), g.Entries-drawn)
			at := from.Add(time.Duration(float64(span) * float64(drawn) / float64(g.Entries)))
			if rng.IntN(10) == 0 {
				if at = at.Add(-time.Duration(rng.IntN(60_000)) * time.Millisecond); at.Before(from) {
					at = from
				}
			}
			b := motivity.PointsBatch{Actor: motivity.PublicAPIActor, At: at, Items: make([]motivity.PointsItem, n)}
			request++
			if rng.IntN(100) < 15 {
				b.Actor, b.RequestID = "operator", "operator"
			} else {
				b.RequestID = "bench-" + strconv.FormatInt(request, 10)
			}
			for i := range b.Items {
				user := rng.IntN(g.Users)
				k := generatedBalanceKind(rng)
				b.Items[i] = generatedChange(rng, idents[user], k, &held[user][k])
			}
			batches = append(batches, b)
			drawn += n
			items += int(n)
		}
		outcomes, err := s.Motivity.ImportPoints(ctx, batches)
		if err != nil {
			return out, fmt.Errorf("%s: %w", op, err)
		}
		for i, b := range batches {
			for j, it := range b.Items {
				if outcomes[i][j].Applied {
					out.Entries++
					out.ByBalance[it.Balance]++
				} else {
					out.Refused++
				}
			}
		}
		if progress != nil {
			progress(out.Entries + out.Refused)
		}
	}
	return out, s.Motivity.RefreshPointsStatistics(ctx)
}

func benchUserIdentifier(i int) string { return fmt.Sprintf("user-%06d@bench.example.ru", i) }

// generatedBalanceKind draws a balance's index in motivity.BalanceTypes:
// score 60%, karma 30%, payment 10%.
func generatedBalanceKind(rng *rand.Rand) int {
	switch r := rng.IntN(10); {
	case r < 6:
		return 0
	case r < 9:
		return 1
	}
	return 2
}

// generatedChange draws one change of balance kind k, which holds *held
// (updated): a third of the changes spend up to what it holds when it
// holds anything, the rest add an amount of the balance's scale.
func generatedChange(rng *rand.Rand, identifier string, k int, held *int64) motivity.PointsItem {
	balance := motivity.BalanceTypes[k]
	messages := generatedMessages[balance]
	it := motivity.PointsItem{Identifier: identifier, Balance: balance}
	if *held > 0 && rng.IntN(3) == 0 {
		it.Amount = -(1 + rng.Int64N(*held))
		it.Message = messages[1][rng.IntN(len(messages[1]))]
	} else {
		scale := [3]int64{100, 5, 500}[k]
		it.Amount = 1 + rng.Int64N(scale)
		it.Message = messages[0][rng.IntN(len(messages[0]))]
	}
	*held += it.Amount
	return it
}
