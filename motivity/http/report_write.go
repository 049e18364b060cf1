package http

import (
	"context"
	"io"
	"iter"
	"strconv"
	"time"

	"stend/httpx"
	"stend/motivity"
)

// A report is written as it is read: the head (title, isMultiple,
// headers), then each row as the store yields it, then the tail
// (metadata, hasErrors, errors). Rows are written by hand into one buffer
// that goes out every reportFlush bytes: a ten-million-row report costs a
// node that buffer, and encoding/json's reflection would cost most of the
// time a row takes. The bytes are encoding/json's without HTML escaping
// (httpx.AppendJSONString), which TestReportJSONIsEncodingJSON holds.

const reportFlush = 64 << 10

type reportWriter struct {
	w      io.Writer
	b      []byte
	plan   *motivity.ReportPlan
	loc    *time.Location
	status map[motivity.UserStatus]string
}

func (rw *reportWriter) flush(force bool) error {
	if len(rw.b) < reportFlush && !force {
		return nil
	}
	_, err := rw.w.Write(rw.b)
	rw.b = rw.b[:0]
	return err
}

// writeReport writes plan's report to w.
func (h *Handler) writeReport(ctx context.Context, w io.Writer, plan *motivity.ReportPlan) error {
	rw := &reportWriter{w: w, b: make([]byte, 0, reportFlush+4096), plan: plan, loc: plan.Platform.Location(), status: map[motivity.UserStatus]string{}}
	for _, s := range []motivity.UserStatus{motivity.UserActive, motivity.UserDeactivated, motivity.UserDeleted} {
		rw.status[s] = plan.StatusLabel(s)
	}
	b := append(rw.b, `{"title":`...)
	b = httpx.AppendJSONString(b, plan.Title)
	b = append(b, `,"isMultiple":`...)
	b = strconv.AppendBool(b, plan.Def.Multiple)
	b = append(b, `,"headers":`...)
	rw.b = b
	var err error
	switch {
	case len(plan.Errors) > 0 && plan.Def.Multiple:
		rw.b = append(rw.b, `[],"data":[]`...)
	case len(plan.Errors) > 0:
		rw.b = appendHeaders(rw.b, plan.Columns, plan.Label)
		rw.b = append(rw.b, `,"data":[]`...)
	case plan.Def.Multiple:
		err = h.writeQuestPages(ctx, rw)
	default:
		rw.b = appendHeaders(rw.b, plan.Columns, plan.Label)
		rw.b = append(rw.b, `,"data":[`...)
		err = h.writeRows(ctx, rw)
		rw.b = append(rw.b, ']')
	}
	if err != nil {
		return err
	}
	rw.b = append(rw.b, `,"metadata":`...)
	rw.b = appendEntries(rw.b, plan.Metadata)
	rw.b = append(rw.b, `,"hasErrors":`...)
	rw.b = strconv.AppendBool(rw.b, len(plan.Errors) > 0)
	rw.b = append(rw.b, `,"errors":`...)
	rw.b = appendEntries(rw.b, plan.Errors)
	rw.b = append(rw.b, '}')
	return rw.flush(true)
}

func appendEntries(b []byte, es []motivity.Entry) []byte {
	b = append(b, '{')
	for i, e := range es {
		if i > 0 {
			b = append(b, ',')
		}
		b = httpx.AppendJSONString(b, e.Key)
		b = append(b, ':')
		b = httpx.AppendJSONString(b, e.Value)
	}
	return append(b, '}')
}

// eachRow writes every row of seq with write, a comma between them.
func eachRow[T any](rw *reportWriter, seq iter.Seq2[T, error], write func(b []byte, row *T) []byte) error {
	first := true
	for row, err := range seq {
		if err != nil {
			return err
		}
		if !first {
			rw.b = append(rw.b, ',')
		}
		first = false
		rw.b = write(rw.b, &row)
		if err := rw.flush(false); err != nil {
			return err
		}
	}
	return nil
}

func (rw *reportWriter) appendStatus(b []byte, s motivity.UserStatus) []byte {
	if !rw.plan.ShowStatus {
		return append(b, '}')
	}
	b = append(b, `,"user_status":`...)
	b = httpx.AppendJSONString(b, rw.status[s])
	return append(b, '}')
}

func appendOptionalString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return httpx.AppendJSONString(b, *s)
}

func (rw *reportWriter) appendTime(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = appendDateTime(b, *t, rw.loc)
	return append(b, '"')
}

func (h *Handler) writeRows(ctx context.Context, rw *reportWriter) error {
	store, q := h.service.Store, rw.plan.Query
	switch rw.plan.Def.Kind {
	case motivity.ReportUsers:
		return eachRow(rw, store.UserReport(ctx, q), func(b []byte, r *motivity.UserReportRow) []byte {
			b = append(b, `{"id":`...)
			b = httpx.AppendJSONString(b, r.Identifier)
			b = append(b, `,"name":`...)
			b = httpx.AppendJSONString(b, r.Name)
			b = append(b, `,"email":`...)
			b = httpx.AppendJSONString(b, r.Email)
			b = append(b, `,"manager":`...)
			b = appendOptionalString(b, r.Manager)
			return rw.appendStatus(b, r.Status)
		})
	case motivity.ReportPoints:
		return eachRow(rw, store.PointsReport(ctx, q), func(b []byte, r *motivity.PointsReportRow) []byte {
			b = append(b, `{"date":`...)
			b = rw.appendTime(b, &r.At)
			b = append(b, `,"user":`...)
			b = httpx.AppendJSONString(b, r.User)
			b = append(b, `,"balanceType":`...)
			b = httpx.AppendJSONString(b, string(r.Balance))
			b = append(b, `,"amount":`...)
			b = strconv.AppendInt(b, r.Amount, 10)
			b = append(b, `,"balance":`...)
			b = strconv.AppendInt(b, r.After, 10)
			b = append(b, `,"message":`...)
			b = httpx.AppendJSONString(b, r.Message)
			b = append(b, `,"author":`...)
			b = appendOptionalString(b, motivity.ReportAuthor(r.Actor))
			return rw.appendStatus(b, r.Status)
		})
	case motivity.ReportBalances:
		payment := hasColumn(rw.plan.Columns, "payment")
		return eachRow(rw, store.BalancesReport(ctx, q), func(b []byte, r *motivity.BalancesReportRow) []byte {
			b = append(b, `{"user":`...)
			b = httpx.AppendJSONString(b, r.User)
			b = append(b, `,"score":`...)
			b = strconv.AppendInt(b, r.Score, 10)
			b = append(b, `,"karma":`...)
			b = strconv.AppendInt(b, r.Karma, 10)
			if payment {
				b = append(b, `,"payment":`...)
				b = strconv.AppendInt(b, r.Payment, 10)
			}
			return rw.appendStatus(b, r.Status)
		})
	case motivity.ReportBadges:
		var titleErr error
		err := eachRow(rw, store.BadgeReport(ctx, q), func(b []byte, r *motivity.BadgeReportRow) []byte {
			badge, err := h.service.BadgeTitle(ctx, rw.plan, r.BadgeID)
			if err != nil && titleErr == nil {
				titleErr = err
			}
			b = append(b, `{"user":`...)
			b = httpx.AppendJSONString(b, r.User)
			b = append(b, `,"badge":`...)
			b = httpx.AppendJSONString(b, motivity.Localized(badge.Texts, rw.plan.Locale, rw.plan.Platform).Title)
			b = append(b, `,"grade":`...)
			if badge.ParentID == 0 {
				b = append(b, "null"...)
			} else {
				b = strconv.AppendInt(b, int64(badge.Grade), 10)
			}
			b = append(b, `,"assignedAt":`...)
			b = rw.appendTime(b, &r.AssignedAt)
			b = append(b, `,"assignedBy":`...)
			b = appendOptionalString(b, motivity.ReportAuthor(r.AssignedBy))
			b = append(b, `,"removedAt":`...)
			b = rw.appendTime(b, r.RemovedAt)
			b = append(b, `,"removedBy":`...)
			if r.RemovedAt == nil {
				b = append(b, "null"...)
			} else {
				b = appendOptionalString(b, motivity.ReportAuthor(r.RemovedBy))
			}
			return rw.appendStatus(b, r.Status)
		})
		if err == nil {
			err = titleErr
		}
		return err
	case motivity.ReportGoals:
		return h.writeGoalRows(ctx, rw)
	}
	return nil
}

func hasColumn(cs []motivity.ReportColumn, name string) bool {
	for _, c := range cs {
		if c.Name == name {
			return true
		}
	}
	return false
}

// writeGoalRows gathers each goal with its key results (the store yields
// them together) to show it as the API does (progress of a goal with key
// results, risk at the plan's time), then writes the goal and its key
// results if the filters keep the goal.
func (h *Handler) writeGoalRows(ctx context.Context, rw *reportWriter) error {
	var group []motivity.GoalReportRow
	first := true
	emit := func() error {
		if len(group) == 0 {
			return nil
		}
		g := group[0].Goal
		for _, kr := range group[1:] {
			g.KeyResults = append(g.KeyResults, kr.Goal)
		}
		shown := g.Shown()
		defer func() { group = group[:0] }()
		if !rw.plan.GoalIncluded(shown) {
			return nil
		}
		inRisk := shown.InRisk(rw.plan.Now, rw.loc)
		for i, row := range group {
			goal := shown
			if i > 0 {
				goal = shown.KeyResults[i-1]
			}
			if !first {
				rw.b = append(rw.b, ',')
			}
			first = false
			rw.b = rw.appendGoal(rw.b, row, goal, inRisk)
		}
		return rw.flush(false)
	}
	for row, err := range h.service.Store.GoalReport(ctx, rw.plan.Query) {
		if err != nil {
			return err
		}
		if row.Goal.ParentID == 0 || len(group) == 0 || group[0].Goal.ID != row.Goal.ParentID {
			if err := emit(); err != nil {
				return err
			}
			if row.Goal.ParentID != 0 {
				continue // a key result whose goal is deleted: not shown
			}
		}
		group = append(group, row)
	}
	return emit()
}

func (rw *reportWriter) appendGoal(b []byte, row motivity.GoalReportRow, g motivity.Goal, inRisk bool) []byte {
	b = append(b, `{"user":`...)
	b = httpx.AppendJSONString(b, row.User)
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, g.ID, 10)
	b = append(b, `,"parentId":`...)
	if g.ParentID == 0 {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, g.ParentID, 10)
	}
	b = append(b, `,"title":`...)
	b = httpx.AppendJSONString(b, g.Title)
	b = append(b, `,"value":`...)
	b = strconv.AppendInt(b, g.Value, 10)
	b = append(b, `,"progress":`...)
	b = strconv.AppendInt(b, g.Progress, 10)
	b = append(b, `,"valueUnit":`...)
	b = httpx.AppendJSONString(b, g.ValueUnit)
	b = append(b, `,"priority":`...)
	b = httpx.AppendJSONString(b, g.Priority)
	b = append(b, `,"deadlineAt":`...)
	deadline := time.Date(g.Deadline.Year, g.Deadline.Month, g.Deadline.Day, 0, 0, 0, 0, rw.loc)
	b = rw.appendTime(b, &deadline)
	b = append(b, `,"inRisk":`...)
	b = strconv.AppendBool(b, inRisk)
	b = append(b, `,"approvedAt":`...)
	b = rw.appendTime(b, g.ApprovedAt)
	b = append(b, `,"completedAt":`...)
	b = rw.appendTime(b, g.CompletedAt)
	return rw.appendStatus(b, row.Status)
}

// writeQuestPages writes one page per quest of the plan, by quest id: the
// headers once per page, and the page's rows (an empty page for a quest
// nobody holds a task of, so that pages and quests line up).
func (h *Handler) writeQuestPages(ctx context.Context, rw *reportWriter) error {
	plan := rw.plan
	rw.b = append(rw.b, '[')
	for i := range plan.Quests {
		if i > 0 {
			rw.b = append(rw.b, ',')
		}
		rw.b = appendHeaders(rw.b, plan.Columns, plan.Label)
	}
	rw.b = append(rw.b, `],"data":[`...)
	page := 0 // pages opened so far
	openThrough := func(questIndex int) {
		for page <= questIndex {
			if page > 0 {
				rw.b = append(rw.b, "],"...)
			}
			rw.b = append(rw.b, '[')
			page++
		}
	}
	index := make(map[int64]int, len(plan.Quests))
	for i, q := range plan.Quests {
		index[q.ID] = i
	}
	current, first := -1, true
	for row, err := range h.service.Store.QuestReport(ctx, plan.Query) {
		if err != nil {
			return err
		}
		i, ok := index[row.QuestID]
		if !ok {
			continue
		}
		if i != current {
			openThrough(i)
			current, first = i, true
		}
		if !first {
			rw.b = append(rw.b, ',')
		}
		first = false
		task := plan.Tasks[row.TaskID]
		b := append(rw.b, `{"student":`...)
		b = httpx.AppendJSONString(b, row.Student)
		b = append(b, `,"task":`...)
		b = httpx.AppendJSONString(b, motivity.Localized(task.Texts, plan.Locale, plan.Platform).Title)
		b = append(b, `,"status":`...)
		b = httpx.AppendJSONString(b, string(row.TaskStatus))
		b = append(b, `,"lastReviewAt":`...)
		b = rw.appendTime(b, row.LastReviewAt)
		b = append(b, `,"score":`...)
		b = strconv.AppendInt(b, row.Score, 10)
		rw.b = rw.appendStatus(b, row.Status)
		if err := rw.flush(false); err != nil {
			return err
		}
	}
	openThrough(len(plan.Quests) - 1)
	if page > 0 {
		rw.b = append(rw.b, ']')
	}
	rw.b = append(rw.b, ']')
	return nil
}
