package http_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"stend/operator"
)

const (
	deduct       = "Attempting to deduct more than the available points"
	notInteger   = `The \"amount\" field must contain an integer value`
	noBalance    = "Balance not found"
	tooLong      = `The length of the \"message\" field cannot exceed 80 characters`
	badBatch     = `{"result":false,"message":"Required parameters are not filled in"}`
	pointsPath   = "/public/api/v1/points/"
	userA, userB = "a@example.ru", "b@example.ru"
)

// item renders one element of a points answer: balance "" is null, errs
// are message, cause pairs.
func item(user, balanceType string, balance string, errs ...string) string {
	js := func(s string) string {
		if s == "" {
			return "null"
		}
		return `"` + s + `"`
	}
	e := "null"
	if len(errs) > 0 {
		var ps []string
		for i := 0; i < len(errs); i += 2 {
			ps = append(ps, `{"message":"`+errs[i]+`","cause":"`+errs[i+1]+`"}`)
		}
		e = "[" + strings.Join(ps, ",") + "]"
	}
	return fmt.Sprintf(`{"userId":%s,"balanceType":%s,"success":%t,"balance":%s,"errors":%s}`, js(user), js(balanceType), len(errs) == 0, js(balance), e)
}

func points(items ...string) string {
	return `{"result":true,"data":[` + strings.Join(items, ",") + `]}`
}

// «Баллы»: the sample, then every rule.
func TestPointsSample(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		body := `[ { "userId": "a@example.ru", "balanceType": "karma", "amount": "200", "message": "За активности на субботнике" },
			{ "userId": "b@example.ru", "balanceType": "score", "amount": "-200", "message": "За выявленные нарушения при прохождении тестирований" } ]`
		s.expect(s.call("POST", pointsPath, body), 200, points(item(userA, "karma", "200"), item(userB, "score", "0", deduct, "amount")))
		if got := fmt.Sprint(s.ledger(userA)); got != "[karma +200=200 За активности на субботнике]" {
			t.Fatalf("ledger: %s", got)
		}
		if got := s.ledger(userB); len(got) != 0 {
			t.Fatalf("a refused debit is in the ledger: %v", got)
		}
		// Without the slash too.
		s.expect(s.call("POST", "/public/api/v1/points", `[{"userId":"a@example.ru","balanceType":"karma","amount":-200}]`), 200,
			points(item(userA, "karma", "0")))
	})
}

func TestPointsRules(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		// a starts with score 100 for the cases below; each case's
		// balance is that of a's score unless it says otherwise.
		s.expect(s.call("POST", pointsPath, `[{"userId":"a@example.ru","balanceType":"score","amount":100}]`), 200, points(item(userA, "score", "100")))
		long := strings.Repeat("ж", 81)
		// malformed: an item the document calls invalid, sent on purpose (an
		// unknown user or a deduction beyond the balance is a valid request).
		cases := []struct {
			name, el, want string
			malformed      bool
		}{
			{"integer", `{"userId":"a@example.ru","balanceType":"score","amount":5}`, item(userA, "score", "105"), false},
			{"integer string", `{"userId":"a@example.ru","balanceType":"score","amount":"-5"}`, item(userA, "score", "100"), false},
			{"e-mail in another case", `{"userId":"A@EXAMPLE.RU","balanceType":"score","amount":1}`, item("A@EXAMPLE.RU", "score", "101"), false},
			{"deactivated user", `{"userId":"b@example.ru","balanceType":"karma","amount":7}`, item(userB, "karma", "7"), false},
			{"message of 80 characters", `{"userId":"a@example.ru","balanceType":"score","amount":-1,"message":"` + long[:160] + `"}`, item(userA, "score", "100"), false},
			{"below zero", `{"userId":"a@example.ru","balanceType":"score","amount":-101}`, item(userA, "score", "100", deduct, "amount"), false},
			{"unknown user", `{"userId":"nobody@example.ru","balanceType":"score","amount":1}`, item("nobody@example.ru", "score", "", notFound, "userId"), false},
			{"deleted user", `{"userId":"gone@example.ru","balanceType":"score","amount":1}`, item("gone@example.ru", "score", "", notFound, "userId"), false},
			{"no userId", `{"balanceType":"score","amount":1}`, item("", "score", "", required, "userId"), true},
			{"userId a number", `{"userId":5,"balanceType":"score","amount":1}`, item("", "score", "", required, "userId"), true},
			{"userId empty", `{"userId":"","balanceType":"score","amount":1}`, strings.Replace(item("", "score", "", required, "userId"), `"userId":null`, `"userId":""`, 1), true},
			{"userId with U+0000", `{"userId":"a@example.ru\u0000","balanceType":"score","amount":1}`, strings.Replace(item("", "score", "", required, "userId"), `"userId":null`, `"userId":"a@example.ru\u0000"`, 1), true},
			{"message with U+0000", `{"userId":"a@example.ru","balanceType":"score","amount":1,"message":"a\u0000b"}`, item(userA, "score", "100", required, "message"), true},
			{"no balanceType", `{"userId":"a@example.ru","amount":1}`, item(userA, "", "", required, "balanceType"), true},
			{"balanceType not a string", `{"userId":"a@example.ru","balanceType":1,"amount":1}`, item(userA, "", "", required, "balanceType"), true},
			{"unknown balanceType", `{"userId":"a@example.ru","balanceType":"gold","amount":1}`, item(userA, "gold", "", noBalance, "balanceType"), true},
			{"balanceType in another case", `{"userId":"a@example.ru","balanceType":"Score","amount":1}`, item(userA, "Score", "", noBalance, "balanceType"), true},
			{"no amount", `{"userId":"a@example.ru","balanceType":"score"}`, item(userA, "score", "100", required, "amount"), true},
			{"amount null", `{"userId":"a@example.ru","balanceType":"score","amount":null}`, item(userA, "score", "100", required, "amount"), true},
			{"amount empty string", `{"userId":"a@example.ru","balanceType":"score","amount":""}`, item(userA, "score", "100", required, "amount"), true},
			{"amount zero", `{"userId":"a@example.ru","balanceType":"score","amount":0}`, item(userA, "score", "100", required, "amount"), true},
			{"amount over a billion", `{"userId":"a@example.ru","balanceType":"score","amount":1000000001}`, item(userA, "score", "100", required, "amount"), true},
			{"amount beyond int64", `{"userId":"a@example.ru","balanceType":"score","amount":"99999999999999999999"}`, item(userA, "score", "100", required, "amount"), true},
			{"fractional amount", `{"userId":"a@example.ru","balanceType":"score","amount":1.5}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"fractional string", `{"userId":"a@example.ru","balanceType":"score","amount":"1.5"}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"integral float", `{"userId":"a@example.ru","balanceType":"score","amount":2.0}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"exponent", `{"userId":"a@example.ru","balanceType":"score","amount":2e3}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"words", `{"userId":"a@example.ru","balanceType":"score","amount":"много"}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"plus sign", `{"userId":"a@example.ru","balanceType":"score","amount":"+5"}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"boolean", `{"userId":"a@example.ru","balanceType":"score","amount":true}`, item(userA, "score", "100", notInteger, "amount"), true},
			{"message of 81 characters", `{"userId":"a@example.ru","balanceType":"score","amount":1,"message":"` + long + `"}`, item(userA, "score", "100", tooLong, "message"), true},
			{"message not a string", `{"userId":"a@example.ru","balanceType":"score","amount":1,"message":5}`, item(userA, "score", "100", required, "message"), true},
			// The first problem found, in the document's order.
			{"unknown user, fractional amount, unknown balance", `{"userId":"nobody@example.ru","balanceType":"gold","amount":1.5}`, item("nobody@example.ru", "gold", "", notFound, "userId"), true},
			{"fractional amount, unknown balance", `{"userId":"a@example.ru","balanceType":"gold","amount":1.5}`, item(userA, "gold", "", notInteger, "amount"), true},
			{"missing balanceType before fractional", `{"userId":"a@example.ru","amount":1.5}`, item(userA, "", "", required, "balanceType"), true},
			// Several required parameters: one error each (:1229), in field
			// order, when a required one is the first problem found.
			{"two missing", `{"userId":"a@example.ru"}`, item(userA, "", "", required, "balanceType", required, "amount"), true},
			{"three missing", `{"userId":"a@example.ru","message":5}`, item(userA, "", "", required, "balanceType", required, "amount", required, "message"), true},
			{"no userId and missing", `{"amount":0}`, item("", "", "", required, "userId", required, "balanceType", required, "amount"), true},
			{"missing, then other kinds", `{"userId":"a@example.ru","balanceType":"gold","amount":"","message":"` + long + `"}`, item(userA, "gold", "", required, "amount"), true},
			{"unknown user before missing ones", `{"userId":"nobody@example.ru"}`, item("nobody@example.ru", "", "", notFound, "userId"), true},
			{"unknown balance before a long message", `{"userId":"a@example.ru","balanceType":"gold","amount":1,"message":"` + long + `"}`, item(userA, "gold", "", noBalance, "balanceType"), true},
			{"long message before a deduction", `{"userId":"a@example.ru","balanceType":"score","amount":-1000,"message":"` + long + `"}`, item(userA, "score", "100", tooLong, "message"), true},
		}
		for _, c := range cases {
			a := s.call("POST", pointsPath, "["+c.el+"]", marked(c.malformed)...)
			if want := points(c.want); a.status != 200 || a.body != want {
				t.Errorf("%s:\n got %d %s\nwant 200 %s", c.name, a.status, a.body, want)
			}
		}
		want := []string{"score +100=100 Изменение баланса баллов", "score +5=105 Изменение баланса баллов", "score -5=100 Изменение баланса баллов",
			"score +1=101 Изменение баланса баллов", "score -1=100 " + long[:160]}
		if got := s.ledger(userA); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("ledger of a:\n got %q\nwant %q", got, want)
		}
	})
}

// Items for one user apply one after another, in order; a failing item
// does not undo the others.
func TestPointsBatchOrder(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		body := `[{"userId":"a@example.ru","balanceType":"score","amount":50,"message":"1"},
			{"userId":"b@example.ru","balanceType":"score","amount":-1,"message":"2"},
			{"userId":"a@example.ru","balanceType":"score","amount":-30,"message":"3"},
			{"userId":"a@example.ru","balanceType":"score","amount":-30,"message":"4"},
			{"userId":"a@example.ru","balanceType":"score","amount":10,"message":"5"}]`
		s.expect(s.call("POST", pointsPath, body), 200, points(item(userA, "score", "50"), item(userB, "score", "0", deduct, "amount"),
			item(userA, "score", "20"), item(userA, "score", "20", deduct, "amount"), item(userA, "score", "30")))
		if got := fmt.Sprint(s.ledger(userA)); got != "[score +50=50 1 score -30=20 3 score +10=30 5]" {
			t.Fatalf("ledger: %s", got)
		}
	})
}

// payment needs the prize-catalog licence, valid at the time of the
// request.
func TestPaymentBalance(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		el := `[{"userId":"a@example.ru","balanceType":"payment","amount":10}]`
		s.expect(s.call("POST", pointsPath, el), 200, points(item(userA, "payment", "10")))
		// The licence runs to the end of 2025-12-31.
		s.clock.Set(time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC))
		s.expect(s.call("POST", pointsPath, el), 200, points(item(userA, "payment", "20")))
		s.clock.Set(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		s.expect(s.call("POST", pointsPath, el), 200, points(item(userA, "payment", "", noBalance, "balanceType")))
		ctx := context.Background()
		if _, err := s.node.Operator.UpdateMotivityPlatform(ctx, operator.MotivitySettings{PrizeCatalogUntil: ptr("")}); err != nil {
			t.Fatal(err)
		}
		s.clock.Set(today)
		s.expect(s.call("POST", pointsPath, el), 200, points(item(userA, "payment", "", noBalance, "balanceType")))
		// The other balances do not need it.
		s.expect(s.call("POST", pointsPath, `[{"userId":"a@example.ru","balanceType":"karma","amount":1}]`), 200, points(item(userA, "karma", "1")))
	})
}

// The default wording is in the request's language, else the platform's.
func TestPointsDefaultMessage(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		el := `[{"userId":"a@example.ru","balanceType":"karma","amount":1%s}]`
		for _, c := range []struct{ header, message string }{
			{"", ""}, {"Locale: en", ""}, {"Locale: uz", ""}, {"Locale: ky", ""}, {"Locale: fr", ""}, {"Locale: en", `,"message":"   "`},
			{"Locale: en", `,"message":null`}, {"Locale: en", `,"message":"Своё"`},
		} {
			if a := s.call("POST", pointsPath, fmt.Sprintf(el, c.message), c.header); a.status != 200 {
				t.Fatalf("%d %s", a.status, a.body)
			}
		}
		want := "[karma +1=1 Изменение баланса баллов karma +1=2 Points balance change karma +1=3 Ballar balansining o'zgarishi " +
			"karma +1=4 Упайлар балансынын өзгөрүшү karma +1=5 Изменение баланса баллов karma +1=6 Points balance change " +
			"karma +1=7 Points balance change karma +1=8 Своё]"
		if got := fmt.Sprint(s.ledger(userA)); got != want {
			t.Fatalf("ledger:\n got %s\nwant %s", got, want)
		}
	})
}

// A batch that cannot be processed changes nothing.
func TestPointsMalformed(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s *stand) {
		ok := `{"userId":"a@example.ru","balanceType":"karma","amount":1}`
		cases := []struct{ name, body string }{
			{"empty", ``},
			{"spaces", `   `},
			{"not JSON", `userId=a`},
			{"empty array", `[]`},
			{"an object", ok},
			{"a string", `"x"`},
			{"null", `null`},
			{"a number in the array", `[` + ok + `,1]`},
			{"null in the array", `[` + ok + `,null]`},
			{"an array in the array", `[` + ok + `,[]]`},
			{"cut short", `[` + ok},
			{"trailing data", `[` + ok + `] []`},
			{"over the maximum (5 in tests)", `[` + strings.Repeat(ok+",", 5) + ok + `]`},
		}
		for _, c := range cases {
			// Each is malformed on purpose, but for the one over the test
			// stand's limit, which the document allows.
			a := s.call("POST", pointsPath, c.body, marked(!strings.HasPrefix(c.name, "over the maximum"))...)
			if a.status != 400 || a.body != badBatch {
				t.Errorf("%s: got %d %s", c.name, a.status, a.body)
			}
		}
		// Over the body limit (4 KiB in tests): 413, declared or not.
		big := `[` + ok + `,{"userId":"a@example.ru","balanceType":"karma","amount":1,"message":"` + strings.Repeat("x", 5000) + `"}]`
		s.expect(s.call("POST", pointsPath, big, malformed), 413, `{"result":false,"message":"Request body is too large"}`)
		if got := s.ledger(userA); len(got) != 0 {
			t.Fatalf("a malformed batch changed balances: %v", got)
		}
	})
}
