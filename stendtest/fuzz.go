package stendtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"stend/store/storetest"
)

// TextSeeds are the texts every edge of the stand is fuzzed with first, so
// that plain `go test` runs them as regression tests: NUL alone and inside
// text, bytes that are not UTF-8 (a lone 0xFF, an encoded surrogate, an
// overlong NUL), Russian text, and texts longer than any field takes.
var TextSeeds = []string{
	"", " ", "\x00", "a\x00b", "\xff", "\xed\xa0\x80", "\xc0\x80", "Иванов\xd0",
	"Иванов Пётр Ёлкин", "ООО \"Ромашка\"", "00000000-0000-4000-8000-000000000001",
	"a@example.ru", "%00", "\\u0000", strings.Repeat("Я", 300), strings.Repeat("x\x00", 2000),
}

// FuzzStands prepares f to fuzz the edges of stands: TextSeeds as its
// corpus, and one stand per store, made by open once, before f.Fuzz (whose
// function runs many times on them, in the same order on every store).
func FuzzStands(f *testing.F, open func(storetest.Opener) *Stand) []*Stand {
	f.Helper()
	for _, s := range TextSeeds {
		f.Add(s)
	}
	var stands []*Stand
	for _, o := range storetest.Openers() {
		stands = append(stands, open(o))
	}
	return stands
}

// JSONText writes s as a JSON string literal the way a careless client
// does: quotes, backslashes and control characters escaped (NUL as
// \u0000), bytes that are not UTF-8 left as they are (json.Marshal would
// replace them, and the server must meet them).
func JSONText(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteByte(s[i])
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	b.WriteByte('"')
	return b.String()
}

// FromJSON is the text a server reads from JSONText(s): JSON decoders
// replace bytes that are not UTF-8, so only NUL survives of what a store
// cannot keep.
func FromJSON(s string) string {
	var out string
	if err := json.Unmarshal([]byte(JSONText(s)), &out); err != nil {
		panic(fmt.Sprintf("JSONText(%q) is not JSON: %v", s, err))
	}
	return out
}

// sources numbers the source addresses of AcrossStores.
var sources atomic.Uint32

// AcrossStores sends the request req makes to every stand (one per store),
// exempt from the contract check while its answers are held to it, and
// fails t when a stand answers 5xx or two stores answer with different
// statuses; it returns the first stand's answer. Each call comes from a
// source address of its own: a fuzzer's wrong credentials would soon have
// the APIs' throttles refuse one source, and answer 429 for every text.
func AcrossStores(t testing.TB, stands []*Stand, req func() *http.Request) Answer {
	t.Helper()
	n := sources.Add(1)
	source := fmt.Sprintf("10.%d.%d.%d:40000", byte(n>>16), byte(n>>8), byte(n))
	var first Answer
	for i, s := range stands {
		r := req()
		r.RemoteAddr = source
		// Held to the documents as the iteration's test (a fuzz target
		// that fails f itself panics); its requests are wild by design.
		rec := httptest.NewRecorder()
		checkContract(t, true, s.router).ServeHTTP(rec, r)
		a := Answer{rec.Code, rec.Body.String(), rec.Header()}
		if a.Status >= 500 {
			t.Errorf("%s %s on %s: %d %s", r.Method, short(r.URL.String()), s.Store.Dialect(), a.Status, a.Body)
		}
		if i == 0 {
			first = a
			continue
		}
		if a.Status != first.Status {
			t.Errorf("%s %s: %s answers %d %s, %s answers %d %s", r.Method, short(r.URL.String()),
				stands[0].Store.Dialect(), first.Status, short(first.Body), s.Store.Dialect(), a.Status, short(a.Body))
		}
	}
	return first
}

// short keeps a failure's message readable when the fuzzer sent a long text.
func short(s string) string {
	if len(s) > 300 {
		return fmt.Sprintf("%q… (%d bytes)", s[:300], len(s))
	}
	return fmt.Sprintf("%q", s)
}
