package simulate

import (
	"math"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scorecard"
)

// columns turns the rows' features as of month 12 or 18 into dataset
// columns, as a snapshot CSV would read.
func columns(rows []row, at18 bool) []*dataset.Column {
	cols := make([]*dataset.Column, nFeatures)
	for j, d := range features.Registry {
		c := &dataset.Column{Name: d.Name, Pos: j, Kind: dataset.Numeric, Num: make([]float64, len(rows)), Miss: make([]bool, len(rows))}
		integer, seen := true, false
		for i, r := range rows {
			v := r.x12[j]
			if at18 {
				v = r.x18[j]
			}
			c.Num[i], c.Miss[i] = v, math.IsNaN(v)
			if !c.Miss[i] {
				seen = true
				integer = integer && v == math.Trunc(v)
			}
		}
		c.Integer = integer && seen
		cols[j] = c
	}
	return cols
}

// outOfTimeAUC trains a scorecard on the snapshot as of month 12 (label:
// adverse in the next 6 months) and returns its AUC on the snapshot as of
// month 18 (adverse in months 18–24), with the model.
func outOfTimeAUC(t testing.TB, rows []row) (float64, *model.Model) {
	y := make([]float64, len(rows))
	for i, r := range rows {
		if r.bad12_6 {
			y[i] = 1
		}
	}
	m, err := scorecard.Train(columns(rows, false), y, scorecard.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	idx := make([]int, len(m.Features))
	for k, f := range m.Features {
		idx[k] = -1
		for j, d := range features.Registry {
			if d.Name == f.Name {
				idx[k] = j
			}
		}
	}
	pd, y18 := make([]float64, len(rows)), make([]float64, len(rows))
	vals := make([]model.Value, len(m.Features))
	for i, r := range rows {
		for k, j := range idx {
			vals[k] = model.Num(r.x18[j])
		}
		res, err := m.Score(vals)
		if err != nil {
			t.Fatal(err)
		}
		pd[i] = res.PD
		if r.bad18_6 {
			y18[i] = 1
		}
	}
	return measure.AUC(pd, y18), m
}

// TestLearnability checks that a scorecard learns the latent process
// from the features alone, out of time: trained on the snapshot as of
// month 12 with labels over months 12–18, it must rank the snapshot as of
// month 18 by what happens in months 18–24 with an AUC of at least 0.75
// (the requirement). An AUC above 0.95 would mean the defaults
// follow the features too closely to be realistic; bureau scores reach
// about 0.8–0.9 (Gini 0.6–0.8).
func TestLearnability(t *testing.T) {
	rows := sampleRows(t)
	auc, m := outOfTimeAUC(t, rows)
	t.Logf("seed %d, %d people: out-of-time AUC %.4f (train AUC %.4f)", sampleSeed, len(rows), auc, m.Metrics["train_auc"])
	for _, f := range m.Features {
		t.Logf("  %-26s IV %.3f", f.Name, f.IV)
	}
	if auc < 0.75 || auc > 0.95 {
		t.Errorf("seed %d: out-of-time AUC %.4f, want 0.75–0.95", sampleSeed, auc)
	}
}
