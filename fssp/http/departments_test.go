package http_test

import (
	"net/http"
	"strings"
	"testing"
)

// A node keeps the departments' texts in memory under the bank's version:
// a load through another node that gives a department new texts, and a
// restore that brings the old ones back, are answered at once by every
// search (by number, person and legal entity: each has statements of its
// own), on the node that read the texts before.
func TestDepartmentTextsChangedThroughAnotherNode(t *testing.T) {
	t.Parallel()
	onTwoNodes(t, standOpts{}, func(t *testing.T, a, b *stand) {
		legal := map[string]string{"kind": "legal", "last_name": "", "first_name": "", "patronymic": "", "birth_date": "", "birth_place": "",
			"legal_name": `ООО "ЗАРЯ"`}
		load := func(s *stand, dept string) {
			t.Helper()
			file := csvFile(t, []map[string]string{
				cells(stendBase, map[string]string{"number": "1/20/74020-ИП", "department_name": dept}),
				cells(stendBase, legal, map[string]string{"number": "2/20/74020-ИП", "department_name": dept}),
			}, ',')
			if r := s.operator(http.MethodPost, "/operator/v1/fssp/bank/import", "text/csv", file); r.status != http.StatusOK {
				t.Fatalf("import: %d %s", r.status, r.body)
			}
		}
		departmentsOn := func(s *stand, want string) {
			t.Helper()
			for _, q := range [][]string{
				{"search/ip", "token", alpha, "number", "1/20/74020-ИП"},
				{"search/physical", "token", alpha, "region", "74", "lastname", "Жуков", "firstname", "Павел"},
				{"search/legal", "token", alpha, "region", "74", "name", "Заря"},
			} {
				its := s.result(alpha, s.submit(q[0], q[1:]...)).items(t, 0)
				if len(its) == 0 {
					t.Fatalf("%v: nothing found", q)
				}
				for _, it := range its {
					if !strings.HasPrefix(it.Department, want+" 454091, ") {
						t.Errorf("%v: department %q, want %q", q, it.Department, want)
					}
				}
			}
		}
		old, renamed := stendBase["department_name"], "ОСП по Центральному району"
		load(a, old)
		departmentsOn(a, old)
		if r := b.operator(http.MethodPost, "/operator/v1/stand/snapshots", "application/json", `{"name":"before"}`); r.status != http.StatusCreated {
			t.Fatalf("snapshot: %d %s", r.status, r.body)
		}
		load(b, renamed)
		departmentsOn(a, renamed)
		if r := b.operator(http.MethodPost, "/operator/v1/stand/snapshots/before/restore", "application/json", ""); r.status != http.StatusOK {
			t.Fatalf("restore: %d %s", r.status, r.body)
		}
		departmentsOn(a, old)
	})
}
