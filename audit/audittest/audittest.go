// Package audittest is the conformance suite for audit.Storage: every
// implementation runs Run, so that the log behaves the same on each.
package audittest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// KeyName names the test key.
const KeyName = "test.opencredit.example/audit"

// Keys returns a fixed signer and verifier for tests: the Ed25519 key from
// the seed 0x01 0x02 ... 0x20, named KeyName.
func Keys(tb testing.TB) (note.Signer, note.Verifier) {
	tb.Helper()
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i + 1)
	}
	skey, vkey, err := note.GenerateKey(bytes.NewReader(seed), KeyName)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return s, v
}

// Start is the time of the first record Records makes.
var Start = time.Date(2024, 3, 1, 9, 30, 0, 0, time.UTC)

// Records returns n records, first numbered from, that differ from each
// other in every varying field: record i is at Start + i seconds, by
// client "lender-(i mod 7)", about subject "s-i".
func Records(from, n int) []audit.Record {
	out := make([]audit.Record, n)
	for k := range out {
		i := from + k
		out[k] = audit.Record{
			Time:      Start.Add(time.Duration(i) * time.Second),
			Client:    fmt.Sprintf("lender-%d", i%7),
			Role:      "lender",
			Purpose:   "credit_application",
			Subject:   fmt.Sprintf("s-%d", i),
			Action:    audit.ActionScore,
			Result:    audit.Result{Score: 350 + i%600, Band: "good", Reasons: []string{"PH01", "CA02"}, Model: "m1"},
			RequestID: fmt.Sprintf("req-%d", i),
		}
	}
	return out
}

// Fill opens a log on st, appends n records (Records(0, n)) one by one and
// checkpoints.
func Fill(tb testing.TB, st audit.Storage, n int) *audit.Log {
	tb.Helper()
	ctx := context.Background()
	s, v := Keys(tb)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range Records(0, n) {
		if _, err := l.Append(ctx, r); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		tb.Fatal(err)
	}
	return l
}

// Run checks a Storage implementation. newStorage returns a new, empty
// storage each time it is called.
func Run(t *testing.T, newStorage func(t *testing.T) audit.Storage) {
	t.Run("Empty", func(t *testing.T) { testEmpty(t, newStorage(t)) })
	t.Run("Append", func(t *testing.T) { testAppend(t, newStorage(t)) })
	t.Run("AppendConflict", func(t *testing.T) { testAppendConflict(t, newStorage(t)) })
	t.Run("Checkpoints", func(t *testing.T) { testCheckpoints(t, newStorage(t)) })
	t.Run("Log", func(t *testing.T) { testLog(t, newStorage(t)) })
	t.Run("SubjectRecords", func(t *testing.T) { testSubjectRecords(t, newStorage(t)) })
	t.Run("Cosigned", func(t *testing.T) { testCosigned(t, newStorage(t)) })
	t.Run("DiskSize", func(t *testing.T) { testDiskSize(t, newStorage(t)) })
}

// diskSizer is a storage that reports its size on disk (the SQLite and
// PostgreSQL ones; bench load reads it).
type diskSizer interface {
	DiskSize(ctx context.Context) (total int64, tables map[string]int64, err error)
}

// testDiskSize: a storage that reports its size reports a positive one,
// the sum of its tables when it splits it by table, and a larger one after
// 500 records. The memory storage has no size and skips.
func testDiskSize(t *testing.T, st audit.Storage) {
	ds, ok := st.(diskSizer)
	if !ok {
		t.Skipf("%T reports no size on disk", st)
	}
	size := func() int64 {
		t.Helper()
		total, tables, err := ds.DiskSize(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if total <= 0 {
			t.Fatalf("DiskSize = %d, want positive", total)
		}
		if tables != nil {
			sum := int64(0)
			for _, n := range tables {
				sum += n
			}
			if sum != total || tables["audit_records"] <= 0 {
				t.Fatalf("DiskSize: total %d, tables %v: want the sum, with audit_records", total, tables)
			}
		}
		return total
	}
	before := size()
	Fill(t, st, 500)
	if after := size(); after <= before {
		t.Errorf("DiskSize: %d bytes empty, %d after 500 records: want more", before, after)
	}
}

// testCosigned stores cosigned checkpoints of two witnesses and reads back
// the latest of each; a second note for one witness and size keeps the first.
func testCosigned(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	if got, err := st.LatestCosigned(ctx); err != nil || len(got) != 0 {
		t.Fatalf("LatestCosigned of an empty log = %v, %v; want none", got, err)
	}
	for _, c := range []audit.Cosigned{
		{Witness: "w2", Size: 5, Note: []byte("w2 five")}, {Witness: "w1", Size: 9, Note: []byte("w1 nine")}, {Witness: "w1", Size: 3, Note: []byte("w1 three")},
		{Witness: "w2", Size: 7, Note: []byte("w2 seven")}, {Witness: "w1", Size: 9, Note: []byte("w1 nine again")},
	} {
		if err := st.SaveCosigned(ctx, c.Witness, c.Size, c.Note); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.LatestCosigned(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Cosigned{{Witness: "w1", Size: 9, Note: []byte("w1 nine")}, {Witness: "w2", Size: 7, Note: []byte("w2 seven")}}
	if !slices.EqualFunc(got, want, func(a, b audit.Cosigned) bool {
		return a.Witness == b.Witness && a.Size == b.Size && bytes.Equal(a.Note, b.Note)
	}) {
		t.Fatalf("LatestCosigned = %+v; want %+v", got, want)
	}
}

func testEmpty(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	if n, err := st.Count(ctx); err != nil || n != 0 {
		t.Fatalf("Count = %d, %v; want 0", n, err)
	}
	if size, signed, err := st.LatestCheckpoint(ctx); err != nil || signed != nil || size != 0 {
		t.Fatalf("LatestCheckpoint = %d, %q, %v; want none", size, signed, err)
	}
	if _, err := st.ReadHashes(ctx, []int64{0}); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Fatalf("ReadHashes on an empty log: %v; want %s", err, opencredit.ENOTFOUND)
	}
	_, v := Keys(t)
	rep, err := audit.Verify(ctx, st, v)
	if err != nil || !rep.OK() || rep.Size != 0 {
		t.Fatalf("Verify on an empty log = %+v, %v", rep, err)
	}
}

// testAppend appends through Storage directly and reads everything back.
func testAppend(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	var data [][]byte
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			out[k] = hashes[i]
		}
		return out, nil
	})
	// Batches of 1, 2, 3, ... records: 55 in all.
	for size, batch := 0, 1; batch <= 10; size, batch = size+batch, batch+1 {
		var bs [][]byte
		first := len(hashes)
		for k, rec := range Records(size, batch) {
			b, err := rec.Encode()
			if err != nil {
				t.Fatal(err)
			}
			hs, err := tlog.StoredHashes(int64(size+k), b, r)
			if err != nil {
				t.Fatal(err)
			}
			hashes = append(hashes, hs...)
			bs = append(bs, b)
		}
		if err := st.Append(ctx, int64(size), bs, hashes[first:]); err != nil {
			t.Fatalf("Append(%d, %d records): %v", size, batch, err)
		}
		data = append(data, bs...)
	}
	n, err := st.Count(ctx)
	if err != nil || n != int64(len(data)) {
		t.Fatalf("Count = %d, %v; want %d", n, err, len(data))
	}
	if int64(len(hashes)) != tlog.StoredHashCount(n) {
		t.Fatalf("test bug: %d hashes for %d records", len(hashes), n)
	}

	var got [][]byte
	err = st.Records(ctx, 0, n, func(i int64, b []byte) error {
		if i != int64(len(got)) {
			return fmt.Errorf("Records gave index %d after %d rows", i, len(got))
		}
		got = append(got, b)
		return nil
	})
	if err != nil || !slices.EqualFunc(got, data, bytes.Equal) {
		t.Fatalf("Records(0, %d): %d rows, %v; want the %d appended", n, len(got), err, len(data))
	}
	var sub []int64
	if err := st.Records(ctx, 10, 13, func(i int64, _ []byte) error { sub = append(sub, i); return nil }); err != nil || !slices.Equal(sub, []int64{10, 11, 12}) {
		t.Fatalf("Records(10, 13) gave %v, %v", sub, err)
	}

	var ghs []tlog.Hash
	err = st.Hashes(ctx, 0, int64(len(hashes))+100, func(i int64, h []byte) error {
		if i != int64(len(ghs)) || len(h) != tlog.HashSize {
			return fmt.Errorf("index %d (%d bytes) from Hashes after %d rows", i, len(h), len(ghs))
		}
		ghs = append(ghs, tlog.Hash(h))
		return nil
	})
	if err != nil || !slices.Equal(ghs, hashes) {
		t.Fatalf("Hashes: %d rows, %v; want the %d stored", len(ghs), err, len(hashes))
	}
	idx := []int64{7, 0, int64(len(hashes)) - 1, 7}
	rh, err := st.ReadHashes(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range idx {
		if rh[k] != hashes[i] {
			t.Fatalf("ReadHashes(%v)[%d] = %v, want %v", idx, k, rh[k], hashes[i])
		}
	}
	if _, err := st.ReadHashes(ctx, []int64{1, int64(len(hashes))}); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Fatalf("ReadHashes past the end: %v; want %s", err, opencredit.ENOTFOUND)
	}
}

func testAppendConflict(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	s, v := Keys(t)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, Records(0, 3)...); err != nil {
		t.Fatal(err)
	}
	b, _ := Records(3, 1)[0].Encode()
	h := tlog.RecordHash(b)
	for _, n := range []int64{2, 4} {
		if err := st.Append(ctx, n, [][]byte{b}, []tlog.Hash{h}); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
			t.Errorf("Append at %d to a log of 3: %v; want %s", n, err, opencredit.ECONFLICT)
		}
	}
	// Record 3 owns three hashes (it completes subtrees of 2 and 4); one is wrong.
	if err := st.Append(ctx, 3, [][]byte{b}, []tlog.Hash{h}); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("Append with too few hashes: %v; want %s", err, opencredit.EINVALID)
	}
	if n, err := st.Count(ctx); err != nil || n != 3 {
		t.Fatalf("Count after refused appends = %d, %v; want 3", n, err)
	}
	if rep, err := audit.Verify(ctx, st, v); err != nil || !rep.OK() {
		t.Fatalf("Verify after refused appends: %v %v", rep.Problems, err)
	}
}

func testCheckpoints(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	for _, c := range []struct {
		size int64
		note string
	}{{5, "five"}, {2, "two"}, {9, "nine"}, {5, "five again"}} {
		if err := st.SaveCheckpoint(ctx, c.size, []byte(c.note)); err != nil {
			t.Fatal(err)
		}
	}
	size, signed, err := st.LatestCheckpoint(ctx)
	if err != nil || size != 9 || string(signed) != "nine" {
		t.Fatalf("LatestCheckpoint = %d, %q, %v; want 9, nine", size, signed, err)
	}
	var got []string
	err = st.Checkpoints(ctx, func(size int64, signed []byte) error {
		got = append(got, fmt.Sprintf("%d:%s", size, signed))
		return nil
	})
	if want := []string{"2:two", "5:five", "9:nine"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("Checkpoints = %q, %v; want %q", got, err, want)
	}
}

// testLog runs the log over the storage: appends in batches, checkpoints,
// proofs of every record, a reopen, and Verify.
func testLog(t *testing.T, st audit.Storage) {
	ctx := context.Background()
	s, v := Keys(t)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	recs := Records(0, 300)
	for k := 0; k < 150; k++ {
		if n, err := l.Append(ctx, recs[k]); err != nil || n != int64(k) {
			t.Fatalf("Append record %d = %d, %v", k, n, err)
		}
	}
	cp1, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A second log on the same storage takes over where the first stopped.
	l, err = audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	if n, err := l.Append(ctx, recs[150:]...); err != nil || n != 150 {
		t.Fatalf("Append of 150 records = %d, %v", n, err)
	}
	cp2, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, cp := range [][]byte{cp1, cp2} {
		tree, err := audit.OpenCheckpoint(v, cp)
		if err != nil {
			t.Fatal(err)
		}
		for n := int64(0); n < tree.N; n++ {
			data, err := l.Record(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			p, err := l.Proof(ctx, n, tree.N)
			if err != nil {
				t.Fatal(err)
			}
			if err := audit.VerifyRecord(v, cp, n, data, p); err != nil {
				t.Fatalf("record %d in the tree of %d: %v", n, tree.N, err)
			}
		}
	}
	rep, err := audit.Verify(ctx, st, v)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Size != 300 || rep.Records != 300 || rep.CheckpointSize != 300 || rep.Checkpoints != 2 {
		t.Fatalf("Verify = %+v", rep)
	}
}
