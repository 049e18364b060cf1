package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"iter"
	"sync"

	"stend"
	"stend/motivity"
)

// Reports. Each report's rows are one query on the read pool, yielded as
// the driver returns them: the caller writes each before the next is read,
// so a report of any length holds one row in memory.

// optionalList is a filter's argument: NULL when it does not narrow.
func optionalList[T any](values []T) any {
	if values == nil {
		return nil
	}
	return jsonArg(values)
}

// reportSlots bound the reports a node reads at once. A report's rows hold
// a read connection for as long as the report is written, which a client
// that reads slowly (or a slow blob store, for a build) makes long: with
// every read connection held so, the rest of the API would wait. Half the
// read pool is for reports (at least one), so that the other half, and a
// report's own lookups beside its rows, are always free; a report past
// that waits for a slot.
type reportSlots struct {
	once sync.Once
	c    chan struct{}
}

// unboundedPoolSlots is the reports read at once when the read pool has
// no limit.
const unboundedPoolSlots = 8

// reportSlot waits for a slot to read a report: release gives it back.
func (db *Motivity) reportSlot(ctx context.Context) (release func(), err error) {
	s := &db.reportSlots
	s.once.Do(func() {
		n := unboundedPoolSlots
		if open := db.read.Stats().MaxOpenConnections; open > 0 {
			n = max(1, open/2)
		}
		s.c = make(chan struct{}, n)
	})
	select {
	case s.c <- struct{}{}:
		return func() { <-s.c }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// reportRows yields scan's value of each row of the named query, in one of
// the node's report slots.
func reportRows[T any](db *Motivity, ctx context.Context, op, name string, scan func(scanner, *T) error, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		release, err := db.reportSlot(ctx)
		if err != nil {
			var zero T
			yield(zero, db.dbErr(op, err))
			return
		}
		defer release()
		streamRows(db, ctx, op, name, scan, args...)(yield)
	}
}

// streamRows yields scan's value of each row of the named query as the
// driver returns it.
func streamRows[T any](db *Motivity, ctx context.Context, op, name string, scan func(scanner, *T) error, args ...any) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		rows, closeRows, err := db.sequentialRows(ctx, name, args...)
		if err != nil {
			yield(zero, db.dbErr(op, err))
			return
		}
		defer closeRows()
		for rows.Next() {
			var v T
			if err := scan(rows, &v); err != nil {
				yield(zero, db.dbErr(op, err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(zero, db.dbErr(op, err))
		}
	}
}

func (db *Motivity) UserReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.UserReportRow, error] {
	return reportRows(db, ctx, "sqlstore.UserReport", "ReportUsers", func(r scanner, v *motivity.UserReportRow) error {
		var manager sql.NullString
		err := r.Scan(&v.Identifier, &v.Name, &v.Email, &manager, &v.Status)
		if manager.Valid {
			v.Manager = &manager.String
		}
		return err
	}, jsonArg(q.Statuses), optionalList(q.Users))
}

func (db *Motivity) PointsReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.PointsReportRow, error] {
	// Users named: where the dialect has a query for them, their entries
	// are found by user. SQLite reads the ledger by time either way,
	// looking each entry's user up: gathering the named users' entries
	// instead would sort them under temp_store(MEMORY), in memory bounded
	// only by how many users the filter names.
	name := "ReportPoints"
	if q.Users != nil && db.q["ReportPointsOfUsers"] != "" {
		name = "ReportPointsOfUsers"
	}
	return reportRows(db, ctx, "sqlstore.PointsReport", name, func(r scanner, v *motivity.PointsReportRow) error {
		return r.Scan(timeValue{&v.At}, &v.User, &v.Status, &v.Balance, &v.Amount, &v.After, &v.Message, &v.Actor)
	}, jsonArg(q.Statuses), optionalList(q.Users), db.dialect.TimeArg(q.From), db.dialect.TimeArg(q.To), optionalList(q.Balances))
}

func (db *Motivity) BalancesReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.BalancesReportRow, error] {
	return reportRows(db, ctx, "sqlstore.BalancesReport", "ReportBalances", func(r scanner, v *motivity.BalancesReportRow) error {
		return r.Scan(&v.User, &v.Status, &v.Score, &v.Karma, &v.Payment)
	}, jsonArg(q.Statuses), optionalList(q.Users))
}

func (db *Motivity) BadgeReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.BadgeReportRow, error] {
	return reportRows(db, ctx, "sqlstore.BadgeReport", "ReportBadges", func(r scanner, v *motivity.BadgeReportRow) error {
		var removedAt nullTime
		var removedBy sql.NullString
		err := r.Scan(timeValue{&v.AssignedAt}, &v.User, &v.Status, &v.BadgeID, &v.AssignedBy, &removedAt, &removedBy)
		v.RemovedAt, v.RemovedBy = timePtr(removedAt), removedBy.String
		return err
	}, jsonArg(q.Statuses), optionalList(q.Users), db.dialect.TimeArg(q.From), db.dialect.TimeArg(q.To), optionalList(q.Badges))
}

func (db *Motivity) GoalReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.GoalReportRow, error] {
	return reportRows(db, ctx, "sqlstore.GoalReport", "ReportGoals", func(r scanner, v *motivity.GoalReportRow) error {
		var approved, completed nullTime
		g := &v.Goal
		err := r.Scan(&v.User, &v.Status, &g.ID, &g.ParentID, &g.Title, &g.Value, &g.Progress, &g.ValueUnit, &g.Priority,
			dateValue{d: &g.Deadline}, timeValue{&g.CreatedAt}, &approved, &completed)
		g.ApprovedAt, g.CompletedAt = timePtr(approved), timePtr(completed)
		return err
	}, jsonArg(q.Statuses), optionalList(q.Users))
}

func (db *Motivity) QuestReport(ctx context.Context, q motivity.ReportQuery) iter.Seq2[motivity.QuestReportRow, error] {
	quests := q.Quests
	if quests == nil {
		quests = []int64{}
	}
	return reportRows(db, ctx, "sqlstore.QuestReport", "ReportQuests", func(r scanner, v *motivity.QuestReportRow) error {
		var reviewed nullTime
		err := r.Scan(&v.QuestID, &v.TaskID, &v.Student, &v.Status, &v.TaskStatus, &reviewed, &v.Score)
		v.LastReviewAt = timePtr(reviewed)
		return err
	}, jsonArg(q.Statuses), optionalList(q.Users), jsonArg(quests), optionalList(q.TaskStatuses))
}

func (db *Motivity) UnknownUsers(ctx context.Context, identifiers []string) ([]string, error) {
	return collect(db.DB, ctx, "sqlstore.UnknownUsers", "UnknownUsers", func(r scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	}, jsonArg(identifiers))
}

func (db *Motivity) LiveUsers(ctx context.Context) iter.Seq2[motivity.User, error] {
	return streamRows(db, ctx, "sqlstore.LiveUsers", "LiveMotivityUsers", func(r scanner, u *motivity.User) error {
		var err error
		*u, err = scanMotivityUser(r)
		return err
	})
}

func (db *Motivity) CreateReport(ctx context.Context, r motivity.CreatedReport) (motivity.CreatedReport, error) {
	const op = "sqlstore.CreateReport"
	at, err := stamp(op, r.CreatedAt)
	if err != nil {
		return r, err
	}
	r.CreatedAt, r.State = at, motivity.ReportProcessing
	var filters any
	if r.Filters != nil {
		filters = string(r.Filters)
	}
	err = db.update(ctx, op, func(ctx context.Context, t *tx) error {
		if err := db.row(ctx, t.sql, "InsertMotivityReport", string(r.Kind), r.Locale, filters, db.dialect.TimeArg(at)).Scan(&r.ID); err != nil {
			return err
		}
		args, _ := json.Marshal(motivity.ReportJobArgs{Report: r.ID})
		job, err := t.InsertJob(ctx, stend.JobSpec{Kind: motivity.ReportBuildJobKind, Args: args, At: at, MaxAttempts: reportBuildAttempts})
		if err != nil {
			return err
		}
		_, err = db.exec(ctx, t.sql, "SetReportBuildJob", r.ID, job)
		return err
	})
	return r, err
}

// reportBuildAttempts: a report whose build keeps failing is marked failed
// after these, rather than answered "processing" for ever.
const reportBuildAttempts = 3

func scanCreatedReport(r scanner) (motivity.CreatedReport, error) {
	var rep motivity.CreatedReport
	var filters sql.NullString
	var finished, expires nullTime
	err := r.Scan(&rep.ID, &rep.Kind, &rep.Locale, &filters, &rep.State, &rep.Size, &rep.ETag, &rep.Blob, &rep.Error,
		timeValue{&rep.CreatedAt}, &finished, &expires)
	if filters.Valid {
		rep.Filters = []byte(filters.String)
	}
	rep.FinishedAt, rep.ExpiresAt = timePtr(finished), timePtr(expires)
	return rep, err
}

func (db *Motivity) CreatedReport(ctx context.Context, id int64) (motivity.CreatedReport, error) {
	// The one listing query, from just before id: a report's state is
	// derived from its job in one place.
	reps, err := db.CreatedReports(ctx, id-1, 1)
	if err == nil && (len(reps) == 0 || reps[0].ID != id) {
		err = stend.Errorf(stend.NotFound, "sqlstore.CreatedReport", "no report %d", id)
	}
	if err != nil {
		return motivity.CreatedReport{}, err
	}
	return reps[0], nil
}

func (db *Motivity) CreatedReports(ctx context.Context, afterID int64, limit int) ([]motivity.CreatedReport, error) {
	return collect(db.DB, ctx, "sqlstore.CreatedReports", "CreatedReports", scanCreatedReport, afterID, limit)
}

func (db *Motivity) FinishReport(ctx context.Context, r motivity.CreatedReport) (bool, error) {
	const op = "sqlstore.FinishReport"
	var done bool
	err := db.update(ctx, op, func(ctx context.Context, t *tx) error {
		res, err := db.exec(ctx, t.sql, "FinishReport", r.ID, string(r.State), r.Size, r.ETag, r.Error,
			db.timeArgOrNil(r.FinishedAt), db.timeArgOrNil(r.ExpiresAt), r.Blob)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		done = true
		if r.ExpiresAt == nil {
			return nil
		}
		args, _ := json.Marshal(motivity.ReportJobArgs{Report: r.ID})
		_, err = t.InsertJob(ctx, stend.JobSpec{Kind: motivity.ReportExpireJobKind, Args: args, At: *r.FinishedAt, RunAt: *r.ExpiresAt})
		return err
	})
	return done, err
}

func (db *Motivity) ReportKeysHeld(ctx context.Context, keys []string) (map[string]bool, error) {
	return db.keysHeld(ctx, "sqlstore.ReportKeysHeld", "MotivityReportKeysHeld", keys)
}

func (db *Motivity) DeleteReport(ctx context.Context, id int64) error {
	const op = "sqlstore.DeleteReport"
	return db.update(ctx, op, func(ctx context.Context, t *tx) error {
		res, err := db.exec(ctx, t.sql, "DeleteReport", id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err == nil && n == 0 {
			err = stend.Errorf(stend.NotFound, op, "no report %d", id)
		}
		return err
	})
}
