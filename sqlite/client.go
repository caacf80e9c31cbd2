package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
)

// CreateClient registers an API client under the hash of its key.
func (db *DB) CreateClient(ctx context.Context, c opencredit.Client, keyHash []byte) error {
	if err := opencredit.CheckNewClient(c, keyHash); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE id = ?`, c.ID).Scan(&n); err != nil {
		return internal("looking up a client", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "client %s exists (or was revoked: ids are never reused)", c.ID)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE key_hash = ?`, keyHash).Scan(&n); err != nil {
		return internal("looking up a key", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "another client holds this key")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO clients (id, name, role, purposes, subject, key_hash, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.Name, c.Role, strings.Join(c.Purposes, ","), c.Subject, keyHash, ts(c.CreatedAt)); err != nil {
		return internal("creating a client", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// clientColumns are what scanClient reads, in order.
const clientColumns = `id, name, role, purposes, subject, created_at, revoked_at`

func scanClient(scan func(...any) error) (opencredit.Client, error) {
	var c opencredit.Client
	var purposes string
	var created int64
	var revoked sql.NullInt64
	if err := scan(&c.ID, &c.Name, &c.Role, &purposes, &c.Subject, &created, &revoked); err != nil {
		return c, err
	}
	if purposes != "" {
		c.Purposes = strings.Split(purposes, ",")
	}
	c.CreatedAt, c.RevokedAt = fromTS(created), fromNullTS(revoked)
	return c, nil
}

// ClientByKey finds the live client holding the key with this hash.
func (db *DB) ClientByKey(ctx context.Context, keyHash []byte) (opencredit.Client, error) {
	row, err := db.queryRow(ctx, `SELECT `+clientColumns+` FROM clients
WHERE key_hash = ? AND revoked_at IS NULL`, keyHash)
	if err != nil {
		return opencredit.Client{}, internal("looking up a key", err)
	}
	c, err := scanClient(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return opencredit.Client{}, opencredit.Errorf(opencredit.ENOTFOUND, "no client holds this key")
	}
	if err != nil {
		return opencredit.Client{}, internal("looking up a key", err)
	}
	return c, nil
}

// RevokeClient stops the client's key working; the first revocation time stays.
func (db *DB) RevokeClient(ctx context.Context, id string, at time.Time) error {
	if err := opencredit.CheckTime("client revocation time", at); err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM clients WHERE id = ?`, id).Scan(&n); err != nil {
		return internal("looking up a client", err)
	}
	if n == 0 {
		return opencredit.Errorf(opencredit.ENOTFOUND, "no client %s", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ts(at), id); err != nil {
		return internal("revoking a client", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// Clients lists every client, revoked ones included, in id order.
func (db *DB) Clients(ctx context.Context) ([]opencredit.Client, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+clientColumns+` FROM clients ORDER BY id`)
	if err != nil {
		return nil, internal("listing clients", err)
	}
	defer rows.Close()
	var out []opencredit.Client
	for rows.Next() {
		c, err := scanClient(rows.Scan)
		if err != nil {
			return nil, internal("listing clients", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing clients", err)
	}
	return out, nil
}
