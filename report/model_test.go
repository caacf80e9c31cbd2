package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func ptr(x float64) *float64 { return &x }

// testModel is a small hand-built scorecard. Its counts are made up; WoE is
// ln(share of goods / share of bads) and IV Σ (share of goods − share of
// bads) · WoE over 830 goods and 170 bads, computed with a calculator and
// rounded to four places. Points and logits are made up.
func testModel(t *testing.T) *model.Model {
	t.Helper()
	m := &model.Model{
		SchemaVersion: model.SchemaVersion,
		Kind:          "scorecard",
		CreatedAt:     time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC),
		ToolVersion:   "opencredit test",
		Target:        "bad",
		Scaling:       model.DefaultScaling(),
		Bands:         opencredit.DefaultBands(),
		Intercept:     -1.5856,
		BasePoints:    480,
		Features: []model.Feature{
			{
				Name: "worst_dpd_6m", Kind: model.Numeric, Dimension: string(opencredit.PaymentHistory),
				Label: "Worst days past due in the last 6 months", Unit: "days", ReasonCode: "PH01",
				Trend: "increasing", Coefficient: 0.9123, IV: 0.9608, Integer: true,
				Bins: []model.Bin{
					{Upper: ptr(1), Count: 600, Goods: 560, Bads: 40, BadRate: 40.0 / 600, WoE: 1.0534, IV: 0.4629, Logit: -0.961, Points: 96},
					{Lower: ptr(1), Upper: ptr(30), Count: 250, Goods: 180, Bads: 70, BadRate: 0.28, WoE: -0.6412, IV: 0.1250, Logit: 0.585, Points: 34},
					{Lower: ptr(30), Count: 100, Goods: 50, Bads: 50, BadRate: 0.5, WoE: -1.5856, IV: 0.3708, Logit: 1.4465, Points: 0},
					{Missing: true, Count: 50, Goods: 40, Bads: 10, BadRate: 0.2, WoE: -0.1993, IV: 0.0021, Logit: 0.1818, Points: 51},
				},
			},
			{
				Name: "housing", Kind: model.Categorical, ReasonCode: "EO01",
				Coefficient: 1.0042, IV: 0.1602,
				Bins: []model.Bin{
					{Categories: []string{"own"}, Count: 570, Goods: 500, Bads: 70, BadRate: 70.0 / 570, WoE: 0.3805, IV: 0.0725, Logit: -0.3821, Points: 42},
					{Categories: []string{"rent", "council <flat> & co"}, Count: 320, Goods: 250, Bads: 70, BadRate: 0.21875, WoE: -0.3127, IV: 0.0346, Logit: 0.314, Points: 17},
					{Other: true, Count: 80, Goods: 60, Bads: 20, BadRate: 0.25, WoE: -0.487, IV: 0.0221, Logit: 0.4891, Points: 10},
					{Missing: true, Count: 30, Goods: 20, Bads: 10, BadRate: 1.0 / 3, WoE: -0.8925, IV: 0.031, Logit: 0.8963, Points: 0},
				},
			},
		},
		Dropped: []model.Dropped{
			{Feature: "age", Reason: "protected attribute: used only to audit fairness"},
			{Feature: "inquiries_12m", Reason: "information value below 0.02", IV: 0.0121},
		},
		Training: model.Training{
			File: "applications.csv", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			Rows: 1000, Bads: 170, Audit: []string{"age", "sex"},
		},
		Metrics:    map[string]float64{"auc": 0.7612, "gini": 0.5224},
		Unassigned: []string{"housing"},
	}
	for j := range m.Features {
		m.Features[j].DescribeBins()
	}
	if err := m.Prepare(); err != nil {
		t.Fatalf("test model: %v", err)
	}
	return m
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

// checkWidth fails when a line of text is wider than a 100-column terminal.
func checkWidth(t *testing.T, text string) {
	t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, line)
		}
	}
}

func TestWriteModelText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteModelText(&buf, testModel(t)); err != nil {
		t.Fatal(err)
	}
	checkWidth(t, buf.String())
	golden(t, "model.txt", buf.Bytes())
}
