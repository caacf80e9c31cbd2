package audit

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Kinds of Problem that Verify reports; doc.go says which tampering gives which.
const (
	KindChanged    = "changed"    // a record's bytes (or a range of records with their hashes) changed
	KindReordered  = "reordered"  // a record holds the bytes of another record
	KindMissing    = "missing"    // a record's row is gone
	KindInserted   = "inserted"   // a record row the tree does not hold
	KindHash       = "hash"       // a stored hash is changed, missing or damaged
	KindTruncated  = "truncated"  // records were removed from the end of the log
	KindCheckpoint = "checkpoint" // a checkpoint's signature or root does not check
)

// MaxProblems bounds Report.Problems; Report.MoreProblems counts the rest.
const MaxProblems = 1000

// Problem is one finding of Verify.
type Problem struct {
	Kind    string `json:"kind"`    // a Kind constant
	Index   int64  `json:"index"`   // the first record index concerned; for KindCheckpoint, the checkpoint's size
	Message string `json:"message"` // what was found, for a person
}

func (p Problem) String() string { return p.Kind + ": " + p.Message }

// Report is what Verify found.
type Report struct {
	Records        int64     `json:"records"`         // record rows read
	Size           int64     `json:"size"`            // the tree size the storage claims (Storage.Count)
	Root           tlog.Hash `json:"root"`            // the root of the stored tree of Size records; zero if it cannot be computed
	Checkpoints    int       `json:"checkpoints"`     // signed checkpoints checked
	CheckpointSize int64     `json:"checkpoint_size"` // the size of the latest checkpoint whose signature verifies; 0 if none
	Problems       []Problem `json:"problems"`        // in record order, then truncation, then checkpoints; at most MaxProblems
	MoreProblems   int       `json:"more_problems"`   // problems found beyond MaxProblems
}

// OK reports whether Verify found nothing wrong.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// Unsigned returns the number of records after the latest valid checkpoint:
// those an attacker with write access could still have altered unseen.
func (r Report) Unsigned() int64 { return max(r.Size-r.CheckpointSize, 0) }

// verifyChunk is the number of records Verify holds in memory at once.
const verifyChunk = 4096

// Verify checks the whole log in st, reading every row once, and reports
// what does not hold. The error is for failures to read; what is wrong with
// the log is in the Report.
//
// It recomputes each record's leaf hash from the stored bytes and each
// stored interior hash from the two stored hashes below it, and compares
// each with the stored hash: every stored hash is checked against exactly
// what it commits to, so a change shows up where it was made (see docs/audit-log.md for
// how a finding is named). It looks for gaps in the records and hashes and for
// rows beyond the tree. It then checks every stored checkpoint: its
// signature by v, that it names v's log, that the stored tree of its size
// has its root, and that the log is not smaller than it. Checkpoints given
// as external — ones an auditor kept away from the server, from GET
// /v1/audit/checkpoint, or a witness's latest cosigned checkpoint — are
// checked the same way: they catch a rewrite or a truncation even by
// someone who also rewrote the stored checkpoints. The latest checkpoint
// each witness cosigned, as storage keeps it, is checked too.
func Verify(ctx context.Context, st Storage, v note.Verifier, external ...[]byte) (Report, error) {
	vr := &verifier{
		st:         st,
		bad:        make(map[int64]bool),
		leafBad:    make(map[int64]leafMismatch),
		noHash:     make(map[int64][]int64),
		carry:      make(map[int64]slot),
		lostLeaves: make(map[tlog.Hash]int64),
		maxHash:    -1,
	}
	var err error
	if vr.rep.Size, err = st.Count(ctx); err != nil {
		return Report{}, err
	}
	if err := vr.strays(ctx); err != nil {
		return Report{}, err
	}
	for a := int64(0); a < vr.rep.Size; a += verifyChunk {
		if err := vr.chunk(ctx, a, min(a+verifyChunk, vr.rep.Size)); err != nil {
			return Report{}, err
		}
	}
	if err := vr.beyond(ctx); err != nil {
		return Report{}, err
	}
	if root, err := tlog.TreeHash(vr.rep.Size, hashReader(ctx, st)); err == nil {
		vr.rep.Root = root
	}
	if err := vr.checkpoints(ctx, v, external); err != nil {
		return Report{}, err
	}
	vr.classify()
	vr.finish()
	return vr.rep, nil
}

type slot struct {
	h  tlog.Hash
	ok bool // a row exists and holds tlog.HashSize bytes
}

type leafMismatch struct {
	computed, stored tlog.Hash
}

type verifier struct {
	st  Storage
	rep Report

	bad     map[int64]bool         // stored-hash indexes whose own check failed
	leafBad map[int64]leafMismatch // by record index: data does not hash to the stored leaf
	missing []int64                // record indexes with no row
	noHash  map[int64][]int64      // by record index: its stored hashes that are missing or damaged
	damaged map[int64]int          // stored-hash index -> length, for rows not tlog.HashSize bytes
	maxHash int64                  // highest stored-hash index seen, -1 if none
	carry   map[int64]slot         // the frontier of the records before the current chunk

	lostLeaves map[tlog.Hash]int64 // leaf hashes stored past the end of the tree, by record

	problems []Problem // record-level, sorted in finish
	tail     []Problem // truncation and checkpoints, after the record-level ones
}

// owned returns the number of stored hashes written with record n: its leaf
// and one per subtree it completes.
func owned(n int64) int { return 1 + bits.TrailingZeros64(uint64(n+1)) }

// owner returns the record whose append wrote stored hash i.
func owner(i int64) int64 {
	level, k := tlog.SplitStoredHashIndex(i)
	return (k+1)<<level - 1
}

// chunk checks records a..b-1 and the hashes they own.
func (vr *verifier) chunk(ctx context.Context, a, b int64) error {
	recs := make([][]byte, b-a)
	seen := make([]bool, b-a)
	err := vr.st.Records(ctx, a, b, func(n int64, data []byte) error {
		recs[n-a], seen[n-a] = data, true
		vr.rep.Records++
		return nil
	})
	if err != nil {
		return err
	}
	ha, hb := tlog.StoredHashIndex(0, a), tlog.StoredHashCount(b)
	hs := make([]slot, hb-ha)
	err = vr.st.Hashes(ctx, ha, hb, func(i int64, h []byte) error {
		vr.note(i, h, &hs[i-ha])
		return nil
	})
	if err != nil {
		return err
	}
	get := func(i int64) slot {
		if i >= ha && i < hb {
			return hs[i-ha]
		}
		return vr.carry[i]
	}

	for n := a; n < b; n++ {
		leaf := tlog.StoredHashIndex(0, n)
		if !seen[n-a] {
			vr.missing = append(vr.missing, n)
		}
		for l := range owned(n) {
			if s := get(leaf + int64(l)); !s.ok {
				vr.noHash[n] = append(vr.noHash[n], leaf+int64(l))
			}
		}
		if s := get(leaf); seen[n-a] && s.ok {
			if h := tlog.RecordHash(recs[n-a]); h != s.h {
				vr.bad[leaf] = true
				vr.leafBad[n] = leafMismatch{computed: h, stored: s.h}
			}
		}
		for l := 1; l < owned(n); l++ {
			k := n >> l
			self := get(leaf + int64(l))
			left, right := get(tlog.StoredHashIndex(l-1, 2*k)), get(leaf+int64(l-1))
			if self.ok && left.ok && right.ok && tlog.NodeHash(left.h, right.h) != self.h {
				vr.bad[leaf+int64(l)] = true
			}
		}
	}

	next := make(map[int64]slot)
	for _, i := range frontierIndexes(b) {
		next[i] = get(i)
	}
	vr.carry = next
	return nil
}

// note records a stored hash row read from storage into s.
func (vr *verifier) note(i int64, h []byte, s *slot) {
	vr.maxHash = max(vr.maxHash, i)
	if len(h) != tlog.HashSize {
		if vr.damaged == nil {
			vr.damaged = make(map[int64]int)
		}
		vr.damaged[i] = len(h)
		return
	}
	s.ok = true
	s.h = tlog.Hash(h)
}

// strays reports rows at negative indexes, which Count and the chunks never see.
func (vr *verifier) strays(ctx context.Context) error {
	err := vr.st.Records(ctx, math.MinInt64, 0, func(n int64, _ []byte) error {
		vr.add(KindInserted, n, "record %d: a row at a negative index", n)
		return nil
	})
	if err != nil {
		return err
	}
	return vr.st.Hashes(ctx, math.MinInt64, 0, func(i int64, _ []byte) error {
		vr.add(KindInserted, i, "stored hash %d: a row at a negative index", i)
		return nil
	})
}

// beyond reads the stored hashes past those the tree of Size records owns:
// what is left of records deleted from the end.
func (vr *verifier) beyond(ctx context.Context) error {
	size := vr.rep.Size
	extra := 0
	err := vr.st.Hashes(ctx, tlog.StoredHashCount(size), math.MaxInt64, func(i int64, h []byte) error {
		vr.maxHash = max(vr.maxHash, i)
		extra++
		if l, n := tlog.SplitStoredHashIndex(i); l == 0 && len(h) == tlog.HashSize {
			vr.lostLeaves[tlog.Hash(h)] = n // so that classify sees bytes moved down from there
		}
		return nil
	})
	if err != nil || extra == 0 {
		return err
	}
	vr.tail = append(vr.tail, Problem{KindTruncated, size, fmt.Sprintf(
		"%s gone from the end of the log, but %d of their stored hashes remain", span(size, owner(vr.maxHash), "is", "are"), extra)})
	return nil
}

// classify turns the raw findings into problems. A change to one thing
// fails a characteristic set of checks:
//   - record bytes changed: its leaf check only;
//   - a stored hash changed: its own check and its parent's;
//   - a record rewritten together with the hashes above it up to some
//     level: the check of the lowest node left unchanged, alone.
func (vr *verifier) classify() {
	size := vr.rep.Size
	// The tree has parent (l+1, k/2) once the record that completes it is in.
	parentBad := func(l int, k int64) bool {
		pk := k >> 1
		if (pk+1)<<(l+1)-1 >= size {
			return false
		}
		return vr.bad[tlog.StoredHashIndex(l+1, pk)]
	}

	// Missing rows, and records that have no hashes at all.
	hashed := int64(0) // the records the hash table holds hashes for
	if vr.maxHash >= 0 {
		hashed = owner(vr.maxHash) + 1
	}
	gone := make(map[int64]bool, len(vr.missing))
	for _, n := range vr.missing {
		gone[n] = true
		if len(vr.noHash[n]) == owned(n) {
			vr.add(KindMissing, n, "record %d is missing: its row and its stored hashes were deleted", n)
		} else {
			vr.add(KindMissing, n, "record %d is missing: its row was deleted", n)
		}
	}
	for n, idx := range vr.noHash {
		switch {
		case gone[n] && len(idx) == owned(n):
			// reported with the record
		case !gone[n] && len(idx) == owned(n) && n >= hashed && n >= vr.rep.CheckpointSize:
			vr.add(KindInserted, n, "record %d has no stored hashes: it was added after the last hashed record (%d) without going through the log", n, hashed-1)
		default:
			for _, i := range idx {
				if l, ok := vr.damaged[i]; ok {
					vr.add(KindHash, n, "record %d: stored hash %d is %d bytes, not %d", n, i, l, tlog.HashSize)
				} else {
					vr.add(KindHash, n, "record %d: stored hash %d is missing", n, i)
				}
			}
		}
	}

	// Leaf mismatches: a changed hash if the parent disagrees too, otherwise
	// changed bytes, and moved bytes if they are another record's.
	byStored := make(map[tlog.Hash]int64, len(vr.leafBad))
	maps.Copy(byStored, vr.lostLeaves)
	for n, m := range vr.leafBad {
		byStored[m.stored] = n
	}
	changed := make(map[int64]bool)
	var moved []move
	for n, m := range vr.leafBad {
		switch other, ok := byStored[m.computed]; {
		case parentBad(0, n):
			vr.add(KindHash, n, "record %d: its stored leaf hash %d was changed; the record agrees with the rest of the tree", n, tlog.StoredHashIndex(0, n))
		case ok && other != n:
			moved = append(moved, move{n, other})
		default:
			changed[n] = true
		}
	}
	for _, run := range runs(moved) {
		lo, hi, d := run[0].to, run[len(run)-1].to, run[0].to-run[0].from
		if d == 1 && changed[lo-1] {
			// A record put in at lo-1, and the ones after it pushed up.
			delete(changed, lo-1)
			vr.add(KindInserted, lo-1, "record %d was inserted: it is not in the tree, and %s the bytes of %s", lo-1, span(lo, hi, "holds", "hold"), span(lo-1, hi-1, "", ""))
			continue
		}
		if d == -1 && hi-lo >= 1 {
			// A record taken out at lo, and the ones after it pulled down.
			vr.add(KindMissing, lo, "record %d was deleted and the later records moved down: %s the bytes of %s", lo, span(lo, hi, "holds", "hold"), span(lo+1, hi+1, "", ""))
			continue
		}
		if len(run) == 1 {
			vr.add(KindReordered, lo, "record %d holds the bytes of record %d: records were reordered", lo, lo-d)
		} else {
			vr.add(KindReordered, lo, "%s the bytes of %s: records were moved", span(lo, hi, "holds", "hold"), span(lo-d, hi-d, "", ""))
		}
	}
	for n := range changed {
		vr.add(KindChanged, n, "record %d was changed: its bytes do not hash to its stored leaf hash", n)
	}

	// Interior mismatches.
	for i := range vr.bad {
		l, k := tlog.SplitStoredHashIndex(i)
		if l == 0 {
			continue
		}
		lo, hi := k<<l, (k+1)<<l-1
		childBad := vr.bad[tlog.StoredHashIndex(l-1, 2*k)] || vr.bad[tlog.StoredHashIndex(l-1, 2*k+1)]
		hasParent := (k>>1+1)<<(l+1)-1 < size
		switch {
		case parentBad(l, k):
			vr.add(KindHash, lo, "stored hash %d (level %d, over records %d..%d) was changed", i, l, lo, hi)
		case childBad:
			// explained by the changed hash below it
		case hasParent:
			vr.add(KindChanged, lo, "records %d..%d: one of them was changed and its stored hashes recomputed, but stored hash %d above them no longer matches", lo, hi, i)
		default:
			vr.add(KindHash, lo, "stored hash %d (level %d, over records %d..%d) does not match the hashes below it: it, or a record in that range with its hashes, was changed", i, l, lo, hi)
		}
	}
}

// checkpoints checks every stored checkpoint against the stored tree.
func (vr *verifier) checkpoints(ctx context.Context, v note.Verifier, external [][]byte) error {
	truncatedBy := int64(-1) // the largest valid checkpoint size beyond the log's
	err := vr.st.Checkpoints(ctx, func(rowSize int64, signed []byte) error {
		n, err := vr.checkpoint(ctx, v, signed, fmt.Sprintf("checkpoint for %d records", rowSize), rowSize)
		truncatedBy = max(truncatedBy, n)
		return err
	})
	if err != nil {
		return err
	}
	cos, err := vr.st.LatestCosigned(ctx)
	if err != nil {
		return err
	}
	for _, c := range cos {
		n, err := vr.checkpoint(ctx, v, c.Note, fmt.Sprintf("checkpoint for %d records that witness %s cosigned", c.Size, c.Witness), c.Size)
		if err != nil {
			return err
		}
		truncatedBy = max(truncatedBy, n)
	}
	for k, signed := range external {
		n, err := vr.checkpoint(ctx, v, signed, fmt.Sprintf("checkpoint %d given to verify", k+1), -1)
		if err != nil {
			return err
		}
		truncatedBy = max(truncatedBy, n)
	}
	if size := vr.rep.Size; truncatedBy > size {
		vr.tail = append(vr.tail, Problem{KindTruncated, size, fmt.Sprintf(
			"the log holds %d records but a signed checkpoint covers %d: %s removed", size, truncatedBy, span(size, truncatedBy-1, "was", "were"))})
	}
	return nil
}

// checkpoint checks one signed checkpoint against the stored tree: its
// signature, that the stored tree of its size has its root, and, for a
// stored one (rowSize ≥ 0), that it is stored under its own size. It
// returns the checkpoint's size when that is beyond the log, else -1.
func (vr *verifier) checkpoint(ctx context.Context, v note.Verifier, signed []byte, what string, rowSize int64) (int64, error) {
	vr.rep.Checkpoints++
	t, err := OpenCheckpoint(v, signed)
	if err != nil {
		vr.tail = append(vr.tail, Problem{KindCheckpoint, max(rowSize, 0), fmt.Sprintf(
			"%s is forged or damaged: %s", what, strings.TrimPrefix(err.Error(), "audit: "))})
		return -1, nil
	}
	if rowSize >= 0 && t.N != rowSize {
		vr.tail = append(vr.tail, Problem{KindCheckpoint, rowSize, fmt.Sprintf(
			"checkpoint row for %d records holds a checkpoint for %d records", rowSize, t.N)})
	}
	vr.rep.CheckpointSize = max(vr.rep.CheckpointSize, t.N)
	if t.N > vr.rep.Size {
		return t.N, nil
	}
	root, err := tlog.TreeHash(t.N, hashReader(ctx, vr.st))
	switch {
	case err != nil:
		vr.tail = append(vr.tail, Problem{KindCheckpoint, t.N, fmt.Sprintf(
			"the tree of the checkpoint for %d records cannot be computed: %v", t.N, err)})
	case root != t.Hash:
		vr.tail = append(vr.tail, Problem{KindCheckpoint, t.N, fmt.Sprintf(
			"the stored tree of %d records has root %s, but the checkpoint signed %s: records or hashes before %d were rewritten", t.N, root, t.Hash, t.N)})
	}
	return -1, nil
}

func (vr *verifier) add(kind string, n int64, format string, args ...any) {
	vr.problems = append(vr.problems, Problem{Kind: kind, Index: n, Message: fmt.Sprintf(format, args...)})
}

func (vr *verifier) finish() {
	slices.SortStableFunc(vr.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Index, b.Index), cmp.Compare(a.Message, b.Message))
	})
	all := append(vr.problems, vr.tail...)
	if len(all) > MaxProblems {
		vr.rep.MoreProblems = len(all) - MaxProblems
		all = all[:MaxProblems]
	}
	vr.rep.Problems = all
}

// move is a record n that holds the bytes of record from.
type move struct{ to, from int64 }

// runs groups moves into runs of consecutive records moved by the same
// distance, so that one record put in or taken out is one problem, not one
// per record after it.
func runs(ms []move) [][]move {
	slices.SortFunc(ms, func(a, b move) int { return cmp.Compare(a.to, b.to) })
	var out [][]move
	for i, m := range ms {
		if i > 0 {
			last := out[len(out)-1]
			p := last[len(last)-1]
			if m.to == p.to+1 && m.to-m.from == p.to-p.from {
				out[len(out)-1] = append(last, m)
				continue
			}
		}
		out = append(out, []move{m})
	}
	return out
}

// span names records lo..hi followed by the verb that agrees with them:
// "record 5 was", "records 5..9 were".
func span(lo, hi int64, one, many string) string {
	if lo == hi {
		return strings.TrimSpace(fmt.Sprintf("record %d %s", lo, one))
	}
	return strings.TrimSpace(fmt.Sprintf("records %d..%d %s", lo, hi, many))
}
