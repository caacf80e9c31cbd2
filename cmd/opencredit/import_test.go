package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/importer"
)

// TestImportCommand imports a file with good events and refused lines, in
// batches of two, through the command: it prints the summary with every
// reason, writes the reject file beside the input, and prints one progress
// line per committed batch. What is accepted, refused and reported is
// importer's TestImportSummaryAndRejects; this checks the wiring.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	store := []string{"--dir", dir, "--demo-key"}
	for _, args := range [][]string{
		{"subject", "add", "--id", "s1"},
		{"consent", "grant", "--subject", "s1", "--counterparty", "f1", "--purpose", "furnishing"},
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
		ev("e2", "s1"),     // 3
		ev("e3", "nobody"), // 4: unknown subject
		ev("e1", "s1"),     // 5: duplicate of line 1
		ev("e4", "s1"),     // 6
	}
	file := filepath.Join(dir, "events.ndjson")
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(append([]string{"import", file, "--batch", "2", "--progress-json", "-q"}, store...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		file + ": 6 lines: 3 accepted, 1 duplicates, 2 rejected",
		"rejected " + opencredit.ReasonInvalid, "rejected " + opencredit.ReasonUnknownSubject,
		"rejected lines: " + file + ".rejects.ndjson",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q: %q", want, stderr)
		}
	}

	var got []importer.RejectLine
	f := mustOpen(t, file+".rejects.ndjson")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rl importer.RejectLine
		if err := json.Unmarshal(sc.Bytes(), &rl); err != nil {
			t.Fatalf("reject file line %q: %v", sc.Text(), err)
		}
		got = append(got, rl)
	}
	if len(got) != 2 || got[0].Line != 2 || got[1].Line != 4 || got[1].Reason != opencredit.ReasonUnknownSubject {
		t.Errorf("reject file %+v: want lines 2 and 4, in order, the second unknown_subject", got)
	}

	var committed []int
	var last importer.Summary
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if err := json.Unmarshal([]byte(l), &last); err != nil {
			t.Fatalf("progress line %q: %v", l, err)
		}
		committed = append(committed, last.Committed)
	}
	if !slices.IsSorted(committed) || committed[len(committed)-1] != len(lines) || len(committed) < 2 {
		t.Errorf("committed_lines %v: want at least two, ascending, ending at %d", committed, len(lines))
	}
	if last.Accepted != 3 || last.Duplicates != 1 || last.Lines != len(lines) {
		t.Errorf("last progress line %+v", last)
	}
}

// TestImportEmptyFile: an empty file imports nothing, says so, still prints
// its progress line, and leaves no reject file.
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
	var s importer.Summary
	if err := json.Unmarshal([]byte(strings.TrimSpace(stdout)), &s); err != nil || s.Lines != 0 || s.Committed != 0 {
		t.Fatalf("progress output %q (%v), want one line of zeros", stdout, err)
	}
	if _, err := os.Stat(file + ".rejects.ndjson"); !os.IsNotExist(err) {
		t.Errorf("an empty import wrote a reject file (%v)", err)
	}
}
