package motivity

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Report types of the platform (ReportTypes lists them with their titles).
const (
	UsersReport    = "users"
	PointsReport   = "points"
	BalancesReport = "balances"
	BadgesReport   = "badges"
	GoalsReport    = "goals"
	QuestsReport   = "quests"
)

// ReportType is an entry of the report list.
type ReportType struct {
	Title string `json:"title"`
	Type  string `json:"type"`
}

// ReportTypes lists the reports the platform makes (GET /reports/list).
func (c *Client) ReportTypes(ctx context.Context) ([]ReportType, error) {
	var out []ReportType
	if err := c.call(ctx, "ReportTypes", http.MethodGet, "reports/list", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Entry is a member of one of the API's objects whose members are data:
// a column, a filter, a metadata item, a filter error. The API sends them
// as JSON objects; their order means something (columns), so they come as
// lists.
type Entry struct {
	Key, Value string
}

// Column is a column of a report: Name its key in the rows, Title its
// heading.
type Column struct {
	Name, Title string
}

// Filter is a filter of a report type.
type Filter struct {
	// Name is the key to send in Filters.
	Name string `json:"-"`
	// Type is the filter's kind: "period" ({"from","to"}, days
	// YYYY-MM-DD), "multiselect" (an array), "select", …
	Type  string `json:"type"`
	Label string `json:"label"`
	// Values are the allowed values of a fixed list; nil when the values
	// come from URL.
	Values []FilterValue `json:"values" null:"ok"`
	// URL is the path of the list of values (FilterValues), nil when none.
	URL *string `json:"url"`
}

// FilterValue is a value a filter takes, with its label.
type FilterValue struct {
	// Value is the value as the API sends it (a JSON string or number);
	// put it in Filters as it is.
	Value json.RawMessage `json:"value"`
	Label string          `json:"label"`
}

// String is the value's text (a string unquoted, a number's digits).
func (v FilterValue) String() string { return rawText(v.Value) }

// ReportMetadata is what a report type shows and takes.
type ReportMetadata struct {
	// Headers are every column the report may have, user_status included.
	Headers []Column
	Filters []Filter
}

// ReportMetadata describes a report type (GET /reports/metadata/{type});
// an unknown type is ErrReportNotFound.
func (c *Client) ReportMetadata(ctx context.Context, reportType string) (*ReportMetadata, error) {
	const op = "ReportMetadata"
	var raw struct {
		HeadersList orderedObject `json:"headersList"`
		FiltersList orderedObject `json:"filtersList"`
	}
	if err := c.call(ctx, op, http.MethodGet, "reports/metadata/"+seg(reportType), nil, &raw); err != nil {
		return nil, err
	}
	out := &ReportMetadata{}
	for _, m := range raw.HeadersList {
		var title string
		if err := json.Unmarshal(m.value, &title); err != nil {
			return nil, malformed(op, "headersList.%s: %v", m.key, err)
		}
		out.Headers = append(out.Headers, Column{m.key, title})
	}
	for _, m := range raw.FiltersList {
		f := Filter{Name: m.key}
		if err := strictUnmarshal(m.value, &f, c.lenient); err != nil {
			return nil, malformed(op, "filtersList.%s: %v", m.key, err)
		}
		out.Filters = append(out.Filters, f)
	}
	return out, nil
}

// FilterValues lists the values of a filter whose values come from a URL
// (Filter.URL, or the filter's name: "users", "badges", "quests"), at
// most 100, those whose label or value holds search when it is not
// empty. Another name is ErrNotFound.
func (c *Client) FilterValues(ctx context.Context, filter, search string) ([]FilterValue, error) {
	path := strings.TrimPrefix(filter, Prefix)
	if !strings.Contains(path, "/") {
		path = "reports/filters/" + seg(path)
	}
	if search != "" {
		path += "?search=" + url.QueryEscape(search)
	}
	var out []FilterValue
	if err := c.call(ctx, "FilterValues", http.MethodGet, path, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Filters are a report's filters by name (ReportMetadata's Filters):
// {"period": Period{From: "2025-01-01"}, "users": []string{…},
// "user_status": []string{"active", "deleted"}}. Without user_status, a
// report covers active users only, and its rows have no user_status.
type Filters map[string]any

// Period is the value of a "period" filter: days YYYY-MM-DD in the
// platform's calendar, either bound may be left out.
type Period struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

func (c *Client) reportRequest(ctx context.Context, op, action, reportType string, filters Filters) (*http.Request, error) {
	body, err := json.Marshal(struct {
		Filters Filters `json:"filters"`
	}{filters})
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	req, err := c.request(ctx, op, http.MethodPost, "reports/"+action+"/"+seg(reportType), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// GenerateReportRaw makes a report and returns its JSON as the server
// streams it (POST /reports/generate/{type}); close it. A server that
// fails while writing cuts the connection, so a read error, never a short
// body that parses, tells it. An unknown type is ErrReportNotFound, a body
// the server cannot decode ErrUndecodable; wrong filter values are inside
// the report ("hasErrors").
func (c *Client) GenerateReportRaw(ctx context.Context, reportType string, filters Filters) (io.ReadCloser, error) {
	const op = "GenerateReport"
	req, err := c.reportRequest(ctx, op, "generate", reportType, filters)
	if err != nil {
		return nil, err
	}
	resp, err := c.open(req, op)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// GenerateReport makes a report and reads it row by row as it arrives:
// however long the report, the client holds one row. Close it.
func (c *Client) GenerateReport(ctx context.Context, reportType string, filters Filters) (*ReportReader, error) {
	body, err := c.GenerateReportRaw(ctx, reportType, filters)
	if err != nil {
		return nil, err
	}
	return c.newReportReader("GenerateReport", body)
}

// CreateReport asks the server to build a report in the background (POST
// /reports/create/{type}) and returns its id, for ReportData or
// WaitReport. Wrong filter values are reported in the built report.
func (c *Client) CreateReport(ctx context.Context, reportType string, filters Filters) (int64, error) {
	const op = "CreateReport"
	req, err := c.reportRequest(ctx, op, "create", reportType, filters)
	if err != nil {
		return 0, err
	}
	data, err := c.exchange(c.http, req, op, http.StatusOK)
	if err != nil {
		return 0, err
	}
	var raw struct {
		ID int64 `json:"id"`
	}
	if err := c.decode(op, data, &raw); err != nil {
		return 0, err
	}
	return raw.ID, nil
}

// ReportDataRaw opens a created report's JSON (GET /reports/data/{id}),
// from offset when offset > 0 (a resumed read; the server keeps the bytes
// and answers ranges). Not built yet: ErrReportProcessing. Unknown or
// expired (kept 24 hours): ErrReportNotFound. Failed: ErrReportFailed.
func (c *Client) ReportDataRaw(ctx context.Context, id, offset int64) (io.ReadCloser, error) {
	const op = "ReportData"
	req, err := c.request(ctx, op, http.MethodGet, "reports/data/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return nil, err
	}
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
	}
	resp, err := c.open(req, op)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusAccepted {
		defer resp.Body.Close()
		data, err := readAnswer(op, resp.Body)
		if err != nil {
			return nil, err
		}
		var raw struct {
			Result bool   `json:"result"`
			Status string `json:"status"`
		}
		if err := c.decode(op, data, &raw); err != nil {
			return nil, err
		}
		if !raw.Result || raw.Status != "processing" {
			return nil, malformed(op, "202 with %s", data)
		}
		return nil, fmt.Errorf("motivity: %s: report %d: %w", op, id, ErrReportProcessing)
	}
	if offset > 0 && resp.StatusCode != http.StatusPartialContent || offset == 0 && resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, malformed(op, "HTTP %d for offset %d", resp.StatusCode, offset)
	}
	return resp.Body, nil
}

// ReportData reads a created report row by row (ReportDataRaw).
func (c *Client) ReportData(ctx context.Context, id int64) (*ReportReader, error) {
	body, err := c.ReportDataRaw(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	return c.newReportReader("ReportData", body)
}

// WaitReport polls a created report while it is being built, at growing
// intervals (WithPollBackoff), then reads it. Give ctx a deadline; when it
// ends first, the error wraps ctx.Err(). A 503 is waited out; any other
// error ends the wait.
func (c *Client) WaitReport(ctx context.Context, id int64) (*ReportReader, error) {
	delay := c.pollFirst
	for {
		r, err := c.ReportData(ctx, id)
		pause := delay
		switch {
		case err == nil:
			return r, nil
		case ctx.Err() != nil:
			return nil, fmt.Errorf("motivity: wait for report %d: %w", id, ctx.Err())
		case errors.Is(err, ErrReportProcessing):
		case errors.Is(err, ErrUnavailable):
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				pause = max(pause, apiErr.RetryAfter)
			}
		default:
			return nil, err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("motivity: wait for report %d: %w", id, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, c.pollMax)
	}
}

// ErrInvalidFilters: a report refused for its filters ("hasErrors": true);
// the error is a *ReportError with the server's texts per filter.
var ErrInvalidFilters = errors.New("motivity: invalid report filters")

// ReportError is a report the server did not make because of its filters.
type ReportError struct {
	// Errors are the server's texts by filter name, in its order.
	Errors []Entry
}

func (e *ReportError) Error() string {
	var b strings.Builder
	b.WriteString("motivity: report not made:")
	for i, en := range e.Errors {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(" " + en.Key + ": " + en.Value)
	}
	return b.String()
}

// Is matches ErrInvalidFilters.
func (e *ReportError) Is(target error) bool { return target == ErrInvalidFilters }

// Row is a row of a report: values by column name.
type Row struct {
	// Page is the row's page (0 for a report that has one; a quests report
	// has a page per quest).
	Page   int
	Values map[string]json.RawMessage
}

// Text is a value as text: a string unquoted, null empty, a number or a
// boolean as written.
func (r Row) Text(column string) string { return rawText(r.Values[column]) }

// Decode decodes the row into a struct whose json tags name columns.
func (r Row) Decode(v any) error {
	b, err := json.Marshal(r.Values)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func rawText(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	if isNull(raw) {
		return ""
	}
	return string(raw)
}

// ReportReader reads a report as it arrives. The head (Title, Multiple,
// Pages) is read when it is made; Next reads the rows; the tail (Metadata,
// the filter errors) once Next has returned false.
//
//	for r.Next() {
//		row := r.Row()
//	}
//	if err := r.Err(); err != nil { … }
type ReportReader struct {
	// Title is the report's title (the list's, with the period).
	Title string
	// Multiple is the API's isMultiple: a page per quest.
	Multiple bool
	// Pages are each page's columns, in order: one page unless Multiple.
	Pages [][]Column
	// Metadata are the filters applied, readable (after Next is false).
	Metadata []Entry

	op      string
	body    io.ReadCloser
	dec     *json.Decoder
	lenient bool
	page    int
	inPage  bool
	row     Row
	err     error
	done    bool
}

// NewReportReader reads a report's JSON from r (a file saved from
// GenerateReportRaw, ReportDataRaw).
func NewReportReader(r io.Reader) (*ReportReader, error) {
	rc, ok := r.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(r)
	}
	return (&Client{}).newReportReader("NewReportReader", rc)
}

func (c *Client) newReportReader(op string, body io.ReadCloser) (*ReportReader, error) {
	rr := &ReportReader{op: op, body: body, dec: json.NewDecoder(body), lenient: c.lenient}
	rr.dec.UseNumber()
	if err := rr.head(); err != nil {
		body.Close()
		return nil, err
	}
	return rr, nil
}

func (rr *ReportReader) bad(format string, args ...any) error {
	return malformed(rr.op, format, args...)
}

func (rr *ReportReader) delim(want json.Delim) error {
	t, err := rr.dec.Token()
	if err != nil {
		return rr.readErr(err)
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return rr.bad("want %v, got %v", want, t)
	}
	return nil
}

// readErr is a read error: a cut connection (the server failed mid-report)
// is io.ErrUnexpectedEOF, kept so that errors.Is finds it.
func (rr *ReportReader) readErr(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return rr.bad("%v", err)
	}
	return fmt.Errorf("motivity: %s: read report: %w", rr.op, err)
}

func (rr *ReportReader) key(want string) error {
	t, err := rr.dec.Token()
	if err != nil {
		return rr.readErr(err)
	}
	if k, ok := t.(string); !ok || k != want {
		return rr.bad("want %q, got %v", want, t)
	}
	return nil
}

// head reads up to the first row: the members before data come first, in
// the document's order, or a report could not be read as it streams.
func (rr *ReportReader) head() error {
	if err := rr.delim('{'); err != nil {
		return err
	}
	if err := rr.key("title"); err != nil {
		return err
	}
	if err := rr.dec.Decode(&rr.Title); err != nil {
		return rr.bad("title: %v", err)
	}
	if err := rr.key("isMultiple"); err != nil {
		return err
	}
	if err := rr.dec.Decode(&rr.Multiple); err != nil {
		return rr.bad("isMultiple: %v", err)
	}
	if err := rr.key("headers"); err != nil {
		return err
	}
	if rr.Multiple {
		var pages []orderedObject
		if err := rr.dec.Decode(&pages); err != nil {
			return rr.bad("headers: %v", err)
		}
		for _, p := range pages {
			cols, err := columns(p)
			if err != nil {
				return rr.bad("headers: %v", err)
			}
			rr.Pages = append(rr.Pages, cols)
		}
	} else {
		var h orderedObject
		if err := rr.dec.Decode(&h); err != nil {
			return rr.bad("headers: %v", err)
		}
		cols, err := columns(h)
		if err != nil {
			return rr.bad("headers: %v", err)
		}
		rr.Pages = [][]Column{cols}
	}
	if err := rr.key("data"); err != nil {
		return err
	}
	return rr.delim('[')
}

func columns(o orderedObject) ([]Column, error) {
	out := make([]Column, len(o))
	for i, m := range o {
		out[i].Name = m.key
		if err := json.Unmarshal(m.value, &out[i].Title); err != nil {
			return nil, fmt.Errorf("%s: %v", m.key, err)
		}
	}
	return out, nil
}

// Next reads the next row; false at the end of the data or on an error
// (Err).
func (rr *ReportReader) Next() bool {
	if rr.done {
		return false
	}
	for {
		if rr.Multiple && !rr.inPage {
			if !rr.dec.More() {
				return rr.end()
			}
			if err := rr.delim('['); err != nil {
				return rr.fail(err)
			}
			if rr.page >= len(rr.Pages) {
				return rr.fail(rr.bad("more pages of data than of headers"))
			}
			rr.inPage = true
			continue
		}
		if !rr.dec.More() {
			if !rr.Multiple {
				return rr.end()
			}
			if err := rr.delim(']'); err != nil {
				return rr.fail(err)
			}
			rr.inPage = false
			rr.page++
			continue
		}
		var values map[string]json.RawMessage
		if err := rr.dec.Decode(&values); err != nil {
			return rr.fail(rr.readErr(err))
		}
		if err := rr.check(values); err != nil {
			return rr.fail(err)
		}
		rr.row = Row{Page: rr.page, Values: values}
		return true
	}
}

// check holds a row to its page's columns: the same names, no more, no
// fewer.
func (rr *ReportReader) check(values map[string]json.RawMessage) error {
	if values == nil {
		return rr.bad("row is null")
	}
	cols := rr.Pages[rr.page]
	for _, c := range cols {
		if _, ok := values[c.Name]; !ok {
			return rr.bad("row without %q", c.Name)
		}
	}
	if len(values) != len(cols) && !rr.lenient {
		return rr.bad("row with %d values for %d columns", len(values), len(cols))
	}
	return nil
}

func (rr *ReportReader) fail(err error) bool {
	rr.err, rr.done = err, true
	return false
}

// end reads the tail: metadata, hasErrors, errors.
func (rr *ReportReader) end() bool {
	rr.done = true
	if err := rr.delim(']'); err != nil {
		return rr.fail(err)
	}
	if rr.Multiple && rr.page != len(rr.Pages) && !(rr.page == 0 && len(rr.Pages) == 0) {
		return rr.fail(rr.bad("%d pages of data for %d of headers", rr.page, len(rr.Pages)))
	}
	var tail struct {
		Metadata  orderedObject `json:"metadata"`
		HasErrors bool          `json:"hasErrors"`
		Errors    orderedObject `json:"errors"`
	}
	for _, k := range []string{"metadata", "hasErrors", "errors"} {
		if err := rr.key(k); err != nil {
			return rr.fail(err)
		}
		var err error
		switch k {
		case "metadata":
			err = rr.dec.Decode(&tail.Metadata)
		case "hasErrors":
			err = rr.dec.Decode(&tail.HasErrors)
		case "errors":
			err = rr.dec.Decode(&tail.Errors)
		}
		if err != nil {
			return rr.fail(rr.bad("%s: %v", k, err))
		}
	}
	if err := rr.delim('}'); err != nil {
		return rr.fail(err)
	}
	if _, err := rr.dec.Token(); err != io.EOF {
		return rr.fail(rr.bad("data after the report"))
	}
	var err error
	if rr.Metadata, err = tail.Metadata.strings(); err != nil {
		return rr.fail(rr.bad("metadata: %v", err))
	}
	errs, err := tail.Errors.strings()
	if err != nil {
		return rr.fail(rr.bad("errors: %v", err))
	}
	if tail.HasErrors != (len(errs) > 0) {
		return rr.fail(rr.bad("hasErrors %v with %d errors", tail.HasErrors, len(errs)))
	}
	if len(errs) > 0 {
		rr.err = &ReportError{Errors: errs}
	}
	return false
}

// Row is the row Next read.
func (rr *ReportReader) Row() Row { return rr.row }

// Err is what ended the rows: nil at the end of a whole report, a
// *ReportError (ErrInvalidFilters) when the server refused the filters, a
// read or decoding error otherwise.
func (rr *ReportReader) Err() error { return rr.err }

// Close closes the body; a report not read to its end stops the server
// writing it.
func (rr *ReportReader) Close() error { return rr.body.Close() }

// orderedObject is a JSON object with its members in the order sent.
type orderedObject []member

type member struct {
	key   string
	value json.RawMessage
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("want an object, got %s", b)
	}
	out := orderedObject{}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k := t.(string)
		if seen[k] {
			return fmt.Errorf("%q twice", k)
		}
		seen[k] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		out = append(out, member{k, v})
	}
	*o = out
	return nil
}

func (o orderedObject) strings() ([]Entry, error) {
	out := []Entry{}
	for _, m := range o {
		var s string
		if err := json.Unmarshal(m.value, &s); err != nil {
			return nil, fmt.Errorf("%s: %v", m.key, err)
		}
		out = append(out, Entry{m.key, s})
	}
	return out, nil
}
