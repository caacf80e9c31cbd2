// Package publicdata gives tests and benchmarks the public credit datasets
// (taiwan.csv and german.csv, described in shared/datasets/README.md beside
// the repository), the simulator's application table (Simulated) and the
// 5-fold protocol peer results are measured on. It reads each public file
// from the folder $OPENCREDIT_DATASETS names, else from the repository's
// examples/, which ships german.csv only; a test that asks for a file found
// in neither is skipped, saying how to enable it. The simulated table is
// written to the test's temporary folder from its seed, so it runs in every
// clone.
package publicdata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/simulate"
)

// Simulated names the simulator's application table for Read, Path and
// CrossValidate: SimulatedRows rows of seed SimulatedSeed
// (simulate.WriteTable; `opencredit simulate --table simulated.csv
// --subjects 30000 --seed 1` writes the same bytes). It has no protected
// column.
const (
	Simulated     = "simulated.csv"
	SimulatedRows = 30_000
	SimulatedSeed = 1
)

// protected are each dataset's protected columns, as its README lists them:
// they are read as audit columns, never as features.
var protected = map[string][]string{
	"taiwan.csv": {"sex", "marriage", "age"},
	"german.csv": {"personal_status_and_sex", "foreign", "age"},
	Simulated:    nil,
}

// Read reads the dataset name ("taiwan.csv", "german.csv" or Simulated)
// with its target "default" and its protected columns as audit columns, or
// skips tb when the file is absent.
func Read(tb testing.TB, name string) *dataset.Frame {
	tb.Helper()
	audit, ok := protected[name]
	if !ok {
		tb.Fatalf("publicdata: no public dataset %q", name)
	}
	f, err := dataset.ReadFile(Path(tb, name), dataset.Options{Target: "default", RequireTarget: true, Audit: audit})
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

// DatasetsEnv names the environment variable that holds the folder of the
// public datasets, such as ../shared/datasets; a relative folder is taken
// from the module root, so that one setting serves tests at every depth.
const DatasetsEnv = "OPENCREDIT_DATASETS"

// Path returns the path of the public dataset file name: in the folder
// $OPENCREDIT_DATASETS names when it is set and holds the file, else in the
// module's examples/ (the module root is the nearest folder above the
// working directory that holds go.mod), so that German, which examples/
// ships, is found in every clone. It skips tb, naming where it looked and
// how to enable the test, when the file is in neither. Simulated is
// written into tb's temporary folder instead.
func Path(tb testing.TB, name string) string {
	tb.Helper()
	if name == Simulated {
		return writeSimulated(tb)
	}
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
	var looked []string
	if env := os.Getenv(DatasetsEnv); env != "" {
		if !filepath.IsAbs(env) {
			env = filepath.Join(dir, env)
		}
		looked = append(looked, filepath.Join(env, name))
	}
	looked = append(looked, filepath.Join(dir, "examples", name))
	for _, p := range looked {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	tb.Skipf("%s not found (looked for %s); set %s=../shared/datasets, a folder holding taiwan.csv and german.csv, to run this",
		name, strings.Join(looked, " and "), DatasetsEnv)
	return ""
}

// writeSimulated writes the simulated table into tb's temporary folder and
// returns its path.
func writeSimulated(tb testing.TB) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), Simulated)
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := simulate.WriteTable(f, simulate.TableConfig{Rows: SimulatedRows, Seed: SimulatedSeed}); err != nil {
		f.Close()
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return p
}
