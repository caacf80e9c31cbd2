package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/training"
)

// writeCSV writes a synthetic credit file: delay (months late, raises risk),
// util (utilisation %, raises risk), housing (categorical), sex (protected),
// account_age (not a person's age) and default.
func writeCSV(t *testing.T, dir string, n int, seed uint64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	path := filepath.Join(dir, fmt.Sprintf("data%d.csv", seed))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"id", "delay", "util", "housing", "sex", "account_age", "default"})
	for i := 0; i < n; i++ {
		delay := rng.IntN(5)
		util := rng.Float64() * 100
		housing := []string{"own", "rent", "free"}[rng.IntN(3)]
		eta := -2.5 + 0.6*float64(delay) + 0.015*util + map[string]float64{"own": -0.4, "rent": 0.2, "free": 0.3}[housing]
		y := "0"
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y = "1"
		}
		u := fmt.Sprintf("%.1f", util)
		if rng.IntN(30) == 0 {
			u = "NA"
		}
		w.Write([]string{fmt.Sprint(i + 1), fmt.Sprint(delay), u, housing, []string{"m", "f"}[rng.IntN(2)], fmt.Sprint(rng.IntN(120)), y})
	}
	w.Flush()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// cli runs the command line in-process and returns its exit code and output.
func cli(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &out, &errb)
	code = exitCode(err, &errb)
	return code, out.String(), errb.String()
}

func TestTrainRefusesProtectedTraits(t *testing.T) {
	dir := t.TempDir()
	data := writeCSV(t, dir, 3000, 1)
	code, _, stderr := cli("train", "--data", data, "--target", "default", "--out", filepath.Join(dir, "m.json"))
	if code != 2 || !strings.Contains(stderr, `column "sex"`) || !strings.Contains(stderr, "--audit") {
		t.Fatalf("exit %d, stderr %q: want exit 2 naming sex and the flags", code, stderr)
	}
	if strings.Contains(stderr, "account_age") {
		t.Errorf("account_age is an account's age, not a person's: %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "m.json")); err == nil {
		t.Error("a refused training wrote a model")
	}
	code, _, stderr = cli("cv", "--data", data, "--target", "default")
	if code != 2 || !strings.Contains(stderr, `column "sex"`) {
		t.Fatalf("cv: exit %d, stderr %q", code, stderr)
	}
}

func TestTrainScoreEvaluateExport(t *testing.T) {
	dir := t.TempDir()
	data := writeCSV(t, dir, 5000, 2)
	mpath := filepath.Join(dir, "m.json")
	code, stdout, stderr := cli("train", "--data", data, "--target", "default", "--audit", "sex", "--out", mpath)
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "delay") || !strings.Contains(stdout, "points") {
		t.Errorf("train printed no scorecard:\n%s", stdout)
	}
	m, err := model.LoadFile(mpath)
	if err != nil {
		t.Fatal(err)
	}
	if m.Training.SHA256 == "" || m.Training.Rows != 5000 || len(m.Training.Audit) != 1 {
		t.Errorf("training record %+v", m.Training)
	}
	for _, f := range m.Features {
		if f.Name == "sex" || f.Name == "id" {
			t.Errorf("feature %q must not be an input", f.Name)
		}
	}
	if html, err := os.ReadFile(filepath.Join(dir, "m.html")); err != nil || !bytes.Contains(html, []byte("<svg")) {
		t.Errorf("no HTML report with plots next to the model: %v", err)
	}

	// score
	scores := filepath.Join(dir, "scores.csv")
	if code, _, stderr := cli("score", "--model", mpath, "--data", data, "--out", scores); code != 0 {
		t.Fatalf("score: exit %d: %s", code, stderr)
	}
	rows, err := csv.NewReader(mustOpen(t, scores)).ReadAll()
	if err != nil || len(rows) != 5001 {
		t.Fatalf("scores: %d rows, %v", len(rows), err)
	}
	if rows[0][2] != "score" || rows[0][5] != "reason_1_code" || rows[1][0] != "1" {
		t.Errorf("scores header %v, first row %v", rows[0], rows[1])
	}

	// evaluate, with fairness by the audit column
	code, stdout, stderr = cli("evaluate", "--model", mpath, "--data", data, "--audit", "sex", "--json")
	if code != 0 {
		t.Fatalf("evaluate: exit %d: %s", code, stderr)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(stdout), &ev); err != nil {
		t.Fatal(err)
	}
	if auc, _ := ev["auc"].(float64); auc < 0.6 {
		t.Errorf("evaluate AUC %v", ev["auc"])
	}
	if fair, _ := ev["fairness"].([]any); len(fair) != 1 {
		t.Errorf("fairness %v, want one attribute", ev["fairness"])
	}

	// export
	code, stdout, stderr = cli("export", "pmml", "--model", mpath)
	if code != 0 || !strings.Contains(stdout, "<Scorecard") || !strings.Contains(stdout, `reasonCodeAlgorithm="pointsBelow"`) {
		t.Fatalf("export: exit %d: %s %s", code, stderr, stdout[:min(len(stdout), 200)])
	}
}

func TestCVJSON(t *testing.T) {
	dir := t.TempDir()
	data := writeCSV(t, dir, 3000, 3)
	code, stdout, stderr := cli("cv", "--data", data, "--target", "default", "--exclude", "sex", "--json")
	if code != 0 {
		t.Fatalf("cv: exit %d: %s", code, stderr)
	}
	var res struct {
		FoldAUC []float64 `json:"fold_auc"`
		MeanAUC float64   `json:"mean_auc"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	sum := 0.0
	for _, a := range res.FoldAUC {
		sum += a
	}
	if len(res.FoldAUC) != 5 || math.Abs(sum/5-res.MeanAUC) > 1e-12 || res.MeanAUC < 0.6 {
		t.Errorf("cv result %+v", res)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	dir := t.TempDir()
	data := writeCSV(t, dir, 500, 4)
	ragged := filepath.Join(dir, "ragged.csv")
	os.WriteFile(ragged, []byte("a,b,default\n1,2,0\n1,1\n"), 0o644)
	for name, args := range map[string][]string{
		"missing target": {"train", "--data", data, "--target", "nope", "--audit", "sex", "--out", filepath.Join(dir, "x.json")},
		"ragged":         {"train", "--data", ragged, "--target", "default", "--out", filepath.Join(dir, "x.json")},
		"no such file":   {"cv", "--data", filepath.Join(dir, "absent.csv"), "--target", "default"},
		"bad flag value": {"cv", "--data", data, "--target", "default", "--audit", "sex", "--min-bin-share", "0.9"},
		"unknown flag":   {"cv", "--data", data, "--bogus"},
		"corrupt model":  {"score", "--model", ragged, "--data", data},
		"bad separator":  {"cv", "--data", data, "--target", "default", "--sep", "|"},
	} {
		code, _, stderr := cli(args...)
		if code != 2 || stderr == "" {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 with a message", name, code, stderr)
		}
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestReadmeCommand runs the README's scorecard example on the shipped data;
// TestDemo (demo_test.go) runs its first command, the demo, on a small population.
func TestReadmeCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "german.json")
	code, stdout, stderr := cli("train", "--data", "../../examples/german.csv", "--target", "default",
		"--audit", "personal_status_and_sex,foreign,age", "--spec", "../../examples/german-spec.yaml", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := model.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Features) < 5 || !strings.Contains(stdout, "status_account") || m.Features[0].Dimension != "capacity" {
		t.Errorf("unexpected model: %d features, first %+v", len(m.Features), m.Features[0].Name)
	}
}

// TestTrainOnLiveFeatures: columns named after live features get their
// dimension, label and unit from the registry, so reasons read plainly and
// sub-scores exist without a spec.
func TestTrainOnLiveFeatures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "train.csv")
	rng := rand.New(rand.NewPCG(9, 9))
	var b strings.Builder
	b.WriteString("subject,worst_days_past_due_24m,hard_inquiries_12m,label\n")
	for i := 0; i < 3000; i++ {
		dpd := []int{0, 0, 0, 0, 30, 60, 90}[rng.IntN(7)]
		inq := rng.IntN(6)
		eta := -2.5 + 0.02*float64(dpd) + 0.25*float64(inq)
		y := 0
		if rng.Float64() < 1/(1+math.Exp(-eta)) {
			y = 1
		}
		fmt.Fprintf(&b, "s%d,%d,%d,%d\n", i, dpd, inq, y)
	}
	os.WriteFile(path, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "m.json")
	if code, _, stderr := cli("train", "-q", "--data", path, "--target", "label", "--id", "subject", "--out", out, "--report", "-"); code != 0 {
		t.Fatal(stderr)
	}
	m, err := model.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"worst_days_past_due_24m": "payment_history", "hard_inquiries_12m": "new_credit"}
	for _, f := range m.Features {
		if f.Dimension != want[f.Name] || f.Label == "" || !strings.HasPrefix(f.Bins[0].Text, f.Label) {
			t.Errorf("%s: dimension %q, label %q, text %q", f.Name, f.Dimension, f.Label, f.Bins[0].Text)
		}
	}
	if len(m.Features) != 2 || len(m.Unassigned) != 0 {
		t.Errorf("features %d, unassigned %v", len(m.Features), m.Unassigned)
	}
	// The scorecard takes the live features' monotone trends
	// (training.LiveTrends): both raise risk, so no bin further up earns
	// more points than one below it.
	for _, f := range m.Features {
		if f.Trend != training.Ascending {
			t.Errorf("%s: trend %q, want ascending from training.LiveTrends", f.Name, f.Trend)
		}
		bins := slices.Clone(f.Bins)
		bins = slices.DeleteFunc(bins, func(b model.Bin) bool { return b.Missing && b.Lower == nil && b.Upper == nil })
		slices.SortFunc(bins, func(a, b model.Bin) int { return model.CompareLower(&a, &b) })
		for k := 1; k < len(bins); k++ {
			if bins[k].Points > bins[k-1].Points {
				t.Errorf("%s: bin from %v earns %d points, more than %d below it", f.Name, *bins[k].Lower, bins[k].Points, bins[k-1].Points)
			}
		}
	}
}
