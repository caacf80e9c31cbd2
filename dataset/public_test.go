package dataset_test

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/internal/publicdata"
)

// The public data sets (see shared/datasets/README.md), found by package
// publicdata. The expected row counts and bad rates are the ones that README
// states, which match the UCI descriptions: German 300 bad of 1000, Taiwan
// 6636 of 30000.

func badRate(y []float64) float64 {
	var s float64
	for _, v := range y {
		s += v
	}
	return s / float64(len(y))
}

func TestPublicDatasets(t *testing.T) {
	tests := []struct {
		file     string
		audit    []string
		rows     int
		features int // columns less the target, the audit columns and the id
		badRate  float64
		ids      bool
		numeric  []string // expected Numeric and Integer
		categ    []string // expected Categorical
	}{
		{
			file:     "german.csv",
			audit:    []string{"personal_status_and_sex", "foreign", "age"},
			rows:     1000,
			features: 21 - 1 - 3,
			badRate:  0.30,
			numeric:  []string{"duration_months", "amount"},
			categ:    []string{"status_account", "credit_history", "purpose"},
		},
		{
			file:     "taiwan.csv",
			audit:    []string{"sex", "marriage", "age"},
			rows:     30000,
			features: 25 - 1 - 3 - 1,
			badRate:  0.2212,
			ids:      true, // the "id" column is detected
			numeric:  []string{"limit_bal", "education", "pay_0", "bill_amt1", "pay_amt6"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := publicdata.Read(t, tt.file)
			if f.Rows() != tt.rows {
				t.Fatalf("Rows() = %d, want %d", f.Rows(), tt.rows)
			}
			// Four decimals, as the README gives them.
			if got := math.Round(badRate(f.Y)*1e4) / 1e4; got != tt.badRate {
				t.Errorf("bad rate = %.4f, want %.4f", got, tt.badRate)
			}
			if (f.IDs != nil) != tt.ids {
				t.Errorf("IDs present = %v, want %v", f.IDs != nil, tt.ids)
			}
			if len(f.Features) != tt.features {
				t.Errorf("%d features, want %d", len(f.Features), tt.features)
			}
			for _, name := range tt.numeric {
				if c := f.Feature(name); c == nil || c.Kind != dataset.Numeric || !c.Integer {
					t.Errorf("feature %q = %+v, want numeric integer", name, c)
				}
			}
			for _, name := range tt.categ {
				if c := f.Feature(name); c == nil || c.Kind != dataset.Categorical {
					t.Errorf("feature %q = %+v, want categorical", name, c)
				}
			}
			for k, name := range tt.audit {
				if f.Audit[k].Name != name || f.Feature(name) != nil {
					t.Errorf("audit column %d is %q, want %q and not a feature", k, f.Audit[k].Name, name)
				}
			}
		})
	}
}

func BenchmarkReadTaiwan(b *testing.B) {
	path := publicdata.Path(b, "taiwan.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	opt := dataset.Options{Target: "default", RequireTarget: true, Audit: []string{"sex", "marriage", "age"}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dataset.ReadCSV(bytes.NewReader(data), path, opt); err != nil {
			b.Fatal(err)
		}
	}
}
