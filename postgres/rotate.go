package postgres

import (
	"context"
	"fmt"

	"github.com/opencredit/opencredit/pii"
)

// rotatePage is the subjects a key rotation reads at once.
const rotatePage = 1000

// RotateKey re-seals every subject's personal data, and recomputes its
// national id's lookup hash, under next, and records next's check value,
// in one transaction that locks the subjects table against writers: the
// store is under the old key or the new one, never both. It returns the
// number of records re-sealed. The store was opened under the old key;
// afterwards this handle uses next. Stop every other process using the
// store first: one still holding the old key would seal under it after
// the lock is released (the key check refuses the old key at its next open).
func (db *DB) RotateKey(ctx context.Context, next pii.Keys) (int, error) {
	if err := pii.CheckRotation(db.keys, next); err != nil {
		return 0, err
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, internal("begin", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `LOCK TABLE subjects, key_check IN EXCLUSIVE MODE`); err != nil {
		return 0, internal("locking subjects for the key rotation", err)
	}
	n, after := 0, ""
	for {
		type row struct {
			id     string
			sealed []byte
		}
		rows, err := tx.Query(ctx, `SELECT id, pii FROM subjects WHERE pii IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`, after, rotatePage)
		if err != nil {
			return 0, internal("reading subjects", err)
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.sealed); err != nil {
				rows.Close()
				return 0, internal("reading subjects", err)
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, internal("reading subjects", err)
		}
		for _, r := range page {
			sealed, hash, err := pii.Reseal(db.keys, next, r.id, r.sealed)
			if err != nil {
				return 0, err
			}
			if _, err := tx.Exec(ctx, `UPDATE subjects SET pii = $1, national_id_hash = $2 WHERE id = $3`, sealed, hash, r.id); err != nil {
				return 0, internal(fmt.Sprintf("re-sealing subject %s", r.id), err)
			}
			n++
		}
		if len(page) < rotatePage {
			break
		}
		after = page[len(page)-1].id
	}
	if _, err := tx.Exec(ctx, `INSERT INTO key_check (id, value) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value`, next.CheckValue()); err != nil {
		return 0, internal("recording the new key check", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, internal("commit", err)
	}
	db.keys = next
	return n, nil
}
