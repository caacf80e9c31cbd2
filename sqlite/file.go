package sqlite

import (
	"errors"
	"io/fs"
	"os"

	"github.com/opencredit/opencredit"
)

// createPrivate creates the database file at path, empty and readable by
// its owner only (0600), unless it exists already. SQLite would create it
// with the process's umask (typically 0644: world-readable), and it gives
// the write-ahead log and shared-memory files the database file's mode, so
// this one mode covers all three. An existing file keeps the mode its
// owner gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return &opencredit.Error{Code: opencredit.EINVALID, Message: "sqlite: cannot create " + path, Err: err}
	}
	return f.Close()
}
