package sqlstore_test

import (
	"testing"

	"stend/store/storetest"
)

func TestStores(t *testing.T) {
	t.Parallel()
	for _, o := range storetest.Openers() {
		t.Run(o.Name, func(t *testing.T) {
			t.Parallel()
			storetest.ExerciseMigrantExam(t, o.Open)
			storetest.ExerciseMotivity(t, o)
			storetest.ExerciseReestro(t, o.Open)
		})
	}
}
