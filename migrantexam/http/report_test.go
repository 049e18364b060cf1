package http_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"stend/operator"
	"stend/store/sqlstore"
)

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

type obj = map[string]any

// validReport is a complete report for area 101 and the week of Monday
// 2025-06-02, one week before the stand's today.
func validReport() obj {
	return obj{
		"examinationAreaId":                      101,
		"periodStartDate":                        "2025-06-02",
		"periodEndDate":                          "2025-06-08",
		"noExamInSelectedPeriod":                 false,
		"examinationAreaDoesNotWork":             false,
		"patentNearestStartDate":                 "2025-07-05",
		"noPatentExamType":                       false,
		"temporaryResidenceNearestStartDate":     "2025-07-10",
		"noTemporaryResidenceExamType":           false,
		"residencePermitNearestStartDate":        "2025-07-15",
		"noResidencePermitExamType":              false,
		"citizenshipRussianLangNearestStartDate": "2025-07-15",
		"noCitizenshipRussianLangExamType":       false,
		"citizenshipHistoryNearestStartDate":     "2025-07-15",
		"noCitizenshipHistoryExamType":           false,
		"comment":                                "Отчет по площадке",
		"requests": []any{
			obj{"identityDocumentNumber": sha("4510123456"), "examDate": "2025-06-04", "migrationExamType": 1, "migrationExamStatus": 1},
			obj{"identityDocumentNumber": sha("4511654321"), "examDate": "2025-06-08", "migrationExamType": 3, "migrationExamStatus": 2},
		},
	}
}

func encode(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// with returns the valid report changed by the given edits: a value sets a
// key, nil sets JSON null, del removes it.
type edit func(obj)

func set(key string, v any) edit { return func(m obj) { m[key] = v } }
func del(keys ...string) edit {
	return func(m obj) {
		for _, k := range keys {
			delete(m, k)
		}
	}
}
func row(i int, key string, v any) edit {
	return func(m obj) { m["requests"].([]any)[i].(obj)[key] = v }
}
func rowDel(i int, key string) edit {
	return func(m obj) { delete(m["requests"].([]any)[i].(obj), key) }
}

func report(edits ...edit) string {
	m := validReport()
	for _, e := range edits {
		e(m)
	}
	return encode(m)
}

// validation is the exact body of the document's first 400 shape.
func validation(errs map[string]string) string {
	var b strings.Builder
	b.WriteString(`{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"One or more validation errors occurred.","status":400,"errors":{`)
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:[%q]", k, errs[k])
	}
	b.WriteString("}}")
	return b.String()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// rule is the exact body of the document's second 400 shape.
func rule(msg string) string { return `{"error":"` + msg + `"}` }

const (
	required   = "Поле обязательно для заполнения"
	notInteger = "Значение должно быть целым числом"
	notBoolean = "Значение должно быть логическим: true или false"
	notDate    = "Значение должно быть датой в формате ГГГГ-ММ-ДД"
	notString  = "Значение должно быть строкой"
)

type levelNames struct{ date, flag string }

var levels = []levelNames{
	{"patentNearestStartDate", "noPatentExamType"},
	{"temporaryResidenceNearestStartDate", "noTemporaryResidenceExamType"},
	{"residencePermitNearestStartDate", "noResidencePermitExamType"},
	{"citizenshipRussianLangNearestStartDate", "noCitizenshipRussianLangExamType"},
	{"citizenshipHistoryNearestStartDate", "noCitizenshipHistoryExamType"},
}

func pascal(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

type reportCase struct {
	name   string
	body   string
	status int
	want   string // exact body; "" for a 200 with a reportId
}

func reportCases() []reportCase {
	notWorking := []edit{set("examinationAreaDoesNotWork", true)}
	for _, l := range levels {
		notWorking = append(notWorking, del(l.date, l.flag))
	}
	cases := []reportCase{
		{"the document's sample shape is accepted", report(), 200, ""},
		{"comment is optional", report(del("comment")), 200, ""},
		{"hex digits in upper case are accepted", report(row(0, "identityDocumentNumber", strings.ToUpper(sha("x")))), 200, ""},
		{"unknown keys are ignored, as ASP.NET does", report(set("extra", 1)), 200, ""},
		{"an area that does not work passes no level fields", report(notWorking...), 200, ""},
		{"no exams: requests absent", report(set("noExamInSelectedPeriod", true), del("requests")), 200, ""},
		{"no exams: requests null", report(set("noExamInSelectedPeriod", true), set("requests", nil)), 200, ""},
		{"no exams: requests empty", report(set("noExamInSelectedPeriod", true), set("requests", []any{})), 200, ""},
		{"the current week may be reported", report(set("periodStartDate", "2025-06-09"), set("periodEndDate", "2025-06-15"),
			row(0, "examDate", "2025-06-11"), row(1, "examDate", "2025-06-09")), 200, ""},

		// The model does not bind: the first 400 shape.
		{"the document's sample error", report(del("noExamInSelectedPeriod")), 400, validation(map[string]string{"NoExamInSelectedPeriod": required})},
		{"null is not passed", report(set("noExamInSelectedPeriod", nil)), 400, validation(map[string]string{"NoExamInSelectedPeriod": required})},
		{"every required field at once", "{}", 400, validation(map[string]string{
			"ExaminationAreaId": required, "PeriodStartDate": required, "PeriodEndDate": required,
			"NoExamInSelectedPeriod": required, "ExaminationAreaDoesNotWork": required})},
		{"examinationAreaDoesNotWork is required", report(del("examinationAreaDoesNotWork")), 400, validation(map[string]string{"ExaminationAreaDoesNotWork": required})},
		{"integer as a string", report(set("examinationAreaId", "101")), 400, validation(map[string]string{"ExaminationAreaId": notInteger})},
		{"fractional integer", report(set("examinationAreaId", 101.5)), 400, validation(map[string]string{"ExaminationAreaId": notInteger})},
		{"reportId of a wrong type", report(set("reportId", "7")), 400, validation(map[string]string{"ReportId": notInteger})},
		{"boolean as a string", report(set("noExamInSelectedPeriod", "false")), 400, validation(map[string]string{"NoExamInSelectedPeriod": notBoolean})},
		{"boolean as a number", report(set("noPatentExamType", 0)), 400, validation(map[string]string{"NoPatentExamType": notBoolean})},
		{"date as a number", report(set("periodStartDate", 20250602)), 400, validation(map[string]string{"PeriodStartDate": notDate})},
		{"date in another format", report(set("periodEndDate", "08.06.2025")), 400, validation(map[string]string{"PeriodEndDate": notDate})},
		{"impossible date", report(set("patentNearestStartDate", "2025-02-30")), 400, validation(map[string]string{"PatentNearestStartDate": notDate})},
		{"date with a time", report(set("periodStartDate", "2025-06-02T00:00:00")), 400, validation(map[string]string{"PeriodStartDate": notDate})},
		{"comment of a wrong type", report(set("comment", 5)), 400, validation(map[string]string{"Comment": notString})},
		{"requests not an array", report(set("requests", obj{})), 400, validation(map[string]string{"Requests": "Значение должно быть массивом заявок"})},
		{"request not an object", report(set("requests", []any{1})), 400, validation(map[string]string{"Requests[0]": "Значение должно быть объектом заявки"})},
		{"request fields required", report(rowDel(1, "identityDocumentNumber"), rowDel(1, "examDate"), rowDel(1, "migrationExamType"), rowDel(1, "migrationExamStatus")), 400,
			validation(map[string]string{"Requests[1].IdentityDocumentNumber": required, "Requests[1].ExamDate": required,
				"Requests[1].MigrationExamType": required, "Requests[1].MigrationExamStatus": required})},
		{"request document number empty", report(row(0, "identityDocumentNumber", "")), 400, validation(map[string]string{"Requests[0].IdentityDocumentNumber": required})},
		{"request fields of wrong types", report(row(0, "identityDocumentNumber", 12), row(0, "examDate", "04.06.2025"), row(0, "migrationExamType", "1"), row(0, "migrationExamStatus", true)), 400,
			validation(map[string]string{"Requests[0].IdentityDocumentNumber": notString, "Requests[0].ExamDate": notDate,
				"Requests[0].MigrationExamType": notInteger, "Requests[0].MigrationExamStatus": notInteger})},

		// Rules between values: the second 400 shape.
		{"period starts on a Tuesday", report(set("periodStartDate", "2025-06-03"), set("periodEndDate", "2025-06-09")), 400,
			rule("Дата начала отчетного периода periodStartDate = 2025-06-03 должна быть понедельником")},
		{"period ends a week late", report(set("periodEndDate", "2025-06-15")), 400,
			rule("Дата окончания отчетного периода periodEndDate = 2025-06-15 должна быть воскресеньем той же недели, что и дата начала отчетного периода, то есть 2025-06-08")},
		{"period ends on Saturday", report(set("periodEndDate", "2025-06-07")), 400,
			rule("Дата окончания отчетного периода periodEndDate = 2025-06-07 должна быть воскресеньем той же недели, что и дата начала отчетного периода, то есть 2025-06-08")},
		{"period in the future", report(set("periodStartDate", "2025-06-16"), set("periodEndDate", "2025-06-22")), 400,
			rule("Отчетный период с 2025-06-16 еще не начался: отчет за будущий период не принимается")},
		{"non-positive reportId", report(set("reportId", 0)), 400, rule("Отчет с reportId = 0 не найден")},
		{"unknown reportId", report(set("reportId", 999)), 400, rule("Отчет с reportId = 999 не найден")},
		{"non-positive area", report(set("examinationAreaId", -1)), 400, rule("Площадка с examinationAreaId = -1 не предоставлена организации")},
		{"unknown area", report(set("examinationAreaId", 999)), 400, rule("Площадка с examinationAreaId = 999 не предоставлена организации")},
		{"another organization's area", report(set("examinationAreaId", 201)), 400, rule("Площадка с examinationAreaId = 201 не предоставлена организации")},
		{"no exams but requests sent", report(set("noExamInSelectedPeriod", true)), 400,
			rule("Коллекция заявок requests не передается, если noExamInSelectedPeriod = true")},
		{"exams but no requests", report(del("requests")), 400,
			rule("Не передана коллекция заявок requests за указанный период без выставления параметра noExamInSelectedPeriod в значении true")},
		{"exams but empty requests", report(set("requests", []any{})), 400,
			rule("Не передана коллекция заявок requests за указанный период без выставления параметра noExamInSelectedPeriod в значении true")},
		{"raw document number", report(row(1, "identityDocumentNumber", "4510 123456")), 400,
			rule("requests[1].identityDocumentNumber: ожидается хэш SHA-256 серии и номера документа в шестнадцатеричном виде (64 символа 0-9, a-f)")},
		{"63 hex digits", report(row(0, "identityDocumentNumber", sha("x")[:63])), 400,
			rule("requests[0].identityDocumentNumber: ожидается хэш SHA-256 серии и номера документа в шестнадцатеричном виде (64 символа 0-9, a-f)")},
		{"64 characters, not hex", report(row(0, "identityDocumentNumber", strings.Repeat("g", 64))), 400,
			rule("requests[0].identityDocumentNumber: ожидается хэш SHA-256 серии и номера документа в шестнадцатеричном виде (64 символа 0-9, a-f)")},
		{"exam before the period", report(row(0, "examDate", "2025-06-01")), 400,
			rule("requests[0].examDate: дата экзамена 2025-06-01 вне отчетного периода с 2025-06-02 по 2025-06-08")},
		{"exam after the period", report(row(1, "examDate", "2025-06-09")), 400,
			rule("requests[1].examDate: дата экзамена 2025-06-09 вне отчетного периода с 2025-06-02 по 2025-06-08")},
		{"exam in the future", report(set("periodStartDate", "2025-06-09"), set("periodEndDate", "2025-06-15"),
			row(0, "examDate", "2025-06-10"), row(1, "examDate", "2025-06-12")), 400,
			rule("requests[1].examDate: дата экзамена 2025-06-12 еще не наступила")},
		{"exam type 0", report(row(0, "migrationExamType", 0)), 400,
			rule("requests[0].migrationExamType: недопустимое значение 0; возможные значения: 1 - Патент/Разрешение на работу, 2 - РВП, 3 - ВНЖ")},
		{"exam type 4", report(row(1, "migrationExamType", 4)), 400,
			rule("requests[1].migrationExamType: недопустимое значение 4; возможные значения: 1 - Патент/Разрешение на работу, 2 - РВП, 3 - ВНЖ")},
		{"exam status 3", report(row(0, "migrationExamStatus", 3)), 400,
			rule("requests[0].migrationExamStatus: недопустимое значение 3; возможные значения: 1 - Сдал, 2 - Не сдал")},
		{"exam status 0", report(row(0, "migrationExamStatus", 0)), 400,
			rule("requests[0].migrationExamStatus: недопустимое значение 0; возможные значения: 1 - Сдал, 2 - Не сдал")},
	}
	for _, l := range levels {
		cases = append(cases,
			reportCase{"area does not work, " + l.flag + " passed", report(append(notWorking, set(l.flag, false))...), 400,
				rule(fmt.Sprintf("Параметр %s не передается, если examinationAreaDoesNotWork = true", l.flag))},
			reportCase{"area does not work, " + l.date + " passed", report(append(notWorking, set(l.date, "2025-07-01"))...), 400,
				rule(fmt.Sprintf("Параметр %s не передается, если examinationAreaDoesNotWork = true", l.date))},
			reportCase{"area works, " + l.flag + " missing", report(del(l.flag)), 400,
				rule(fmt.Sprintf("Не передан параметр %s: он обязателен, если examinationAreaDoesNotWork = false", l.flag))},
			reportCase{l.flag + " true with " + l.date, report(set(l.flag, true)), 400,
				rule(fmt.Sprintf("Параметр %s не передается, если %s = true", l.date, l.flag))},
			reportCase{l.flag + " true without " + l.date, report(set(l.flag, true), del(l.date)), 200, ""},
			reportCase{l.flag + " false without " + l.date, report(del(l.date)), 400,
				rule(fmt.Sprintf("Не передан параметр %s: он обязателен, если %s = false", l.date, l.flag))},
			reportCase{l.flag + " false with " + l.date + " null", report(set(l.date, nil)), 400,
				rule(fmt.Sprintf("Не передан параметр %s: он обязателен, если %s = false", l.date, l.flag))},
			reportCase{l.date + " of a wrong type", report(set(l.date, true)), 400, validation(map[string]string{pascal(l.date): notDate})},
		)
	}
	return cases
}

// offDocument tells the cases whose body the OpenAPI document refuses
// (openapi/migrant-exam): every model error, and the rule errors of values
// its schema bounds (identityDocumentNumber's 64 hex digits, the two
// enumerations, positive ids). The other rule errors are of well-formed
// bodies that break a rule between fields.
func (c reportCase) offDocument() bool {
	if strings.HasPrefix(c.want, `{"type":`) {
		return true
	}
	for _, p := range []string{"requests[0].identityDocumentNumber", "requests[1].identityDocumentNumber", "requests[0].migrationExamType",
		"requests[1].migrationExamType", "requests[0].migrationExamStatus", "Отчет с reportId = 0 ", "examinationAreaId = -1 "} {
		if strings.Contains(c.want, p) {
			return true
		}
	}
	return false
}

func TestReportRules(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		stands := newRefusals(t, open)
		for _, c := range reportCases() {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				s := stands.standFor(t, c.status)
				send := s.post
				if c.offDocument() {
					send = s.postMalformed
				}
				got := send(alpha, c.body)
				if got.status != c.status {
					t.Fatalf("status %d, want %d: %s", got.status, c.status, got.body)
				}
				if c.status == http.StatusOK {
					if _, ok := acceptedID(got.body); !ok {
						t.Fatalf("body %s", got.body)
					}
					if ct := got.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
						t.Fatalf("content type %q", ct)
					}
					if n := s.reportCount(); n != 1 {
						t.Fatalf("%d reports stored", n)
					}
					return
				}
				if got.body != c.want {
					t.Fatalf("body\n got %s\nwant %s", got.body, c.want)
				}
				if n := s.reportCount(); n != 0 {
					t.Fatalf("a rejected report left %d reports behind", n)
				}
			})
		}
	})
}

// TestStoredContent checks that what an operator reads is what was sent,
// with document numbers normalised to lower case.
func TestStoredContent(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		s := newStand(t, open)
		upper := strings.ToUpper(sha("4510123456"))
		id := s.postAccepted(alpha, report(row(0, "identityDocumentNumber", upper), set("noTemporaryResidenceExamType", true), del("temporaryResidenceNearestStartDate")))
		var r operator.Report
		if code := s.operatorGet(fmt.Sprint("/operator/v1/migrant-exam/reports/", id), &r); code != 200 {
			t.Fatalf("operator read: %d", code)
		}
		v := r.Versions[0]
		if len(r.Versions) != 1 || v.ExaminationAreaID != 101 || v.PeriodStartDate != "2025-06-02" || v.PeriodEndDate != "2025-06-08" ||
			v.Comment == nil || *v.Comment != "Отчет по площадке" || v.TemporaryResidenceNearestStartDate != nil ||
			v.NoTemporaryResidenceExamType == nil || !*v.NoTemporaryResidenceExamType || *v.PatentNearestStartDate != "2025-07-05" {
			t.Fatalf("stored %+v", v)
		}
		want := []operator.RequestRow{
			{IdentityDocumentNumber: sha("4510123456"), ExamDate: "2025-06-04", MigrationExamType: 1, MigrationExamStatus: 1},
			{IdentityDocumentNumber: sha("4511654321"), ExamDate: "2025-06-08", MigrationExamType: 3, MigrationExamStatus: 2},
		}
		if len(v.Requests) != 2 || v.Requests[0] != want[0] || v.Requests[1] != want[1] {
			t.Fatalf("rows %+v", v.Requests)
		}
	})
}
