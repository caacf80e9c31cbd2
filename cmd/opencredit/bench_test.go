package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/bench"
)

// TestBenchIngest runs bench ingest small, three times: every event must be
// accepted, and the reported figures must be the medians of the runs listed.
func TestBenchIngest(t *testing.T) {
	code, stdout, stderr := cli("bench", "ingest", "--events", "3000", "--subjects", "200", "--batch", "700", "--repeat", "3", "--json",
		"--dir", filepath.Join(t.TempDir(), "unused"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res bench.IngestResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%q: %v", stdout, err)
	}
	if res.Events != 3000 || res.Accepted != 3000 || res.Batch != 700 || len(res.Runs) != 3 {
		t.Fatalf("result %+v: want 3,000 events all accepted in batches of 700, three runs", res)
	}
	var eps, ratios []float64
	for _, r := range res.Runs {
		if r.EventsPerSec <= 0 || r.RawRowsPerSec <= 0 || math.Abs(r.Ratio-r.EventsPerSec/r.RawRowsPerSec) > 1e-9 {
			t.Fatalf("run %+v: the ratio must be events/s over raw rows/s", r)
		}
		eps, ratios = append(eps, r.EventsPerSec), append(ratios, r.Ratio)
	}
	slices.Sort(eps)
	slices.Sort(ratios)
	if math.Abs(res.EventsPerSec-eps[1]) > 1e-6*eps[1] || res.Ratio != ratios[1] {
		t.Errorf("reported %.0f events/s, ratio %.3f; the runs' medians are %.0f and %.3f", res.EventsPerSec, res.Ratio, eps[1], ratios[1])
	}
	if code, _, stderr := cli("bench", "ingest", "--repeat", "0"); code != 2 || !strings.Contains(stderr, "--repeat") {
		t.Errorf("--repeat 0: exit %d, %q", code, stderr)
	}
}
