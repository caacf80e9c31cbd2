package publicdata

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPath: a file in $OPENCREDIT_DATASETS wins, a relative folder is taken
// from the module root (two levels above this package), and a file the
// folder does not hold comes from examples/.
func TestPath(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	examples := filepath.Join(root, "examples", "german.csv")

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "german.csv"), []byte("default\n0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(DatasetsEnv, dir)
	if got := Path(t, "german.csv"); got != filepath.Join(dir, "german.csv") {
		t.Errorf("with %s=%s: %s, want the file there", DatasetsEnv, dir, got)
	}

	t.Setenv(DatasetsEnv, "examples")
	if got := Path(t, "german.csv"); got != examples {
		t.Errorf("with %s=examples: %s, want %s, from the module root", DatasetsEnv, got, examples)
	}

	t.Setenv(DatasetsEnv, t.TempDir())
	if got := Path(t, "german.csv"); got != examples {
		t.Errorf("with an empty %s: %s, want %s", DatasetsEnv, got, examples)
	}

	t.Setenv(DatasetsEnv, "")
	if got := Path(t, "german.csv"); got != examples {
		t.Errorf("with %s unset: %s, want %s", DatasetsEnv, got, examples)
	}
}
