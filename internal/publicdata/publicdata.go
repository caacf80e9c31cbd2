// Package publicdata gives tests and benchmarks the public credit datasets
// of shared/datasets, which live beside the repository rather than in it
// (see that folder's README). A test that asks for them is skipped where
// they are absent.
package publicdata

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
)

// protected are each dataset's protected columns, as its README lists them:
// they are read as audit columns, never as features.
var protected = map[string][]string{
	"taiwan.csv": {"sex", "marriage", "age"},
	"german.csv": {"personal_status_and_sex", "foreign", "age"},
}

// Read reads the public dataset name ("taiwan.csv" or "german.csv") with its
// target "default" and its protected columns as audit columns, or skips tb
// when the file is absent.
func Read(tb testing.TB, name string) *dataset.Frame {
	tb.Helper()
	audit, ok := protected[name]
	if !ok {
		tb.Fatalf("publicdata: no public dataset %q", name)
	}
	f, err := dataset.ReadFile(path(tb, name), dataset.Options{Target: "default", RequireTarget: true, Audit: audit})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// folds is the README's protocol, which peer results are measured on: 5
// folds by row index, row i in fold i mod 5.
const folds = 5

// CrossValidate reads the public dataset name and cross-validates train on
// it under the README's protocol, failing tb on an error.
func CrossValidate(tb testing.TB, name string, train crossval.Trainer) crossval.CVResult {
	tb.Helper()
	res, err := crossval.CrossValidate(Read(tb, name), folds, train, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// TaiwanTrain returns the 24,000 training rows of fold 0 of Taiwan under the
// README's protocol.
func TaiwanTrain(tb testing.TB) *dataset.Frame {
	tb.Helper()
	f := Read(tb, "taiwan.csv")
	train, _ := crossval.Folds(f.Rows(), folds)
	return f.Subset(train[0])
}

// path returns the path of shared/datasets/name beside the repository,
// found from the module root (the nearest folder above the working
// directory that holds go.mod) so that tests at any depth find it; it skips
// tb when the file is absent.
func path(tb testing.TB, name string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skipf("%s not found: no go.mod above the working directory", name)
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "datasets", name)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s not found (the public datasets live in ../shared/datasets beside the repository): %v", name, err)
	}
	return p
}
