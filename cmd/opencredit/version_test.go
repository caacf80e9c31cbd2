package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// TestVersion: the one tool version, opencredit.Version, is what --version
// prints, what train writes into the model of either kind, and what the PMML
// export names as its application's version.
func TestVersion(t *testing.T) {
	code, stdout, stderr := cli("--version")
	if code != 0 || !strings.Contains(stdout, opencredit.Version) {
		t.Errorf("--version: exit %d, printed %q %q, want %s", code, stdout, stderr, opencredit.Version)
	}
	dir := t.TempDir()
	data := writeCSV(t, dir, 2000, 4)
	for _, kind := range []string{"scorecard", "ebm"} {
		mpath := filepath.Join(dir, kind+".json")
		if code, _, stderr := cli("train", "--model", kind, "--data", data, "--target", "default", "--audit", "sex", "--out", mpath); code != 0 {
			t.Fatalf("train --model %s: exit %d: %s", kind, code, stderr)
		}
		m, err := model.LoadFile(mpath)
		if err != nil {
			t.Fatal(err)
		}
		if m.ToolVersion != opencredit.Version {
			t.Errorf("%s: tool version %q, want %q", kind, m.ToolVersion, opencredit.Version)
		}
		code, stdout, stderr := cli("export", "pmml", "--model", mpath)
		if want := `<Application name="OpenCredit" version="` + opencredit.Version + `"`; code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("%s: export pmml: exit %d (%s), no %s", kind, code, stderr, want)
		}
	}
}
