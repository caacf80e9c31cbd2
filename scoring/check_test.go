package scoring_test

import (
	"math"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
)

// TestCheckModel: a model of live numeric features is served; a CSV
// feature, a categorical feature and a model without an id are refused.
func TestCheckModel(t *testing.T) {
	m := &model.Model{Features: []model.Feature{{Name: "on_time_payment_ratio_24m", Kind: model.Numeric}}}
	if err := scoring.CheckModel(m); err != nil {
		t.Fatal(err)
	}
	m.Features = append(m.Features, model.Feature{Name: "pay_0", Kind: model.Numeric})
	if err := scoring.CheckModel(m); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a CSV feature: %v", err)
	}
	m.Features = []model.Feature{{Name: "bills_12m", Kind: model.Categorical}}
	if err := scoring.CheckModel(m); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a categorical feature: %v", err)
	}
	// A trained model with a metric JSON cannot hold has no id: refused, not
	// a panic when the server starts.
	m.Features = []model.Feature{{Name: "on_time_payment_ratio_24m", Kind: model.Numeric}}
	m.Metrics = map[string]float64{"train_auc": math.NaN()}
	if err := scoring.CheckModel(m); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a model without an id: %v", err)
	}
}
