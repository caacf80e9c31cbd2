package importer_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/eventfile"
	"github.com/opencredit/opencredit/importer"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/sqlite"
)

// newStore opens an empty SQLite store holding subjects s1 and s2, each
// with furnishing consent for source f1.
func newStore(t *testing.T) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	at := time.Now().Add(-48 * time.Hour)
	for _, s := range []string{"s1", "s2"} {
		if err := st.CreateSubject(ctx, s, opencredit.PII{}, at); err != nil {
			t.Fatal(err)
		}
		if err := st.GrantConsent(ctx, opencredit.Consent{Subject: s, Counterparty: "f1", Purpose: opencredit.PurposeFurnishing, GrantedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// TestImportSummaryAndRejects imports a file that mixes good events with
// every kind of line an import must refuse, in batches of two, and checks
// the summary, the rejects (every refused line once, with its number and
// reason, in line order) and the progress reports.
func TestImportSummaryAndRejects(t *testing.T) {
	st := newStore(t)
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
	r, err := eventfile.NewReader(strings.NewReader(strings.Join(lines, "\n")+"\n"), eventfile.NDJSON)
	if err != nil {
		t.Fatal(err)
	}
	var rejects countingWriter
	var progress []importer.Summary
	sum, err := importer.Import(context.Background(), r, st, importer.Options{
		Batch: 2, Rejects: &rejects,
		Progress: func(s importer.Summary) { s.Rejected = maps(s.Rejected); progress = append(progress, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Lines != 11 || sum.Accepted != 5 || sum.Duplicates != 1 || sum.RejectedTotal() != 5 || sum.Committed != 11 {
		t.Errorf("summary %+v: want 11 lines, 5 accepted, 1 duplicate, 5 rejected, committed up to line 11", sum)
	}
	for _, r := range []string{opencredit.ReasonInvalid, opencredit.ReasonUnknownSubject, opencredit.ReasonNoConsent, opencredit.ReasonUnknownType, opencredit.ReasonTooLarge} {
		if sum.Rejected[r] != 1 {
			t.Errorf("summary counts %d lines rejected as %s, want 1", sum.Rejected[r], r)
		}
	}

	var got []importer.RejectLine
	sc := bufio.NewScanner(&rejects.buf)
	for sc.Scan() {
		var rl importer.RejectLine
		if err := json.Unmarshal(sc.Bytes(), &rl); err != nil {
			t.Fatalf("reject line %q: %v", sc.Text(), err)
		}
		got = append(got, rl)
	}
	want := []struct {
		line   int
		reason string
	}{{2, opencredit.ReasonInvalid}, {4, opencredit.ReasonUnknownSubject}, {6, opencredit.ReasonNoConsent}, {7, opencredit.ReasonUnknownType}, {9, opencredit.ReasonTooLarge}}
	if len(got) != len(want) {
		t.Fatalf("%d reject lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Line != w.line || got[i].Reason != w.reason || got[i].Detail == "" {
			t.Errorf("reject %d: line %d %s (%q), want line %d %s with a detail", i, got[i].Line, got[i].Reason, got[i].Detail, w.line, w.reason)
		}
	}
	if got[1].Event == nil || !strings.Contains(string(got[1].Event), `"nobody"`) {
		t.Errorf("the unknown subject's reject line does not carry the event: %s", got[1].Event)
	}
	if got[4].Event != nil {
		t.Errorf("the too-large line's reject carries an event: %.40s…", got[4].Event)
	}

	var committed []int
	for _, p := range progress {
		committed = append(committed, p.Committed)
	}
	if !slices.IsSorted(committed) || len(committed) < 3 || committed[len(committed)-1] != len(lines) {
		t.Errorf("committed lines %v: want at least three reports, ascending, ending at %d", committed, len(lines))
	}
	if last := progress[len(progress)-1]; last.Accepted != 5 || last.Duplicates != 1 || last.Lines != len(lines) {
		t.Errorf("last progress report %+v", last)
	}
	if rejects.writes > len(progress) {
		t.Errorf("%d writes of rejects in %d batches: want at most one per batch", rejects.writes, len(progress))
	}
}

// TestImportEmptyFile: an empty file imports nothing, still reports its
// progress once, and writes no rejects.
func TestImportEmptyFile(t *testing.T) {
	r, err := eventfile.NewReader(strings.NewReader(""), eventfile.NDJSON)
	if err != nil {
		t.Fatal(err)
	}
	var rejects countingWriter
	var progress []importer.Summary
	sum, err := importer.Import(context.Background(), r, newStore(t), importer.Options{
		Rejects: &rejects, Progress: func(s importer.Summary) { progress = append(progress, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Lines != 0 || sum.Accepted != 0 || sum.Committed != 0 || sum.RejectedTotal() != 0 {
		t.Errorf("summary %+v, want zeros", sum)
	}
	if len(progress) != 1 || progress[0].Lines != 0 || progress[0].Committed != 0 {
		t.Errorf("progress reports %+v, want one of zeros", progress)
	}
	if rejects.writes != 0 {
		t.Errorf("an empty import wrote rejects %d times", rejects.writes)
	}
}

// TestImportStoreError: a batch the store refuses stops the import with an
// error naming the batch's last line, after the batches before it.
func TestImportStoreError(t *testing.T) {
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, `{"specversion":"1.0","id":"e%d","source":"f1","type":%q,"subject":"s1","time":%q,"data":{"kind":"hard","purpose":"credit_application"}}`+"\n",
			i, opencredit.TypeInquiry, at)
	}
	r, err := eventfile.NewReader(strings.NewReader(b.String()), eventfile.NDJSON)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	st := &failingStore{after: 1, err: boom}
	sum, err := importer.Import(context.Background(), r, st, importer.Options{Batch: 2})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("err = %v, want the store's error for the batch ending at line 4", err)
	}
	if sum.Accepted != 2 || sum.Committed != 2 {
		t.Errorf("summary %+v: want the first batch, lines 1 and 2, committed", sum)
	}
}

// failingStore accepts its first after batches and fails the next.
type failingStore struct {
	after int
	err   error
}

func (f *failingStore) Ingest(_ context.Context, events []opencredit.Event) ([]opencredit.IngestResult, error) {
	if f.after == 0 {
		return nil, f.err
	}
	f.after--
	res := make([]opencredit.IngestResult, len(events))
	for i := range res {
		res[i].Status = opencredit.Accepted
	}
	return res, nil
}

// countingWriter keeps what is written and counts the writes.
type countingWriter struct {
	buf    bytes.Buffer
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.buf.Write(p)
}

// maps copies m, since the summary Import reports keeps counting in it.
func maps(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
