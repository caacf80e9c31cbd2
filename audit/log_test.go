package audit_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

func TestCleanLogVerifies(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	l := audittest.Fill(t, st, 1000)
	_, v := audittest.Keys(t)
	rep, err := audit.Verify(ctx, st, v)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records != 1000 || rep.Size != 1000 || rep.CheckpointSize != 1000 || rep.Unsigned() != 0 {
		t.Fatalf("Verify = %+v", rep)
	}

	// The root Verify computes from storage is the one the log signed, and
	// the one an independent computation from the record bytes gives.
	cp, err := l.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := audit.OpenCheckpoint(v, cp)
	if err != nil {
		t.Fatal(err)
	}
	var leaves []tlog.Hash
	for _, r := range audittest.Records(0, 1000) {
		b, _ := r.Encode()
		leaves = append(leaves, tlog.RecordHash(b))
	}
	if want := mth(leaves); tree.Hash != want || rep.Root != want {
		t.Fatalf("signed root %v, Verify's root %v; RFC 6962 MTH of the records %v", tree.Hash, rep.Root, want)
	}
}

// mth is the Merkle tree hash of RFC 6962 §2.1, written from the RFC's
// recursive definition (split at the largest power of two below n), as an
// oracle independent of tlog's stored-hash layout.
func mth(leaves []tlog.Hash) tlog.Hash {
	if len(leaves) == 1 {
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return tlog.NodeHash(mth(leaves[:k]), mth(leaves[k:]))
}

func TestCheckpointText(t *testing.T) {
	ctx := context.Background()
	l := audittest.Fill(t, audit.NewMemoryStorage(), 3)
	signed, err := l.Checkpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := l.Checkpoint(ctx)
	if err != nil || string(again) != string(signed) {
		t.Fatalf("second Checkpoint with no append gave other bytes:\n%s\n%s (%v)", signed, again, err)
	}
	// Origin, size, root, a blank line, then the signature line.
	lines := strings.Split(string(signed), "\n")
	if len(lines) != 6 || lines[0] != audittest.KeyName || lines[1] != "3" || lines[3] != "" ||
		!strings.HasPrefix(lines[4], "— "+audittest.KeyName+" ") || lines[5] != "" {
		t.Fatalf("checkpoint is not origin, size, root and a signature:\n%s", signed)
	}
	if _, err := tlog.ParseHash(lines[2]); err != nil {
		t.Fatalf("root line %q: %v", lines[2], err)
	}
}

func TestProofs(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	l := audittest.Fill(t, st, 37)
	_, v := audittest.Keys(t)
	cp, _ := l.LatestCheckpoint(ctx)
	for n := range int64(37) {
		data, err := l.Record(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		p, err := l.Proof(ctx, n, 37)
		if err != nil {
			t.Fatal(err)
		}
		if err := audit.VerifyRecord(v, cp, n, data, p); err != nil {
			t.Fatalf("record %d: %v", n, err)
		}
		// The proof of n does not prove another record's bytes at n.
		other, _ := l.Record(ctx, (n+1)%37)
		if err := audit.VerifyRecord(v, cp, n, other, p); opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Fatalf("record %d's proof accepted record %d's bytes: %v", n, (n+1)%37, err)
		}
	}
	if _, err := l.Proof(ctx, 37, 37); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("Proof past the tree: %v", err)
	}
	if _, err := l.Proof(ctx, 0, 38); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("Proof in a tree larger than the log: %v", err)
	}
	// Another key's checkpoint is refused.
	_, vkey, err := audit.GenerateKey(audittest.KeyName)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := l.Record(ctx, 0)
	p, _ := l.Proof(ctx, 0, 37)
	if err := audit.VerifyRecord(v2, cp, 0, data, p); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("checkpoint accepted under another key: %v", err)
	}
}

func TestOpenRefusesOtherKey(t *testing.T) {
	s, _ := audittest.Keys(t)
	_, vkey, err := audit.GenerateKey(audittest.KeyName)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := note.NewVerifier(vkey)
	if _, err := audit.Open(context.Background(), audit.NewMemoryStorage(), s, v); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("Open with a verifier of another key: %v", err)
	}
	if _, _, err := audit.GenerateKey("bad name+"); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("GenerateKey with '+' in the name: %v", err)
	}
}

func TestAppendRefusesBadRecordWritingNothing(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	l := audittest.Fill(t, st, 2)
	recs := audittest.Records(2, 3)
	recs[2].Client = ""
	if _, err := l.Append(ctx, recs...); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("Append with a bad record: %v", err)
	}
	if n, _ := st.Count(ctx); n != 2 || l.Size() != 2 {
		t.Fatalf("after a refused append the log holds %d records (Size %d), want 2", n, l.Size())
	}
	if _, err := l.Append(ctx); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Fatalf("Append of nothing: %v", err)
	}
}

// TestAppendAfterOtherWriter: a second writer on the same storage makes the
// first one's append fail with a conflict, and the first recovers on the
// next append.
func TestAppendAfterOtherWriter(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	a := audittest.Fill(t, st, 5)
	s, v := audittest.Keys(t)
	b, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Append(ctx, audittest.Records(5, 1)...); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, audittest.Records(6, 1)...); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
		t.Fatalf("append by a stale writer: %v, want %s", err, opencredit.ECONFLICT)
	}
	if n, err := a.Append(ctx, audittest.Records(6, 1)...); err != nil || n != 6 {
		t.Fatalf("append after the conflict = %d, %v; want 6", n, err)
	}
	if _, err := a.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := audit.Verify(ctx, st, v); err != nil || !rep.OK() || rep.Size != 7 {
		t.Fatalf("Verify = %+v, %v", rep, err)
	}
}

func TestConcurrentAppends(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	s, v := audittest.Keys(t)
	l, err := audit.Open(ctx, st, s, v)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 100
	at := make([][]int64, workers) // at[w][k]: where worker w's record k went
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k, r := range audittest.Records(w*each, each) {
				var n int64
				var err error
				if k%10 == 9 { // some batches of two, to mix the paths
					n, err = l.Append(ctx, r, r)
				} else {
					n, err = l.Append(ctx, r)
				}
				if err != nil {
					t.Error(err)
					return
				}
				at[w] = append(at[w], n)
				if k%25 == 0 {
					if _, err := l.Checkpoint(ctx); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if _, err := l.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	const total = workers * (each + each/10)
	rep, err := audit.Verify(ctx, st, v)
	if err != nil || !rep.OK() || rep.Size != total || rep.CheckpointSize != total {
		t.Fatalf("Verify = %+v, %v; want a clean log of %d", rep, err, total)
	}
	used := make(map[int64]bool)
	for w := range workers {
		for k, n := range at[w] {
			want, _ := audittest.Records(w*each+k, 1)[0].Encode()
			count := 1
			if k%10 == 9 {
				count = 2
			}
			for j := range int64(count) {
				if used[n+j] {
					t.Fatalf("record %d was handed out twice", n+j)
				}
				used[n+j] = true
				got, err := l.Record(ctx, n+j)
				if err != nil || string(got) != string(want) {
					t.Fatalf("record %d is %s, %v; want worker %d's record %d: %s", n+j, got, err, w, k, want)
				}
			}
		}
	}
	if len(used) != total {
		t.Fatalf("%d records handed out, want %d", len(used), total)
	}
}

// TestUnsignedRecords: records after the latest checkpoint verify, and the
// report says how many no checkpoint covers yet.
func TestUnsignedRecords(t *testing.T) {
	ctx := context.Background()
	st := audit.NewMemoryStorage()
	l := audittest.Fill(t, st, 10)
	if _, err := l.Append(ctx, audittest.Records(10, 5)...); err != nil {
		t.Fatal(err)
	}
	_, v := audittest.Keys(t)
	rep, err := audit.Verify(ctx, st, v)
	if err != nil || !rep.OK() || rep.CheckpointSize != 10 || rep.Unsigned() != 5 {
		t.Fatalf("Verify = %+v, %v; want clean with 5 unsigned", rep, err)
	}
}
