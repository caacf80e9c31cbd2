package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// TestImportSummaryAndRejects imports a file that mixes good events with
// every kind of line import must refuse, in batches of two, and checks the
// summary, the reject file (every refused line once, with its number and
// reason, in line order) and the progress lines.
func TestImportSummaryAndRejects(t *testing.T) {
	dir := t.TempDir()
	store := []string{"--dir", dir, "--demo-key"}
	for _, args := range [][]string{
		{"subject", "add", "--id", "s1"},
		{"subject", "add", "--id", "s2"},
		{"consent", "grant", "--subject", "s1", "--counterparty", "f1", "--purpose", "furnishing"},
		{"consent", "grant", "--subject", "s2", "--counterparty", "f1", "--purpose", "furnishing"},
	} {
		if code, _, stderr := cli(append(args, store...)...); code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	ev := func(id, subject string) string {
		return fmt.Sprintf(`{"specversion":"1.0","id":%q,"source":"f1","type":%q,"subject":%q,"time":%q,"data":{"kind":"hard","purpose":"credit_application"}}`,
			id, opencredit.TypeInquiry, subject, at)
	}
	lines := []string{
		ev("e1", "s1"),     // 1
		`{"specversion":`,  // 2: not JSON
		ev("e2", "s2"),     // 3
		ev("e3", "nobody"), // 4: unknown subject
		ev("e1", "s1"),     // 5: duplicate of line 1
		strings.Replace(ev("e4", "s1"), `"source":"f1"`, `"source":"f9"`, 1),                                                             // 6: no consent
		`{"specversion":"1.0","id":"e5","source":"f1","type":"org.opencredit.social.post","subject":"s1","time":"` + at + `","data":{}}`, // 7: unknown type
		ev("e6", "s2"), // 8
		`{"id":"` + strings.Repeat("x", opencredit.MaxEventBytes) + `"}`, // 9: too large
		ev("e7", "s1"), // 10
		ev("e8", "s2"), // 11
	}
	file := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(append([]string{"import", file, "--batch", "2", "--progress-json", "-q"}, store...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "11 lines: 5 accepted, 1 duplicates, 5 rejected") {
		t.Errorf("summary: %q", stderr)
	}
	for _, r := range []string{opencredit.ReasonInvalid, opencredit.ReasonUnknownSubject, opencredit.ReasonNoConsent, opencredit.ReasonUnknownType, opencredit.ReasonTooLarge} {
		if !strings.Contains(stderr, "rejected "+r) {
			t.Errorf("summary names no %s: %q", r, stderr)
		}
	}

	var got []rejectLine
	f := mustOpen(t, file+".rejects.ndjson")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rl rejectLine
		if err := json.Unmarshal(sc.Bytes(), &rl); err != nil {
			t.Fatalf("reject file line %q: %v", sc.Text(), err)
		}
		got = append(got, rl)
	}
	want := []struct {
		line   int
		reason string
	}{{2, opencredit.ReasonInvalid}, {4, opencredit.ReasonUnknownSubject}, {6, opencredit.ReasonNoConsent}, {7, opencredit.ReasonUnknownType}, {9, opencredit.ReasonTooLarge}}
	if len(got) != len(want) {
		t.Fatalf("reject file holds %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Line != w.line || got[i].Reason != w.reason || got[i].Detail == "" {
			t.Errorf("reject %d: line %d %s (%q), want line %d %s with a detail", i, got[i].Line, got[i].Reason, got[i].Detail, w.line, w.reason)
		}
	}
	if got[1].Event == nil || !strings.Contains(string(got[1].Event), `"nobody"`) {
		t.Errorf("the unknown subject's reject line does not carry the event: %s", got[1].Event)
	}

	var committed []int
	var last importSummary
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if err := json.Unmarshal([]byte(l), &last); err != nil {
			t.Fatalf("progress line %q: %v", l, err)
		}
		committed = append(committed, last.Committed)
	}
	if !slices.IsSorted(committed) || committed[len(committed)-1] != len(lines) || len(committed) < 3 {
		t.Errorf("committed_lines %v: want at least three, ascending, ending at %d", committed, len(lines))
	}
	if last.Accepted != 5 || last.Duplicates != 1 || last.Lines != len(lines) {
		t.Errorf("last progress line %+v", last)
	}
}

// TestImportEmptyFile: an empty file imports nothing, says so, and still
// prints its progress line.
func TestImportEmptyFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "empty.ndjson")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli("import", file, "--progress-json", "-q", "--dir", dir, "--demo-key")
	if code != 0 || !strings.Contains(stderr, "0 lines: 0 accepted") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var s importSummary
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &s); err != nil || s.Lines != 0 || s.Committed != 0 {
		t.Fatalf("progress output %q (%v), want one line of zeros", stdout, err)
	}
	if _, err := os.Stat(file + ".rejects.ndjson"); !os.IsNotExist(err) {
		t.Errorf("an empty import wrote a reject file (%v)", err)
	}
}

// TestBenchIngest runs bench ingest small, three times: every event must be
// accepted, and the reported figures must be the medians of the runs listed.
func TestBenchIngest(t *testing.T) {
	code, stdout, stderr := cli("bench", "ingest", "--events", "3000", "--subjects", "200", "--batch", "700", "--repeat", "3", "--json",
		"--dir", filepath.Join(t.TempDir(), "unused"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res ingestResult
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
