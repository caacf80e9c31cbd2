package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/opencredit/opencredit/bench"
)

// TestBenchSize stores a small generated population on each store and
// checks that the figures printed are the ratios of the sizes printed,
// every event accepted, and that PostgreSQL's split by table adds up.
func TestBenchSize(t *testing.T) {
	stores := [][]string{{"--store", "sqlite"}}
	if dsn := os.Getenv("OPENCREDIT_TEST_POSTGRES"); dsn != "" {
		stores = append(stores, []string{"--store", "postgres", "--postgres", dsn})
	}
	for _, flags := range stores {
		t.Run(flags[1], func(t *testing.T) {
			args := append([]string{"bench", "size", "--subjects", "100", "--months", "3", "--batch", "500", "--json"}, flags...)
			code, out, errOut := cli(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var r bench.SizeResult
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%q: %v", out, err)
			}
			if r.Subjects != 100 || r.Months != 3 || r.Events == 0 || r.Accepted != r.Events || r.Consents < r.Subjects {
				t.Fatalf("%+v: want 100 subjects, 3 months, every generated event accepted, a consent or more each", r)
			}
			if !(0 < r.EmptyBytes && r.EmptyBytes < r.RegisteredBytes && r.RegisteredBytes < r.LoadedBytes) {
				t.Fatalf("sizes %d, %d, %d: want each larger than the one before", r.EmptyBytes, r.RegisteredBytes, r.LoadedBytes)
			}
			if r.BytesPerSubject != float64(r.RegisteredBytes-r.EmptyBytes)/100 ||
				r.BytesPerEvent != float64(r.LoadedBytes-r.RegisteredBytes)/float64(r.Accepted) {
				t.Errorf("%+v: per subject and per event must be the deltas over the counts", r)
			}
			if flags[1] == "postgres" {
				sum := int64(0)
				for _, n := range r.Tables {
					sum += n
				}
				if sum != r.LoadedBytes || r.EventsTableBytesPerEvent != float64(r.Tables["events"])/float64(r.Accepted) {
					t.Errorf("tables %v sum to %d, want %d; events table per event %.1f", r.Tables, sum, r.LoadedBytes, r.EventsTableBytesPerEvent)
				}
			}
		})
	}
}
