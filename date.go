package stend

import "time"

// Date is a civil date with no time zone: report periods and exam dates are
// calendar days, and comparing them as instants would shift them by the
// server's offset.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate accepts exactly YYYY-MM-DD and rejects impossible days and the
// year 0000, which PostgreSQL's date type cannot hold.
func ParseDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || s[:4] == "0000" {
		return Date{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// DateOf is the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time is midnight UTC of the day, for arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

func (d Date) String() string { return d.Time().Format(time.DateOnly) }

func (d Date) IsZero() bool { return d == Date{} }

func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.Time().Compare(e.Time()) }
