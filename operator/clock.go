package operator

import (
	"context"
	"net/http"
	"time"

	"stend"
)

// Clock is what an operator sees of the stand's clock.
type Clock struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"` // how far ahead of real time, as Go writes durations ("25h0m0s")
}

// maxClockOffset bounds how far the clock may be from real time: a Go
// duration holds about 292 years, and an offset past it would saturate
// silently (the clock would stop at the bound).
const maxClockOffset = 290 * 365 * 24 * time.Hour

// ClockAdvance asks for the clock to move forward.
type ClockAdvance struct {
	By string `json:"by"` // a Go duration: "25h", "90m", "1h30m"
}

func (s *Service) standClock(op string) (*stend.StandClock, error) {
	c, ok := s.Clock.(*stend.StandClock)
	if !ok {
		return nil, stend.Errorf(stend.Invalid, op, "this stand runs on a clock that cannot be moved")
	}
	return c, nil
}

// ReadClock reads the stand's clock as every node will see it.
func (s *Service) ReadClock(ctx context.Context) (Clock, error) {
	c, err := s.standClock("operator.ReadClock")
	if err != nil {
		return Clock{}, err
	}
	if err := c.Refresh(ctx); err != nil {
		return Clock{}, err
	}
	return Clock{Now: c.Now().UTC(), Offset: c.Offset().String()}, nil
}

// AdvanceClock moves the stand's time forward for every node. On this node
// what the move made due (purges, deadlines, jobs) has been run or woken
// when it returns; other nodes follow within stend.FollowEvery.
func (s *Service) AdvanceClock(ctx context.Context, in ClockAdvance) (Clock, error) {
	const op = "operator.AdvanceClock"
	c, err := s.standClock(op)
	if err != nil {
		return Clock{}, err
	}
	by, err := time.ParseDuration(in.By)
	if err != nil {
		return Clock{}, stend.Errorf(stend.Invalid, op, "by: %q is not a duration such as 25h or 90m", in.By)
	}
	if by > maxClockOffset-c.Offset() {
		return Clock{}, stend.Errorf(stend.Invalid, op, "by: the clock would be more than 290 years ahead of real time, beyond what its offset holds")
	}
	off, err := c.Advance(ctx, by)
	if err != nil {
		return Clock{}, err
	}
	return Clock{Now: c.Now().UTC(), Offset: off.String()}, nil
}

// ClockSet asks for the stand's time to be a given instant.
type ClockSet struct {
	At string `json:"at"` // RFC 3339, or a day (its 00:00 UTC)
}

// SetClock makes the stand's time in.At for every node, forward or back.
// On this node what the move made due has run or been woken when it
// returns; other nodes follow within stend.FollowEvery.
func (s *Service) SetClock(ctx context.Context, in ClockSet) (Clock, error) {
	const op = "operator.SetClock"
	c, err := s.standClock(op)
	if err != nil {
		return Clock{}, err
	}
	at, err := parseInstant(in.At)
	if err != nil || at.Year() < 1 || at.Year() > 9999 {
		return Clock{}, stend.Errorf(stend.Invalid, op, "at: %q is not an RFC 3339 instant or a day (YYYY-MM-DD)", in.At)
	}
	if d := time.Until(*at); d > maxClockOffset || d < -maxClockOffset {
		return Clock{}, stend.Errorf(stend.Invalid, op, "at: %q is more than 290 years from now, beyond what the clock's offset holds", in.At)
	}
	off, err := c.Set(ctx, *at)
	if err != nil {
		return Clock{}, err
	}
	return Clock{Now: c.Now().UTC(), Offset: off.String()}, nil
}

// ReleaseClock gives the stand real time again, for every node.
func (s *Service) ReleaseClock(ctx context.Context) (Clock, error) {
	c, err := s.standClock("operator.ReleaseClock")
	if err != nil {
		return Clock{}, err
	}
	off, err := c.Set(ctx, time.Time{})
	if err != nil {
		return Clock{}, err
	}
	return Clock{Now: c.Now().UTC(), Offset: off.String()}, nil
}

func (h *HTTP) registerClock(m *http.ServeMux) {
	m.HandleFunc("POST /operator/v1/clock/set", func(w http.ResponseWriter, r *http.Request) {
		var in ClockSet
		if err := decode(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		c, err := h.svc.SetClock(r.Context(), in)
		h.reply(w, r, http.StatusOK, c, err)
	})
	m.HandleFunc("POST /operator/v1/clock/release", func(w http.ResponseWriter, r *http.Request) {
		c, err := h.svc.ReleaseClock(r.Context())
		h.reply(w, r, http.StatusOK, c, err)
	})
	m.HandleFunc("GET /operator/v1/clock", func(w http.ResponseWriter, r *http.Request) {
		c, err := h.svc.ReadClock(r.Context())
		h.reply(w, r, http.StatusOK, c, err)
	})
	m.HandleFunc("POST /operator/v1/clock/advance", func(w http.ResponseWriter, r *http.Request) {
		var in ClockAdvance
		if err := decode(w, r, &in); err != nil {
			writeError(w, err)
			return
		}
		c, err := h.svc.AdvanceClock(r.Context(), in)
		h.reply(w, r, http.StatusOK, c, err)
	})
}
