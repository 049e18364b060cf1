package http_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"stend/store/sqlstore"
)

// queries waits for the task and returns each sub-result's query as /result
// wrote it, byte for byte.
func (s *stand) queries(token, task string) []string {
	s.t.Helper()
	s.wait(task)
	a := s.get("result", "token", token, "task", task)
	var env struct {
		Response struct {
			Result []struct {
				Query json.RawMessage `json:"query"`
			} `json:"result"`
		} `json:"response"`
	}
	if a.status != http.StatusOK || json.Unmarshal([]byte(a.body), &env) != nil {
		s.t.Fatalf("result: %d %s", a.status, a.body)
	}
	out := make([]string, len(env.Response.Result))
	for i, r := range env.Response.Result {
		out[i] = string(r.Query)
	}
	return out
}

// TestQueryEcho: every sub-result's query.params lists every parameter its
// method knows, in the document's order, whichever way they came: the value
// as sent, "" when sent empty, null when not sent; parameters the method
// does not know are left out.
func TestQueryEcho(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open, standOpts{})
		form := func(kv ...string) string {
			v := url.Values{"token": {alpha}}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v.Encode()
		}
		const (
			physical = `{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":null,"lastname":"Иванов","birthdate":null}}`
			legal    = `{"type":2,"params":{"region":"66","name":"Ромашка","address":null}}`
			ip       = `{"type":3,"params":{"number":"6860/12/61/66"}}`
		)
		// A body on a GET is accepted, but outside the OpenAPI document
		// (docs/fssp.md, "OpenAPI document").
		cases := []struct {
			name string
			a    answer
			want string
		}{
			{"physical, query string", s.get("search/physical", "token", alpha, "lastname", "Иванов", "firstname", "Сергей", "region", "66"), physical},
			{"physical, query string, sent empty, unknown left out", s.call(http.MethodGet, "search/physical?token="+alpha+"&region=66&lastname="+
				url.QueryEscape("Иванов")+"&firstname="+url.QueryEscape("Сергей")+"&birthdate&secondname=&foo=bar", nil, "", ""),
				`{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":"","lastname":"Иванов","birthdate":""}}`},
			{"physical, form body", s.call(http.MethodPost, "search/physical", nil, "application/x-www-form-urlencoded",
				form("region", "066", "lastname", "Иванов", "firstname", "Сергей", "birthdate", "09.06.1982", "secondname", "")),
				`{"type":1,"params":{"region":"066","firstname":"Сергей","secondname":"","lastname":"Иванов","birthdate":"09.06.1982"}}`},
			{"physical, JSON body on a GET", s.callMalformed(http.MethodGet, "search/physical", nil, "application/json",
				`{"token":"`+alpha+`","birthdate":"","secondname":null,"lastname":" Иванов ","firstname":"Сергей","region":66}`),
				`{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":null,"lastname":" Иванов ","birthdate":""}}`},
			{"legal, query string", s.get("search/legal", "token", alpha, "region", "66", "name", "Ромашка"), legal},
			{"legal, form body", s.call(http.MethodPost, "search/legal", nil, "application/x-www-form-urlencoded",
				form("address", "", "name", "Ромашка", "region", "66")),
				`{"type":2,"params":{"region":"66","name":"Ромашка","address":""}}`},
			{"legal, multipart form body", s.call(http.MethodPost, "search/legal", nil, "multipart/form-data; boundary=XYZ",
				"--XYZ\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n"+alpha+
					"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nРомашка"+
					"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"region\"\r\n\r\n66\r\n--XYZ--\r\n"), legal},
			{"legal, JSON body", s.call(http.MethodPost, "search/legal", nil, "application/json",
				`{"token":"`+alpha+`","region":66,"name":"Ромашка","address":"ул. Мира","inn":"7451234567"}`),
				`{"type":2,"params":{"region":"66","name":"Ромашка","address":"ул. Мира"}}`},
			{"ip, query string, unknown left out", s.get("search/ip", "token", alpha, "number", "6860/12/61/66", "region", "66"), ip},
			{"ip, form body", s.call(http.MethodPost, "search/ip", nil, "application/x-www-form-urlencoded", form("number", "6860/12/61/66")), ip},
			{"ip, JSON body on a GET", s.callMalformed(http.MethodGet, "search/ip", nil, "", `{"token":"`+alpha+`","number":"6860/12/61/66"}`), ip},
		}
		for _, c := range cases {
			if got := s.queries(alpha, s.taskOf(c.a)); len(got) != 1 || got[0] != c.want {
				t.Errorf("%s:\n got %v\nwant %s", c.name, got, c.want)
			}
		}

		// Inside a group: numbers as the text of their digits, null as not
		// sent, and the same rule for each type.
		requests := `[{"type":1,"params":{"lastname":"Иванов","firstname":"Сергей","region":66}},` +
			`{"type":"1","params":{"region":"66","lastname":"Иванов","firstname":"Сергей","secondname":"","birthdate":null,"n":7}},` +
			`{"type":2,"params":{"name":"Ромашка","region":66}},` +
			`{"type":2,"params":{"name":"Ромашка","region":"66","address":""}},` +
			`{"type":3,"params":{"number":"6860/12/61/66"}},` +
			`{"type":3,"params":{"number":"6860/12/66061-ИП","firstname":"Сергей"}}]`
		want := []string{
			physical,
			`{"type":1,"params":{"region":"66","firstname":"Сергей","secondname":"","lastname":"Иванов","birthdate":null}}`,
			legal,
			`{"type":2,"params":{"region":"66","name":"Ромашка","address":""}}`,
			ip,
			`{"type":3,"params":{"number":"6860/12/66061-ИП"}}`,
		}
		for _, a := range []answer{
			s.call(http.MethodPost, "search/group", nil, "application/json", `{"token":"`+alpha+`","request":`+requests+`}`),
			s.call(http.MethodPost, "search/group", nil, "application/x-www-form-urlencoded", url.Values{"token": {alpha}, "request": {requests}}.Encode()),
		} {
			got := s.queries(alpha, s.taskOf(a))
			if len(got) != len(want) {
				t.Fatalf("group: %v", got)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("group %d:\n got %s\nwant %s", i, got[i], want[i])
				}
			}
		}
	})
}
