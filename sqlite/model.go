package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/opencredit/opencredit"
)

// AddModel stores a draft version and its artifact.
func (db *DB) AddModel(ctx context.Context, v opencredit.ModelVersion, artifact []byte) error {
	metrics, fairness, err := v.StoredJSON()
	if err != nil {
		return err
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM models WHERE id = ?`, v.ID).Scan(&n); err != nil {
		return internal("looking up a model", err)
	}
	if n > 0 {
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is in the registry already", v.ID)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO models (id, kind, name, author, created_at, data_sha256, metrics, fairness, state, updated_at, artifact)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.ID, v.Kind, v.Name, v.Author, ts(v.CreatedAt), v.DataSHA256, metrics, fairness, v.State, ts(v.UpdatedAt), artifact); err != nil {
		return internal("adding a model", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

const modelColumns = `id, kind, name, author, created_at, data_sha256, metrics, fairness, state, updated_at`

func scanModel(scan func(...any) error, extra ...any) (opencredit.ModelVersion, error) {
	var v opencredit.ModelVersion
	var created, updated int64
	var metrics, fairness string
	dst := append([]any{&v.ID, &v.Kind, &v.Name, &v.Author, &created, &v.DataSHA256, &metrics, &fairness, &v.State, &updated}, extra...)
	if err := scan(dst...); err != nil {
		return v, err
	}
	v.CreatedAt, v.UpdatedAt = fromTS(created), fromTS(updated)
	return v, v.LoadStoredJSON(metrics, fairness)
}

// ModelVersion returns a version and its artifact.
func (db *DB) ModelVersion(ctx context.Context, id string) (opencredit.ModelVersion, []byte, error) {
	var artifact []byte
	v, err := scanModel(db.r.QueryRowContext(ctx, `SELECT `+modelColumns+`, artifact FROM models WHERE id = ?`, id).Scan, &artifact)
	if errors.Is(err, sql.ErrNoRows) {
		return v, nil, opencredit.Errorf(opencredit.ENOTFOUND, "no model %s in the registry", id)
	}
	if err != nil {
		return v, nil, internal("reading a model", err)
	}
	return v, artifact, nil
}

// ModelVersions lists every version, oldest first.
func (db *DB) ModelVersions(ctx context.Context) ([]opencredit.ModelVersion, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+modelColumns+` FROM models ORDER BY created_at, id`)
	if err != nil {
		return nil, internal("listing models", err)
	}
	defer rows.Close()
	out := []opencredit.ModelVersion{}
	for rows.Next() {
		v, err := scanModel(rows.Scan)
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
func (db *DB) TransitionModel(ctx context.Context, t opencredit.ModelTransition) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	record := func(t opencredit.ModelTransition) error {
		res, err := tx.ExecContext(ctx, `UPDATE models SET state = ?, updated_at = ? WHERE id = ? AND state = ?`, t.To, ts(t.At), t.Model, t.From)
		if err != nil {
			return internal("changing a model's state", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return internal("changing a model's state", err)
		} else if n != 1 {
			return opencredit.Errorf(opencredit.ECONFLICT, "model %s is not %s (it is unknown, or another operator changed it)", t.Model, t.From)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO model_transitions (model, from_state, to_state, by_operator, at, note, override)
VALUES (?, ?, ?, ?, ?, ?, ?)`, t.Model, t.From, t.To, t.By, ts(t.At), t.Note, t.Override); err != nil {
			return internal("recording a model transition", err)
		}
		return nil
	}
	if t.To == opencredit.ModelActive {
		var prev string
		err := tx.QueryRowContext(ctx, `SELECT id FROM models WHERE state = 'active'`).Scan(&prev)
		switch {
		case errors.Is(err, sql.ErrNoRows):
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
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// ModelTransitions lists transitions in the order they happened.
func (db *DB) ModelTransitions(ctx context.Context, id string) ([]opencredit.ModelTransition, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT model, from_state, to_state, by_operator, at, note, override
FROM model_transitions WHERE ? = '' OR model = ? ORDER BY seq`, id, id)
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
