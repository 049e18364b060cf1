package http_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"stend"
	"stend/stendtest"
	"stend/store/storetest"
)

// FuzzTextEdges sends a text to every parameter of the API that reaches a
// query or is stored, on a stand of each store: no text answers 500, both
// stores answer alike, and a text no store can keep (not UTF-8, or with
// NUL) gets the answer of a value the API does not know: an unknown task,
// invalid search parameters, an invalid token.
func FuzzTextEdges(f *testing.F) {
	stands := stendtest.FuzzStands(f, func(o storetest.Opener) *stendtest.Stand {
		return newStand(f, o.Open, standOpts{malformed: true}).stand
	})
	const (
		taskNotFound  = `{"status":"error","code":404,"exception":"task not found","response":[]}`
		invalidParams = `{"status":"error","code":400,"exception":"invalid request params","response":[]}`
		invalidToken  = `{"status":"error","code":401,"exception":"invalid token","response":[]}`
	)
	get := func(path string, kv ...string) func() *http.Request {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return func() *http.Request {
			return httptest.NewRequest(http.MethodGet, "/api/v1.0/"+path+"?"+q.Encode(), nil)
		}
	}
	post := func(path, contentType, body string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/api/v1.0/"+path, strings.NewReader(body))
			r.Header.Set("Content-Type", contentType)
			return r
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		form := url.Values{"token": {alpha}, "task": {s}}.Encode()
		edges := []struct {
			name string
			req  func() *http.Request
			// seen is the text as the API reads it; bad answers it when no
			// store can keep it.
			seen, bad string
		}{
			{"status task", get("status", "token", alpha, "task", s), s, taskNotFound},
			{"result task", get("result", "token", alpha, "task", s), s, taskNotFound},
			{"result task in a form", post("result", "application/x-www-form-urlencoded", form), s, taskNotFound},
			{"status task in JSON", post("status", "application/json", `{"token":"`+alpha+`","task":`+stendtest.JSONText(s)+`}`), stendtest.FromJSON(s), taskNotFound},
			{"physical lastname", get("search/physical", "token", alpha, "region", "66", "lastname", s, "firstname", "Сергей"), s, invalidParams},
			{"physical firstname", get("search/physical", "token", alpha, "region", "66", "lastname", "Иванов", "firstname", s), s, invalidParams},
			{"physical secondname", get("search/physical", "token", alpha, "region", "66", "lastname", "Иванов", "firstname", "Сергей", "secondname", s), s, invalidParams},
			{"physical birthdate", get("search/physical", "token", alpha, "region", "66", "lastname", "Иванов", "firstname", "Сергей", "birthdate", s), s, invalidParams},
			{"physical region", get("search/physical", "token", alpha, "region", s, "lastname", "Иванов", "firstname", "Сергей"), s, invalidParams},
			{"legal name", get("search/legal", "token", alpha, "region", "66", "name", s), s, invalidParams},
			{"legal address", get("search/legal", "token", alpha, "region", "66", "name", "Ромашка", "address", s), s, invalidParams},
			{"ip number", get("search/ip", "token", alpha, "number", s), s, invalidParams},
			{"group lastname", post("search/group", "application/json", `{"token":"`+alpha+`","request":[{"type":1,"params":{"region":"66","lastname":`+
				stendtest.JSONText(s)+`,"firstname":"Сергей"}}]}`), stendtest.FromJSON(s), invalidParams},
			{"token", get("status", "token", s, "task", "00000000-0000-4000-8000-000000000001"), s, invalidToken},
		}
		for _, e := range edges {
			a := stendtest.AcrossStores(t, stands, e.req)
			if !stend.StorableText(e.seen) && a.Body != e.bad {
				t.Errorf("%s %.100q: %d %s, want %s", e.name, s, a.Status, a.Body, e.bad)
			}
		}
	})
}
