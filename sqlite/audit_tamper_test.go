package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// The tamper tests build a log of tamperSize records with a checkpoint at
// the end, change the tables of AuditStorage behind the log's back with
// plain SQL, as someone with write access to the database would, and check
// that Verify names what was done and where.
const tamperSize = 1000

// found is a problem's kind and index, what the tests compare.
type found struct {
	Kind  string
	Index int64
}

func TestVerifyDetectsTampering(t *testing.T) {
	leaf := func(n int64) int64 { return tlog.StoredHashIndex(0, n) }
	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB)
		want   []found // exactly these problems, in this order
	}{
		{
			name: "changed byte",
			tamper: func(t *testing.T, db *sql.DB) {
				data := readRecord(t, db, 500)
				data[bytes.Index(data, []byte(`"score":`))+8] ^= 1 // 850 -> 950: a better score than was given
				exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, data, 500)
			},
			want: []found{{audit.KindChanged, 500}},
		},
		{
			name: "changed first and last record",
			tamper: func(t *testing.T, db *sql.DB) {
				for _, n := range []int64{0, tamperSize - 1} {
					data := readRecord(t, db, n)
					data[len(data)-3] ^= 0x20
					exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, data, n)
				}
			},
			want: []found{{audit.KindChanged, 0}, {audit.KindChanged, tamperSize - 1}},
		},
		{
			name:   "deleted row",
			tamper: func(t *testing.T, db *sql.DB) { exec(t, db, `DELETE FROM audit_records WHERE n = ?`, 500) },
			want:   []found{{audit.KindMissing, 500}},
		},
		{
			name: "deleted row and its hashes",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `DELETE FROM audit_records WHERE n = ?`, 500)
				exec(t, db, `DELETE FROM audit_hashes WHERE i = ?`, leaf(500)) // record 500 owns only its leaf
			},
			want: []found{{audit.KindMissing, 500}},
		},
		{
			name: "deleted last row",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `DELETE FROM audit_records WHERE n = ?`, tamperSize-1)
			},
			// Its hashes remain past the end, and the checkpoint covers it.
			want: []found{{audit.KindTruncated, tamperSize - 1}, {audit.KindTruncated, tamperSize - 1}},
		},
		{
			name: "inserted row at the end",
			tamper: func(t *testing.T, db *sql.DB) {
				data, _ := audittest.Records(5000, 1)[0].Encode()
				exec(t, db, `INSERT INTO audit_records (n, data) VALUES (?, ?)`, tamperSize, data)
			},
			want: []found{{audit.KindInserted, tamperSize}},
		},
		{
			name: "inserted row in the middle",
			tamper: func(t *testing.T, db *sql.DB) {
				// Make room at 500 by moving every later row up one, then fill it.
				exec(t, db, `UPDATE audit_records SET n = -(n + 1) WHERE n >= ?`, 500)
				exec(t, db, `UPDATE audit_records SET n = -n WHERE n < 0`)
				data, _ := audittest.Records(5000, 1)[0].Encode()
				exec(t, db, `INSERT INTO audit_records (n, data) VALUES (?, ?)`, 500, data)
			},
			want: []found{{audit.KindInserted, 500}, {audit.KindInserted, tamperSize}},
		},
		{
			name: "deleted row in the middle, gap closed",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `DELETE FROM audit_records WHERE n = ?`, 500)
				exec(t, db, `UPDATE audit_records SET n = -(n - 1) WHERE n > ?`, 500)
				exec(t, db, `UPDATE audit_records SET n = -n WHERE n < 0`)
			},
			// The last record's hashes are left past the end, and the
			// checkpoint covers it.
			want: []found{{audit.KindMissing, 500}, {audit.KindTruncated, tamperSize - 1}, {audit.KindTruncated, tamperSize - 1}},
		},
		{
			name: "reordered rows",
			tamper: func(t *testing.T, db *sql.DB) {
				a, b := readRecord(t, db, 100), readRecord(t, db, 200)
				exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, b, 100)
				exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, a, 200)
			},
			want: []found{{audit.KindReordered, 100}, {audit.KindReordered, 200}},
		},
		{
			name: "truncated with hashes",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `DELETE FROM audit_records WHERE n >= ?`, 900)
				exec(t, db, `DELETE FROM audit_hashes WHERE i >= ?`, tlog.StoredHashCount(900))
			},
			want: []found{{audit.KindTruncated, 900}},
		},
		{
			name: "truncated, hashes and checkpoint deleted",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `DELETE FROM audit_records WHERE n >= ?`, 900)
				exec(t, db, `DELETE FROM audit_hashes WHERE i >= ?`, tlog.StoredHashCount(900))
				exec(t, db, `DELETE FROM audit_checkpoints WHERE size > ?`, 900)
			},
			// The earlier checkpoint, at 800, still checks; what it does not
			// cover is lost without trace. This is why checkpoints are
			// published outside the database (docs/audit-log.md).
			want: nil,
		},
		{
			name: "forged checkpoint text",
			tamper: func(t *testing.T, db *sql.DB) {
				var signed []byte
				if err := db.QueryRow(`SELECT note FROM audit_checkpoints WHERE size = ?`, tamperSize).Scan(&signed); err != nil {
					t.Fatal(err)
				}
				forged := bytes.Replace(signed, []byte("\n1000\n"), []byte("\n900\n"), 1)
				exec(t, db, `UPDATE audit_checkpoints SET note = ? WHERE size = ?`, forged, tamperSize)
			},
			want: []found{{audit.KindCheckpoint, tamperSize}},
		},
		{
			name: "checkpoint signed by another key",
			tamper: func(t *testing.T, db *sql.DB) {
				skey, _, err := note.GenerateKey(nil, audittest.KeyName)
				if err != nil {
					t.Fatal(err)
				}
				s, _ := note.NewSigner(skey)
				var signed []byte
				if err := db.QueryRow(`SELECT note FROM audit_checkpoints WHERE size = ?`, tamperSize).Scan(&signed); err != nil {
					t.Fatal(err)
				}
				text := signed[:bytes.Index(signed, []byte("\n\n"))+1]
				forged, err := note.Sign(&note.Note{Text: string(text)}, s)
				if err != nil {
					t.Fatal(err)
				}
				exec(t, db, `UPDATE audit_checkpoints SET note = ? WHERE size = ?`, forged, tamperSize)
			},
			want: []found{{audit.KindCheckpoint, tamperSize}},
		},
		{
			name: "changed leaf hash",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `UPDATE audit_hashes SET hash = ? WHERE i = ?`, bytes.Repeat([]byte{7}, 32), leaf(500))
			},
			want: []found{{audit.KindHash, 500}},
		},
		{
			name: "changed interior hash",
			tamper: func(t *testing.T, db *sql.DB) {
				// Level 2, the fourth-of-a-kind node over records 500..503.
				exec(t, db, `UPDATE audit_hashes SET hash = ? WHERE i = ?`, bytes.Repeat([]byte{7}, 32), tlog.StoredHashIndex(2, 125))
			},
			want: []found{{audit.KindHash, 500}},
		},
		{
			name: "damaged hash",
			tamper: func(t *testing.T, db *sql.DB) {
				exec(t, db, `UPDATE audit_hashes SET hash = ? WHERE i = ?`, []byte{1, 2, 3}, leaf(500))
			},
			want: []found{{audit.KindHash, 500}},
		},
		{
			name: "changed record with its leaf hash",
			tamper: func(t *testing.T, db *sql.DB) {
				data := readRecord(t, db, 500)
				data[bytes.Index(data, []byte(`"score":`))+8] ^= 1
				h := tlog.RecordHash(data)
				exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, data, 500)
				exec(t, db, `UPDATE audit_hashes SET hash = ? WHERE i = ?`, h[:], leaf(500))
			},
			// The pair 500..501 no longer matches the hash above it.
			want: []found{{audit.KindChanged, 500}},
		},
		{
			name: "changed record with every hash recomputed",
			tamper: func(t *testing.T, db *sql.DB) {
				data := readRecord(t, db, 500)
				data[bytes.Index(data, []byte(`"score":`))+8] ^= 1
				exec(t, db, `UPDATE audit_records SET data = ? WHERE n = ?`, data, 500)
				rehash(t, db)
			},
			// Every stored hash agrees with the records; only the signed
			// checkpoints (at 800 and 1000) do not.
			want: []found{{audit.KindCheckpoint, 800}, {audit.KindCheckpoint, tamperSize}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st, db := newAuditStorage(t)
			l := audittest.Fill(t, st, 800)
			if _, err := l.Append(ctx, audittest.Records(800, tamperSize-800)...); err != nil {
				t.Fatal(err)
			}
			if _, err := l.Checkpoint(ctx); err != nil {
				t.Fatal(err)
			}
			c.tamper(t, db)
			_, v := audittest.Keys(t)
			rep, err := audit.Verify(ctx, st, v)
			if err != nil {
				t.Fatal(err)
			}
			var got []found
			for _, p := range rep.Problems {
				got = append(got, found{p.Kind, p.Index})
				if !strings.Contains(p.Message, fmt.Sprint(p.Index)) {
					t.Errorf("message does not name index %d: %s", p.Index, p.Message)
				}
			}
			t.Logf("%d problems, first: %v", len(rep.Problems), rep.Problems[:min(3, len(rep.Problems))])
			if !slices.Equal(got, c.want) {
				t.Fatalf("problems:\n%v\nwant %v", rep.Problems, c.want)
			}
		})
	}
}

// TestOpenRefusesTamperedLog: a server does not start appending to a log
// its latest checkpoint contradicts.
func TestOpenRefusesTamperedLog(t *testing.T) {
	for name, tamper := range map[string]func(t *testing.T, db *sql.DB){
		"truncated": func(t *testing.T, db *sql.DB) {
			exec(t, db, `DELETE FROM audit_records WHERE n >= 90`)
			exec(t, db, `DELETE FROM audit_hashes WHERE i >= ?`, tlog.StoredHashCount(90))
		},
		"forged checkpoint": func(t *testing.T, db *sql.DB) {
			exec(t, db, `UPDATE audit_checkpoints SET note = ?`, []byte("x\n100\nAAAA\n\n— x AAAA\n"))
		},
		"rewritten": func(t *testing.T, db *sql.DB) {
			data := readRecord(t, db, 5)
			data[10] ^= 1
			exec(t, db, `UPDATE audit_records SET data = ? WHERE n = 5`, data)
			rehash(t, db)
		},
	} {
		t.Run(name, func(t *testing.T) {
			st, db := newAuditStorage(t)
			audittest.Fill(t, st, 100)
			tamper(t, db)
			s, v := audittest.Keys(t)
			if _, err := audit.Open(context.Background(), st, s, v); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
				t.Fatalf("Open = %v, want %s", err, opencredit.ECONFLICT)
			}
		})
	}
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func readRecord(t *testing.T, db *sql.DB, n int64) []byte {
	t.Helper()
	var data []byte
	if err := db.QueryRow(`SELECT data FROM audit_records WHERE n = ?`, n).Scan(&data); err != nil {
		t.Fatal(err)
	}
	return data
}

// rehash recomputes every stored hash from the records as they now are, as
// an attacker who knows tlog but not the signing key would.
func rehash(t *testing.T, db *sql.DB) {
	t.Helper()
	rows, err := db.Query(`SELECT data FROM audit_records ORDER BY n`)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			out[k] = hashes[i]
		}
		return out, nil
	})
	for n := int64(0); rows.Next(); n++ {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			t.Fatal(err)
		}
		hs, err := tlog.StoredHashes(n, data, r)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	rows.Close()
	for i, h := range hashes {
		exec(t, db, `UPDATE audit_hashes SET hash = ? WHERE i = ?`, h[:], i)
	}
}

// TestVerifyExternalCheckpoint: someone who can write the database can
// truncate the log or rewrite it, recompute every hash and delete the stored
// checkpoints, and the log then verifies against itself. A checkpoint an
// auditor kept elsewhere still catches both.
func TestVerifyExternalCheckpoint(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB)
		want   found
	}{
		{"truncated", func(t *testing.T, db *sql.DB) {
			exec(t, db, `DELETE FROM audit_records WHERE n >= 150`)
			exec(t, db, `DELETE FROM audit_hashes WHERE i >= ?`, tlog.StoredHashCount(150))
		}, found{audit.KindTruncated, 150}},
		{"rewritten", func(t *testing.T, db *sql.DB) {
			data := readRecord(t, db, 5)
			data[10] ^= 1
			exec(t, db, `UPDATE audit_records SET data = ? WHERE n = 5`, data)
			rehash(t, db)
		}, found{audit.KindCheckpoint, 200}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			st, db := newAuditStorage(t)
			l := audittest.Fill(t, st, 200)
			kept, err := l.Checkpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c.tamper(t, db)
			exec(t, db, `DELETE FROM audit_checkpoints`)
			_, v := audittest.Keys(t)
			if rep, err := audit.Verify(ctx, st, v); err != nil || !rep.OK() {
				t.Fatalf("without the kept checkpoint: %v %v; the tampering was meant to be invisible to the log alone", rep.Problems, err)
			}
			rep, err := audit.Verify(ctx, st, v, kept)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Problems) != 1 || (found{rep.Problems[0].Kind, rep.Problems[0].Index}) != c.want {
				t.Fatalf("problems %v, want exactly %v", rep.Problems, c.want)
			}
			forged := bytes.Replace(kept, []byte("\n200\n"), []byte("\n199\n"), 1)
			if rep, _ := audit.Verify(ctx, st, v, forged); rep.OK() {
				t.Fatal("a forged kept checkpoint was accepted")
			}
		})
	}
}

// sqlTamper is audittest.Tamper with SQLite's SQL.
type sqlTamper struct{ db *sql.DB }

func (s sqlTamper) DeleteRecordsFrom(t *testing.T, n int64) {
	exec(t, s.db, `DELETE FROM audit_records WHERE n >= ?`, n)
}
func (s sqlTamper) DeleteHashesFrom(t *testing.T, i int64) {
	exec(t, s.db, `DELETE FROM audit_hashes WHERE i >= ?`, i)
}
func (s sqlTamper) DeleteCheckpointsFrom(t *testing.T, size int64) {
	exec(t, s.db, `DELETE FROM audit_checkpoints WHERE size >= ?`, size)
}
func (s sqlTamper) DeleteCosigned(t *testing.T) { exec(t, s.db, `DELETE FROM audit_cosignatures`) }
func (s sqlTamper) SetRecord(t *testing.T, n int64, data []byte) {
	exec(t, s.db, `UPDATE audit_records SET data = ? WHERE n = ?`, data, n)
}
func (s sqlTamper) SetHash(t *testing.T, i int64, h tlog.Hash) {
	exec(t, s.db, `INSERT OR REPLACE INTO audit_hashes (i, hash) VALUES (?, ?)`, i, h[:])
}

// TestAuditAttacks: issue 17's attacks on the log, each caught by a witness.
func TestAuditAttacks(t *testing.T) {
	audittest.RunAttacks(t, func(t *testing.T) (audit.Storage, audittest.Tamper) {
		st, db := newAuditStorage(t)
		return st, sqlTamper{db}
	})
}
