package ebm_test

import (
	"fmt"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/internal/publicdata"
	"github.com/opencredit/opencredit/model"
)

// TestPeerAUC runs the 5-fold protocol of shared/datasets/README.md on the
// public datasets with the default configuration (pairs grown in waves,
// bags from the rows) and with main effects only. The files are read from the folder
// OPENCREDIT_DATASETS names, else from examples/ (package publicdata), which
// ships German only: German runs in every clone, Taiwan when
// OPENCREDIT_DATASETS=../shared/datasets.
//
// The floors of the main effects are the issue's: within 0.005 of XGBoost
// (hist, 400 trees of depth 4, shared/bench/peers.py: Taiwan 0.7813, German
// 0.7764) and at least the scorecard (Taiwan 0.7683, German 0.7813),
// whichever is higher. With pairs the floor is the better of XGBoost and
// the scorecard. Measured (2026-12-03, seed 1): main effects Taiwan 0.7779,
// German 0.7852; with the defaults Taiwan 0.7826, German 0.7918 (with ten
// fixed pairs and four bags, 2026-11-29: 0.7825 and 0.7892).
//
// The simulator's application table (publicdata.Simulated: 30,000 rows,
// seed 1, missing values in most columns, string categories) runs in every
// clone and is held to XGBoost − 0.005 with the defaults, XGBoost's figure
// being the peer script's on the same folds (2026-12-03,
// `/usr/bin/python3 shared/bench/peers.py simulated.csv default`, Debian's
// xgboost 1.7.4 and sklearn 1.2.1: XGBoost 0.8247, HistGB 0.8187, WoE
// logistic 0.8192). Measured 2026-12-03: defaults 0.8294, main effects
// 0.8296.
func TestPeerAUC(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twenty models")
	}
	for _, tc := range []struct {
		file  string
		pairs bool // the default pairs, else main effects only
		floor float64
	}{
		{"taiwan.csv", false, 0.7763},
		{"german.csv", false, 0.7813},
		{"taiwan.csv", true, 0.7813},
		{"german.csv", true, 0.7813},
		{publicdata.Simulated, false, 0.8247 - 0.005},
		{publicdata.Simulated, true, 0.8247 - 0.005},
	} {
		t.Run(fmt.Sprintf("%s/pairs=%v", tc.file, tc.pairs), func(t *testing.T) {
			cfg := ebm.DefaultConfig()
			if !tc.pairs {
				cfg.Interactions = 0
			}
			res := publicdata.CrossValidate(t, tc.file, func(tr *dataset.Frame) (*model.Model, error) {
				return ebm.Train(tr.Features, tr.Y, cfg)
			})
			t.Logf("fold AUC %.4f, mean %.4f, features %v", res.FoldAUC, res.MeanAUC, res.Features)
			if res.MeanAUC < tc.floor {
				t.Errorf("mean AUC %.4f is below %.4f", res.MeanAUC, tc.floor)
			}
		})
	}
}
