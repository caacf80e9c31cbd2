package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/model"
)

// TestSearchInteractions: train --model ebm --search-interactions chooses
// the number of pairs on an inner split and records the search and the
// choice in the model; contradictory or malformed flags are refused.
func TestSearchInteractions(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	german := "../../examples/german.csv"
	base := []string{"train", "-q", "--model", "ebm", "--bags", "2", "--data", german, "--target", "default",
		"--audit", "personal_status_and_sex,foreign,age", "--out", out, "--report", ""}
	if code, _, stderr := cli(append(base, "--search-interactions", "0,4")...); code != 0 {
		t.Fatal(stderr)
	}
	m, err := model.LoadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	search, ok := m.Training.Options["interactions_search"].(map[string]any)
	if !ok {
		t.Fatalf("no search recorded: %v", m.Training.Options)
	}
	trials, _ := search["trials"].([]any)
	chosen := m.Training.Options["interactions"]
	if len(trials) != 2 || search["value"] != chosen || (chosen != 0.0 && chosen != 4.0) {
		t.Fatalf("search %v, interactions %v: want two trials and the chosen count recorded", search, chosen)
	}
	if w := m.Training.Options["interaction_wave"]; w != 0.0 {
		t.Errorf("interaction_wave %v in a searched model, want 0: the search's count is fixed", w)
	}
	if n := float64(len(m.Pairs)); n > chosen.(float64) {
		t.Errorf("%v pairs in a model that chose %v", n, chosen)
	}
	t.Logf("search %v chose %v pairs", trials, chosen)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--search-interactions", "5,2"}, "rising numbers"},
		{[]string{"--search-interactions", "0,5", "--interactions", "3"}, "give one"},
		{[]string{"--search-interactions", "0,5", "--interaction-wave", "5"}, "give one"},
		{[]string{"--search-interactions", "0,5", "--wave-z", "1"}, "give one"},
	} {
		if code, _, stderr := cli(append(base, c.args...)...); code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %s", c.args, code, stderr)
		}
	}
	if code, _, stderr := cli("train", "-q", "--data", german, "--target", "default", "--audit", "personal_status_and_sex,foreign,age",
		"--out", out, "--search-interactions", "0,5"); code != 2 || !strings.Contains(stderr, "does not apply to --model scorecard") {
		t.Errorf("search on a scorecard: exit %d %s", code, stderr)
	}
}
