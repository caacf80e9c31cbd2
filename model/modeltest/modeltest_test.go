package modeltest

import (
	"testing"

	"github.com/opencredit/opencredit/model"
)

// A row below the first cut and one missing value: 500 + 0 + 40 = 540.
func TestScorecard(t *testing.T) {
	m, err := Scorecard(500,
		Step("a", "payment_history", "A", []float64{0.9}, []int{0, 100}, 40),
		Step("b", "new_credit", "B", []float64{1, 3}, []int{80, 40, 0}, 40))
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Score([]model.Value{model.Num(0.5), model.MissingValue()})
	if err != nil || r.Score != 540 {
		t.Fatalf("score %d, %v; want 540", r.Score, err)
	}
	if r, _ := m.Score([]model.Value{model.Num(0.9), model.Num(3)}); r.Score != 600 {
		t.Errorf("at the cuts: %d, want 600 (cuts are lower bounds)", r.Score)
	}
}
