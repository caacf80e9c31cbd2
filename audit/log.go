package audit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
)

// Log is the tamper-evident audit log. Appends are serialised and committed
// in groups (see Append); every method is safe for concurrent use.
type Log struct {
	st       Storage
	signer   note.Signer // nil: the log can append and prove, not checkpoint
	verifier note.Verifier

	qmu     sync.Mutex
	queue   []*appendReq // appends waiting for the next commit
	leading bool         // an Append is committing the queue

	mu       sync.Mutex          // held while committing, and to read what follows
	size     int64               // records stored
	frontier map[int64]tlog.Hash // the stored hashes TreeHash(size) reads; see frontierIndexes
	stale    bool                // an append failed: reload size and frontier before the next
}

// Open opens the log kept in st. signer signs checkpoints and may be nil
// for a log that is only read and proved; verifier checks them and must be
// the signer's public half.
//
// Open refuses (ECONFLICT) a log that its latest checkpoint, or the latest
// checkpoint a witness cosigned as storage keeps it, contradicts (see
// CheckCheckpoint), and a log with stored hashes left past its end.
// Appending to such a log would bury the evidence; run Verify to see what
// happened.
func Open(ctx context.Context, st Storage, signer note.Signer, verifier note.Verifier) (*Log, error) {
	if st == nil || verifier == nil {
		panic("audit: Open needs a storage and a verifier")
	}
	if signer != nil && !sameKey(signer, verifier) {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: signer key %s and verifier key %s are not one key pair", signer.Name(), verifier.Name())
	}
	l := &Log{st: st, signer: signer, verifier: verifier}
	if err := l.load(ctx); err != nil {
		return nil, err
	}
	if err := l.checkLeftovers(ctx); err != nil {
		return nil, err
	}
	cpSize, signed, err := st.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if signed != nil {
		if err := l.CheckCheckpoint(ctx, signed, fmt.Sprintf("its latest checkpoint (size %d)", cpSize)); err != nil {
			return nil, err
		}
	}
	cos, err := st.LatestCosigned(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cos {
		if err := l.CheckCheckpoint(ctx, c.Note, fmt.Sprintf("the checkpoint witness %s cosigned (size %d)", c.Witness, c.Size)); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// CheckCheckpoint checks that the log is a consistent extension of the
// signed checkpoint: the log's key signed it, the log holds at least its
// records, and the stored tree of its size has its root. It fails with
// ECONFLICT naming what (a truncation, a rewrite) and the remedy; what
// names the checkpoint in the message ("the checkpoint witness w1
// cosigned").
//
// Appending to a log that fails it would bury the evidence under new
// signed checkpoints; Open and serve's start refuse it.
func (l *Log) CheckCheckpoint(ctx context.Context, signed []byte, what string) error {
	t, err := OpenCheckpoint(l.verifier, signed)
	if err != nil {
		return &opencredit.Error{Code: opencredit.ECONFLICT, Message: fmt.Sprintf("audit: %s is not a valid checkpoint of this log; run audit verify", what), Err: err}
	}
	size := l.Size()
	if t.N > size {
		// Another process sharing the storage may have appended them.
		if size, err = l.st.Count(ctx); err != nil {
			return err
		}
	}
	if t.N > size {
		return opencredit.Errorf(opencredit.ECONFLICT, "audit: the log holds %d records but %s covers %d: records %d..%d were removed; run audit verify and restore the audit log from a backup", size, what, t.N, size, t.N-1)
	}
	if t.N == 0 {
		return nil
	}
	root, err := tlog.TreeHash(t.N, hashReader(ctx, l.st))
	if err != nil {
		return &opencredit.Error{Code: opencredit.ECONFLICT, Message: fmt.Sprintf("audit: cannot compute the tree of %d records that %s covers; run audit verify", t.N, what), Err: err}
	}
	if root != t.Hash {
		return opencredit.Errorf(opencredit.ECONFLICT, "audit: the tree of the log's first %d records does not have the root %s states: records before %d were rewritten; run audit verify and restore the audit log from a backup", t.N, what, t.N)
	}
	return nil
}

// errLeftover stops the scan of checkLeftovers at the first row.
var errLeftover = errors.New("leftover")

// checkLeftovers refuses (ECONFLICT) a log with stored hashes past those its
// records own: what remains of records deleted from the end. Appending
// would collide with them and fail every audited request; deleting them
// would erase the evidence. The remedy is the operator's.
func (l *Log) checkLeftovers(ctx context.Context) error {
	from := tlog.StoredHashCount(l.size)
	var first int64
	err := l.st.Hashes(ctx, from, math.MaxInt64, func(i int64, _ []byte) error {
		first = i
		return errLeftover
	})
	if !errors.Is(err, errLeftover) {
		return err
	}
	return opencredit.Errorf(opencredit.ECONFLICT, "audit: the log holds %d records, but stored hashes remain past its end (stored hash %d, of record %d): records were removed from the end. Run audit verify to see what is gone, and restore the audit log from a backup; the log cannot be appended to as it is", l.size, first, owner(first))
}

// head is what load reads: a Storage, or an AppendTx under its lock.
type head interface {
	Count(ctx context.Context) (int64, error)
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// load reads the log's size and the frontier hashes from storage.
func (l *Log) load(ctx context.Context) error {
	n, err := l.st.Count(ctx)
	if err != nil {
		return err
	}
	return l.loadAt(ctx, l.st, n)
}

// loadAt reads the frontier hashes of a tree of n records from h.
func (l *Log) loadAt(ctx context.Context, h head, n int64) error {
	idx := frontierIndexes(n)
	hs, err := h.ReadHashes(ctx, idx)
	if err != nil {
		return &opencredit.Error{Code: opencredit.ECONFLICT, Message: fmt.Sprintf("audit: the tree of %d records is incomplete; run audit verify", n), Err: err}
	}
	l.size = n
	l.frontier = make(map[int64]tlog.Hash, len(idx))
	for k, i := range idx {
		l.frontier[i] = hs[k]
	}
	l.stale = false
	return nil
}

// frontierIndexes returns the stored-hash indexes of the complete subtrees
// that make up a tree of n records, largest first: one per bit set in n.
// They are all TreeHash(n) reads, and all StoredHashes(n, ...) reads
// (the left neighbours of record n are the smallest of them), so keeping
// them in memory makes an append and a checkpoint free of reads.
func frontierIndexes(n int64) []int64 {
	var idx []int64
	var start int64
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			idx = append(idx, tlog.StoredHashIndex(level, start>>level))
			start += 1 << level
		}
	}
	return idx
}

// Size returns the number of records in the log.
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size
}

// Append adds recs to the log, in order, and returns the index of the first.
// It returns once the records and their hashes are committed to storage, in
// one transaction: all of recs or none. A record that fails Validate fails the
// call with EINVALID before anything is written.
//
// Appends are serialised, and committed in groups: while one transaction is
// being committed, the appends that arrive queue up, and the next
// transaction commits all of them at once, each call's records together and
// in the order the calls queued. A server appending one record per request
// thus pays for one commit per group, not per request (BenchmarkAppendParallel).
// A storage failure fails every call of the group.
func (l *Log) Append(ctx context.Context, recs ...Record) (int64, error) {
	if len(recs) == 0 {
		return 0, opencredit.Errorf(opencredit.EINVALID, "audit: append of no records")
	}
	req := &appendReq{data: make([][]byte, len(recs)), leaves: make([]tlog.Hash, len(recs)), wake: make(chan struct{})}
	for k, r := range recs {
		b, err := r.Encode()
		if err != nil {
			return 0, err
		}
		req.data[k], req.leaves[k] = b, tlog.RecordHash(b)
	}

	l.qmu.Lock()
	l.queue = append(l.queue, req)
	lead := !l.leading
	l.leading = true
	l.qmu.Unlock()
	if !lead {
		<-req.wake // committed by a leader, or made leader
		lead = req.lead
	}
	if lead {
		l.qmu.Lock()
		k := min(len(l.queue), maxGroup)
		group := slices.Clone(l.queue[:k])
		l.queue = slices.Delete(l.queue, 0, k)
		l.qmu.Unlock()

		// The group holds other callers' records: a cancelled ctx of this
		// caller does not abandon them half-way.
		l.commit(context.WithoutCancel(ctx), req, group)

		l.qmu.Lock()
		if len(l.queue) > 0 {
			next := l.queue[0]
			next.lead = true
			close(next.wake)
		} else {
			l.leading = false
		}
		l.qmu.Unlock()
	}
	return req.first, req.err
}

// maxGroup bounds the calls committed in one transaction, and so its time.
const maxGroup = 1024

// appendReq is one call of Append waiting to be committed.
type appendReq struct {
	data   [][]byte
	leaves []tlog.Hash
	wake   chan struct{} // closed when committed, or when made leader

	lead  bool  // set before wake is closed: commit the queue, then hand over
	first int64 // the result: index of the first record
	err   error // or the error
}

// commit writes the records of group in one storage transaction and wakes
// every caller in it but the leader.
func (l *Log) commit(ctx context.Context, leader *appendReq, group []*appendReq) {
	l.mu.Lock()
	defer l.mu.Unlock()
	err := l.commitLocked(ctx, group)
	for _, req := range group {
		if err != nil {
			req.err = err
		}
		if req != leader {
			close(req.wake)
		}
	}
}

func (l *Log) commitLocked(ctx context.Context, group []*appendReq) error {
	var tx AppendTx
	if sh, ok := l.st.(SharedStorage); ok {
		// Another process may have appended: read the size under the
		// lock, and the right edge again if it moved.
		var err error
		if tx, err = sh.BeginAppend(ctx); err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		n, err := tx.Count(ctx)
		if err != nil {
			return err
		}
		if n != l.size || l.stale {
			if err := l.loadAt(ctx, tx, n); err != nil {
				l.stale = true
				return err
			}
		}
	} else if l.stale {
		if err := l.load(ctx); err != nil {
			return err
		}
	}
	n := l.size
	var data [][]byte
	var leaves []tlog.Hash
	for _, req := range group {
		req.first = n + int64(len(data))
		data = append(data, req.data...)
		leaves = append(leaves, req.leaves...)
	}

	// The new hashes are read back while computing the next record's, before
	// they reach storage: look them up first, then the frontier.
	first := tlog.StoredHashIndex(0, n)
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			switch h, ok := l.frontier[i]; {
			case i >= first && i-first < int64(len(hashes)):
				out[k] = hashes[i-first]
			case ok:
				out[k] = h
			default:
				return nil, fmt.Errorf("audit: stored hash %d is not in the frontier", i) // a bug: see frontierIndexes
			}
		}
		return out, nil
	})
	for k, h := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(n+int64(k), h, r)
		if err != nil {
			return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: computing hashes", Err: err}
		}
		hashes = append(hashes, hs...)
	}
	var err error
	if tx != nil {
		err = tx.Commit(ctx, n, data, hashes)
	} else {
		err = l.st.Append(ctx, n, data, hashes)
	}
	if err != nil {
		l.stale = true // the write may have happened; ask storage
		return err
	}
	size := n + int64(len(data))
	idx := frontierIndexes(size)
	next, err := r.ReadHashes(idx)
	if err != nil {
		l.stale = true
		return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: updating the frontier", Err: err}
	}
	clear(l.frontier)
	for k, i := range idx {
		l.frontier[i] = next[k]
	}
	l.size = size
	return nil
}

// Checkpoint signs the current tree and stores the signed note, which it
// returns. The note's text is the checkpoint format (see formatCheckpoint):
// the verifier's name, the tree size and the root hash. Calling Checkpoint
// again before the next append stores nothing new and returns the same
// bytes, since Ed25519 signatures are deterministic.
//
// Records appended after the latest checkpoint are not yet protected against
// an attacker who can write the database: the server should checkpoint
// often (every second, or every few thousand records) and publish the
// notes where that attacker cannot reach.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	if l.signer == nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "audit: the log was opened without a signer key")
	}
	l.mu.Lock()
	if l.stale {
		if err := l.load(ctx); err != nil {
			l.mu.Unlock()
			return nil, err
		}
	}
	t := tlog.Tree{N: l.size}
	root, err := tlog.TreeHash(t.N, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for k, i := range idx {
			out[k] = l.frontier[i] // TreeHash reads exactly the frontier
		}
		return out, nil
	}))
	l.mu.Unlock()
	if err != nil {
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: computing the root", Err: err}
	}
	t.Hash = root
	signed, err := note.Sign(&note.Note{Text: string(formatCheckpoint(l.signer.Name(), t))}, l.signer)
	if err != nil {
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: "audit: signing checkpoint", Err: err}
	}
	if err := l.st.SaveCheckpoint(ctx, t.N, signed); err != nil {
		return nil, err
	}
	return signed, nil
}

// LatestCheckpoint returns the latest signed checkpoint stored, nil if the
// log has none yet.
func (l *Log) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	_, signed, err := l.st.LatestCheckpoint(ctx)
	return signed, err
}

// Record returns the canonical bytes of record n (ParseRecord decodes them).
func (l *Log) Record(ctx context.Context, n int64) ([]byte, error) {
	var data []byte
	found := false
	err := l.st.Records(ctx, n, n+1, func(_ int64, b []byte) error {
		data, found = b, true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: no record %d", n)
	}
	return data, nil
}

// Proof returns the proof that record n is in the tree of the first size
// records: the RFC 6962 audit path from its leaf to that tree's root. A
// client holds a signed checkpoint; it asks for the proof at the
// checkpoint's size and checks it with VerifyRecord. (Taking the size as an
// argument, as tlog.ProveRecord does, lets a client ask for a proof against
// the checkpoint it already has, with no race against the next checkpoint.)
func (l *Log) Proof(ctx context.Context, n, size int64) (tlog.RecordProof, error) {
	if cur := l.Size(); size > cur {
		// Another process sharing the storage may have appended them.
		if cur, err := l.st.Count(ctx); err != nil {
			return nil, err
		} else if size > cur {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: the log has %d records, not %d", cur, size)
		}
	}
	if n < 0 || n >= size {
		return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: record %d is not in a tree of %d records", n, size)
	}
	p, err := tlog.ProveRecord(size, n, hashReader(ctx, l.st))
	if err != nil {
		return nil, &opencredit.Error{Code: opencredit.EINTERNAL, Message: fmt.Sprintf("audit: proving record %d", n), Err: err}
	}
	return p, nil
}

// SaveCosigned stores a checkpoint of size records that the witness named
// witness cosigned (see Storage.SaveCosigned).
func (l *Log) SaveCosigned(ctx context.Context, witness string, size int64, signed []byte) error {
	return l.st.SaveCosigned(ctx, witness, size, signed)
}

// LatestCosigned returns the latest cosigned checkpoint stored for each
// witness (see Storage.LatestCosigned).
func (l *Log) LatestCosigned(ctx context.Context) ([]Cosigned, error) {
	return l.st.LatestCosigned(ctx)
}

// Verifier returns the log's verifier key.
func (l *Log) Verifier() note.Verifier { return l.verifier }
