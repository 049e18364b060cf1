package fssp

import (
	"encoding/json"
	"fmt"
	"strings"

	"stend"
	"stend/httpx"
)

// item is one proceeding as /result lists it: every field a string, in the
// shapes the real service answers (see shared/specs/README.md).
type item struct {
	Name          string `json:"name"`
	ExeProduction string `json:"exe_production"`
	Details       string `json:"details"`
	Subject       string `json:"subject"`
	Department    string `json:"department"`
	Bailiff       string `json:"bailiff"`
	IPEnd         string `json:"ip_end"`
}

func dotted(d stend.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, int(d.Month), d.Year)
}

func join(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func rubles(kopecks int64) string {
	return fmt.Sprintf("%d.%02d руб.", kopecks/100, kopecks%100)
}

func render(p stend.Proceeding) item {
	var it item
	if p.Kind == stend.DebtorLegal {
		it.Name = strings.ToUpper(join(p.LegalName, p.LegalAddress))
	} else {
		it.Name = strings.ToUpper(join(p.LastName, p.FirstName, p.Patronymic, dotted(p.BirthDate), p.BirthPlace))
	}
	it.ExeProduction = fmt.Sprintf("%d/%02d/%05d-ИП", p.Number.Own, p.Number.Year, p.Number.Department)
	if !p.Date.IsZero() {
		it.ExeProduction += " от " + dotted(p.Date)
	}
	if p.Joined {
		it.ExeProduction += " сводное"
	}
	doc := []string{p.DocType}
	if !p.DocDate.IsZero() {
		doc = append(doc, "от", dotted(p.DocDate))
	}
	if p.DocNumber != "" {
		doc = append(doc, "№", p.DocNumber)
	}
	it.Details = join(append(doc, p.DocIssuer)...)
	it.Subject = p.Subject
	if p.Amount != 0 || p.Fee != 0 {
		it.Subject = p.Subject + ": " + rubles(p.Amount)
		if p.Fee != 0 {
			it.Subject += " Исполнительский сбор: " + rubles(p.Fee)
		}
	}
	it.Department = join(p.Department.Name, p.Department.PostalIndex)
	if p.Department.Address != "" {
		it.Department = strings.TrimPrefix(it.Department+", "+p.Department.Address, ", ")
	}
	it.Bailiff = p.Bailiff.Name
	if p.Bailiff.Phone != "" {
		it.Bailiff = strings.TrimPrefix(it.Bailiff+"<br>"+p.Bailiff.Phone, "<br>")
	}
	if p.End != nil {
		it.IPEnd = fmt.Sprintf("%s, %d, %d, %d", p.End.Date, p.End.Article, p.End.Part, p.End.Point)
	}
	return it
}

// subResult is one element of /result's list.
type subResult struct {
	Status int                  `json:"status"`
	Query  stend.FSSPSubRequest `json:"query"`
	Result any                  `json:"result"`
}

// subError is the result of a sub-request that failed.
type subError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func renderResult(req stend.FSSPSubRequest, found []stend.Proceeding) []byte {
	items := make([]item, len(found))
	for i, p := range found {
		items[i] = render(p)
	}
	b, _ := httpx.MarshalJSON(subResult{Status: stend.FSSPTaskDone, Query: req, Result: items})
	return b
}

func renderFailure(req stend.FSSPSubRequest, message string) []byte {
	b, _ := httpx.MarshalJSON(subResult{Status: stend.FSSPTaskDoneErrors, Query: req, Result: subError{Code: 0, Message: message}})
	return b
}

// taskStatus is /status's answer.
type taskStatus struct {
	Status   int    `json:"status"`
	Progress string `json:"progress"`
}

// taskResult is /result's answer; Result holds the stored sub-results as
// they are.
type taskResult struct {
	Status    int               `json:"status"`
	TaskStart *string           `json:"task_start"`
	TaskEnd   *string           `json:"task_end"`
	Result    []json.RawMessage `json:"result"`
}

type taskCreated struct {
	Task string `json:"task"`
}
