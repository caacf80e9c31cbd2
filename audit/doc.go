// Package audit is OpenCredit's tamper-evident audit log: who asked for
// whose score, decision or data, for what purpose, and what they got
// (FCRA §604 permissible purpose and §609 disclosure of inquiries; EU AI Act
// Art. 12 record-keeping). An operator with write access to the database can
// change the log, as anyone can; what the log guarantees is that such a
// change is detected, and said where it was made.
//
// # Records
//
// A Record is one access: time, client, role, purpose, subject id, action,
// a Result summary (score, band, decision, reason codes, model id, item
// count, error code — by construction never a name or a national id) and the
// request id. Record.Encode gives its canonical bytes: JSON with a fixed
// field order, no insignificant whitespace, times in UTC with nine fraction
// digits, and a leading version "v":1. Those bytes are what is stored and
// hashed; ParseRecord accepts nothing else, so a record has exactly one
// encoding. testdata/records.golden pins them.
//
// # The tree
//
// Records are the leaves of a Merkle tree as defined by RFC 6962 §2.1
// (https://www.rfc-editor.org/rfc/rfc6962#section-2.1), computed with
// golang.org/x/mod/sumdb/tlog, the package behind the Go checksum database:
//
//	leaf hash  = SHA-256(0x00 || record bytes)       tlog.RecordHash
//	node hash  = SHA-256(0x01 || left || right)      tlog.NodeHash
//	root of n  = MTH over records 0..n-1             tlog.TreeHash
//
// The tree is kept the way the Go checksum database keeps it
// (https://research.swtch.com/tlog, "Storing a Log"): next to the records,
// every hash of a complete subtree is stored once, at the "stored hash
// index" tlog.StoredHashIndex(level, k), which orders them as they are
// completed (Crosby and Wallach, "Efficient Data Structures for
// Tamper-Evident Logging", USENIX Security 2009, §3.3). Appending record n
// stores its leaf hash and one hash per subtree it completes (1 + the
// trailing one bits of n: two on average, tlog.StoredHashes), so an append
// costs O(log n) hashing, and Log keeps in memory the O(log n) hashes of the
// tree's right edge, so it reads nothing. A proof that record n is in the
// tree of size t (tlog.ProveRecord, RFC 6962 §2.1.1's audit path) reads
// O(log t) stored hashes. sqlite.AuditStorage and postgres.AuditStorage
// keep records, hashes and checkpoints in three tables: audit_records(n, data),
// audit_hashes(i, hash), audit_checkpoints(size, note).
//
// # Checkpoints
//
// Log.Checkpoint signs the tree's size and root with Ed25519 as a note of
// golang.org/x/mod/sumdb/note (https://pkg.go.dev/golang.org/x/mod/sumdb/note),
// whose text is the tree note of the checksum database (tlog.FormatTree) with
// the log's key name as its first line in place of "go.sum database tree":
//
//	audit.opencredit.example
//	1000
//	Qs5Yrx13AhgiFl+iXd3lRB1CgnB83R6aPmV1heXDCq8=
//
//	— audit.opencredit.example 4OOT4+...
//
// That is the form C2SP standardised as a transparency-log checkpoint
// (https://c2sp.org/tlog-checkpoint, https://c2sp.org/signed-note), which
// other logs and witnesses read. GenerateKey makes the key pair; only the
// server holds the signer key, anyone who checks the log holds the verifier
// key. A record is protected against rewriting once a checkpoint covers it:
// the server checkpoints often, and keeps copies of the checkpoints where the
// database's writers cannot reach (a witness, another system, printed in a
// report); a client that holds one can ask for a proof of any record
// (Log.Proof) and check it without trusting the server (VerifyRecord).
//
// # Verify
//
// Verify reads every row once and checks each stored hash against exactly
// what it commits to: a leaf hash against the record's bytes, an interior
// hash against the two stored hashes below it. A change then fails a
// characteristic set of checks, by which it is named:
//
//   - a changed byte in record n fails n's leaf check alone: "changed";
//   - a record holding another record's bytes: "reordered"; a run of records
//     each holding its neighbour's, behind a changed or missing one, is one
//     record inserted or deleted with the later ones moved;
//   - no row for n: "missing"; a row with no stored hashes past the last
//     hashed record: "inserted";
//   - a changed stored hash fails its own check and its parent's: "hash";
//   - a record changed with the hashes above it recomputed up to some level
//     fails the check of the first unchanged hash above: "changed", over the
//     records below that hash;
//   - a log shorter than a signed checkpoint, or stored hashes left past the
//     last record: "truncated";
//   - a checkpoint whose signature does not verify, or whose root is not the
//     root of the stored tree of its size: "checkpoint". This is what catches
//     a rewrite by someone who recomputed every hash, since they cannot sign.
//
// What Verify cannot catch is a change to records no checkpoint covers yet,
// made together with every hash above them, or a truncation that also
// deletes every checkpoint that covered the records removed: Report.Unsigned
// says how many records are exposed, and copies of checkpoints kept outside
// the database close the second gap.
package audit
