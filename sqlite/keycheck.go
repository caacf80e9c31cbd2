package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opencredit/opencredit/pii"
)

// checkKey refuses to open a store whose personal data is sealed under
// another key than keys (pii.CheckStoreKey; issue 17: a store opened under
// any key let `subject add` seal under mixed keys).
func checkKey(ctx context.Context, w *sql.DB, keys pii.Keys, path string) error {
	return pii.CheckStoreKey(ctx, pii.KeyRecord{
		Recorded: func(ctx context.Context) ([]byte, error) {
			var v []byte
			err := w.QueryRowContext(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, nil
			}
			if err != nil {
				return nil, internal("reading the key check", err)
			}
			return v, nil
		},
		Sample: func(ctx context.Context) (string, []byte, bool, error) {
			var id string
			var sealed []byte
			err := w.QueryRowContext(ctx, `SELECT id, pii FROM subjects WHERE pii IS NOT NULL LIMIT 1`).Scan(&id, &sealed)
			if errors.Is(err, sql.ErrNoRows) {
				return "", nil, false, nil
			}
			if err != nil {
				return "", nil, false, internal("reading a sealed record", err)
			}
			return id, sealed, true, nil
		},
		Record: func(ctx context.Context, v []byte) error {
			if _, err := w.ExecContext(ctx, `INSERT INTO key_check (id, value) VALUES (1, ?) ON CONFLICT DO NOTHING`, v); err != nil {
				return internal("recording the key check", err)
			}
			return nil
		},
	}, keys, "sqlite "+path)
}
