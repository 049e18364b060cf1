package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"stend"
	"stend/migrantexam"
)

var _ migrantexam.Store = (*MigrantExam)(nil)

func scanOrganization(row scanner) (migrantexam.Organization, error) {
	var o migrantexam.Organization
	err := row.Scan(&o.ID, &o.Name, &o.Username, &o.PasswordHash, &o.APIKeyHash, timeValue{&o.CreatedAt})
	return o, err
}

func (db *MigrantExam) CreateOrganization(ctx context.Context, org migrantexam.Organization) (migrantexam.Organization, error) {
	const op = "sqlstore.CreateOrganization"
	var err error
	if org.CreatedAt, err = stamp(op, org.CreatedAt); err != nil {
		return migrantexam.Organization{}, err
	}
	err = db.row(ctx, db.write, "CreateOrganization",
		org.Name, org.Username, org.PasswordHash, org.APIKeyHash, db.dialect.TimeArg(org.CreatedAt)).Scan(&org.ID)
	if err != nil {
		return migrantexam.Organization{}, db.dbErr(op, err)
	}
	return org, nil
}

func (db *MigrantExam) UpdateOrganization(ctx context.Context, org migrantexam.Organization) (migrantexam.Organization, error) {
	const op = "sqlstore.UpdateOrganization"
	res, err := db.exec(ctx, db.write, "UpdateOrganization", org.ID, org.Name, org.PasswordHash, org.APIKeyHash)
	if err != nil {
		return migrantexam.Organization{}, db.dbErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return migrantexam.Organization{}, stend.Errorf(stend.NotFound, op, "organization %d", org.ID)
	}
	return db.OrganizationByID(ctx, org.ID)
}

func (db *MigrantExam) OrganizationByID(ctx context.Context, id int64) (migrantexam.Organization, error) {
	o, err := scanOrganization(db.row(ctx, db.read, "OrganizationByID", id))
	return o, db.dbErr("sqlstore.OrganizationByID", err)
}

func (db *MigrantExam) OrganizationByUsername(ctx context.Context, username string) (migrantexam.Organization, error) {
	o, err := scanOrganization(db.row(ctx, db.read, "OrganizationByUsername", username))
	return o, db.dbErr("sqlstore.OrganizationByUsername", err)
}

func (db *MigrantExam) Organizations(ctx context.Context) ([]migrantexam.Organization, error) {
	const op = "sqlstore.Organizations"
	rows, err := db.rows(ctx, db.read, "Organizations")
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer rows.Close()
	var out []migrantexam.Organization
	for rows.Next() {
		o, err := scanOrganization(rows)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		out = append(out, o)
	}
	return out, db.dbErr(op, rows.Err())
}

func scanArea(row scanner) (migrantexam.ExaminationArea, error) {
	var a migrantexam.ExaminationArea
	var org sql.NullInt64
	err := row.Scan(&a.ID, &org, &a.Name, timeValue{&a.CreatedAt})
	a.OrganizationID = org.Int64
	return a, err
}

func (db *MigrantExam) GrantArea(ctx context.Context, area migrantexam.ExaminationArea) (migrantexam.ExaminationArea, error) {
	const op = "sqlstore.GrantArea"
	if area.ID < 0 {
		return migrantexam.ExaminationArea{}, stend.Errorf(stend.Invalid, op, "area id must be positive")
	}
	err := db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if area.ID == 0 {
			if err := db.row(ctx, tx, "NextAreaID").Scan(&area.ID); err != nil {
				return err
			}
		}
		existing, err := scanArea(db.row(ctx, tx, "AreaByID", area.ID))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if area.CreatedAt, err = stamp("sqlstore.GrantArea", area.CreatedAt); err != nil {
				return err
			}
			_, err = db.exec(ctx, tx, "InsertArea", area.ID, area.OrganizationID, area.Name, db.dialect.TimeArg(area.CreatedAt))
			return err
		case err != nil:
			return err
		case existing.OrganizationID != 0 && existing.OrganizationID != area.OrganizationID:
			return stend.Errorf(stend.Conflict, op, "area %d is held by organization %d; revoke it first", area.ID, existing.OrganizationID)
		}
		if area.Name == "" {
			area.Name = existing.Name
		}
		area.CreatedAt = existing.CreatedAt
		_, err = db.exec(ctx, tx, "RegrantArea", area.ID, area.OrganizationID, area.Name)
		return err
	})
	if err != nil {
		return migrantexam.ExaminationArea{}, db.dbErr(op, err)
	}
	return area, nil
}

func (db *MigrantExam) RevokeArea(ctx context.Context, organizationID, areaID int64) error {
	const op = "sqlstore.RevokeArea"
	res, err := db.exec(ctx, db.write, "RevokeArea", areaID, organizationID)
	if err != nil {
		return db.dbErr(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return stend.Errorf(stend.NotFound, op, "area %d is not held by organization %d", areaID, organizationID)
	}
	return nil
}

func (db *MigrantExam) Areas(ctx context.Context, organizationID int64) ([]migrantexam.ExaminationArea, error) {
	const op = "sqlstore.Areas"
	rows, err := db.rows(ctx, db.read, "Areas", organizationID)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer rows.Close()
	var out []migrantexam.ExaminationArea
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		out = append(out, a)
	}
	return out, db.dbErr(op, rows.Err())
}

func (db *MigrantExam) SubmitReport(ctx context.Context, sub migrantexam.ReportSubmission) (int64, error) {
	const op = "sqlstore.SubmitReport"
	db.submitting.Add(1)
	defer db.submitting.Add(-1)
	c := &sub.Content
	var reportID int64
	var err error
	switch {
	case sub.ReplaceReportID == 0 && db.batcher != nil && len(c.Requests) <= maxBatchedReportRows:
		reportID, err = db.submitBatched(ctx, &sub)
	case sub.ReplaceReportID == 0 && db.q["SubmitNewReport"] != "":
		reportID, err = db.submitNewReport(ctx, sub, reportIDDraws)
	default:
		err = db.submitInSteps(ctx, sub, &reportID)
	}
	if err != nil {
		if db.dialect.IsUniqueViolation(err) {
			// Another request took the same week between our check and our
			// write (PostgreSQL, several writers): answer as if we had seen
			// it.
			var existing int64
			qerr := db.row(ctx, db.read, "ReportByWeek", sub.OrganizationID, c.ExaminationAreaID, c.PeriodStart.String()).Scan(&existing)
			if qerr == nil && existing != sub.ReplaceReportID {
				return 0, fmt.Errorf("%s: %w", op, &migrantexam.DuplicateReportError{ReportID: existing, ExaminationAreaID: c.ExaminationAreaID, PeriodStart: c.PeriodStart})
			}
		}
		return 0, db.dbErr(op, err)
	}
	return reportID, nil
}

// versionArgs are the values of a report_versions row after its key, in the
// order of the InsertReportVersion and SubmitNewReport statements.
func versionArgs(c *migrantexam.ReportContent, args []any) []any {
	args = append(args, c.PeriodEnd.String(), c.NoExamInSelectedPeriod, c.ExaminationAreaDoesNotWork)
	for _, l := range c.Levels {
		args = append(args, dateArg(l.NearestStartDate), boolArg(l.NoExamType))
	}
	return append(args, c.Comment, len(c.Requests))
}

// newReportID draws the ids of new reports; a test replaces it to make
// them collide.
var newReportID = migrantexam.NewReportID

// reportIDDraws bounds the draws for one new report. Even with half the
// range taken (a billion reports), 16 taken ids in a row happen to one
// report in 65,536.
const reportIDDraws = 16

// insertUnderFreeID calls insert with new random report ids, at most
// draws of them, until one was free: insert reports false, having stored
// nothing, when its id was taken.
func insertUnderFreeID(draws int, insert func(id int64) (inserted bool, err error)) error {
	for range draws {
		if ok, err := insert(newReportID()); ok || err != nil {
			return err
		}
	}
	return stend.Errorf(stend.Internal, "sqlstore.SubmitReport", "no free report id in %d draws", reportIDDraws)
}

// submitNewReport stores a new report with the dialect's one-statement
// SubmitNewReport, in at most draws draws of its id.
func (db *MigrantExam) submitNewReport(ctx context.Context, sub migrantexam.ReportSubmission, draws int) (int64, error) {
	c := &sub.Content
	args := []any{sub.OrganizationID, c.ExaminationAreaID, c.PeriodStart.String(), db.dialect.TimeArg(sub.ReceivedAt)}
	args = append(versionArgs(c, args), encodeRows(c.Requests), nil)
	var id int64
	err := insertUnderFreeID(draws, func(draw int64) (bool, error) {
		args[len(args)-1] = draw
		var holder, taken, created sql.NullInt64
		var rows int64
		if err := db.row(ctx, db.write, "SubmitNewReport", args...).Scan(&holder, &taken, &created, &rows); err != nil {
			return false, err
		}
		switch {
		case !holder.Valid || holder.Int64 != sub.OrganizationID:
			return false, migrantexam.ErrAreaNotGranted
		case taken.Valid:
			return false, &migrantexam.DuplicateReportError{ReportID: taken.Int64, ExaminationAreaID: c.ExaminationAreaID, PeriodStart: c.PeriodStart}
		case !created.Valid:
			return false, nil // the id is another report's: nothing was stored
		case rows != int64(len(c.Requests)):
			return false, fmt.Errorf("SubmitNewReport stored report %d with %d of %d rows", created.Int64, rows, len(c.Requests))
		}
		id = created.Int64
		return true, nil
	})
	return id, err
}

// encodeRows renders request rows as the JSON array SubmitNewReport
// unpacks: [[document, examDate, type, status], …]. Documents are hex and
// dates digits, but strconv.Quote keeps any value valid JSON.
func encodeRows(reqs []migrantexam.ExamRequest) string {
	buf := make([]byte, 0, len(reqs)*100+2)
	buf = append(buf, '[')
	for i, r := range reqs {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		buf = strconv.AppendQuote(buf, r.IdentityDocumentNumber)
		buf = append(buf, ',', '"')
		buf = append(buf, r.ExamDate.String()...)
		buf = append(buf, '"', ',')
		buf = strconv.AppendInt(buf, int64(r.ExamType), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(r.ExamStatus), 10)
		buf = append(buf, ']')
	}
	return string(append(buf, ']'))
}

// submitInSteps stores a report statement by statement in one transaction:
// SQLite always, PostgreSQL for replacements (its new reports go through
// SubmitNewReport, so it has no InsertReport).
func (db *MigrantExam) submitInSteps(ctx context.Context, sub migrantexam.ReportSubmission, reportID *int64) error {
	c := &sub.Content
	at := db.dialect.TimeArg(sub.ReceivedAt)
	return db.inTx(ctx, func(ctx context.Context, tx *sql.Tx) error {
		// Who holds the area and which report has the week, in one round
		// trip.
		var holder, week sql.NullInt64
		err := db.row(ctx, tx, "SubmitChecks", sub.OrganizationID, c.ExaminationAreaID, c.PeriodStart.String()).Scan(&holder, &week)
		if errors.Is(err, sql.ErrNoRows) || err == nil && holder.Int64 != sub.OrganizationID {
			return migrantexam.ErrAreaNotGranted
		}
		if err != nil {
			return err
		}
		existing := week.Int64
		version := 1
		if sub.ReplaceReportID == 0 {
			if existing != 0 {
				return &migrantexam.DuplicateReportError{ReportID: existing, ExaminationAreaID: c.ExaminationAreaID, PeriodStart: c.PeriodStart}
			}
			err = insertUnderFreeID(reportIDDraws, func(draw int64) (bool, error) {
				err := db.row(ctx, tx, "InsertReport", draw, sub.OrganizationID, c.ExaminationAreaID, c.PeriodStart.String(), at).Scan(reportID)
				if errors.Is(err, sql.ErrNoRows) {
					return false, nil // the id is another report's
				}
				return err == nil, err
			})
			if err != nil {
				return err
			}
		} else {
			*reportID = sub.ReplaceReportID
			// Looked up with the organization: another organization's
			// report is not read, as if it did not exist.
			var current int
			err = db.row(ctx, tx, "ReportForReplace", *reportID, sub.OrganizationID).Scan(&current)
			if errors.Is(err, sql.ErrNoRows) {
				return migrantexam.ErrReportNotFound
			}
			if err != nil {
				return err
			}
			if existing != 0 && existing != *reportID {
				return &migrantexam.DuplicateReportError{ReportID: existing, ExaminationAreaID: c.ExaminationAreaID, PeriodStart: c.PeriodStart}
			}
			version = current + 1
			if _, err := db.exec(ctx, tx, "UpdateReport", *reportID, c.ExaminationAreaID, c.PeriodStart.String(), version, at); err != nil {
				return err
			}
		}
		args := versionArgs(c, []any{*reportID, version, at, c.ExaminationAreaID, c.PeriodStart.String()})
		if _, err := db.exec(ctx, tx, "InsertReportVersion", args...); err != nil {
			return err
		}
		return db.insertBatched(ctx, tx, "InsertReportRequest", len(c.Requests), func(i int, args []any) []any {
			q := &c.Requests[i]
			return append(args, *reportID, version, i, q.IdentityDocumentNumber, q.ExamDate.String(), q.ExamType, q.ExamStatus)
		})
	})
}

func scanReport(row scanner) (migrantexam.Report, error) {
	var r migrantexam.Report
	err := row.Scan(&r.ID, &r.OrganizationID, &r.ExaminationAreaID, dateValue{d: &r.PeriodStart}, &r.CurrentVersion,
		timeValue{&r.CreatedAt}, timeValue{&r.UpdatedAt})
	return r, err
}

func (db *MigrantExam) Report(ctx context.Context, id int64) (migrantexam.Report, error) {
	const op = "sqlstore.Report"
	// One read transaction so that the versions and rows match the report.
	rtx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return migrantexam.Report{}, db.dbErr(op, err)
	}
	defer rtx.Rollback()
	tx := readTx{rtx}
	r, err := scanReport(db.row(ctx, tx, "ReportByID", id))
	if errors.Is(err, sql.ErrNoRows) {
		return migrantexam.Report{}, fmt.Errorf("%s: %w", op, migrantexam.ErrReportNotFound)
	}
	if err != nil {
		return migrantexam.Report{}, db.dbErr(op, err)
	}
	rows, err := db.rows(ctx, tx, "ReportVersions", id)
	if err != nil {
		return migrantexam.Report{}, db.dbErr(op, err)
	}
	for rows.Next() {
		var v migrantexam.ReportVersion
		var levels [migrantexam.ExamLevelCount]sql.NullBool
		dest := []any{&v.Version, timeValue{&v.ReceivedAt}, &v.ExaminationAreaID, dateValue{d: &v.PeriodStart}, dateValue{d: &v.PeriodEnd},
			&v.NoExamInSelectedPeriod, &v.ExaminationAreaDoesNotWork}
		for i := range levels {
			dest = append(dest, dateValue{pd: &v.Levels[i].NearestStartDate}, &levels[i])
		}
		var comment sql.NullString
		dest = append(dest, &comment, &v.RequestCount)
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return migrantexam.Report{}, db.dbErr(op, err)
		}
		for i := range levels {
			v.Levels[i].NoExamType = nullBool(levels[i])
		}
		if comment.Valid {
			v.Comment = &comment.String
		}
		r.Versions = append(r.Versions, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return migrantexam.Report{}, db.dbErr(op, err)
	}
	byVersion := make(map[int]*migrantexam.ReportVersion, len(r.Versions))
	for i := range r.Versions {
		byVersion[r.Versions[i].Version] = &r.Versions[i]
	}
	rows, err = db.rows(ctx, tx, "ReportRequests", id)
	if err != nil {
		return migrantexam.Report{}, db.dbErr(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var version int
		var q migrantexam.ExamRequest
		if err := rows.Scan(&version, &q.IdentityDocumentNumber, dateValue{d: &q.ExamDate}, &q.ExamType, &q.ExamStatus); err != nil {
			return migrantexam.Report{}, db.dbErr(op, err)
		}
		if v := byVersion[version]; v != nil {
			v.Requests = append(v.Requests, q)
		}
	}
	return r, db.dbErr(op, rows.Err())
}

func (db *MigrantExam) Reports(ctx context.Context, f migrantexam.ReportFilter) ([]migrantexam.Report, error) {
	const op = "sqlstore.Reports"
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 1000
	}
	query, args := "Reports", []any{f.OrganizationID, f.ExaminationAreaID, f.Limit}
	if f.AfterID != 0 {
		query, args = "ReportsAfter", []any{f.OrganizationID, f.ExaminationAreaID, f.AfterID, f.Limit}
	}
	rows, err := db.rows(ctx, db.read, query, args...)
	if err != nil {
		return nil, db.dbErr(op, err)
	}
	defer rows.Close()
	var out []migrantexam.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, db.dbErr(op, err)
		}
		out = append(out, r)
	}
	return out, db.dbErr(op, rows.Err())
}
