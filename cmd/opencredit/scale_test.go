package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model"
)

// TestTrainScale: train fits the scale by default, keeps it fixed when
// --base-score or --pdo is given or --scale fixed is asked for, and refuses
// contradictory flags naming them.
func TestTrainScale(t *testing.T) {
	dir := t.TempDir()
	german := "../../examples/german.csv"
	audit := "personal_status_and_sex,foreign,age"
	train := func(name string, extra ...string) (*model.Model, string) {
		t.Helper()
		out := filepath.Join(dir, name+".json")
		code, _, stderr := cli(append([]string{"train", "-q", "--data", german, "--target", "default", "--audit", audit, "--out", out}, extra...)...)
		if code != 0 {
			return nil, stderr
		}
		m, err := model.LoadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return m, ""
	}
	fit, stderr := train("fit")
	if fit == nil {
		t.Fatal(stderr)
	}
	// The brief's fixed scale leaves 14% of German's held-out quarter at the
	// floor (crossval.TestScaleKeepsRanking); fitted, the training rows at
	// either end are near the 0.5% tail.
	if fit.Scaling == model.DefaultScaling() || fit.Metrics["train_floor_share"] > 0.01 || fit.Metrics["train_ceiling_share"] > 0.01 {
		t.Errorf("default train: scaling %s, training rows at the floor %v and ceiling %v; want a fitted scale holding them",
			fit.Scaling, fit.Metrics["train_floor_share"], fit.Metrics["train_ceiling_share"])
	}
	if fit.Training.Options["scale_tail"] != 0.005 {
		t.Errorf("options record scale_tail %v, want 0.005", fit.Training.Options["scale_tail"])
	}
	for name, args := range map[string][]string{"pdo": {"--pdo", "40"}, "fixed": {"--scale", "fixed"}} {
		m, stderr := train(name, args...)
		if m == nil {
			t.Fatalf("%v: %s", args, stderr)
		}
		want := model.DefaultScaling()
		if name == "pdo" {
			want.PDO = 40
		}
		if m.Scaling != want {
			t.Errorf("%v: scaling %s, want %s as given", args, m.Scaling, want)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--scale", "fit", "--base-score", "650"}, "--scale fit fits the base score"},
		{[]string{"--scale", "fixed", "--scale-tail", "0.01"}, "--scale-tail applies to a fitted scale"},
		{[]string{"--scale-tail", "0.3"}, "--scale-tail 0.3"},
		{[]string{"--scale", "auto"}, `--scale "auto"`},
	} {
		if m, stderr := train("bad", c.args...); m != nil || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: %q, want an error naming %q", c.args, stderr, c.want)
		}
	}
}
