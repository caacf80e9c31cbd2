package audit

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// Storage keeps the log: record bytes by record index n, the tree's stored
// hashes by stored-hash index i (tlog.StoredHashIndex), and signed
// checkpoints by tree size. Implementations: MemoryStorage here,
// sqlite.AuditStorage and postgres.AuditStorage beside the stores;
// audittest.Run checks any implementation.
//
// Storage reports what it holds, not what it should hold: Verify relies on
// Records and Hashes returning the rows as stored, gaps and all.
type Storage interface {
	// Count returns the number of records the log claims: one more than the
	// highest record index stored, 0 when there is none.
	Count(ctx context.Context) (int64, error)

	// Append stores records as indexes n, n+1, ... and hashes as stored
	// hashes from tlog.StoredHashIndex(0, n) on, in one transaction: all or
	// nothing. It fails with ECONFLICT, storing nothing, unless n equals
	// Count. It returns once the write is committed.
	Append(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) error

	// Records calls fn for each record stored with from <= n < to, in
	// increasing n. fn may keep data.
	Records(ctx context.Context, from, to int64, fn func(n int64, data []byte) error) error

	// Hashes calls fn for each stored hash with from <= i < to, in
	// increasing i, as stored: a damaged row may not be tlog.HashSize bytes.
	Hashes(ctx context.Context, from, to int64, fn func(i int64, hash []byte) error) error

	// ReadHashes returns the stored hashes with the given indexes, in that
	// order. It fails with ENOTFOUND if one is missing and EINTERNAL if one
	// is not tlog.HashSize bytes.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// SaveCheckpoint stores a signed checkpoint of the tree of the given
	// size. Saving a second checkpoint for a size keeps the first.
	SaveCheckpoint(ctx context.Context, size int64, signed []byte) error

	// LatestCheckpoint returns the stored checkpoint with the largest size;
	// signed is nil when there is none.
	LatestCheckpoint(ctx context.Context) (size int64, signed []byte, err error)

	// Checkpoints calls fn for every stored checkpoint in increasing size.
	Checkpoints(ctx context.Context, fn func(size int64, signed []byte) error) error

	// SaveCosigned stores a checkpoint of the tree of the given size that
	// the witness named witness cosigned: the note with the log's signature
	// and the witness's cosignature. Saving a second note for a witness and
	// size keeps the first.
	SaveCosigned(ctx context.Context, witness string, size int64, signed []byte) error

	// LatestCosigned returns, for each witness that cosigned a checkpoint,
	// the stored one with the largest size, in order of witness name.
	LatestCosigned(ctx context.Context) ([]Cosigned, error)
}

// Cosigned is a checkpoint a witness cosigned, as Storage keeps it.
type Cosigned struct {
	Witness string // the witness key's name
	Size    int64  // the tree size the checkpoint signs
	Note    []byte // the checkpoint with the log's signature and the witness's cosignature
}

// SharedStorage is a Storage that several processes append to at once,
// each through a Log of its own: PostgreSQL behind several API replicas.
// Log then appends in a transaction that holds the storage's append lock,
// reads the size again under it, and when another process appended since,
// the tree's right edge too, so that the processes grow one tree: no fork,
// no gap.
type SharedStorage interface {
	Storage

	// BeginAppend begins a transaction that holds the append lock until it
	// ends: every other BeginAppend on the storage, in any process, waits.
	BeginAppend(ctx context.Context) (AppendTx, error)
}

// AppendTx is an append transaction of a SharedStorage, holding its lock.
type AppendTx interface {
	// Count is Storage.Count inside the transaction.
	Count(ctx context.Context) (int64, error)

	// ReadHashes is Storage.ReadHashes inside the transaction.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// Commit stores records and hashes as Storage.Append does, n being the
	// Count read in the transaction, and commits.
	Commit(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) error

	// Rollback ends the transaction, storing nothing; after Commit it does
	// nothing.
	Rollback(ctx context.Context) error
}

// hashReader reads stored hashes from st for the tlog functions, which take
// no context.
func hashReader(ctx context.Context, st Storage) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return st.ReadHashes(ctx, indexes)
	})
}
