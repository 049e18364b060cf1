package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"stend"
	"stend/reestro"
	"stend/stendtest"
	"stend/store/storetest"
)

// TestUnstorableTextIsNeverInternal: text that is not UTF-8 or holds NUL,
// which an API edge missed, is a caller's mistake on every store (PostgreSQL
// refuses it, SQLite stores or compares it), never an internal error that
// answers 500 and is logged as a fault.
func TestUnstorableTextIsNeverInternal(t *testing.T) {
	t.Parallel()
	stendtest.ForEachStore(t, func(t *testing.T, o storetest.Opener) {
		db := o.Open(t)
		ctx := context.Background()
		for i, text := range []string{"\x00", "a\x00b", "\xff", "\xed\xa0\x80"} {
			_, err := db.FSSP().Task(ctx, 0, text, stendtest.Now)
			if k := stend.KindOf(err); k != stend.NotFound && k != stend.Invalid {
				t.Errorf("FSSP task %q: %v", text, err)
			}
			_, err = db.MigrantExam().OrganizationByUsername(ctx, text)
			if k := stend.KindOf(err); k != stend.NotFound && k != stend.Invalid {
				t.Errorf("organization %q: %v", text, err)
			}
			_, err = db.Motivity().UserByIdentifier(ctx, text)
			if k := stend.KindOf(err); k != stend.NotFound && k != stend.Invalid {
				t.Errorf("Motivity user %q: %v", text, err)
			}
			org := reestro.Organization{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: text, CreatedAt: stendtest.Now}
			if _, err := db.Reestro().CreateOrganization(ctx, org); err != nil && stend.KindOf(err) == stend.Internal {
				t.Errorf("Reestro organization named %q: %v", text, err)
			}
		}
	})
}
