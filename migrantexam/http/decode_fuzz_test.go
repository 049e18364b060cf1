package http

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzFastDecodeAgreesWithTolerant: whenever the fast decode accepts a body,
// the tolerant decode must read exactly the same request from it, so that
// which path a body takes never changes the answer.
func FuzzFastDecodeAgreesWithTolerant(f *testing.F) {
	seeds := []string{
		`{"examinationAreaId":101,"periodStartDate":"2025-06-02","periodEndDate":"2025-06-08","noExamInSelectedPeriod":false,` +
			`"examinationAreaDoesNotWork":false,"noPatentExamType":true,"comment":"ok","requests":[{"identityDocumentNumber":"ab",` +
			`"examDate":"2025-06-03","migrationExamType":1,"migrationExamStatus":2}]}`,
		`{"requests":[{"EXAMDATE":"2025-06-03","examDate":null,"x":[1,{"a":"}"}]},{}],"requests":[{"migrationExamType":3}]}`,
		`{"requests":[{"identityDocumentNumber":"\u0061b","\u0065xamDate":"2025-06-03"}],"comment":"a\"b"}`,
		`{"reportId":5,"reportId":null,"comment":null,"Comment":"x","requests":null}`,
		`{"requests":[{"migrationExamType":1.0}]}`,
		`{"requests":[ { "migrationExamStatus" : -0 , "identityDocumentNumber" : "\ud83d\ude00" } ] }`,
		`{"requests":[{"identityDocumentNumber":"` + "\xff" + `"}]}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast reportRequest
		if !decodeFast(body, &fast) {
			return
		}
		var slow reportRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&slow); err != nil {
			t.Fatalf("fast path accepted what the tolerant one rejects (%v): %q", err, body)
		}
		if !reflect.DeepEqual(normalize(fast), normalize(slow)) {
			t.Fatalf("paths disagree on %q:\nfast %+v\nslow %+v", body, fast, slow)
		}
	})
}

// normalize erases what the two paths may legitimately record differently:
// a key given as null and a key absent both mean "not passed".
func normalize(r reportRequest) reportRequest {
	clearNull := func(present, null *bool) {
		if *null {
			*present, *null = false, false
		}
	}
	v := reflect.ValueOf(&r).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if p, n := f.FieldByName("present"), f.FieldByName("null"); p.IsValid() && n.IsValid() {
			pp := (*bool)(p.Addr().UnsafePointer())
			np := (*bool)(n.Addr().UnsafePointer())
			clearNull(pp, np)
		}
	}
	for i := range r.Requests.items {
		it := &r.Requests.items[i]
		clearNull(&it.IdentityDocumentNumber.present, &it.IdentityDocumentNumber.null)
		clearNull(&it.ExamDate.present, &it.ExamDate.null)
		clearNull(&it.MigrationExamType.present, &it.MigrationExamType.null)
		clearNull(&it.MigrationExamStatus.present, &it.MigrationExamStatus.null)
	}
	if r.Requests.items == nil {
		r.Requests.items = []jsonItem{}
	}
	return r
}
