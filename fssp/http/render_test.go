package http

import (
	"bytes"
	"testing"

	"stend/fssp"
	"stend/httpx"
)

// FuzzRenderResult: the hand-written JSON of a sub-result is byte for byte
// what encoding/json writes (HTML escaping off), whatever the texts hold.
func FuzzRenderResult(f *testing.F) {
	for i, s := range []string{`ООО "РОМАШКА"`, "a\\b", "\x00\x1f\t\n\r\b\f", "\u2028\u2029", "\xff\xfe", "<br>&", "ё"} {
		f.Add(s, s+"x", int64(123456), uint8(i))
	}
	f.Fuzz(func(t *testing.T, text, other string, amount int64, shape uint8) {
		if amount < 0 {
			amount = -amount
		}
		req := fssp.SubRequest{Type: 2, Params: map[string]string{"name": text, "region": "66", other: text}}
		if shape&64 != 0 {
			req.Params["address"] = ""
		}
		p := fssp.Proceeding{Kind: fssp.DebtorLegal, LegalName: text, LegalAddress: other, Number: fssp.ProceedingNumber{Own: 1, Year: 5, Department: 66001},
			DocType: text, DocNumber: other, DocIssuer: text, Subject: other, Amount: amount % 1e12, Fee: amount % 1e6,
			Department: fssp.Department{Name: text, PostalIndex: "620000", Address: other}, Bailiff: fssp.Bailiff{Name: other, Phone: text}}
		// The shapes of issue 18 pass through the same writer.
		p.Number.Short = shape&1 != 0
		p.Joined = shape&2 != 0
		if shape&4 != 0 {
			p.Consolidated = &fssp.ProceedingNumber{Own: amount % 1e10, Year: 19, Department: 54001}
		}
		p.AmountFormat = fssp.AmountFormat(shape >> 3 & 1)
		p.Bailiff.Format = fssp.BailiffFormat(shape >> 4 & 3 % 3)
		found := []fssp.Proceeding{p, p}
		items := make([]item, len(found))
		for i, f := range found {
			items[i] = render(f)
		}
		want, err := httpx.MarshalJSON(subResult{Status: 0, Query: queryEcho(req), Result: items})
		if err != nil {
			t.Fatal(err)
		}
		// The query is written by appendQuery for both sides above; its
		// bytes are checked against encoding/json's here, key by key in the
		// method's order, null for a parameter not sent.
		query := []byte(`{"type":2,"params":{`)
		for i, k := range methodParams[2] {
			if i > 0 {
				query = append(query, ',')
			}
			key, _ := httpx.MarshalJSON(k)
			query = append(append(query, bytes.TrimSpace(key)...), ':')
			if v, sent := req.Params[k]; sent {
				value, _ := httpx.MarshalJSON(v)
				query = append(query, bytes.TrimSpace(value)...)
			} else {
				query = append(query, "null"...)
			}
		}
		query = append(query, "}}"...)
		if got := appendQuery(nil, req); !bytes.Equal(got, query) {
			t.Fatalf("appendQuery:\n%s\nencoding/json:\n%s", got, query)
		}
		if got := renderResult(req, found); !bytes.Equal(got, want) {
			t.Fatalf("renderResult:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
