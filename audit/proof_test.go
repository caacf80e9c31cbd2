package audit_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/witness"
)

// witnessedLog returns a log of n records whose checkpoint the audittest
// witness cosigned, stored as serve stores it.
func witnessedLog(t *testing.T, n int) (*audit.Log, *audit.CosignatureVerifier) {
	t.Helper()
	ctx := context.Background()
	l := audittest.Fill(t, audit.NewMemoryStorage(), n)
	cp, err := l.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, wv := audittest.WitnessKeys(t)
	_, v := audittest.Keys(t)
	st, err := witness.OpenState(t.TempDir() + "/w.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := witness.New(c, []note.Verifier{v}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := w.AddCheckpoint(ctx, witness.Request{Checkpoint: cp})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.SaveCosigned(ctx, c.Name(), int64(n), append(cp, lines...)); err != nil {
		t.Fatal(err)
	}
	return l, wv
}

func TestWitnessedProof(t *testing.T) {
	ctx := context.Background()
	l, wv := witnessedLog(t, 37)
	_, v := audittest.Keys(t)
	for _, n := range []int64{0, 17, 36} {
		p, err := l.WitnessedProof(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		if p.TreeSize != 37 || !strings.Contains(p.Checkpoint, "— witness.test/w1 ") {
			t.Fatalf("proof of %d: size %d, checkpoint\n%s\nwant the witnessed checkpoint of 37", n, p.TreeSize, p.Checkpoint)
		}
		// Through JSON, as a person receives it.
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		q, err := audit.ParseProof(b)
		if err != nil {
			t.Fatal(err)
		}
		r, err := audit.CheckProof(q, v, wv)
		if err != nil {
			t.Fatalf("CheckProof of record %d: %v", n, err)
		}
		if want := audittest.Records(int(n), 1)[0]; r.Subject != want.Subject || r.RequestID != want.RequestID {
			t.Fatalf("CheckProof returned %+v; want record %d", r, n)
		}
	}
	if _, err := l.WitnessedProof(ctx, 37); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Fatalf("proof of a record past every checkpoint: %v; want %s", err, opencredit.ENOTFOUND)
	}
}

// TestCheckProofTampered: a proof whose record, leaf, path, size or
// checkpoint was changed fails, naming what.
func TestCheckProofTampered(t *testing.T) {
	ctx := context.Background()
	l, wv := witnessedLog(t, 20)
	_, v := audittest.Keys(t)
	good, err := l.WitnessedProof(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	_, otherW := audittest.WitnessKeys(t) // a fresh key of the same name
	for _, c := range []struct {
		name   string
		change func(p *audit.Proof)
		ws     []note.Verifier
		says   string
	}{
		{"record changed", func(p *audit.Proof) {
			p.Record = []byte(strings.Replace(string(p.Record), `"score":355`, `"score":955`, 1))
		}, nil, "the record was changed"},
		{"record and leaf changed", func(p *audit.Proof) {
			p.Record = []byte(strings.Replace(string(p.Record), `"score":355`, `"score":955`, 1))
			p.LeafHash = tlog.RecordHash(p.Record)
		}, nil, "not in the signed tree"},
		{"path changed", func(p *audit.Proof) { p.Hashes[0][0] ^= 1 }, nil, "not in the signed tree"},
		{"index changed", func(p *audit.Proof) { p.Index = 6 }, nil, "not in the signed tree"},
		{"size changed", func(p *audit.Proof) { p.TreeSize = 19 }, nil, "tree_size 19"},
		{"checkpoint root changed", func(p *audit.Proof) {
			lines := strings.SplitN(p.Checkpoint, "\n", 4)
			lines[2] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
			p.Checkpoint = strings.Join(lines, "\n")
		}, nil, "signatures do not verify"},
		{"another witness", func(p *audit.Proof) {}, []note.Verifier{otherW}, "no valid signature of the witness key"},
		{"cosignature removed", func(p *audit.Proof) {
			p.Checkpoint = p.Checkpoint[:strings.Index(p.Checkpoint, "— witness.test/w1")]
		}, []note.Verifier{wv}, "no valid signature of the witness key"},
	} {
		p := good
		p.Record = append([]byte(nil), good.Record...)
		p.Hashes = append([]tlog.Hash(nil), good.Hashes...)
		c.change(&p)
		ws := c.ws
		if ws == nil {
			ws = []note.Verifier{wv}
		}
		_, err := audit.CheckProof(p, v, ws...)
		if opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: CheckProof = %v; want an invalid error saying %q", c.name, err, c.says)
		}
	}
	if _, err := audit.CheckProof(good, v, wv); err != nil {
		t.Fatalf("the untouched proof: %v", err)
	}
}

func TestConsistencyProof(t *testing.T) {
	ctx := context.Background()
	l := audittest.Fill(t, audit.NewMemoryStorage(), 50)
	root := func(n int64) tlog.Hash {
		// The tree of the first n records, computed apart from the log.
		st := audit.NewMemoryStorage()
		s, v := audittest.Keys(t)
		x, err := audit.Open(ctx, st, s, v)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.Append(ctx, audittest.Records(0, int(n))...); err != nil {
			t.Fatal(err)
		}
		cp, _ := x.Checkpoint(ctx)
		tr, _ := audit.OpenCheckpoint(v, cp)
		return tr.Hash
	}
	for _, old := range []int64{1, 7, 32, 49} {
		p, err := l.ConsistencyProof(ctx, old, 50)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckTree(p, 50, root(50), old, root(old)); err != nil {
			t.Errorf("proof from %d to 50: %v", old, err)
		}
	}
	if p, err := l.ConsistencyProof(ctx, 0, 50); err != nil || len(p) != 0 {
		t.Fatalf("proof from 0 = %v, %v; want empty", p, err)
	}
	if _, err := l.ConsistencyProof(ctx, 10, 51); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Fatalf("proof to a size past the log: %v", err)
	}
}

// FuzzParseProof feeds the proof decoder of `audit check-proof` any bytes:
// it returns a proof within its bounds or an EINVALID error, never panics;
// and CheckProof of what it returns never panics either.
func FuzzParseProof(f *testing.F) {
	_, v := audittest.Keys(f)
	f.Add([]byte(`{"index":0,"record":"e30=","leaf_hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","tree_size":1,"proof":[],"checkpoint":"x\n"}`))
	f.Add([]byte(`{"index":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := audit.ParseProof(b)
		if err != nil {
			if opencredit.ErrorCode(err) != opencredit.EINVALID {
				t.Fatalf("error without the invalid code: %v", err)
			}
			return
		}
		if p.Index < 0 || p.Index >= p.TreeSize || len(p.Hashes) > 63 {
			t.Fatalf("accepted %+v", p)
		}
		if _, err := audit.CheckProof(p, v); err != nil && opencredit.ErrorCode(err) != opencredit.EINVALID {
			t.Fatalf("CheckProof: error without the invalid code: %v", err)
		}
	})
}
