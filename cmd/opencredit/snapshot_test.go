package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// TestSnapshotPointInTime: a snapshot as of DATE from a store holding every
// event equals, feature for feature, a snapshot from a store that never saw an
// event after DATE — no later event influences a feature — while the label
// does see what happened after DATE.
func TestSnapshotPointInTime(t *testing.T) {
	dir := t.TempDir()
	all := filepath.Join(dir, "all.ndjson")
	past := filepath.Join(dir, "past.ndjson")
	full, early := filepath.Join(dir, "full"), filepath.Join(dir, "early")
	asOf := "2025-03-31"
	cut := time.Date(2025, 3, 31, 23, 59, 59, 999999999, time.UTC)
	for _, d := range []string{full, early} {
		if code, _, stderr := cli("generate", "--subjects", "150", "--months", "30", "--seed", "3", "--out", all, "--register", "--demo-key", "--dir", d); code != 0 {
			t.Fatal(stderr)
		}
	}
	// past.ndjson: only the events up to the as-of date.
	in, err := os.Open(all)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(past)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	kept, dropped := 0, 0
	for sc.Scan() {
		var e opencredit.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if e.Time.After(cut) {
			dropped++
			continue
		}
		kept++
		out.Write(append(sc.Bytes(), '\n'))
	}
	in.Close()
	out.Close()
	if kept == 0 || dropped == 0 {
		t.Fatalf("kept %d, dropped %d: the as-of date must split the stream", kept, dropped)
	}
	for d, file := range map[string]string{full: all, early: past} {
		if code, _, stderr := cli("import", file, "--demo-key", "-q", "--dir", d); code != 0 {
			t.Fatal(stderr)
		}
	}
	read := func(d string) [][]string {
		f := filepath.Join(d, "train.csv")
		if code, _, stderr := cli("snapshot", "--as-of", asOf, "--window", "12m", "--out", f, "--demo-key", "--dir", d); code != 0 {
			t.Fatal(stderr)
		}
		recs, err := csv.NewReader(mustOpen(t, f)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	a, b := read(full), read(early)
	if len(a) != len(b) || len(a) < 100 {
		t.Fatalf("%d and %d rows", len(a), len(b))
	}
	labelsA, labelsB := 0, 0
	for i := range a {
		last := len(a[i]) - 1
		if strings.Join(a[i][:last], ",") != strings.Join(b[i][:last], ",") {
			t.Fatalf("row %d: features differ once later events are stored:\n%v\n%v", i, a[i], b[i])
		}
		if i > 0 {
			labelsA += int(a[i][last][0] - '0')
			labelsB += int(b[i][last][0] - '0')
		}
	}
	if labelsB != 0 || labelsA == 0 {
		t.Errorf("labels: %d bad with the future stored, %d without (want some, and none)", labelsA, labelsB)
	}
}
