package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"stend/fssp"
	"stend/fssp/generate"
	"stend/store/sqlstore"
	"stend/store/storetest"
)

// TestTextsSurviveTheirCacheBeingEmptied: searches running while another
// one empties the shared text and bailiff maps still answer every field.
func TestTextsSurviveTheirCacheBeingEmptied(t *testing.T) {
	defer sqlstore.SetDictionaryLimit(3)()
	db := storetest.OpenSQLite(t)
	ctx := context.Background()
	if _, err := db.FSSP().LoadProceedings(ctx, generate.New(5, 3000), 0); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, region := range []int{77, 50, 78, 66, 23, 16, 2, 61} {
				found, err := db.FSSP().SearchLegal(ctx, fssp.LegalQuery{Region: region, Name: []string{"ооо", "ао", "строй", "торг"}[g%4], Limit: 100})
				if err != nil {
					t.Error(err)
					return
				}
				for _, p := range found {
					if p.Subject == "" || p.DocType == "" || p.DocIssuer == "" || p.Bailiff.Name == "" {
						t.Errorf("proceeding %d lost its texts: %+v", p.ID, p)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
