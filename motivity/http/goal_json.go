package http

import (
	"strconv"
	"sync"
	"time"

	"stend/httpx"
	"stend/motivity"
)

// Goal answers are written by hand: a list is a user's every goal (110 in
// the benchmark's platform), and encoding/json's reflection was a fifth of
// the cost of a list. The bytes are encoding/json's, without HTML escaping
// (httpx.MarshalJSON; strings by httpx.AppendJSONString), which
// TestGoalJSONMatchesEncodingJSON holds.

// answerBuffers keep the buffers of goal lists (some 40 KB each) from one
// answer to the next: allocating them was a sixth of what a list cost.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// putAnswerBuffer returns b to the pool unless an unusual answer grew it
// beyond what is worth keeping.
func putAnswerBuffer(b *[]byte) {
	if cap(*b) <= 1<<20 {
		answerBuffers.Put(b)
	}
}

// goalView writes shown goals (motivity.Goal.Shown) as the API answers
// them, at now in the platform's zone.
type goalView struct {
	now time.Time
	loc *time.Location
}

func (v goalView) appendGoals(b []byte, gs []motivity.Goal) []byte {
	b = append(b, '[')
	for i, g := range gs {
		if i > 0 {
			b = append(b, ',')
		}
		shown := g.Shown()
		b = v.appendGoal(b, shown, shown.InRisk(v.now, v.loc))
	}
	return append(b, ']')
}

// appendGoal writes g, already shown, with inRisk given (a key result's is
// its goal's).
func (v goalView) appendGoal(b []byte, g motivity.Goal, inRisk bool) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, g.ID, 10)
	b = append(b, `,"title":`...)
	b = httpx.AppendJSONString(b, g.Title)
	b = append(b, `,"value":`...)
	b = strconv.AppendInt(b, g.Value, 10)
	b = append(b, `,"progress":`...)
	b = strconv.AppendInt(b, g.Progress, 10)
	b = append(b, `,"priority":`...)
	b = httpx.AppendJSONString(b, g.Priority)
	b = append(b, `,"deadlineAt":"`...)
	b = appendDateTime(b, time.Date(g.Deadline.Year, g.Deadline.Month, g.Deadline.Day, 0, 0, 0, 0, v.loc), v.loc)
	b = append(b, `","valueUnit":`...)
	b = httpx.AppendJSONString(b, g.ValueUnit)
	b = append(b, `,"inRisk":`...)
	b = strconv.AppendBool(b, inRisk)
	b = append(b, `,"approvedAt":`...)
	b = v.appendInstant(b, g.ApprovedAt)
	b = append(b, `,"approvedById":`...)
	b = appendIdentifier(b, g.ApprovedAt, g.ApprovedByIdentifier)
	b = append(b, `,"completedAt":`...)
	b = v.appendInstant(b, g.CompletedAt)
	b = append(b, `,"completedById":`...)
	b = appendIdentifier(b, g.CompletedAt, g.CompletedByIdentifier)
	b = append(b, `,"keyResults":`...)
	if len(g.KeyResults) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, kr := range g.KeyResults {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.appendGoal(b, kr, inRisk) // inherited, as the decisions say
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func (v goalView) appendInstant(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = appendDateTime(b, *t, v.loc)
	return append(b, '"')
}

// appendDateTime writes t in loc as dateTimeLayout does
// (2006-01-02T15:04:05-07:00), for years 0–9999. It looks the zone up once
// and formats the digits itself: a list writes some 300 instants, and
// time.Time.AppendFormat with In was a third of writing one.
func appendDateTime(b []byte, t time.Time, loc *time.Location) []byte {
	_, offset := t.In(loc).Zone()
	local := t.UTC().Add(time.Duration(offset) * time.Second)
	year, month, day := local.Date()
	hour, minute, second := local.Clock()
	b = append4(b, year)
	b = append(b, '-')
	b = append2(b, int(month))
	b = append(b, '-')
	b = append2(b, day)
	b = append(b, 'T')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, second)
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	b = append(b, sign)
	b = append2(b, offset/3600)
	b = append(b, ':')
	return append2(b, offset/60%60)
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10), byte('0'+n%10)) }

func append4(b []byte, n int) []byte { return append2(append2(b, n/100), n%100) }

// appendIdentifier writes who approved or completed: null while it has
// not happened.
func appendIdentifier(b []byte, at *time.Time, identifier string) []byte {
	if at == nil {
		return append(b, "null"...)
	}
	return httpx.AppendJSONString(b, identifier)
}

// goalAnswer is {"result":true,"goal":{…}} for one goal or key result,
// shown.
func (v goalView) goalAnswer(g motivity.Goal) []byte {
	b := make([]byte, 0, 1024)
	b = append(b, `{"result":true,"goal":`...)
	b = v.appendGoal(b, g, g.InRisk(v.now, v.loc))
	return append(b, '}')
}

func appendProblems(b []byte, ps []problem) []byte {
	if ps == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"message":`...)
		b = httpx.AppendJSONString(b, p.Message)
		b = append(b, `,"cause":`...)
		b = httpx.AppendJSONString(b, p.Cause)
		b = append(b, '}')
	}
	return append(b, ']')
}
