package fssp_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"stend/client/fssp"
)

// The real server (TestClient) cannot be made to break the protocol, nor
// to answer the document's own samples; these answers are canned.

type canned struct {
	status int
	header map[string]string
	body   string
}

func serve(t *testing.T, answers map[string]canned) *fssp.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := answers[strings.TrimPrefix(r.URL.Path, fssp.Prefix)]
		if !ok {
			t.Errorf("unexpected %s", r.URL.Path)
			http.NotFound(w, r)
			return
		}
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return fssp.New(srv.URL, "tok", fssp.WithPollBackoff(time.Millisecond, time.Millisecond))
}

func ok(response string) canned {
	return canned{status: 200, body: `{"status":"success","code":0,"exception":"","response":` + response + `}`}
}

// The document's sample answer of /result (section 5.6), as published.
const documentSample = `{"status":"success","code":0,"exception":"","response":{"status":0,"task_start":null,"result":[
 {"status":0,"result":[{"name":"ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982","exe_production":"6860/12/61/66 от 16.04.2012",
   "details":"Исполнительный лист от 20.03.2012 № ВС 049652131","subject":"Коммунальные платежи","department":66061,
   "bailiff":"НИТОЧКИНА B. И. 73434246653","ip_end":"2015-06-30, 46, 1, 4"}]},
 {"status":3,"result":{"code":0,"message":"Undefined index: address"}},
 {"status":0,"result":[]}]}}`

func TestDocumentSample(t *testing.T) {
	t.Parallel()
	c := serve(t, map[string]canned{"result": {status: 200, body: documentSample}})
	res, err := c.Result(context.Background(), "T")
	if err != nil {
		t.Fatal(err)
	}
	want := &fssp.Result{State: fssp.TaskDone, Results: []fssp.SubResult{
		{State: fssp.TaskDone, Items: []fssp.Item{{
			Name: "ИВАНОВ СЕРГЕЙ ПЕТРОВИЧ 09.06.1982", ExeProduction: "6860/12/61/66 от 16.04.2012",
			Details: "Исполнительный лист от 20.03.2012 № ВС 049652131", Subject: "Коммунальные платежи", Department: "66061",
			Bailiff: "НИТОЧКИНА B. И. 73434246653", IPEnd: "2015-06-30, 46, 1, 4",
		}}},
		{State: fssp.TaskDoneWithErrors, Failure: &fssp.SubError{Code: 0, Message: "Undefined index: address"}},
		{State: fssp.TaskDone, Items: []fssp.Item{}},
	}}
	if !reflect.DeepEqual(res, want) {
		t.Fatalf("got %+v", res)
	}
	if err := res.Results[1].Err(); err == nil || !strings.Contains(err.Error(), "Undefined index") {
		t.Fatalf("failure as an error: %v", err)
	}
}

// A /result answer shaped as the real service's answered in 2020: every
// parameter of the method echoed, null for those not sent, a region as a
// number (a group's), the times set.
const capturedResult = `{"status":"success","code":0,"exception":"","response":{"status":0,` +
	`"task_start":"2020-03-12 10:15:04","task_end":"2020-03-12 10:15:06","result":[` +
	`{"status":0,"query":{"type":1,"params":{"region":66,"firstname":"Сергей","secondname":null,"lastname":"Иванов","birthdate":null}},"result":[]},` +
	`{"status":0,"query":{"type":2,"params":{"region":"66","name":"Ромашка","address":""}},"result":[]}]}}`

// TestNullParams: a parameter echoed as null (not sent) is absent from
// Query.Params, one sent empty is there as "".
func TestNullParams(t *testing.T) {
	t.Parallel()
	c := serve(t, map[string]canned{"result": {status: 200, body: capturedResult}})
	res, err := c.Result(context.Background(), "T")
	if err != nil {
		t.Fatal(err)
	}
	want := []*fssp.Query{
		{Type: fssp.TypePhysical, Params: map[string]string{"region": "66", "firstname": "Сергей", "lastname": "Иванов"}},
		{Type: fssp.TypeLegal, Params: map[string]string{"region": "66", "name": "Ромашка", "address": ""}},
	}
	if len(res.Results) != len(want) {
		t.Fatalf("got %+v", res)
	}
	for i, w := range want {
		if !reflect.DeepEqual(res.Results[i].Query, w) {
			t.Errorf("query %d: %+v, want %+v", i, res.Results[i].Query, w)
		}
	}
	if _, sent := res.Results[0].Query.Params["secondname"]; sent {
		t.Error("secondname was not sent")
	}
}

func TestMalformedAnswers(t *testing.T) {
	t.Parallel()
	item := `{"name":"N","exe_production":"1/12/66061-ИП","details":"D","subject":"S","department":"Д","bailiff":"B","ip_end":""}`
	sub := func(items string) string {
		return `{"status":0,"task_start":null,"task_end":null,"result":[{"status":0,"query":{"type":3,"params":{"number":"1"}},"result":` + items + `}]}`
	}
	cases := map[string]struct {
		method string
		answer canned
	}{
		"not JSON":                  {"search/ip", canned{status: 200, body: "<html>ok</html>"}},
		"no envelope":               {"search/ip", canned{status: 200, body: `{"task":"T"}`}},
		"unknown envelope status":   {"search/ip", canned{status: 200, body: `{"status":"ok","code":0,"response":{"task":"T"}}`}},
		"success with a code":       {"search/ip", canned{status: 200, body: `{"status":"success","code":5,"response":{"task":"T"}}`}},
		"success without response":  {"search/ip", canned{status: 200, body: `{"status":"success","code":0,"exception":"","response":null}`}},
		"no task":                   {"search/ip", ok(`{}`)},
		"empty task":                {"search/ip", ok(`{"task":""}`)},
		"task a number":             {"search/ip", ok(`{"task":5}`)},
		"error envelope code 0":     {"search/ip", canned{status: 200, body: `{"status":"error","code":0,"exception":"?","response":[]}`}},
		"status unknown":            {"status", ok(`{"status":4,"progress":"1 of 1"}`)},
		"status a string":           {"status", ok(`{"status":"0","progress":"1 of 1"}`)},
		"status missing":            {"status", ok(`{"progress":"1 of 1"}`)},
		"progress missing":          {"status", ok(`{"status":0}`)},
		"progress garbled":          {"status", ok(`{"status":0,"progress":"done"}`)},
		"progress over total":       {"status", ok(`{"status":0,"progress":"2 of 1"}`)},
		"result list missing":       {"result", ok(`{"status":0,"task_start":null}`)},
		"result list null":          {"result", ok(`{"status":0,"result":null}`)},
		"result status missing":     {"result", ok(`{"result":[]}`)},
		"task_start garbled":        {"result", ok(`{"status":0,"task_start":"yesterday","result":[]}`)},
		"sub-result status missing": {"result", ok(`{"status":0,"result":[{"result":[]}]}`)},
		"sub-result null":           {"result", ok(`{"status":0,"result":[null]}`)},
		"sub-result a string":       {"result", ok(sub(`"nothing"`))},
		"failure without message":   {"result", ok(`{"status":3,"result":[{"status":3,"result":{"code":0}}]}`)},
		"item field missing":        {"result", ok(sub(`[{"name":"N","exe_production":"E","details":"D","subject":"S","department":"Д","bailiff":"B"}]`))},
		"item field null":           {"result", ok(sub(`[{"name":null,"exe_production":"E","details":"D","subject":"S","department":"Д","bailiff":"B","ip_end":""}]`))},
		"item field an object":      {"result", ok(sub(`[{"name":"N","exe_production":"E","details":"D","subject":"S","department":{},"bailiff":"B","ip_end":""}]`))},
		"item null":                 {"result", ok(sub(`[` + item + `,null]`))},
		"query type unknown":        {"result", ok(`{"status":0,"result":[{"status":0,"query":{"type":9,"params":{}},"result":[]}]}`)},
		"query param an array":      {"result", ok(`{"status":0,"result":[{"status":0,"query":{"type":3,"params":{"number":[1]}},"result":[]}]}`)},
		"query param a boolean":     {"result", ok(`{"status":0,"result":[{"status":0,"query":{"type":3,"params":{"number":true}},"result":[]}]}`)},
		"query params a list":       {"result", ok(`{"status":0,"result":[{"status":0,"query":{"type":3,"params":["1"]},"result":[]}]}`)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := serve(t, map[string]canned{tc.method: tc.answer})
			ctx := context.Background()
			var err error
			switch tc.method {
			case "search/ip":
				_, err = c.SearchIP(ctx, fssp.IPQuery{Number: "1"})
			case "status":
				_, err = c.Status(ctx, "T")
			case "result":
				_, err = c.Result(ctx, "T")
			}
			only(t, err, fssp.ErrMalformed)
		})
	}
	// The well-formed answer the cases above break, for contrast.
	c := serve(t, map[string]canned{"result": ok(sub(`[` + item + `]`))})
	if res, err := c.Result(context.Background(), "T"); err != nil || len(res.Results[0].Items) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

// TestErrorsOutsideTheEnvelope: what a proxy or an older server may answer.
func TestErrorsOutsideTheEnvelope(t *testing.T) {
	t.Parallel()
	retryAt := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	cases := map[string]struct {
		answer canned
		want   error
		check  func(*fssp.APIError) bool
	}{
		"proxy 502": {canned{status: 502, body: "<html>Bad Gateway</html>"}, fssp.ErrUnavailable,
			func(e *fssp.APIError) bool {
				return e.HTTPStatus == 502 && e.Code == 0 && e.Message == "<html>Bad Gateway</html>"
			}},
		"empty 504": {canned{status: 504}, fssp.ErrUnavailable,
			func(e *fssp.APIError) bool { return e.Message == "Gateway Timeout" }},
		"429 with a date": {canned{status: 429, header: map[string]string{"Retry-After": retryAt}, body: `{"status":"error","code":429,"exception":"too many requests","response":[]}`},
			fssp.ErrRateLimited, func(e *fssp.APIError) bool { return e.RetryAfter > 59*time.Minute && e.RetryAfter <= time.Hour }},
		"error envelope with 200": {canned{status: 200, body: `{"status":"error","code":401,"exception":"invalid token","response":[]}`},
			fssp.ErrUnauthorized, func(e *fssp.APIError) bool { return e.HTTPStatus == 200 && e.Code == 401 }},
		"403": {canned{status: 403, body: "forbidden"}, fssp.ErrUnauthorized, nil},
		"405": {canned{status: 405, body: `{"status":"error","code":405,"exception":"method not allowed","response":[]}`}, nil,
			func(e *fssp.APIError) bool { return e.Message == "method not allowed" }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := serve(t, map[string]canned{"search/ip": tc.answer})
			_, err := c.SearchIP(context.Background(), fssp.IPQuery{Number: "1"})
			apiErr := only(t, err, tc.want)
			if apiErr == nil || tc.check != nil && !tc.check(apiErr) {
				t.Fatalf("%#v", apiErr)
			}
		})
	}
}

// TestWaitPollsThroughUnavailable: a 503 while polling is waited out, and
// one from /result after /status said done (stend answers the status of a
// finished task from memory) retries /result alone.
func TestWaitPollsThroughUnavailable(t *testing.T) {
	t.Parallel()
	var polls, fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case fssp.Prefix + "status":
			switch polls.Add(1) {
			case 1:
				w.WriteHeader(503)
				_, _ = w.Write([]byte(`{"status":"error","code":503,"exception":"service unavailable","response":[]}`))
			case 2:
				_, _ = w.Write([]byte(`{"status":"success","code":0,"exception":"","response":{"status":1,"progress":"0 of 1"}}`))
			default:
				_, _ = w.Write([]byte(`{"status":"success","code":0,"exception":"","response":{"status":3,"progress":"0 of 1"}}`))
			}
		case fssp.Prefix + "result":
			if fetches.Add(1) == 1 {
				w.WriteHeader(503)
				_, _ = w.Write([]byte(`{"status":"error","code":503,"exception":"service unavailable","response":[]}`))
				return
			}
			_, _ = w.Write([]byte(`{"status":"success","code":0,"exception":"","response":{"status":3,"task_start":"2025-06-11 12:00:00","task_end":"2025-06-11 12:00:10","result":[{"status":3,"query":{"type":"1","params":{"region":66}},"result":{"code":0,"message":"search failed"}}]}}`))
		}
	}))
	defer srv.Close()
	c := fssp.New(srv.URL, "tok", fssp.WithPollBackoff(time.Millisecond, 2*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := c.Wait(ctx, "T")
	if err != nil {
		t.Fatal(err)
	}
	if polls.Load() != 3 || fetches.Load() != 2 || res.State != fssp.TaskDoneWithErrors || res.TaskEnd.Sub(*res.TaskStart) != 10*time.Second ||
		!res.TaskStart.Equal(time.Date(2025, 6, 11, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("%d polls, %d fetches, %+v", polls.Load(), fetches.Load(), res)
	}
	if q := res.Results[0].Query; q == nil || q.Type != fssp.TypePhysical || q.Params["region"] != "66" {
		t.Fatalf("query %+v", q)
	}
	if !errors.Is(res.Results[0].Err(), res.Results[0].Failure) {
		t.Fatal("Err is not the failure")
	}
}
