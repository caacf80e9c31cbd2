package crossval

import (
	"fmt"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
)

// Trainer trains a model on a frame.
type Trainer func(train *dataset.Frame) (*model.Model, error)

// CVResult is the outcome of a cross-validation.
type CVResult struct {
	Folds    int       `json:"folds"`
	FoldAUC  []float64 `json:"fold_auc"`
	MeanAUC  float64   `json:"mean_auc"`
	FoldRows []int     `json:"fold_rows"`
	// Features is the number of features each fold's model selected.
	Features []int `json:"features"`
}

// Folds splits n rows into k folds by index: row i is in fold i mod k.
func Folds(n, k int) (train, test [][]int) {
	train, test = make([][]int, k), make([][]int, k)
	for i := 0; i < n; i++ {
		f := i % k
		test[f] = append(test[f], i)
		for g := 0; g < k; g++ {
			if g != f {
				train[g] = append(train[g], i)
			}
		}
	}
	return train, test
}

// CrossValidate trains on k−1 folds and scores the held-out fold, k times.
// progress, if not nil, is called after each fold.
func CrossValidate(f *dataset.Frame, k int, train Trainer, progress func(fold int, auc float64)) (CVResult, error) {
	if f.Y == nil {
		return CVResult{}, opencredit.Errorf(opencredit.EINVALID, "%s: cross-validation needs a target column", f.File)
	}
	if f.Rows() < 2*k {
		return CVResult{}, opencredit.Errorf(opencredit.EINVALID, "%s: %d rows are too few for %d folds", f.File, f.Rows(), k)
	}
	trainRows, testRows := Folds(f.Rows(), k)
	res := CVResult{Folds: k}
	var sum float64
	for fold := 0; fold < k; fold++ {
		m, err := train(f.Subset(trainRows[fold]))
		if err != nil {
			return CVResult{}, fmt.Errorf("fold %d: %w", fold, err)
		}
		test := f.Subset(testRows[fold])
		pd, _, err := ScoreAll(m, test)
		if err != nil {
			return CVResult{}, fmt.Errorf("fold %d: %w", fold, err)
		}
		auc := measure.AUC(pd, test.Y)
		res.FoldAUC = append(res.FoldAUC, auc)
		res.FoldRows = append(res.FoldRows, test.Rows())
		res.Features = append(res.Features, len(m.Features))
		sum += auc
		if progress != nil {
			progress(fold, auc)
		}
	}
	res.MeanAUC = sum / float64(k)
	return res, nil
}
