package main

import (
	"encoding/json"
	"testing"
)

// TestBenchServe runs bench serve with tiny numbers and checks it reports
// every figure, each positive: a run that scored nothing would show zeros.
func TestBenchServe(t *testing.T) {
	if testing.Short() {
		t.Skip("bench serve runs for two seconds")
	}
	code, out, errOut := cli("bench", "serve", "--subjects", "200", "--duration", "1s", "--concurrency", "4", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not one JSON object: %v: %s", err, out)
	}
	for _, k := range []string{"scores_per_sec", "p50_ms", "p99_ms", "baseline_per_sec", "ratio", "subjects", "duration_s", "concurrency"} {
		if v, ok := got[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v, want a positive number", k, got[k])
		}
	}
	if got["subjects"] != float64(200) || got["concurrency"] != float64(4) || got["duration_s"] != float64(1) {
		t.Errorf("subjects, concurrency, duration_s = %v, %v, %v; want 200, 4, 1", got["subjects"], got["concurrency"], got["duration_s"])
	}
	if v, ok := got["errors"].(float64); !ok || v != 0 {
		t.Errorf("errors = %v, want 0", got["errors"])
	}
}
