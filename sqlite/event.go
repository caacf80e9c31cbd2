package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/ingest"
)

// Events lists a subject's stored events in time order (ties by source and
// id), suppressed ones included. An erased subject has none; an unknown one
// is ENOTFOUND.
func (db *DB) Events(ctx context.Context, subject string) ([]opencredit.StoredEvent, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, internal("begin", err)
	}
	defer tx.Rollback()
	if _, err := loadSubject(ctx, tx, subject); err != nil {
		return nil, err
	}
	return events(ctx, tx, subject)
}

func events(ctx context.Context, q queryer, subject string) ([]opencredit.StoredEvent, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.source, e.id, e.type, e.time, e.received_at, e.content_type, e.data, e.suppressed,
  EXISTS (SELECT 1 FROM disputes d WHERE d.source = e.source AND d.event_id = e.id AND d.status = 'open')
FROM events e WHERE e.subject = ? ORDER BY e.time, e.source, e.id`, subject)
	if err != nil {
		return nil, internal("reading events", err)
	}
	defer rows.Close()
	out := []opencredit.StoredEvent{}
	for rows.Next() {
		e := opencredit.StoredEvent{Event: opencredit.Event{SpecVersion: "1.0", Subject: subject}}
		var at, received int64
		var data []byte
		if err := rows.Scan(&e.Source, &e.ID, &e.Type, &at, &received, &e.DataContentType, &data, &e.Suppressed, &e.Disputed); err != nil {
			return nil, internal("reading events", err)
		}
		e.Time, e.ReceivedAt, e.Data = fromTS(at), fromTS(received), data
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("reading events", err)
	}
	return out, nil
}

// SuppressEvent removes a disputed event from its subject's features.
func (db *DB) SuppressEvent(ctx context.Context, source, id string) error {
	return db.setSuppressed(ctx, source, id, true)
}

// RestoreEvent puts a suppressed event back into its subject's features.
func (db *DB) RestoreEvent(ctx context.Context, source, id string) error {
	return db.setSuppressed(ctx, source, id, false)
}

// setSuppressed flags the event and rebuilds its subject's state from the
// unsuppressed events, in one transaction: feature states are not
// reversible, so removing an event means recomputing.
func (db *DB) setSuppressed(ctx context.Context, source, id string, suppressed bool) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin", err)
	}
	defer tx.Rollback()
	var subject string
	err = tx.QueryRowContext(ctx, `UPDATE events SET suppressed = ? WHERE source = ? AND id = ? RETURNING subject`,
		suppressed, source, id).Scan(&subject)
	if errors.Is(err, sql.ErrNoRows) {
		return opencredit.Errorf(opencredit.ENOTFOUND, "no event %s from %s", id, source)
	}
	if err != nil {
		return internal("flagging an event", err)
	}
	if err := db.rebuild(ctx, tx, subject); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// rebuild recomputes subject's feature state from its unsuppressed events
// in tx and saves it: feature states are not reversible, so taking an
// event out, or changing one, means recomputing.
func (db *DB) rebuild(ctx context.Context, tx *sql.Tx, subject string) error {
	evs, err := events(ctx, tx, subject)
	if err != nil {
		return err
	}
	state, err := ingest.Rebuild(evs)
	if err != nil {
		return internal("rebuilding features", err)
	}
	itx := &ingestTx{db: db, tx: tx}
	defer itx.close()
	if err := itx.SaveStates(ctx, map[string][]byte{subject: state}, db.now()); err != nil {
		return internal("saving features", err)
	}
	db.cache.forget(subject)
	return nil
}

// Features returns a subject's features as of asOf from its live state.
func (db *DB) Features(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	// One statement reads the subject and its state together: it is the
	// read every score makes.
	var deleted sql.NullInt64
	var state []byte
	row, err := db.queryRow(ctx, `SELECT s.deleted_at, f.state FROM subjects s
LEFT JOIN feature_states f ON f.subject = s.id WHERE s.id = ?`, subject)
	if err == nil {
		err = row.Scan(&deleted, &state)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return opencredit.FeatureVector{}, opencredit.Errorf(opencredit.ENOTFOUND, "no subject %s", subject)
	case err == nil && deleted.Valid:
		return opencredit.FeatureVector{}, opencredit.Errorf(opencredit.ENOTFOUND, "subject %s was erased", subject)
	case err != nil:
		return opencredit.FeatureVector{}, internal("reading features", err)
	}
	fv, err := ingest.Features(state, subject, asOf, db.cfg)
	if err != nil {
		return opencredit.FeatureVector{}, internal("reading features", err)
	}
	return fv, nil
}

// RecomputeFeatures computes a subject's features as of asOf from its
// unsuppressed events alone.
func (db *DB) RecomputeFeatures(ctx context.Context, subject string, asOf time.Time) (opencredit.FeatureVector, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return opencredit.FeatureVector{}, internal("begin", err)
	}
	defer tx.Rollback()
	if err := liveSubject(ctx, tx, subject); err != nil {
		return opencredit.FeatureVector{}, err
	}
	evs, err := events(ctx, tx, subject)
	if err != nil {
		return opencredit.FeatureVector{}, err
	}
	st, err := ingest.RebuildState(evs)
	if err != nil {
		return opencredit.FeatureVector{}, internal("recomputing features", err)
	}
	return st.Compute(subject, asOf, db.cfg), nil
}
