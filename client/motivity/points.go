package motivity

import (
	"context"
	"net/http"
	"strconv"
)

// BalanceType is one of a user's balances.
type BalanceType string

const (
	// Score: «Баллы».
	Score BalanceType = "score"
	// Karma: «Карма».
	Karma BalanceType = "karma"
	// Payment: «Баллы каталога призов», only while the platform's prize
	// catalogue licence is valid (else "Balance not found").
	Payment BalanceType = "payment"
)

// PointsChange is one item of a points batch.
type PointsChange struct {
	// UserID is the user's identifier (e-mail, login or personnel number,
	// as the platform is set up).
	UserID      string
	BalanceType BalanceType
	// Amount is added (positive) or deducted (negative); never 0. A
	// balance never goes below zero.
	Amount int64
	// Message is shown to the user, at most 80 characters; empty sends
	// none, and the server writes its default wording in the request's
	// locale.
	Message string
}

// PointsResult is the outcome of one item, in the order of the batch.
type PointsResult struct {
	// UserID and BalanceType echo the item.
	UserID      string
	BalanceType BalanceType
	Success     bool
	// Balance is the balance after the change, or the unchanged one when
	// the item failed; nil when the user or the balance was not found.
	Balance *int64
	// Errors holds the item's first error (or every missing required
	// parameter); test them with errors.Is (ErrUserNotFound,
	// ErrInsufficientPoints, ErrBalanceNotFound, ErrMessageTooLong,
	// ErrNotInteger, ErrRequired).
	Errors []Problem
}

// Err is the item's first error, nil on success.
func (r PointsResult) Err() error {
	if len(r.Errors) == 0 {
		return nil
	}
	return r.Errors[0]
}

type pointsItemJSON struct {
	UserID      string      `json:"userId"`
	BalanceType BalanceType `json:"balanceType"`
	Amount      int64       `json:"amount"`
	Message     string      `json:"message,omitempty"`
}

type pointsAnswerJSON struct {
	Result bool `json:"result"`
	Data   []struct {
		UserID      *string   `json:"userId"`
		BalanceType *string   `json:"balanceType"`
		Success     bool      `json:"success"`
		Balance     *string   `json:"balance"`
		Errors      []Problem `json:"errors" null:"ok"`
	} `json:"data"`
}

// ChangePoints applies a batch of changes in order (several items for one
// user one after the other). An item that fails does not undo the others;
// each has its PointsResult. The call itself fails with ErrRequired when
// the batch cannot be processed (empty, or over the server's 1,000 items),
// and then nothing changed.
func (c *Client) ChangePoints(ctx context.Context, changes []PointsChange) ([]PointsResult, error) {
	const op = "ChangePoints"
	items := make([]pointsItemJSON, len(changes))
	for i, ch := range changes {
		items[i] = pointsItemJSON(ch)
	}
	var raw pointsAnswerJSON
	if err := c.call(ctx, op, http.MethodPost, "points/", items, &raw); err != nil {
		return nil, err
	}
	if !raw.Result || len(raw.Data) != len(changes) {
		return nil, malformed(op, "result %v with %d answers for %d items", raw.Result, len(raw.Data), len(changes))
	}
	out := make([]PointsResult, len(raw.Data))
	for i, d := range raw.Data {
		r := PointsResult{Success: d.Success, Errors: d.Errors}
		if d.UserID != nil {
			r.UserID = *d.UserID
		}
		if d.BalanceType != nil {
			r.BalanceType = BalanceType(*d.BalanceType)
		}
		if d.Balance != nil {
			n, err := strconv.ParseInt(*d.Balance, 10, 64)
			if err != nil {
				return nil, malformed(op, "item %d: balance %q", i, *d.Balance)
			}
			r.Balance = &n
		}
		if d.Success == (len(d.Errors) > 0) {
			return nil, malformed(op, "item %d: success %v with %d errors", i, d.Success, len(d.Errors))
		}
		out[i] = r
	}
	return out, nil
}
