package reestro_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stend/client/reestro"
)

const sampleItem = `{"checkId":"7720902d-b025-4d9b-92a1-288a61e09b9d","corelationId":"fc88aa01-c2f2-4498-bbb2-5c7218e69585",` +
	`"externalId":"4f8e9e60-74f9-4e00-9fae-abf021ea0314","creationDate":"2011-01-01T15:03:01.012345Z","checkType":"Fssp",` +
	`"checkState":"Processing","fssp":{"subjectId":"3f813a2f-958b-499b-90c7-a038d98955c0","regions":["54","77"]}}`

// The document's sample is read; answers the server never gives, canned,
// are refused as ErrMalformed rather than passed on as zero values.
func TestAnswersOffTheProtocol(t *testing.T) {
	t.Parallel()
	serve := func(status int, contentType, body string) *reestro.Client {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return reestro.New(srv.URL, credsA)
	}
	ctx := context.Background()
	page, err := serve(200, "Application/json", `{"items":[`+sampleItem+`],"lastCheckId":"7720902d-b025-4d9b-92a1-288a61e09b9d"}`).ListChecks(ctx, reestro.Query{})
	if err != nil || len(page.Checks) != 1 || page.Checks[0].CorrelationID != "fc88aa01-c2f2-4498-bbb2-5c7218e69585" ||
		page.Checks[0].CreatedAt.Nanosecond() != 12345000 || page.Checks[0].State != reestro.Processing {
		t.Fatalf("the document's sample: %+v %v", page, err)
	}
	for name, body := range map[string]string{
		"no items":                  `{"lastCheckId":"x"}`,
		"no lastCheckId":            `{"items":[` + sampleItem + `]}`,
		"lastCheckId not the last":  `{"items":[` + sampleItem + `],"lastCheckId":"00000000-0000-0000-0000-000000000000"}`,
		"lastCheckId without items": `{"items":[],"lastCheckId":"7720902d-b025-4d9b-92a1-288a61e09b9d"}`,
		"an unknown field":          `{"items":[],"total":0}`,
		"an unknown state":          `{"items":[` + replace(sampleItem, `"Processing"`, `"Done"`) + `],"lastCheckId":"7720902d-b025-4d9b-92a1-288a61e09b9d"}`,
		"no corelationId":           `{"items":[` + replace(sampleItem, `"corelationId"`, `"correlationId"`) + `],"lastCheckId":"7720902d-b025-4d9b-92a1-288a61e09b9d"}`,
		"no fssp":                   `{"items":[` + replace(sampleItem, `"fssp"`, `"egrn"`) + `],"lastCheckId":"7720902d-b025-4d9b-92a1-288a61e09b9d"}`,
		"not JSON":                  `<html>`,
	} {
		if _, err := serve(200, "application/json", body).ListChecks(ctx, reestro.Query{}); !errors.Is(err, reestro.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, body := range map[string]string{
		"an item without a field": replace(sampleItem, `"regions":["54","77"]}`, `"regions":["54"],"results":[{"region":"54","items":[{"name":"x"}]}]}`),
		"an error without code":   replace(sampleItem, `"checkState":"Processing"`, `"checkState":"Failed","error":{"message":"x"}`),
	} {
		if _, err := serve(200, "application/json", body).Check(ctx, "7720902d-b025-4d9b-92a1-288a61e09b9d"); !errors.Is(err, reestro.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, body := range map[string]string{"no id": `{}`, "another field": `{"subjectId":"a","checkId":"b"}`, "a number": `{"subjectId":5}`} {
		if _, err := serve(200, "application/json", body).CreateSubject(ctx, ivanov); !errors.Is(err, reestro.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := serve(400, "application/json", `{"message":"bad"}`).ListChecks(ctx, reestro.Query{}); !errors.Is(err, reestro.ErrMalformed) {
		t.Errorf("400 without the Error object: %v", err)
	}
	if _, err := serve(502, "text/html", `<html>Bad Gateway</html>`).ListChecks(ctx, reestro.Query{}); !errors.Is(err, reestro.ErrUnavailable) {
		t.Errorf("a proxy's 502: %v", err)
	}
}

// replace replaces the first old in s, which must hold it.
func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("no " + old)
	}
	return strings.Replace(s, old, new, 1)
}
