package crossval

import (
	"reflect"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
)

// TestFolds: the protocol of shared/datasets/README.md — row i is in fold i mod k.
func TestFolds(t *testing.T) {
	train, test := Folds(7, 3)
	if !reflect.DeepEqual(test, [][]int{{0, 3, 6}, {1, 4}, {2, 5}}) {
		t.Errorf("test folds %v", test)
	}
	if !reflect.DeepEqual(train[0], []int{1, 2, 4, 5}) || !reflect.DeepEqual(train[2], []int{0, 1, 3, 4, 6}) {
		t.Errorf("train folds %v", train)
	}
}

func TestCrossValidateNeedsTarget(t *testing.T) {
	f := &dataset.Frame{File: "x.csv", Lines: make([]int, 20)}
	if _, err := CrossValidate(f, 5, nil, nil); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("no target: %v", err)
	}
}
