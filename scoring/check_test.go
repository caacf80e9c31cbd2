package scoring_test

import (
	"math"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/scoring"
)

// TestCheckModel: a prepared model of live numeric features is served; an
// unprepared one, a CSV feature, a categorical feature and a model without
// an id are refused.
func TestCheckModel(t *testing.T) {
	build := func(features ...model.Feature) *model.Model {
		t.Helper()
		m, err := modeltest.Scorecard(500, features...)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	live := modeltest.Step("on_time_payment_ratio_24m", "payment_history", "OT", []float64{0.9}, []int{0, 40}, 0)
	m := build(live)
	if err := scoring.CheckModel(m); err != nil {
		t.Fatal(err)
	}
	if err := scoring.CheckModel(&model.Model{Features: m.Features}); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("an unprepared model: %v", err)
	}
	if err := scoring.CheckModel(build(live, modeltest.Step("pay_0", "payment_history", "P0", []float64{1}, []int{0, 10}, 0))); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a CSV feature: %v", err)
	}
	cat := build(live)
	cat.Features[0].Kind = model.Categorical
	if err := scoring.CheckModel(cat); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a categorical feature: %v", err)
	}
	// A trained model with a metric JSON cannot hold has no id: refused, not
	// a panic when the server starts.
	m.Metrics = map[string]float64{"train_auc": math.NaN()}
	if err := scoring.CheckModel(m); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a model without an id: %v", err)
	}
}
