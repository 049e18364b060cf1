package migrantexam

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Date is a calendar day, as the API writes it: "YYYY-MM-DD". The zero
// Date is "not given": a field holding it is not sent.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is t's calendar day in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return DateOf(t), nil
}

func (d Date) String() string { return d.time().Format(time.DateOnly) }

// IsZero reports whether d is the zero Date, "not given".
func (d Date) IsZero() bool { return d == Date{} }

// AddDays is d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.time().AddDate(0, 0, n)) }

// Weekday is d's day of the week.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// WeekOf returns the reporting period holding d: its Monday and its
// Sunday, the only periods the API accepts.
func WeekOf(d Date) (monday, sunday Date) {
	monday = d.AddDays(-(int(d.Weekday()) + 6) % 7)
	return monday, monday.AddDays(6)
}

// HashDocument is the identityDocumentNumber of a document: the SHA-256,
// in hex, of its series and number with every space removed and in upper
// case, as the document asks ("удалить все пробельные символы и привести к
// верхнему/нижнему регистру"). Every organization must hash alike for one
// document to give one value; upper case is this package's choice.
func HashDocument(seriesAndNumber string) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, seriesAndNumber)
	sum := sha256.Sum256([]byte(strings.ToUpper(s)))
	return hex.EncodeToString(sum[:])
}

// ExamType is migrationExamType, the level of an exam taken.
type ExamType int

// The document's values of migrationExamType.
const (
	ExamPatent             ExamType = 1 // Патент/Разрешение на работу
	ExamTemporaryResidence ExamType = 2 // РВП
	ExamResidencePermit    ExamType = 3 // ВНЖ
)

func (t ExamType) String() string {
	switch t {
	case ExamPatent:
		return "Патент/Разрешение на работу"
	case ExamTemporaryResidence:
		return "РВП"
	case ExamResidencePermit:
		return "ВНЖ"
	}
	return fmt.Sprintf("ExamType(%d)", int(t))
}

// ExamStatus is migrationExamStatus, how an exam ended.
type ExamStatus int

// The document's values of migrationExamStatus.
const (
	Passed ExamStatus = 1 // Сдал
	Failed ExamStatus = 2 // Не сдал
)

func (s ExamStatus) String() string {
	switch s {
	case Passed:
		return "Сдал"
	case Failed:
		return "Не сдал"
	}
	return fmt.Sprintf("ExamStatus(%d)", int(s))
}

// Report is one week of one examination area.
type Report struct {
	// ReportID, when not 0, is the report this one replaces (reportId);
	// the answer then carries the same id.
	ReportID int64
	// ExaminationAreaID is the area, one the organization holds.
	ExaminationAreaID int64
	// PeriodStart is a Monday and PeriodEnd the Sunday of the same week
	// (WeekOf); the week may not lie in the future.
	PeriodStart, PeriodEnd Date
	// NoExamInSelectedPeriod: no exams were held in the week; Requests
	// must then be empty, and otherwise may not be.
	NoExamInSelectedPeriod bool
	// ExaminationAreaDoesNotWork: the area is closed and holds no exams
	// soon. The five outlooks are then not sent, whatever they hold.
	ExaminationAreaDoesNotWork bool
	// The coming exams of each level, sent when the area works.
	Patent                 Outlook // Патент/Разрешение на работу
	TemporaryResidence     Outlook // РВП
	ResidencePermit        Outlook // ВНЖ
	CitizenshipRussianLang Outlook // Гражданство – русский язык
	CitizenshipHistory     Outlook // Гражданство – история и законодательство
	// Comment is a note on the report; empty is not sent.
	Comment string
	// Requests are the exams held in the week.
	Requests []ExamRequest
}

// Outlook is what a report says of the coming exams of one level: no…ExamType
// and …NearestStartDate.
type Outlook struct {
	// NoExams: no exams of this level soon (no…ExamType true).
	NoExams bool
	// NearestStart is the nearest exam of this level, required unless
	// NoExams; the zero Date is not sent.
	NearestStart Date
}

// ExamRequest is one exam taken in the week (an element of requests).
type ExamRequest struct {
	// IdentityDocumentNumber is the SHA-256 hex of the person's document
	// (HashDocument), never the number itself: the server refuses
	// anything but 64 hex digits.
	IdentityDocumentNumber string
	// ExamDate lies in the week and not in the future.
	ExamDate Date
	Type     ExamType
	Status   ExamStatus
}
