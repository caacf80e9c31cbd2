package audittest

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/witness"
)

// Tamper changes a storage's tables behind the log's back, with the
// storage's own SQL, as whoever holds the database can.
type Tamper interface {
	DeleteRecordsFrom(t *testing.T, n int64)        // records n and after
	DeleteHashesFrom(t *testing.T, i int64)         // stored hashes i and after
	DeleteCheckpointsFrom(t *testing.T, size int64) // signed checkpoints of size records or more
	DeleteCosigned(t *testing.T)                    // every cosigned checkpoint
	SetRecord(t *testing.T, n int64, data []byte)
	SetHash(t *testing.T, i int64, h tlog.Hash)
}

// attackSize is the log the attacks start from, all of it witnessed.
const attackSize = 100

// WitnessKeys returns a fixed witness key pair for tests, named
// "witness.test/w1", its clock fixed at Start.
func WitnessKeys(tb testing.TB) (*audit.Cosigner, *audit.CosignatureVerifier) {
	tb.Helper()
	skey, vkey, err := audit.GenerateWitnessKey("witness.test/w1")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := audit.NewCosigner(skey, func() time.Time { return Start })
	if err != nil {
		tb.Fatal(err)
	}
	v, err := audit.NewCosignatureVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return c, v
}

// witnessed fills st with attackSize records, has a witness (in memory, on
// a state file in a temporary directory) cosign its checkpoint, stores the
// cosigned checkpoint as serve does, and returns that note: what the
// witness will answer later whatever happens to st.
func witnessed(t *testing.T, st audit.Storage) []byte {
	t.Helper()
	ctx := context.Background()
	l := Fill(t, st, attackSize)
	cp, err := l.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := WitnessKeys(t)
	_, v := Keys(t)
	state, err := witness.OpenState(t.TempDir() + "/witness.json")
	if err != nil {
		t.Fatal(err)
	}
	w, err := witness.New(c, []note.Verifier{v}, state, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddCheckpoint(ctx, witness.Request{Checkpoint: cp}); err != nil {
		t.Fatal(err)
	}
	cosigned, _ := w.Latest(KeyName)
	if err := l.SaveCosigned(ctx, c.Name(), attackSize, cosigned); err != nil {
		t.Fatal(err)
	}
	return cosigned
}

// RunAttacks runs the attacks of issue 17 on a storage: each passes Verify
// without the witness, and each is caught by Verify given the witness's
// cosigned checkpoint and by Open followed by the check serve makes of a
// reachable witness's (CheckCheckpoint); a stored cosigned checkpoint left
// in place, and hashes left past the end, make Open refuse by themselves.
func RunAttacks(t *testing.T, newStorage func(t *testing.T) (audit.Storage, Tamper)) {
	ctx := context.Background()
	_, v := Keys(t)
	s, _ := Keys(t)

	// caught checks the attacked storage against the witness's note.
	caught := func(t *testing.T, st audit.Storage, cosigned []byte, kind string, index int64, says string) {
		t.Helper()
		rep, err := audit.Verify(ctx, st, v)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() {
			t.Fatalf("Verify without the witness found %v; the attack was meant to pass it (else the test tests nothing new)", rep.Problems)
		}
		rep, err = audit.Verify(ctx, st, v, cosigned)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range rep.Problems {
			found = found || (p.Kind == kind && p.Index == index)
		}
		if !found {
			t.Fatalf("Verify with the witness's checkpoint found %v; want a %s problem at %d", rep.Problems, kind, index)
		}
		l, err := audit.Open(ctx, st, s, v)
		if err != nil {
			t.Fatalf("Open: %v (the stored evidence was removed; the witness must catch it)", err)
		}
		err = l.CheckCheckpoint(ctx, cosigned, "the checkpoint witness w1 cosigned")
		if opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), says) || !strings.Contains(err.Error(), "witness w1") {
			t.Fatalf("CheckCheckpoint of the witness's checkpoint: %v; want a conflict naming the witness and saying %q", err, says)
		}
	}

	t.Run("Truncate", func(t *testing.T) {
		st, tamper := newStorage(t)
		cosigned := witnessed(t, st)
		tamper.DeleteRecordsFrom(t, 60)
		tamper.DeleteHashesFrom(t, tlog.StoredHashCount(60))
		tamper.DeleteCheckpointsFrom(t, 61)
		tamper.DeleteCosigned(t)
		caught(t, st, cosigned, audit.KindTruncated, 60, "records 60..99 were removed")
	})
	t.Run("Empty", func(t *testing.T) {
		st, tamper := newStorage(t)
		cosigned := witnessed(t, st)
		tamper.DeleteRecordsFrom(t, 0)
		tamper.DeleteHashesFrom(t, 0)
		tamper.DeleteCheckpointsFrom(t, 0)
		tamper.DeleteCosigned(t)
		caught(t, st, cosigned, audit.KindTruncated, 0, "records 0..99 were removed")
	})
	t.Run("RewriteRecomputed", func(t *testing.T) {
		st, tamper := newStorage(t)
		cosigned := witnessed(t, st)
		// Record 30 says another score; every hash it feeds is recomputed
		// as the log would have, from a copy of the log built with it.
		recs := Records(0, attackSize)
		recs[30].Result.Score = 950
		forged := audit.NewMemoryStorage()
		fl, err := audit.Open(ctx, forged, s, v)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fl.Append(ctx, recs...); err != nil {
			t.Fatal(err)
		}
		data, err := fl.Record(ctx, 30)
		if err != nil {
			t.Fatal(err)
		}
		tamper.SetRecord(t, 30, data)
		err = forged.Hashes(ctx, tlog.StoredHashIndex(0, 30), tlog.StoredHashCount(attackSize), func(i int64, h []byte) error {
			tamper.SetHash(t, i, tlog.Hash(h))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		tamper.DeleteCheckpointsFrom(t, 31)
		tamper.DeleteCosigned(t)
		caught(t, st, cosigned, audit.KindCheckpoint, attackSize, "were rewritten")
	})
	t.Run("StoredCosignatureKept", func(t *testing.T) {
		// The attacker removed the log's checkpoints but not the witness's:
		// Open refuses on its own.
		st, tamper := newStorage(t)
		witnessed(t, st)
		tamper.DeleteRecordsFrom(t, 50)
		tamper.DeleteHashesFrom(t, tlog.StoredHashCount(50))
		tamper.DeleteCheckpointsFrom(t, 0)
		_, err := audit.Open(ctx, st, s, v)
		if opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), "witness.test/w1") {
			t.Fatalf("Open with a stored cosigned checkpoint past the end: %v; want a conflict naming the witness", err)
		}
		rep, err := audit.Verify(ctx, st, v)
		if err != nil || rep.OK() {
			t.Fatalf("Verify with the stored cosigned checkpoint: %v, %v; want the truncation found", rep.Problems, err)
		}
	})
	t.Run("LeftoverHashes", func(t *testing.T) {
		st, tamper := newStorage(t)
		witnessed(t, st)
		tamper.DeleteRecordsFrom(t, 90)
		tamper.DeleteCheckpointsFrom(t, 0)
		tamper.DeleteCosigned(t)
		_, err := audit.Open(ctx, st, s, v)
		if opencredit.ErrorCode(err) != opencredit.ECONFLICT || !strings.Contains(err.Error(), "stored hashes remain past its end") || !strings.Contains(err.Error(), "restore the audit log from a backup") {
			t.Fatalf("Open with hashes left past the end: %v; want a conflict naming them and the remedy", err)
		}
	})
}
