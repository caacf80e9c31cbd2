package audit

import (
	"context"
	"maps"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/opencredit/opencredit"
)

// MemoryStorage is a Storage in memory, for tests. It is safe for
// concurrent use.
type MemoryStorage struct {
	mu          sync.Mutex
	records     [][]byte
	hashes      []tlog.Hash
	checkpoints map[int64][]byte
	cosigned    map[string]map[int64][]byte // by witness, by size
}

var _ Storage = (*MemoryStorage)(nil)

// NewMemoryStorage returns an empty MemoryStorage.
func NewMemoryStorage() *MemoryStorage {
	return &MemoryStorage{checkpoints: make(map[int64][]byte), cosigned: make(map[string]map[int64][]byte)}
}

// Count implements Storage.
func (m *MemoryStorage) Count(ctx context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.records)), nil
}

// Append implements Storage.
func (m *MemoryStorage) Append(ctx context.Context, n int64, records [][]byte, hashes []tlog.Hash) error {
	if err := CheckAppend(n, records, hashes); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if n != int64(len(m.records)) {
		return opencredit.Errorf(opencredit.ECONFLICT, "audit: append at record %d, but the log holds %d records", n, len(m.records))
	}
	for _, r := range records {
		m.records = append(m.records, slices.Clone(r))
	}
	m.hashes = append(m.hashes, hashes...)
	return nil
}

// Records implements Storage.
func (m *MemoryStorage) Records(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	m.mu.Lock()
	from, to = clamp(from, to, int64(len(m.records)))
	rs := slices.Clone(m.records[from:to])
	m.mu.Unlock()
	for i, r := range rs {
		if err := fn(from+int64(i), slices.Clone(r)); err != nil {
			return err
		}
	}
	return nil
}

// Hashes implements Storage.
func (m *MemoryStorage) Hashes(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	m.mu.Lock()
	from, to = clamp(from, to, int64(len(m.hashes)))
	hs := slices.Clone(m.hashes[from:to])
	m.mu.Unlock()
	for i, h := range hs {
		if err := fn(from+int64(i), h[:]); err != nil {
			return err
		}
	}
	return nil
}

func clamp(from, to, n int64) (int64, int64) {
	from = min(max(from, 0), n)
	return from, min(max(to, from), n)
}

// ReadHashes implements Storage.
func (m *MemoryStorage) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]tlog.Hash, len(indexes))
	for k, i := range indexes {
		if i < 0 || i >= int64(len(m.hashes)) {
			return nil, opencredit.Errorf(opencredit.ENOTFOUND, "audit: stored hash %d is missing", i)
		}
		out[k] = m.hashes[i]
	}
	return out, nil
}

// SaveCheckpoint implements Storage.
func (m *MemoryStorage) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.checkpoints[size]; !ok {
		m.checkpoints[size] = slices.Clone(signed)
	}
	return nil
}

// LatestCheckpoint implements Storage.
func (m *MemoryStorage) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.checkpoints) == 0 {
		return 0, nil, nil
	}
	size := slices.Max(slices.Collect(maps.Keys(m.checkpoints)))
	return size, slices.Clone(m.checkpoints[size]), nil
}

// Checkpoints implements Storage.
func (m *MemoryStorage) Checkpoints(ctx context.Context, fn func(int64, []byte) error) error {
	m.mu.Lock()
	sizes := slices.Sorted(maps.Keys(m.checkpoints))
	notes := make([][]byte, len(sizes))
	for i, s := range sizes {
		notes[i] = slices.Clone(m.checkpoints[s])
	}
	m.mu.Unlock()
	for i, s := range sizes {
		if err := fn(s, notes[i]); err != nil {
			return err
		}
	}
	return nil
}

// SaveCosigned implements Storage.
func (m *MemoryStorage) SaveCosigned(ctx context.Context, witness string, size int64, signed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cosigned[witness] == nil {
		m.cosigned[witness] = make(map[int64][]byte)
	}
	if _, ok := m.cosigned[witness][size]; !ok {
		m.cosigned[witness][size] = slices.Clone(signed)
	}
	return nil
}

// LatestCosigned implements Storage.
func (m *MemoryStorage) LatestCosigned(ctx context.Context) ([]Cosigned, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Cosigned
	for _, w := range slices.Sorted(maps.Keys(m.cosigned)) {
		size := slices.Max(slices.Collect(maps.Keys(m.cosigned[w])))
		out = append(out, Cosigned{Witness: w, Size: size, Note: slices.Clone(m.cosigned[w][size])})
	}
	return out, nil
}

// CheckAppend refuses (EINVALID) an append whose hashes do not fill exactly
// the stored hash indexes the records own. Every Storage calls it first in
// Append, so that none writes a malformed tree.
func CheckAppend(n int64, records [][]byte, hashes []tlog.Hash) error {
	if n < 0 || len(records) == 0 {
		return opencredit.Errorf(opencredit.EINVALID, "audit: append of %d records at %d", len(records), n)
	}
	if want := tlog.StoredHashCount(n+int64(len(records))) - tlog.StoredHashIndex(0, n); int64(len(hashes)) != want {
		return opencredit.Errorf(opencredit.EINVALID, "audit: append of records %d..%d with %d stored hashes, want %d", n, n+int64(len(records))-1, len(hashes), want)
	}
	return nil
}
