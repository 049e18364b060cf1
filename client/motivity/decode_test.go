package motivity

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Answers the stand cannot give, canned: the strictness the real server's
// tests cannot reach.

// canned serves one body with one status for every request.
func canned(t *testing.T, status int, body string, opts ...Option) *Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return New(srv.URL, "t", opts...)
}

const badge1 = `{"id":1,"title":"A","image":"i","description":null,"popupDescription":"p","color":null,"active":"1","system":"0","children":[]}`

func TestStrictDecoding(t *testing.T) {
	t.Parallel()
	ok := "[" + badge1 + "]"
	if b, err := canned(t, 200, ok).Badges(t.Context()); err != nil || len(b) != 1 || !b[0].Active {
		t.Fatalf("%+v %v", b, err)
	}
	for name, body := range map[string]string{
		"missing field":   strings.Replace(ok, `"color":null,`, "", 1),
		"unknown field":   strings.Replace(ok, `"color":null,`, `"color":null,"shape":"round",`, 1),
		"null string":     strings.Replace(ok, `"title":"A"`, `"title":null`, 1),
		"null children":   strings.Replace(ok, `"children":[]`, `"children":null`, 1),
		"flag not 0 or 1": strings.Replace(ok, `"active":"1"`, `"active":"yes"`, 1),
		"wrong type":      strings.Replace(ok, `"id":1`, `"id":"1"`, 1),
		"not JSON":        `<html>`,
		"trailing data":   ok + ok,
		"null element":    `[null]`,
	} {
		_, err := canned(t, 200, body).Badges(t.Context())
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Lenient decoding takes a field it does not know, and nothing else.
	unknown := strings.Replace(ok, `"color":null,`, `"color":null,"shape":"round",`, 1)
	if _, err := canned(t, 200, unknown, WithUnknownFields()).Badges(t.Context()); err != nil {
		t.Fatal(err)
	}
	missing := strings.Replace(ok, `"color":null,`, "", 1)
	if _, err := canned(t, 200, missing, WithUnknownFields()).Badges(t.Context()); !errors.Is(err, ErrMalformed) {
		t.Fatal(err)
	}
	// Points: success and errors must agree.
	_, err := canned(t, 200, `{"result":true,"data":[{"userId":"a","balanceType":"score","success":true,"balance":"1","errors":[{"message":"User not found","cause":"userId"}]}]}`).
		ChangePoints(t.Context(), []PointsChange{{UserID: "a", BalanceType: Score, Amount: 1}})
	if !errors.Is(err, ErrMalformed) {
		t.Fatal(err)
	}
}

func TestErrorAnswers(t *testing.T) {
	t.Parallel()
	_, err := canned(t, 502, `<html>Bad Gateway</html>`).Badges(t.Context())
	var e *APIError
	if !errors.As(err, &e) || !errors.Is(err, ErrUnavailable) || e.Message != "<html>Bad Gateway</html>" {
		t.Fatalf("%v", err)
	}
	_, err = canned(t, 500, `{"result":false,"message":"Report could not be built"}`).ReportData(t.Context(), 1)
	if !errors.Is(err, ErrReportFailed) || errors.Is(err, ErrUnavailable) {
		t.Fatalf("%v", err)
	}
}

const report = `{"title":"T","isMultiple":false,"headers":{"a":"A","b":"B"},"data":[{"a":1,"b":"x"},{"a":2,"b":null}],"metadata":{},"hasErrors":false,"errors":{}}`

func TestReportReader(t *testing.T) {
	t.Parallel()
	read := func(body string) ([]Row, error) {
		r, err := NewReportReader(strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		var rows []Row
		for r.Next() {
			rows = append(rows, r.Row())
		}
		return rows, r.Err()
	}
	rows, err := read(report)
	if err != nil || len(rows) != 2 || rows[1].Text("a") != "2" || rows[1].Text("b") != "" || rows[0].Text("b") != "x" {
		t.Fatalf("%+v %v", rows, err)
	}
	// A connection the server cut mid-report is a read error, never a
	// short report.
	for cut := 1; cut < len(report); cut++ {
		if _, err := read(report[:cut]); err == nil {
			t.Fatalf("cut at %d: no error", cut)
		}
	}
	if _, err := read(report[:60]); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut in a row: %v", err)
	}
	for name, body := range map[string]string{
		"row without a column": strings.Replace(report, `"a":2,`, "", 1),
		"row with another":     strings.Replace(report, `"a":2,`, `"a":2,"c":3,`, 1),
		"headers after data":   `{"title":"T","data":[],"isMultiple":false}`,
		"hasErrors disagrees":  strings.Replace(report, `"hasErrors":false`, `"hasErrors":true`, 1),
		"pages disagree":       `{"title":"T","isMultiple":true,"headers":[{"a":"A"}],"data":[[],[]],"metadata":{},"hasErrors":false,"errors":{}}`,
	} {
		if _, err := read(body); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"title":"T","isMultiple":true,"headers":[{"a":"A"},{"b":"B"}],"data":[[{"a":1}],[{"b":2},{"b":3}]],"metadata":{"m":"v"},"hasErrors":false,"errors":{}}`)
	r, err := NewReportReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var pages []int
	for r.Next() {
		pages = append(pages, r.Row().Page)
	}
	if r.Err() != nil || len(pages) != 3 || pages[0] != 0 || pages[2] != 1 || r.Metadata[0] != (Entry{"m", "v"}) {
		t.Fatalf("%v %v %+v", pages, r.Err(), r.Metadata)
	}
}
