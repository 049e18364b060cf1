package http

import (
	"fmt"
	"strings"
	"time"

	"stend"
	"stend/migrantexam"
)

// enumValue is one documented value of an enumeration.
type enumValue struct {
	Code  int
	Title string
}

// The document's enumerations, one table each: a new value is one line.
var (
	migrationExamTypes = []enumValue{
		{1, "Патент/Разрешение на работу"},
		{2, "РВП"},
		{3, "ВНЖ"},
	}
	migrationExamStatuses = []enumValue{
		{1, "Сдал"},
		{2, "Не сдал"},
	}
)

func enumHas(values []enumValue, code int64) bool {
	for _, v := range values {
		if int64(v.Code) == code {
			return true
		}
	}
	return false
}

func enumList(values []enumValue) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("%d - %s", v.Code, v.Title)
	}
	return strings.Join(parts, ", ")
}

// bindingErrors collects what makes the body not bind to the model: missing
// required fields and values of the wrong JSON type. Keys are PascalCase
// paths, as ASP.NET Core names them.
type bindingErrors map[string][]string

func (b bindingErrors) add(key, msg string) { b[key] = append(b[key], msg) }

// check records a field's binding error: a value of the wrong type, or
// nothing where a value is required.
func check(b bindingErrors, key string, bad, given, required bool, badMsg string) {
	switch {
	case bad:
		b.add(key, badMsg)
	case required && !given:
		b.add(key, msgRequired)
	}
}

func checkInt(b bindingErrors, key string, f jsonInt, required bool) {
	check(b, key, f.bad, f.given(), required, msgNotInteger)
}

func checkBool(b bindingErrors, key string, f jsonBool, required bool) {
	check(b, key, f.bad, f.given(), required, msgNotBoolean)
}

func checkDate(b bindingErrors, key string, f jsonDate, required bool) {
	check(b, key, f.bad, f.given(), required, msgNotDate)
}

func checkString(b bindingErrors, key string, f jsonString, required bool) {
	switch {
	case f.bad:
		b.add(key, msgNotString)
	case required && (!f.given() || f.v == ""):
		b.add(key, msgRequired)
	case !stend.StorableText(f.v):
		// PostgreSQL's text cannot hold U+0000 (JSON strings are UTF-8
		// already); SQLite's can, and a stand must not accept on one store
		// what it refuses on the other.
		b.add(key, msgNulCharacter)
	}
}

func tooManyRows(maxRows, n int) string {
	return fmt.Sprintf("В одном отчете не более %d заявок, передано %d", maxRows, n)
}

func pascal(name string) string { return strings.ToUpper(name[:1]) + name[1:] }

// bind checks the model: unconditionally required fields and JSON types.
// Fields required only under a condition on other fields are rules, checked
// by rules, because the document's {"error"} sample is such a case.
func (r *reportRequest) bind(maxRows int) bindingErrors {
	b := bindingErrors{}
	checkInt(b, "ReportId", r.ReportID, false)
	checkInt(b, "ExaminationAreaId", r.ExaminationAreaID, true)
	checkDate(b, "PeriodStartDate", r.PeriodStartDate, true)
	checkDate(b, "PeriodEndDate", r.PeriodEndDate, true)
	checkBool(b, "NoExamInSelectedPeriod", r.NoExamInSelectedPeriod, true)
	checkBool(b, "ExaminationAreaDoesNotWork", r.ExaminationAreaDoesNotWork, true)
	for _, l := range r.levels() {
		checkDate(b, pascal(l.dateName), *l.date, false)
		checkBool(b, pascal(l.flagName), *l.flag, false)
	}
	checkString(b, "Comment", r.Comment, false)
	switch {
	case r.Requests.bad:
		b.add("Requests", msgNotArray)
	case len(r.Requests.items) > maxRows:
		b.add("Requests", tooManyRows(maxRows, len(r.Requests.items)))
	default:
		for i, it := range r.Requests.items {
			prefix := fmt.Sprintf("Requests[%d]", i)
			if it.bad {
				b.add(prefix, msgNotObject)
				continue
			}
			checkString(b, prefix+".IdentityDocumentNumber", it.IdentityDocumentNumber, true)
			checkDate(b, prefix+".ExamDate", it.ExamDate, true)
			checkInt(b, prefix+".MigrationExamType", it.MigrationExamType, true)
			checkInt(b, prefix+".MigrationExamStatus", it.MigrationExamStatus, true)
		}
	}
	return b
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// rules checks the bound model against the document's rules between values
// and returns the first broken one, in the order of the document's fields,
// or the content to store.
func (r *reportRequest) rules(today stend.Date) (migrantexam.ReportContent, string) {
	start, end := r.PeriodStartDate.v, r.PeriodEndDate.v
	if r.ReportID.given() && r.ReportID.v <= 0 {
		return migrantexam.ReportContent{}, fmt.Sprintf("Отчет с reportId = %d не найден", r.ReportID.v)
	}
	if r.ExaminationAreaID.v <= 0 {
		return migrantexam.ReportContent{}, fmt.Sprintf("Площадка с examinationAreaId = %d не предоставлена организации", r.ExaminationAreaID.v)
	}
	if start.Weekday() != time.Monday {
		return migrantexam.ReportContent{}, fmt.Sprintf("Дата начала отчетного периода periodStartDate = %s должна быть понедельником", start)
	}
	if end != start.AddDays(6) {
		return migrantexam.ReportContent{}, fmt.Sprintf("Дата окончания отчетного периода periodEndDate = %s должна быть воскресеньем той же недели, что и дата начала отчетного периода, то есть %s", end, start.AddDays(6))
	}
	if start.Compare(today) > 0 {
		return migrantexam.ReportContent{}, fmt.Sprintf("Отчетный период с %s еще не начался: отчет за будущий период не принимается", start)
	}
	c := migrantexam.ReportContent{
		ExaminationAreaID:          r.ExaminationAreaID.v,
		PeriodStart:                start,
		PeriodEnd:                  end,
		NoExamInSelectedPeriod:     r.NoExamInSelectedPeriod.v,
		ExaminationAreaDoesNotWork: r.ExaminationAreaDoesNotWork.v,
	}
	notWorking := r.ExaminationAreaDoesNotWork.v
	for i, l := range r.levels() {
		switch {
		case notWorking && l.date.given():
			return migrantexam.ReportContent{}, fmt.Sprintf("Параметр %s не передается, если examinationAreaDoesNotWork = true", l.dateName)
		case notWorking && l.flag.given():
			return migrantexam.ReportContent{}, fmt.Sprintf("Параметр %s не передается, если examinationAreaDoesNotWork = true", l.flagName)
		case notWorking:
		case !l.flag.given():
			return migrantexam.ReportContent{}, fmt.Sprintf("Не передан параметр %s: он обязателен, если examinationAreaDoesNotWork = false", l.flagName)
		case l.flag.v && l.date.given():
			return migrantexam.ReportContent{}, fmt.Sprintf("Параметр %s не передается, если %s = true", l.dateName, l.flagName)
		case !l.flag.v && !l.date.given():
			return migrantexam.ReportContent{}, fmt.Sprintf("Не передан параметр %s: он обязателен, если %s = false", l.dateName, l.flagName)
		}
		c.Levels[i] = migrantexam.LevelOutlook{NoExamType: l.flag.ptr(), NearestStartDate: l.date.ptr()}
	}
	if r.Comment.given() {
		comment := r.Comment.v
		c.Comment = &comment
	}
	items := r.Requests.items
	switch {
	case c.NoExamInSelectedPeriod && len(items) > 0:
		return migrantexam.ReportContent{}, "Коллекция заявок requests не передается, если noExamInSelectedPeriod = true"
	case !c.NoExamInSelectedPeriod && len(items) == 0:
		return migrantexam.ReportContent{}, "Не передана коллекция заявок requests за указанный период без выставления параметра noExamInSelectedPeriod в значении true"
	}
	c.Requests = make([]migrantexam.ExamRequest, len(items))
	for i, it := range items {
		doc, date := it.IdentityDocumentNumber.v, it.ExamDate.v
		switch {
		case !isSHA256Hex(doc):
			return migrantexam.ReportContent{}, fmt.Sprintf("requests[%d].identityDocumentNumber: ожидается хэш SHA-256 серии и номера документа в шестнадцатеричном виде (64 символа 0-9, a-f)", i)
		case date.Compare(start) < 0 || date.Compare(end) > 0:
			return migrantexam.ReportContent{}, fmt.Sprintf("requests[%d].examDate: дата экзамена %s вне отчетного периода с %s по %s", i, date, start, end)
		case date.Compare(today) > 0:
			return migrantexam.ReportContent{}, fmt.Sprintf("requests[%d].examDate: дата экзамена %s еще не наступила", i, date)
		case !enumHas(migrationExamTypes, it.MigrationExamType.v):
			return migrantexam.ReportContent{}, fmt.Sprintf("requests[%d].migrationExamType: недопустимое значение %d; возможные значения: %s", i, it.MigrationExamType.v, enumList(migrationExamTypes))
		case !enumHas(migrationExamStatuses, it.MigrationExamStatus.v):
			return migrantexam.ReportContent{}, fmt.Sprintf("requests[%d].migrationExamStatus: недопустимое значение %d; возможные значения: %s", i, it.MigrationExamStatus.v, enumList(migrationExamStatuses))
		}
		c.Requests[i] = migrantexam.ExamRequest{
			// One person's document must hash to one value whichever case
			// the client chose for the hex digits.
			IdentityDocumentNumber: strings.ToLower(doc),
			ExamDate:               date,
			ExamType:               int(it.MigrationExamType.v),
			ExamStatus:             int(it.MigrationExamStatus.v),
		}
	}
	return c, ""
}
