package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
)

// ConsistencyProof returns the RFC 6962 consistency proof (§2.1.2) that the
// tree of the first old records is a prefix of the tree of the first size:
// what a witness checks before it cosigns a checkpoint of size records
// after one of old. It is empty when old is 0 or equals size, as
// tlog-witness wants it.
func (l *Log) ConsistencyProof(ctx context.Context, old, size int64) (tlog.TreeProof, error) {
	if old < 0 || old > size {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: no consistency proof from %d to %d records", old, size)
	}
	if cur := l.Size(); size > cur {
		if cur, err := l.st.Count(ctx); err != nil {
			return nil, err
		} else if size > cur {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: the log has %d records, not %d", cur, size)
		}
	}
	if old == 0 || old == size {
		return tlog.TreeProof{}, nil
	}
	p, err := tlog.ProveTree(size, old, hashReader(ctx, l.st))
	if err != nil {
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: fmt.Sprintf("audit: proving %d records a prefix of %d", old, size), Err: err}
	}
	return p, nil
}

// Proof is what a person needs to check offline that an access record is
// in the log: the record's canonical bytes, its RFC 6962 leaf hash, and the
// inclusion proof against a checkpoint that carries the log's signature
// and the cosignatures of the witnesses that saw it. CheckProof checks it;
// its JSON is what GET /v1/audit/records/{index}/proof and `opencredit audit
// prove` write and `opencredit audit check-proof` reads.
type Proof struct {
	Index      int64       `json:"index"`      // the record's index in the log
	Record     []byte      `json:"record"`     // its canonical bytes (base64 in JSON); ParseRecord reads them
	LeafHash   tlog.Hash   `json:"leaf_hash"`  // SHA-256(0x00 || record), base64
	TreeSize   int64       `json:"tree_size"`  // the size of the checkpoint's tree
	Hashes     []tlog.Hash `json:"proof"`      // the audit path from the leaf to the root, base64 each
	Checkpoint string      `json:"checkpoint"` // the signed, cosigned checkpoint note
}

// maxProofHashes bounds an inclusion proof: one hash a level of a tree of
// at most 2^63 records.
const maxProofHashes = 63

// MaxProofBytes bounds the encoded Proof ParseProof reads.
const MaxProofBytes = 64 << 10

// WitnessedProof returns the proof that record n is in the log, against
// the largest checkpoint witnesses cosigned that holds it, with the
// cosignatures of every witness that cosigned that one. If no witnessed
// checkpoint holds it yet (or the log has no witness), it is proved
// against the latest checkpoint the log signed, which carries no
// cosignature; if none holds it, it fails with ENOTFOUND: the next
// checkpoint is signed within seconds.
func (l *Log) WitnessedProof(ctx context.Context, n int64) (Proof, error) {
	if n < 0 {
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: record index %d is negative", n)
	}
	cos, err := l.st.LatestCosigned(ctx)
	if err != nil {
		return Proof{}, err
	}
	var size int64
	var notes [][]byte
	for _, c := range cos {
		switch {
		case c.Size <= n || c.Size < size:
		case c.Size > size:
			size, notes = c.Size, [][]byte{c.Note}
		default:
			notes = append(notes, c.Note)
		}
	}
	var checkpoint []byte
	if len(notes) > 0 {
		if checkpoint, err = mergeSignatures(l.verifier, notes); err != nil {
			return Proof{}, err
		}
	} else {
		cpSize, signed, err := l.st.LatestCheckpoint(ctx)
		if err != nil {
			return Proof{}, err
		}
		if signed == nil || cpSize <= n {
			return Proof{}, opencredit.Errorf(opencredit.ENOTFOUND, "audit: record %d is not yet under a signed checkpoint; the next one is signed within seconds", n)
		}
		size, checkpoint = cpSize, signed
	}
	data, err := l.Record(ctx, n)
	if err != nil {
		return Proof{}, err
	}
	p, err := l.Proof(ctx, n, size)
	if err != nil {
		return Proof{}, err
	}
	return Proof{Index: n, Record: data, LeafHash: tlog.RecordHash(data), TreeSize: size, Hashes: p, Checkpoint: string(checkpoint)}, nil
}

// mergeSignatures returns one note with the text of notes, which must all
// be one checkpoint signed by v, and every signature line any of them
// carries, each once: the log's signature and each witness's cosignature.
func mergeSignatures(v note.Verifier, notes [][]byte) ([]byte, error) {
	var text string
	var lines []string
	seen := make(map[string]bool)
	for _, b := range notes {
		n, err := note.Open(b, note.VerifierList(v))
		if err != nil {
			return nil, &opencredit.Error{Code: opencredit.ECONFLICT, Message: "audit: a stored cosigned checkpoint does not verify; run audit verify", Err: err}
		}
		if text == "" {
			text = n.Text
		} else if n.Text != text {
			return nil, opencredit.Errorf(opencredit.ECONFLICT, "audit: two witnesses cosigned different checkpoints of one size; run audit verify")
		}
		for _, s := range append(n.Sigs, n.UnverifiedSigs...) {
			line := "— " + s.Name + " " + s.Base64 + "\n"
			if !seen[line] {
				seen[line] = true
				lines = append(lines, line)
			}
		}
	}
	return []byte(text + "\n" + strings.Join(lines, "")), nil
}

// ParseProof decodes a Proof from its JSON, strictly: no unknown field, no
// data after it, at most MaxProofBytes, every field present. It fails with
// EINVALID naming the field.
func ParseProof(data []byte) (Proof, error) {
	if len(data) > MaxProofBytes {
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof is %d bytes, more than %d", len(data), MaxProofBytes)
	}
	var w struct {
		Index      *int64      `json:"index"`
		Record     []byte      `json:"record"`
		LeafHash   *tlog.Hash  `json:"leaf_hash"`
		TreeSize   *int64      `json:"tree_size"`
		Hashes     []tlog.Hash `json:"proof"`
		Checkpoint *string     `json:"checkpoint"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Proof{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: proof is not valid JSON", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: data after its JSON object")
	}
	switch {
	case w.Index == nil:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof has no \"index\"")
	case w.Record == nil:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof has no \"record\"")
	case w.LeafHash == nil:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof has no \"leaf_hash\"")
	case w.TreeSize == nil:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof has no \"tree_size\"")
	case w.Checkpoint == nil:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof has no \"checkpoint\"")
	case *w.Index < 0 || *w.Index >= *w.TreeSize:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: index %d is not in a tree of %d records", *w.Index, *w.TreeSize)
	case len(w.Hashes) > maxProofHashes:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: %d hashes, more than %d", len(w.Hashes), maxProofHashes)
	case len(w.Record) > MaxRecordBytes:
		return Proof{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: record is %d bytes, more than %d", len(w.Record), MaxRecordBytes)
	}
	return Proof{Index: *w.Index, Record: w.Record, LeafHash: *w.LeafHash, TreeSize: *w.TreeSize, Hashes: w.Hashes, Checkpoint: *w.Checkpoint}, nil
}

// CheckProof is the check a person runs offline on a Proof: that the
// record hashes to the leaf hash, that the checkpoint is signed by the log
// (logKey) and cosigned by every witness given, that it is of the proof's
// tree size, and that the inclusion proof leads from the leaf to the
// checkpoint's root. It returns the record, decoded, or an EINVALID error
// naming what does not hold.
func CheckProof(p Proof, logKey note.Verifier, witnesses ...note.Verifier) (Record, error) {
	if tlog.RecordHash(p.Record) != p.LeafHash {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: the record does not hash to its leaf hash: the record was changed")
	}
	vs := append([]note.Verifier{logKey}, witnesses...)
	n, err := note.Open([]byte(p.Checkpoint), note.VerifierList(vs...))
	if err != nil {
		return Record{}, &opencredit.Error{Code: opencredit.EINVALID, Message: "audit: proof: the checkpoint's signatures do not verify", Err: err}
	}
	for _, v := range vs {
		if !signedBy(n, v) {
			who := "witness"
			if v == logKey {
				who = "log"
			}
			return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: the checkpoint carries no valid signature of the %s key %s", who, v.Name())
		}
	}
	origin, t, ok := parseCheckpoint(n.Text)
	if !ok {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: the signed note is not a checkpoint")
	}
	if origin != logKey.Name() {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: the checkpoint is of log %q, not %q", origin, logKey.Name())
	}
	if t.N != p.TreeSize {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: tree_size %d, but the checkpoint is of %d records", p.TreeSize, t.N)
	}
	if p.Index < 0 || p.Index >= t.N {
		return Record{}, opencredit.Errorf(opencredit.EINVALID, "audit: proof: record %d is not in the checkpoint's tree of %d records", p.Index, t.N)
	}
	if err := tlog.CheckRecord(p.Hashes, t.N, t.Hash, p.Index, p.LeafHash); err != nil {
		return Record{}, &opencredit.Error{Code: opencredit.EINVALID, Message: fmt.Sprintf("audit: proof: record %d is not in the signed tree: the inclusion proof does not lead to the checkpoint's root", p.Index), Err: err}
	}
	r, err := ParseRecord(p.Record)
	if err != nil {
		return Record{}, err
	}
	return r, nil
}

// signedBy reports whether n carries a verified signature of v.
func signedBy(n *note.Note, v note.Verifier) bool {
	for _, s := range n.Sigs {
		if s.Name == v.Name() && s.Hash == v.KeyHash() {
			return true
		}
	}
	return false
}
