package fssp

import (
	"strconv"
	"strings"
	"time"
)

// Search types, as a group request and the query echo number them.
const (
	TypePhysical = 1
	TypeLegal    = 2
	TypeIP       = 3
)

// PhysicalQuery searches the proceedings against a person (/search/physical).
type PhysicalQuery struct {
	// Region is the code of the region whose bailiffs conduct the
	// proceeding, from the FSSP region directory (66, 77, …). Required.
	Region int
	// LastName and FirstName are required; the server compares them
	// case-insensitively, ё as е.
	LastName, FirstName string
	// SecondName (the patronymic) narrows the search; optional.
	SecondName string
	// BirthDate, "ДД.ММ.ГГГГ", narrows the search; optional.
	BirthDate string
}

func (q PhysicalQuery) params() map[string]any {
	p := map[string]any{"region": q.Region, "lastname": q.LastName, "firstname": q.FirstName}
	optional(p, "secondname", q.SecondName)
	optional(p, "birthdate", q.BirthDate)
	return p
}

// LegalQuery searches the proceedings against a legal entity (/search/legal).
type LegalQuery struct {
	// Region is a code of the FSSP region directory. Required.
	Region int
	// Name is a fragment of the entity's name. Required.
	Name string
	// Address is a fragment of its legal address; optional.
	Address string
}

func (q LegalQuery) params() map[string]any {
	p := map[string]any{"region": q.Region, "name": q.Name}
	optional(p, "address", q.Address)
	return p
}

// IPQuery looks a proceeding up by its number (/search/ip).
type IPQuery struct {
	// Number is "n…n/yy/dd/rr" or "n…n/yy/ddddd-ИП". Required.
	Number string
}

func (q IPQuery) params() map[string]any { return map[string]any{"number": q.Number} }

// optional leaves an empty optional parameter out, since the server would
// take an empty value as one to validate.
func optional(p map[string]any, key, v string) {
	if v != "" {
		p[key] = v
	}
}

// Request is one sub-request of a group: exactly one of the three queries
// is set.
type Request struct {
	Physical *PhysicalQuery
	Legal    *LegalQuery
	IP       *IPQuery
}

// TaskState is a task's (or a sub-result's) status code, as /status and
// /result answer it.
type TaskState int

const (
	// TaskDone: finished; /result has every sub-result.
	TaskDone TaskState = 0
	// TaskRunning: started; /result has the sub-results finished so far.
	TaskRunning TaskState = 1
	// TaskQueued: not started yet.
	TaskQueued TaskState = 2
	// TaskDoneWithErrors: finished, but some sub-requests failed: their
	// SubResult carries a Failure, the others their items.
	TaskDoneWithErrors TaskState = 3
)

// Finished reports whether the task will not change any more.
func (s TaskState) Finished() bool { return s == TaskDone || s == TaskDoneWithErrors }

func (s TaskState) valid() bool { return s >= TaskDone && s <= TaskDoneWithErrors }

func (s TaskState) String() string {
	switch s {
	case TaskDone:
		return "done"
	case TaskRunning:
		return "running"
	case TaskQueued:
		return "queued"
	case TaskDoneWithErrors:
		return "done with errors"
	}
	return "TaskState(" + strconv.Itoa(int(s)) + ")"
}

// Status is /status's answer.
type Status struct {
	State TaskState
	// Progress is the answer's text, "k of n".
	Progress string
	// Done is k: the sub-requests finished successfully, whose results
	// /result already lists. Total is n, the task's sub-requests.
	Done, Total int
}

// parseProgress reads "k of n".
func parseProgress(s string) (done, total int, ok bool) {
	a, b, found := strings.Cut(s, " of ")
	if !found {
		return 0, 0, false
	}
	done, err1 := strconv.Atoi(a)
	total, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || done < 0 || total < 0 || done > total {
		return 0, 0, false
	}
	return done, total, true
}

// Result is /result's answer.
type Result struct {
	State TaskState
	// TaskStart and TaskEnd are when the task's searches began and ended,
	// nil while unknown. The server sends its local time without a zone;
	// they are read in the client's location (WithLocation, Moscow by
	// default).
	TaskStart, TaskEnd *time.Time
	// Results holds one element per sub-request, in the order they were
	// sent; while the task runs, only the first ones finished.
	Results []SubResult
}

// SubResult is the answer to one sub-request.
type SubResult struct {
	// State is TaskDone when the search ran (Items holds what it found,
	// possibly nothing) and TaskDoneWithErrors when it failed (Failure).
	State TaskState
	// Query echoes the sub-request as the server took it: its type and
	// its parameters as they were sent. Nil if the server sent none (the
	// document's sample has none; stend always sends it).
	Query *Query
	// Items are the proceedings found; empty, not nil, when none were.
	Items []Item
	// Failure is set when the sub-request's search failed.
	Failure *SubError
}

// Err is Failure as an error, nil when the search ran.
func (s SubResult) Err() error {
	if s.Failure != nil {
		return s.Failure
	}
	return nil
}

// Query is the echo of a sub-request.
type Query struct {
	// Type is TypePhysical, TypeLegal or TypeIP.
	Type int
	// Params are the parameters by their API names ("region",
	// "lastname", …), token excluded, as strings (a number as its
	// digits). The server echoes every parameter of the method, null for
	// one that was not sent: such a parameter is absent here, while one
	// sent empty is "".
	Params map[string]string
}

// Item is one enforcement proceeding. Every field is the service's display
// text; the comments show stend's shapes, which follow the real service.
type Item struct {
	// Name is the debtor: "ФАМИЛИЯ ИМЯ ОТЧЕСТВО ДД.ММ.ГГГГ МЕСТО РОЖДЕНИЯ"
	// for a person, "НАИМЕНОВАНИЕ АДРЕС" for a legal entity.
	Name string `json:"name"`
	// ExeProduction is the proceeding: "N/ГГ/NNNNN-ИП от ДД.ММ.ГГГГ",
	// followed by " сводное" when it is part of a consolidated one.
	ExeProduction string `json:"exe_production"`
	// Details is the executive document: "<документ> от ДД.ММ.ГГГГ №
	// <номер> <орган>".
	Details string `json:"details"`
	// Subject is what is enforced, with the debt and the enforcement fee:
	// "<предмет>: 1234.56 руб. Исполнительский сбор: 86.42 руб.".
	Subject string `json:"subject"`
	// Department is the bailiffs' department: "<ОСП> <индекс>, <адрес>".
	// The document's sample shows a bare number (66061), which is accepted
	// and kept as its digits.
	Department string `json:"department"`
	// Bailiff is "ФАМИЛИЯ И. О.<br>+7…" (the <br> is the service's own).
	Bailiff string `json:"bailiff"`
	// IPEnd is how the proceeding ended, "ГГГГ-ММ-ДД, статья, часть,
	// пункт", or empty while it is open.
	IPEnd string `json:"ip_end"`
}

// Number is the proceeding's number: ExeProduction up to " от ".
func (it Item) Number() string {
	n, _, _ := strings.Cut(it.ExeProduction, " от ")
	return strings.TrimSuffix(n, " сводное")
}

// Open reports whether the proceeding has not ended.
func (it Item) Open() bool { return it.IPEnd == "" }
