// Package audit is OpenCredit's tamper-evident audit log: who asked for
// whose score, decision or data, for what purpose, and what they got. A
// Record's canonical bytes are the leaves of an RFC 6962 Merkle tree kept
// with golang.org/x/mod/sumdb/tlog; Log appends in group commits and signs
// checkpoints (sumdb/note, the C2SP checkpoint format); Verify names every
// change, deletion, insertion or reordering, and VerifyRecord checks one
// record against a checkpoint. The package holds no driver: the log lives in
// a Storage (sqlite.AuditStorage, postgres.AuditStorage, MemoryStorage).
//
// The records, the tree, checkpoints, what Verify detects and the storages
// are described in docs/audit-log.md.
package audit
