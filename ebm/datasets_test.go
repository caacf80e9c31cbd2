package ebm_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/ebm"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/validation"
)

// sharedData returns the path of a public dataset in ../shared/datasets
// beside the repository, or skips the test.
func sharedData(t testing.TB, name string) string {
	p := filepath.Join("..", "..", "shared", "datasets", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found (the public datasets live in ../shared/datasets beside the repository): %v", name, err)
	}
	return p
}

// TestPeerAUC runs the 5-fold protocol of shared/datasets/README.md on the
// public datasets with the default configuration (main effects only) and
// with ten pairs.
//
// The floors of the main effects are the issue's: within 0.005 of XGBoost
// (hist, 400 trees of depth 4, shared/bench/peers.py: Taiwan 0.7813, German
// 0.7764) and at least the scorecard (Taiwan 0.7683, German 0.7813),
// whichever is higher. With pairs the floor is the better of XGBoost and
// the scorecard. Measured (2026-11-29): main effects Taiwan 0.7780, German
// 0.7850; with ten pairs Taiwan 0.7824, German 0.7917.
func TestPeerAUC(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twenty models")
	}
	for _, tc := range []struct {
		file         string
		audit        []string
		interactions int
		floor        float64
	}{
		{"taiwan.csv", []string{"sex", "marriage", "age"}, 0, 0.7763},
		{"german.csv", []string{"personal_status_and_sex", "foreign", "age"}, 0, 0.7813},
		{"taiwan.csv", []string{"sex", "marriage", "age"}, 10, 0.7813},
		{"german.csv", []string{"personal_status_and_sex", "foreign", "age"}, 10, 0.7813},
	} {
		t.Run(fmt.Sprintf("%s/pairs=%d", tc.file, tc.interactions), func(t *testing.T) {
			f, err := dataset.ReadFile(sharedData(t, tc.file), dataset.Options{Target: "default", RequireTarget: true, Audit: tc.audit})
			if err != nil {
				t.Fatal(err)
			}
			cfg := ebm.DefaultConfig()
			cfg.Interactions = tc.interactions
			res, err := validation.CrossValidate(f, 5, func(tr *dataset.Frame) (*model.Model, error) {
				return ebm.Train(tr.Features, tr.Y, cfg)
			}, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("fold AUC %.4f, mean %.4f, features %v", res.FoldAUC, res.MeanAUC, res.Features)
			if res.MeanAUC < tc.floor {
				t.Errorf("mean AUC %.4f is below %.4f", res.MeanAUC, tc.floor)
			}
		})
	}
}
