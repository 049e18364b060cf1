package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line bar on a terminal (or any writer) while a long
// load runs: how far, how fast, and when it should end.
type progress struct {
	w     io.Writer
	total int64
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int64) *progress {
	now := time.Now()
	return &progress{w: w, total: total, start: now, last: now}
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }

func (p *progress) update(n int64) {
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	p.draw(n, false)
}

func (p *progress) done(n int64) { p.draw(n, true) }

func (p *progress) draw(n int64, final bool) {
	secs := max(time.Since(p.start).Seconds(), 1e-3)
	rate := float64(n) / secs
	line := fmt.Sprintf("%d rows, %.0f/s", n, rate)
	if p.total > 0 {
		frac := min(float64(n)/float64(p.total), 1)
		filled := int(frac * 30)
		eta := ""
		if rate > 0 && !final {
			eta = fmt.Sprintf(", %s left", (time.Duration(float64(p.total-n)/rate) * time.Second).Round(time.Second))
		}
		line = fmt.Sprintf("[%s%s] %3.0f%% %d/%d, %.0f/s%s", strings.Repeat("#", filled), strings.Repeat(".", 30-filled), frac*100, n, p.total, rate, eta)
	}
	end := "\r"
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%-100s%s", line, end)
}
