package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"stend"
	"stend/migrantexam"
)

// New reports on PostgreSQL are batched: the reports that one node receives
// while its earlier ones are being stored go to the database together, in
// one SubmitNewReports statement and one commit. Each report alone costs
// PostgreSQL a statement's start, a commit and a round trip, which were
// most of its CPU per small report; merged, thirty reports share them.
// Replacements, and any report the batch could not store (its id or week
// taken meanwhile, or the batch failing), go through the single statement,
// whose answers are the documented ones. SQLite does not need it: its
// committer groups every write transaction already.

// Bounds of one statement: its JSON, its plan's work and the wait of its
// first report. A report of more rows than maxBatchedReportRows is not
// batched: its own rows outweigh what a batch would spare it, and a few
// such reports would make one statement hold megabytes of JSON; a batch
// takes no more reports once it holds maxReportBatchRows rows.
const (
	maxReportBatch       = 64
	maxBatchedReportRows = 256
	maxReportBatchRows   = 1024
)

// reportBatchWorkers is how many batches of one node may be in the
// database at once. A report waits only while every worker is busy, so
// that alone it is stored at once, as before; with one worker a batch
// would wait for the previous batch's commit. Small reports from 32
// connections (docs/benchmarks.md, issue 20's eleventh part): 4,602 /
// 5,640/s with two, 4,498 / 4,653 with four, 3,633 / 3,772 with eight: more
// workers make smaller batches, each paying its own statement and commit.
const reportBatchWorkers = 2

type newReportCall struct {
	batchCall
	sub *migrantexam.ReportSubmission
	id  int64
}

type reportBatcher = statementBatcher[*newReportCall]

func newReportBatcher(db *MigrantExam) *reportBatcher {
	return newStatementBatcher(maxReportBatch, reportBatchWorkers,
		func(c *newReportCall) int { return len(c.sub.Content.Requests) }, maxReportBatchRows,
		&db.writeGroups, db.storeNewReports)
}

// submitBatched stores a new report through a batch and returns its id, or
// the error the single statement would have given.
func (db *MigrantExam) submitBatched(ctx context.Context, sub *migrantexam.ReportSubmission) (int64, error) {
	c := &newReportCall{sub: sub}
	if err := db.batcher.do(ctx, c); err != nil {
		return 0, err
	}
	return c.id, nil
}

// batchedReport is one report of SubmitNewReports' $1.
type batchedReport struct {
	N            int             `json:"n"`
	ID           int64           `json:"id"`
	Org          int64           `json:"org"`
	Area         int64           `json:"area"`
	PeriodStart  string          `json:"period_start"`
	At           string          `json:"at"`
	PeriodEnd    string          `json:"period_end"`
	NoExam       bool            `json:"no_exam"`
	DoesNotWork  bool            `json:"does_not_work"`
	PatentDate   *string         `json:"patent_date"`
	NoPatent     *bool           `json:"no_patent"`
	TempDate     *string         `json:"temporary_date"`
	NoTemp       *bool           `json:"no_temporary"`
	PermitDate   *string         `json:"permit_date"`
	NoPermit     *bool           `json:"no_permit"`
	RussianDate  *string         `json:"russian_date"`
	NoRussian    *bool           `json:"no_russian"`
	HistoryDate  *string         `json:"history_date"`
	NoHistory    *bool           `json:"no_history"`
	Comment      *string         `json:"comment"`
	RequestCount int             `json:"request_count"`
	Requests     json.RawMessage `json:"requests"`
}

// storeNewReports runs one batch and answers each of its reports; those
// the batch did not store are submitted alone.
func (db *MigrantExam) storeNewReports(live []*newReportCall) {
	if len(live) == 1 {
		// Alone, the single statement is cheaper: PostgreSQL's CPU for a
		// lone small report was 0.35-0.43 ms with it, 0.63 ms as a batch
		// of one (its JSON unpacked, a plan of joins).
		c := live[0]
		c.id, c.err = db.submitNewReport(context.WithoutCancel(c.ctx), *c.sub, reportIDDraws)
		return
	}
	slices.SortFunc(live, func(x, y *newReportCall) int {
		cx, cy := &x.sub.Content, &y.sub.Content
		return cmp.Or(cmp.Compare(x.sub.OrganizationID, y.sub.OrganizationID),
			cmp.Compare(cx.ExaminationAreaID, cy.ExaminationAreaID),
			cx.PeriodStart.Compare(cy.PeriodStart))
	})
	input := make([]batchedReport, len(live))
	ids := make(map[int64]bool, len(live))
	for i, c := range live {
		// Distinct draws: two reports of the batch under one id would
		// insert two first versions of it, failing the whole batch.
		id := newReportID()
		for ids[id] {
			id = newReportID()
		}
		ids[id] = true
		c.id = id
		input[i] = batchedInput(i, c)
	}
	outcomes, err := db.submitNewReports(input)
	for i, c := range live {
		o := outcomes[i]
		cont := &c.sub.Content
		switch {
		case err != nil:
			c.id, c.err = db.submitNewReport(context.WithoutCancel(c.ctx), *c.sub, reportIDDraws-1)
		case !o.holder.Valid || o.holder.Int64 != c.sub.OrganizationID:
			c.id, c.err = 0, migrantexam.ErrAreaNotGranted
		case o.taken.Valid:
			c.id, c.err = 0, &migrantexam.DuplicateReportError{ReportID: o.taken.Int64, ExaminationAreaID: cont.ExaminationAreaID, PeriodStart: cont.PeriodStart}
		case !o.created.Valid:
			c.id, c.err = db.submitNewReport(context.WithoutCancel(c.ctx), *c.sub, reportIDDraws-1)
		case o.rows != int64(len(cont.Requests)):
			c.id, c.err = 0, fmt.Errorf("SubmitNewReports stored report %d with %d of %d rows", o.created.Int64, o.rows, len(cont.Requests))
		}
		c.answer()
	}
}

func batchedInput(n int, c *newReportCall) batchedReport {
	cont := &c.sub.Content
	date := func(d *stend.Date) *string {
		if d == nil {
			return nil
		}
		s := d.String()
		return &s
	}
	l := &cont.Levels
	return batchedReport{
		N: n, ID: c.id, Org: c.sub.OrganizationID, Area: cont.ExaminationAreaID,
		PeriodStart: cont.PeriodStart.String(),
		// pgx stores a time.Time truncated to microseconds; the text form
		// would be rounded, so it is truncated here to store the same.
		At:        c.sub.ReceivedAt.Truncate(time.Microsecond).Format(time.RFC3339Nano),
		PeriodEnd: cont.PeriodEnd.String(), NoExam: cont.NoExamInSelectedPeriod, DoesNotWork: cont.ExaminationAreaDoesNotWork,
		PatentDate: date(l[migrantexam.LevelPatent].NearestStartDate), NoPatent: l[migrantexam.LevelPatent].NoExamType,
		TempDate: date(l[migrantexam.LevelTemporaryResidence].NearestStartDate), NoTemp: l[migrantexam.LevelTemporaryResidence].NoExamType,
		PermitDate: date(l[migrantexam.LevelResidencePermit].NearestStartDate), NoPermit: l[migrantexam.LevelResidencePermit].NoExamType,
		RussianDate: date(l[migrantexam.LevelCitizenshipRussianLang].NearestStartDate), NoRussian: l[migrantexam.LevelCitizenshipRussianLang].NoExamType,
		HistoryDate: date(l[migrantexam.LevelCitizenshipHistory].NearestStartDate), NoHistory: l[migrantexam.LevelCitizenshipHistory].NoExamType,
		Comment: cont.Comment, RequestCount: len(cont.Requests), Requests: json.RawMessage(encodeRows(cont.Requests)),
	}
}

type batchOutcome struct {
	holder, taken, created sql.NullInt64
	rows                   int64
}

// submitNewReports runs SubmitNewReports; its outcomes are in input's
// order.
func (db *MigrantExam) submitNewReports(input []batchedReport) ([]batchOutcome, error) {
	out := make([]batchOutcome, len(input))
	arg, err := json.Marshal(input)
	if err != nil {
		return out, err
	}
	rows, err := db.rows(context.Background(), db.write, "SubmitNewReports", string(arg))
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var o batchOutcome
		if err := rows.Scan(&n, &o.holder, &o.taken, &o.created, &o.rows); err != nil {
			return out, err
		}
		out[n] = o
	}
	return out, rows.Err()
}
