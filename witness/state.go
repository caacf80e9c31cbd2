package witness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// Entry is what the witness keeps of one log: the latest checkpoint it
// cosigned.
type Entry struct {
	Origin     string    `json:"origin"`     // the log's origin line, its key's name
	Size       int64     `json:"size"`       // the tree size
	Root       tlog.Hash `json:"root"`       // the tree's root hash, base64
	Checkpoint string    `json:"checkpoint"` // the checkpoint with the log's signature and the cosignature
}

// State is the witness's durable state: one Entry a log, in a JSON file.
// Put writes the whole file to a temporary file beside it, fsyncs it,
// renames it over the old one and fsyncs the directory, so that after a
// crash the file holds either the old state or the new one, never a torn
// write, and a checkpoint is cosigned only once its state is on disk.
type State struct {
	path string

	mu   sync.Mutex
	logs map[string]Entry
}

// stateFile is the file's form; version 1.
type stateFile struct {
	Version int     `json:"version"`
	Logs    []Entry `json:"logs"`
}

// OpenState reads the state file at path, or starts an empty state if
// there is none yet (the file is written at the first cosignature). A file
// that does not decode is an error: a witness that forgot what it cosigned
// could be made to cosign a fork.
func OpenState(path string) (*State, error) {
	s := &State{path: path, logs: make(map[string]Entry)}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("witness: --state %s: %w", path, err)
	}
	var f stateFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("witness: --state %s is damaged (%v); restore it from a backup: a witness that forgot what it cosigned must not cosign again under its key", path, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("witness: --state %s: version %d, want 1", path, f.Version)
	}
	for i, e := range f.Logs {
		if e.Origin == "" || e.Size < 0 || !strings.HasPrefix(e.Checkpoint, e.Origin+"\n") {
			return nil, fmt.Errorf("witness: --state %s: log %d (%q) is damaged; restore the file from a backup", path, i+1, e.Origin)
		}
		if _, dup := s.logs[e.Origin]; dup {
			return nil, fmt.Errorf("witness: --state %s: log %q appears twice", path, e.Origin)
		}
		s.logs[e.Origin] = e
	}
	return s, nil
}

// Latest returns the entry of the log origin; false, and the zero Entry
// (size 0), if the witness never cosigned one of its checkpoints.
func (s *State) Latest(origin string) (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.logs[origin]
	return e, ok
}

// Put makes e the latest entry of its log and writes the state durably.
// On an error the state is unchanged, in memory and on disk.
func (s *State) Put(e Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make([]Entry, 0, len(s.logs)+1)
	for o, x := range s.logs {
		if o != e.Origin {
			next = append(next, x)
		}
	}
	next = append(next, e)
	slices.SortFunc(next, func(a, b Entry) int { return strings.Compare(a.Origin, b.Origin) })
	b, err := json.MarshalIndent(stateFile{Version: 1, Logs: next}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(s.path, append(b, '\n')); err != nil {
		return fmt.Errorf("witness: writing --state %s: %w", s.path, err)
	}
	s.logs[e.Origin] = e
	return nil
}

// writeFileSync replaces path with data atomically and durably.
func writeFileSync(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename, there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
