package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/opencredit/opencredit"
)

// AddModel stores a draft version and its artifact; the primary key decides
// between two additions of one model.
func (db *DB) AddModel(ctx context.Context, v opencredit.ModelVersion, artifact []byte) error {
	metrics, fairness, err := v.StoredJSON()
	if err != nil {
		return err
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO models (id, kind, name, author, created_at, data_sha256, metrics, fairness, state, updated_at, artifact)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, v.ID, v.Kind, v.Name, v.Author, ts(v.CreatedAt), v.DataSHA256, metrics, fairness, v.State, ts(v.UpdatedAt), artifact)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == uniqueViolation {
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is in the registry already", v.ID)
	}
	if err != nil {
		return internal("adding a model", err)
	}
	return nil
}

const modelColumns = `id, kind, name, author, created_at, data_sha256, metrics, fairness, state, updated_at`

func scanModel(row pgx.Row, extra ...any) (opencredit.ModelVersion, error) {
	var v opencredit.ModelVersion
	var created, updated int64
	var metrics, fairness string
	dst := append([]any{&v.ID, &v.Kind, &v.Name, &v.Author, &created, &v.DataSHA256, &metrics, &fairness, &v.State, &updated}, extra...)
	if err := row.Scan(dst...); err != nil {
		return v, err
	}
	v.CreatedAt, v.UpdatedAt = fromTS(created), fromTS(updated)
	return v, v.LoadStoredJSON(metrics, fairness)
}

// ModelVersion returns a version and its artifact.
func (db *DB) ModelVersion(ctx context.Context, id string) (opencredit.ModelVersion, []byte, error) {
	var artifact []byte
	v, err := scanModel(db.pool.QueryRow(ctx, `SELECT `+modelColumns+`, artifact FROM models WHERE id = $1`, id), &artifact)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, nil, opencredit.Errorf(opencredit.ENOTFOUND, "no model %s in the registry", id)
	}
	if err != nil {
		return v, nil, internal("reading a model", err)
	}
	return v, artifact, nil
}

// ModelVersions lists every version, oldest first.
func (db *DB) ModelVersions(ctx context.Context) ([]opencredit.ModelVersion, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+modelColumns+` FROM models ORDER BY created_at, id`)
	if err != nil {
		return nil, internal("listing models", err)
	}
	defer rows.Close()
	out := []opencredit.ModelVersion{}
	for rows.Next() {
		v, err := scanModel(rows)
		if err != nil {
			return nil, internal("listing models", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing models", err)
	}
	return out, nil
}

// TransitionModel applies t from the state it names, in one transaction.
// The active model's row is locked first, so of two concurrent activations
// the second finds the state changed and gets ECONFLICT.
func (db *DB) TransitionModel(ctx context.Context, t opencredit.ModelTransition) error {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback(ctx)
	record := func(t opencredit.ModelTransition) error {
		tag, err := tx.Exec(ctx, `UPDATE models SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4`, t.To, ts(t.At), t.Model, t.From)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == uniqueViolation {
			return opencredit.Errorf(opencredit.ECONFLICT, "another model was activated at the same moment")
		}
		if err != nil {
			return internal("changing a model's state", err)
		}
		if tag.RowsAffected() != 1 {
			return opencredit.Errorf(opencredit.ECONFLICT, "model %s is not %s (it is unknown, or another operator changed it)", t.Model, t.From)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO model_transitions (model, from_state, to_state, by_operator, at, note, override)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.Model, t.From, t.To, t.By, ts(t.At), t.Note, t.Override); err != nil {
			return internal("recording a model transition", err)
		}
		return nil
	}
	if t.To == opencredit.ModelActive {
		var prev string
		err := tx.QueryRow(ctx, `SELECT id FROM models WHERE state = 'active' FOR UPDATE`).Scan(&prev)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return internal("reading the active model", err)
		case prev != t.Model:
			if err := record(opencredit.ModelTransition{Model: prev, From: opencredit.ModelActive, To: opencredit.ModelApproved,
				By: t.By, At: t.At, Note: "replaced by " + t.Model}); err != nil {
				return err
			}
		}
	}
	if err := record(t); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return internal("commit", err)
	}
	return nil
}

// ModelTransitions lists transitions in the order they happened.
func (db *DB) ModelTransitions(ctx context.Context, id string) ([]opencredit.ModelTransition, error) {
	rows, err := db.pool.Query(ctx, `SELECT model, from_state, to_state, by_operator, at, note, override
FROM model_transitions WHERE $1 = '' OR model = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, internal("listing model transitions", err)
	}
	defer rows.Close()
	out := []opencredit.ModelTransition{}
	for rows.Next() {
		var t opencredit.ModelTransition
		var at int64
		if err := rows.Scan(&t.Model, &t.From, &t.To, &t.By, &at, &t.Note, &t.Override); err != nil {
			return nil, internal("listing model transitions", err)
		}
		t.At = fromTS(at)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("listing model transitions", err)
	}
	return out, nil
}

var _ opencredit.ModelRegistry = (*DB)(nil)
