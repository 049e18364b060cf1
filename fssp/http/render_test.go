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
	for _, s := range []string{`ООО "РОМАШКА"`, "a\\b", "\x00\x1f\t\n\r\b\f", "\u2028\u2029", "\xff\xfe", "<br>&", "ё"} {
		f.Add(s, s+"x", int64(123456))
	}
	f.Fuzz(func(t *testing.T, text, other string, amount int64) {
		if amount < 0 {
			amount = -amount
		}
		req := fssp.SubRequest{Type: 2, Params: map[string]string{"name": text, "region": "66", other: text}}
		p := fssp.Proceeding{Kind: fssp.DebtorLegal, LegalName: text, LegalAddress: other, Number: fssp.ProceedingNumber{Own: 1, Year: 5, Department: 66001},
			DocType: text, DocNumber: other, DocIssuer: text, Subject: other, Amount: amount % 1e12, Fee: amount % 1e6,
			Department: fssp.Department{Name: text, PostalIndex: "620000", Address: other}, Bailiff: fssp.Bailiff{Name: other, Phone: text}}
		found := []fssp.Proceeding{p, p}
		items := make([]item, len(found))
		for i, f := range found {
			items[i] = render(f)
		}
		want, err := httpx.MarshalJSON(subResult{Status: 0, Query: queryEcho(req), Result: items})
		if err != nil {
			t.Fatal(err)
		}
		if got := renderResult(req, found); !bytes.Equal(got, want) {
			t.Fatalf("renderResult:\n%s\nencoding/json:\n%s", got, want)
		}
	})
}
