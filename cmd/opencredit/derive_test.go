package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/crossval"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/training"
)

// writeBalanceCSV writes a file whose risk rises with the balance over the
// limit, a ratio no single column shows, and with the months paid late;
// limit is missing in some rows and 0 in others.
func writeBalanceCSV(t *testing.T, dir string, n int) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(16, 7))
	var b strings.Builder
	b.WriteString("id,limit,balance,late_1,late_2,late_3,sex,default\n")
	for i := 0; i < n; i++ {
		limit := float64(1000 * (1 + rng.IntN(20)))
		util := rng.Float64() * 1.2
		balance := math.Round(limit * util)
		late := []int{rng.IntN(4) / 3, rng.IntN(4) / 3, rng.IntN(5) / 4}
		eta := -2.6 + 2.2*util + 0.7*float64(late[0]+late[1]+late[2])
		y := 0
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y = 1
		}
		ls := strconv.FormatFloat(limit, 'f', -1, 64)
		switch rng.IntN(40) {
		case 0:
			ls = ""
		case 1:
			ls = "0"
		}
		fmt.Fprintf(&b, "%d,%s,%v,%d,%d,%d,%s,%d\n", i+1, ls, balance, late[0], late[1], late[2], []string{"f", "m"}[rng.IntN(2)], y)
	}
	path := filepath.Join(dir, "balance.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const balanceSpec = `features:
  utilisation:
    ratio: [balance, limit]
    dimension: capacity
    label: Balance over credit limit
    reason: Balance is high compared with the credit limit
  months_late:
    count: [late_1, late_2, late_3]
    above: 0
    dimension: payment_history
    label: Months paid late of the last 3
`

// TestTrainWithDerived trains both models with derived characteristics and
// checks that they are computed the same way at training and in scoring: the
// model that computes them from the raw columns scores every row exactly as
// the same model reading the training-time columns does.
func TestTrainWithDerived(t *testing.T) {
	dir := t.TempDir()
	data := writeBalanceCSV(t, dir, 4000)
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, []byte(balanceSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"scorecard", "ebm"} {
		t.Run(kind, func(t *testing.T) {
			mpath := filepath.Join(dir, kind+".json")
			if code, _, stderr := cli("train", "-q", "--model", kind, "--data", data, "--target", "default", "--audit", "sex",
				"--spec", spec, "--out", mpath, "--report", "-"); code != 0 {
				t.Fatalf("train: exit %d: %s", code, stderr)
			}
			m, err := model.LoadFile(mpath)
			if err != nil {
				t.Fatal(err)
			}
			j := slices.IndexFunc(m.Features, func(f model.Feature) bool { return f.Name == "utilisation" })
			if j < 0 {
				t.Fatalf("utilisation is not a feature: %v", m.Features)
			}
			f := &m.Features[j]
			if f.Dimension != "capacity" || !strings.HasPrefix(f.Bins[0].Text, "Balance is high compared with the credit limit (Balance over credit limit: ") {
				t.Errorf("utilisation: dimension %q, text %q", f.Dimension, f.Bins[0].Text)
			}
			if !slices.ContainsFunc(m.Derived, func(d model.Derived) bool { return d.Name == "utilisation" && d.Op == model.OpRatio }) {
				t.Errorf("derived definitions %v lack utilisation", m.Derived)
			}
			ins := m.Inputs()
			if !slices.Contains(ins, model.Input{Name: "balance", Kind: model.Numeric}) || slices.ContainsFunc(ins, func(in model.Input) bool { return in.Name == "utilisation" }) {
				t.Errorf("inputs %v: want balance and limit, not utilisation", ins)
			}

			// The raw file, scored by the model computing the derived
			// characteristics, against the file with the training-time
			// columns added, scored by the same points reading them.
			raw, err := dataset.ReadFile(data, dataset.Options{Target: "default", Audit: []string{"sex"}, Kinds: crossval.Kinds(m)})
			if err != nil {
				t.Fatal(err)
			}
			_, scores, err := crossval.ScoreAll(m, raw)
			if err != nil {
				t.Fatal(err)
			}
			s, err := training.LoadSpec(spec)
			if err != nil {
				t.Fatal(err)
			}
			withCols, err := dataset.ReadFile(data, dataset.Options{Target: "default", Audit: []string{"sex"}, Kinds: crossval.Kinds(m)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := training.AddDerived(withCols, s); err != nil {
				t.Fatal(err)
			}
			reading := *m
			reading.Derived = nil
			if err := reading.Prepare(); err != nil {
				t.Fatal(err)
			}
			_, want, err := crossval.ScoreAll(&reading, withCols)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(scores, want) {
				t.Fatal("scores computed from the raw columns differ from those read from the training-time columns")
			}

			// Batch scoring from the command line, and the PMML export.
			out := filepath.Join(dir, kind+"-scores.csv")
			if code, _, stderr := cli("score", "--model", mpath, "--data", data, "--out", out); code != 0 {
				t.Fatalf("score: exit %d: %s", code, stderr)
			}
			rows, err := csv.NewReader(mustOpen(t, out)).ReadAll()
			if err != nil || len(rows) != 4001 {
				t.Fatalf("scores: %d rows, %v", len(rows), err)
			}
			for i := 1; i < len(rows); i++ {
				if rows[i][2] != strconv.Itoa(scores[i-1]) {
					t.Fatalf("row %d: score %s from the command line, %d computed", i, rows[i][2], scores[i-1])
				}
			}
			code, stdout, stderr := cli("export", "pmml", "--model", mpath)
			if code != 0 || !strings.Contains(stdout, `<DerivedField name="utilisation"`) || !strings.Contains(stdout, `<DataField name="balance"`) {
				t.Fatalf("export: exit %d: %s", code, stderr)
			}
		})
	}
}

// TestDerivedRefusesProtected: a derived characteristic may not take a
// protected attribute as input, nor be named as one without a declaration.
func TestDerivedRefusesProtected(t *testing.T) {
	dir := t.TempDir()
	data := writeBalanceCSV(t, dir, 500)
	for _, c := range []struct{ spec, want string }{
		{"features: {mix: {ratio: [balance, sex]}}\n", `derived "mix" takes "sex", a protected attribute`},
		{"features: {gender_mix: {ratio: [balance, limit]}}\n", `"gender_mix"`},
	} {
		spec := filepath.Join(dir, "spec.yaml")
		if err := os.WriteFile(spec, []byte(c.spec), 0o644); err != nil {
			t.Fatal(err)
		}
		mpath := filepath.Join(dir, "m.json")
		code, _, stderr := cli("train", "-q", "--data", data, "--target", "default", "--audit", "sex", "--spec", spec, "--out", mpath)
		if code != 2 || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "refused") {
			t.Errorf("%s: exit %d, stderr %q: want exit 2 refusing %s", c.spec, code, stderr, c.want)
		}
		if _, err := os.Stat(mpath); err == nil {
			t.Errorf("%s: a refused training wrote a model", c.spec)
		}
	}
}

// TestDerivedLiveFeatures: a model with a characteristic derived from live
// features serves (scoring.CheckModel) and computes it from the person's
// feature vector.
func TestDerivedLiveFeatures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "train.csv")
	rng := rand.New(rand.NewPCG(9, 16))
	var b strings.Builder
	b.WriteString("subject,hard_inquiries_6m,hard_inquiries_12m,missed_payments_12m,label\n")
	for i := 0; i < 3000; i++ {
		older, recent := rng.IntN(4), rng.IntN(4)
		missed := rng.IntN(3)
		eta := -2.2 + 0.5*float64(recent) + 0.6*float64(missed)
		y := 0
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y = 1
		}
		fmt.Fprintf(&b, "s%d,%d,%d,%d,%d\n", i, recent, recent+older, missed, y)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, []byte(`features:
  recent_inquiry_share: {ratio: [hard_inquiries_6m, hard_inquiries_12m], dimension: new_credit, label: Share of the year's inquiries in the last 6 months}
  trouble_12m: {sum: [hard_inquiries_6m, missed_payments_12m], dimension: payment_history, label: Recent inquiries and missed payments}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m.json")
	if code, _, stderr := cli("train", "-q", "--data", path, "--target", "label", "--id", "subject", "--spec", spec, "--min-iv", "0", "--out", out, "--report", "-"); code != 0 {
		t.Fatal(stderr)
	}
	m, err := model.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Derived) == 0 {
		t.Fatalf("no derived characteristic kept: features %v, dropped %v", m.Features, m.Dropped)
	}
	if err := scoring.CheckModel(m); err != nil {
		t.Fatalf("a model derived from live features cannot serve: %v", err)
	}
	fv := opencredit.FeatureVector{Subject: "s1", AsOf: time.Now(), Values: map[string]float64{
		"hard_inquiries_6m": 2, "hard_inquiries_12m": 4, "missed_payments_12m": 1,
	}}
	res, err := scoring.ScoreFeatures(m, fv)
	if err != nil {
		t.Fatal(err)
	}
	// The same person as a file row: 0.5 and 3 computed by hand.
	row := m.RowOf(nil, func(name string) model.Value {
		if x, ok := fv.Values[name]; ok {
			return model.Num(x)
		}
		return model.MissingValue()
	})
	for j, f := range m.Features {
		switch f.Name {
		case "recent_inquiry_share":
			if row[j].Num != 0.5 {
				t.Errorf("recent_inquiry_share = %v, want 2/4", row[j].Num)
			}
		case "trouble_12m":
			if row[j].Num != 3 {
				t.Errorf("trouble_12m = %v, want 2+1", row[j].Num)
			}
		}
	}
	want, err := m.Score(row)
	if err != nil {
		t.Fatal(err)
	}
	if res.Score != want.Score {
		t.Errorf("service score %d, row score %d", res.Score, want.Score)
	}
	// A characteristic over something that is no live feature cannot serve.
	bad := *m
	bad.Derived = append([]model.Derived(nil), m.Derived...)
	bad.Derived[0].Of = []string{"hard_inquiries_6m", "salary"}
	if err := bad.Prepare(); err != nil {
		t.Fatal(err)
	}
	if err := scoring.CheckModel(&bad); err == nil || !strings.Contains(err.Error(), `"salary"`) {
		t.Errorf("CheckModel on a model reading salary: %v", err)
	}
}
