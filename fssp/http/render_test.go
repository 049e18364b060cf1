package http

import (
	"bytes"
	"strings"
	"testing"

	"stend"
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

// FuzzAppendJoin: an item's name, written in one pass, is what upper-casing
// the joined parts writes, invalid UTF-8 included; the other fields are the
// parts joined. Both are appended after what the buffer holds, as an item's
// fields are written into a reused one.
func FuzzAppendJoin(f *testing.F) {
	for _, s := range []string{"иванов", " пётр ", "ООО \"ромашка\"", "\xff\xd0", "ǆ ß ﬁ", "\u00a0x\u3000", "ı i", "ѐџЀЯяа", "\u0085я\u2028", "я\u00a0", "\xd1\xd0\x90"} {
		f.Add(s, s+" ёлка", "")
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		var kept []string
		for _, p := range []string{a, b, c} {
			if p = strings.TrimSpace(p); p != "" {
				kept = append(kept, p)
			}
		}
		const before = "held:"
		if got, want := string(appendJoin([]byte(before), true, a, b, c)), before+strings.ToUpper(strings.Join(kept, " ")); got != want {
			t.Fatalf("appendJoin(upper, %q, %q, %q) = %q, want %q", a, b, c, got, want)
		}
		if got, want := string(appendJoin([]byte(before), false, a, b, c)), before+strings.Join(kept, " "); got != want {
			t.Fatalf("appendJoin(%q, %q, %q) = %q, want %q", a, b, c, got, want)
		}
	})
}

// BenchmarkAppendJoinUpper: the names of a person's item and a legal
// entity's, upper-cased as they are joined.
func BenchmarkAppendJoinUpper(b *testing.B) {
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = appendJoin(buf[:0], true, "Иванов", "Пётр", "Сергеевич", "17.05.1980", "гор. Москва")
		buf = appendJoin(buf[:0], true, "ООО \"Ромашка-строй\"", "г. Москва, ул. Тимура Фрунзе, д. 11, стр. 2")
	}
}

// BenchmarkRenderResult: a person search's sub-result of 20 proceedings.
func BenchmarkRenderResult(b *testing.B) {
	req := fssp.SubRequest{Type: 1, Params: map[string]string{"region": "77", "lastname": "Иванов", "firstname": "Пётр"}}
	found := make([]fssp.Proceeding, 20)
	for i := range found {
		found[i] = fssp.Proceeding{Kind: fssp.DebtorPhysical, LastName: "Иванов", FirstName: "Пётр", Patronymic: "Сергеевич",
			BirthDate: stend.Date{Year: 1980, Month: 5, Day: 17}, BirthPlace: "гор. Москва",
			Number: fssp.ProceedingNumber{Own: int64(10000 + i), Year: 21, Department: 77001}, Date: stend.Date{Year: 2021, Month: 3, Day: 2},
			DocType: "Судебный приказ", DocDate: stend.Date{Year: 2021, Month: 1, Day: 11}, DocNumber: "2-1234/2021",
			DocIssuer: "Судебный участок № 15 района Хамовники", Subject: "Задолженность по кредитным платежам", Amount: 1234567, Fee: 86420,
			Department: fssp.Department{Name: "Хамовнический ОСП", PostalIndex: "119021", Address: "г. Москва, ул. Тимура Фрунзе, 11"},
			Bailiff:    fssp.Bailiff{Name: "Петрова А. В.", Phone: "+7(495)123-45-67"}}
	}
	b.ReportAllocs()
	for b.Loop() {
		renderResult(req, found)
	}
}
