package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/bench"
	"github.com/opencredit/opencredit/model"
)

// TestEBMCommands: --model ebm trains a points table that score,
// evaluate and export read like a scorecard, and the protected-trait rule
// holds for it as for the scorecard.
func TestEBMCommands(t *testing.T) {
	dir := t.TempDir()
	data := "../../examples/german.csv"
	out := filepath.Join(dir, "ebm.json")
	audit := []string{"--audit", "personal_status_and_sex,foreign,age"}
	code, _, stderr := cli(append([]string{"train", "-q", "--model", "ebm", "--interactions", "3", "--data", data, "--target", "default", "--out", out, "--report", filepath.Join(dir, "ebm.html")}, audit...)...)
	if code != 0 {
		t.Fatalf("train --model ebm: exit %d: %s", code, stderr)
	}
	m, err := model.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind != "ebm" || len(m.Features) < 5 || len(m.Pairs) == 0 || m.Training.Options["bags"] == nil {
		t.Fatalf("kind %s, %d features, %d pairs, options %v", m.Kind, len(m.Features), len(m.Pairs), m.Training.Options)
	}

	code, stdout, stderr := cli(append([]string{"evaluate", "--model", out, "--data", data, "--target", "default", "--json"}, audit...)...)
	var ev struct{ AUC float64 }
	if code != 0 || json.Unmarshal([]byte(stdout), &ev) != nil || ev.AUC < 0.8 {
		t.Fatalf("evaluate: exit %d, %s %s", code, stdout, stderr)
	}
	if code, stdout, stderr := cli(append([]string{"score", "--model", out, "--data", data, "--out", "-"}, audit...)...); code != 0 || strings.Count(stdout, "\n") != 1001 {
		t.Fatalf("score: exit %d, %d lines: %s", code, strings.Count(stdout, "\n"), stderr)
	}
	code, stdout, _ = cli(append([]string{"cv", "--model", "ebm", "--data", data, "--target", "default", "--json"}, audit...)...)
	var cv struct {
		MeanAUC float64 `json:"mean_auc"`
		Model   string  `json:"model"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &cv) != nil || cv.Model != "ebm" || cv.MeanAUC < 0.77 {
		t.Fatalf("cv --model ebm: exit %d, %s", code, stdout)
	}

	// The same refusals as the scorecard's.
	code, _, stderr = cli("train", "--model", "ebm", "--data", data, "--target", "default", "--out", filepath.Join(dir, "x.json"))
	if code != 2 || !strings.Contains(stderr, "personal_status_and_sex") {
		t.Errorf("ebm without --audit: exit %d, %s; want the protected column refused", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.json")); err == nil {
		t.Error("a refused training wrote a model")
	}
	for _, args := range [][]string{{"--min-iv", "0.1"}, {"--model", "forest"}, {"--model", "scorecard", "--bags", "3"}} {
		a := append([]string{"train", "--data", data, "--target", "default", "--out", filepath.Join(dir, "y.json")}, audit...)
		if args[0] != "--model" {
			a = append(a, "--model", "ebm")
		}
		if code, _, stderr := cli(append(a, args...)...); code != 2 || !strings.Contains(stderr, strings.TrimPrefix(args[len(args)-2], "--")) && !strings.Contains(stderr, args[len(args)-1]) {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

// TestBenchTrain: bench train fits every fold and reports the times and
// the AUC those fits reach, the same as cv's.
func TestBenchTrain(t *testing.T) {
	args := []string{"--data", "../../examples/german.csv", "--target", "default", "--audit", "personal_status_and_sex,foreign,age"}
	code, stdout, stderr := cli(append([]string{"bench", "train", "--model", "ebm", "--repeat", "2", "--json"}, args...)...)
	var b bench.TrainResult
	if code != 0 || json.Unmarshal([]byte(stdout), &b) != nil {
		t.Fatalf("exit %d: %s %s", code, stdout, stderr)
	}
	if b.Model != "ebm" || b.Folds != 5 || len(b.FoldSeconds) != 5 || len(b.Runs) != 2 || b.Seconds <= 0 || b.PeakRSSMB <= 0 {
		t.Errorf("result %+v", b)
	}
	_, cvOut, _ := cli(append([]string{"cv", "--model", "ebm", "--json"}, args...)...)
	var cv struct {
		MeanAUC float64 `json:"mean_auc"`
	}
	if json.Unmarshal([]byte(cvOut), &cv) != nil || cv.MeanAUC != b.MeanAUC {
		t.Errorf("bench train mean AUC %v, cv %v: the timed fits are cv's", b.MeanAUC, cv.MeanAUC)
	}
}
