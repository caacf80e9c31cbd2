package postgres

import (
	"context"
	"crypto/hmac"
	"errors"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/opencredit/opencredit/pii"
)

// checkKey refuses to open a store whose personal data is sealed under
// another key than keys (issue 17: a store opened under any key let
// `subject add` seal under mixed keys). The key's check value is recorded
// the first time; a store from before the check is judged by one of its
// sealed records, then recorded. Reading back after the insert makes two
// first opens under different keys agree on one.
func checkKey(ctx context.Context, pool *pgxpool.Pool, keys pii.Keys, where string) error {
	want := keys.CheckValue()
	var got []byte
	err := pool.QueryRow(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		var id string
		var sealed []byte
		err = pool.QueryRow(ctx, `SELECT id, pii FROM subjects WHERE pii IS NOT NULL LIMIT 1`).Scan(&id, &sealed)
		switch {
		case err == nil:
			if _, err := keys.Open(sealed, id); err != nil {
				return pii.WrongKey(where)
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return internal("reading a sealed record", err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO key_check (id, value) VALUES (1, $1) ON CONFLICT DO NOTHING`, want); err != nil {
			return internal("recording the key check", err)
		}
		err = pool.QueryRow(ctx, `SELECT value FROM key_check WHERE id = 1`).Scan(&got)
	}
	if err != nil {
		return internal("reading the key check", err)
	}
	if !hmac.Equal(got, want) {
		return pii.WrongKey(where)
	}
	return nil
}
