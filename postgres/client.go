package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/opencredit/opencredit"
)

// CreateClient registers an API client under the hash of its key. The
// unique constraints decide between two registrations of one id or one key,
// so concurrent callers cannot both succeed.
func (db *DB) CreateClient(ctx context.Context, c opencredit.Client, keyHash []byte) error {
	if err := opencredit.CheckNewClient(c, keyHash); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO clients (id, name, role, purposes, subject, key_hash, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.Name, c.Role, strings.Join(c.Purposes, ","), c.Subject, keyHash, ts(c.CreatedAt))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		if strings.Contains(pe.ConstraintName, "key_hash") {
			return opencredit.Errorf(opencredit.ECONFLICT, "another client holds this key")
		}
		return opencredit.Errorf(opencredit.ECONFLICT, "client %s exists (or was revoked: ids are never reused)", c.ID)
	}
	if err != nil {
		return internal("creating a client", err)
	}
	return nil
}

// clientColumns are what scanClient reads, in order.
const clientColumns = `id, name, role, purposes, subject, created_at, revoked_at`

func scanClient(row pgx.Row) (opencredit.Client, error) {
	var c opencredit.Client
	var purposes string
	var created int64
	var revoked *int64
	if err := row.Scan(&c.ID, &c.Name, &c.Role, &purposes, &c.Subject, &created, &revoked); err != nil {
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
	c, err := scanClient(db.pool.QueryRow(ctx, `SELECT `+clientColumns+` FROM clients
WHERE key_hash = $1 AND revoked_at IS NULL`, keyHash))
	if errors.Is(err, pgx.ErrNoRows) {
		return opencredit.Client{}, opencredit.Errorf(opencredit.ENOTFOUND, "no client holds this key")
	}
	if err != nil {
		return opencredit.Client{}, internal("looking up a key", err)
	}
	return c, nil
}

// RevokeClient stops the client's key working; the first revocation time
// stays. One statement revokes and tells an unknown id from a revoked one.
func (db *DB) RevokeClient(ctx context.Context, id string, at time.Time) error {
	if err := opencredit.CheckTime("client revocation time", at); err != nil {
		return err
	}
	var found bool
	err := db.pool.QueryRow(ctx, `WITH upd AS (
    UPDATE clients SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM upd)`, id, ts(at)).Scan(&found)
	if err != nil {
		return internal("revoking a client", err)
	}
	if !found {
		return opencredit.Errorf(opencredit.ENOTFOUND, "no client %s", id)
	}
	return nil
}

// Clients lists every client, revoked ones included, in id order.
func (db *DB) Clients(ctx context.Context) ([]opencredit.Client, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+clientColumns+` FROM clients ORDER BY id`)
	if err != nil {
		return nil, internal("listing clients", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (opencredit.Client, error) { return scanClient(r) })
	if err != nil {
		return nil, internal("listing clients", err)
	}
	return out, nil
}
